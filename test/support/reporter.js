// Mocha's spec reporter, plus one plain closing line `N passed, N failed` that CI reads.
const Mocha = require("mocha");
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats;
      // Printed after the spec reporter's own epilogue.
      process.nextTick(() => process.stdout.write(`${s.passes} passed, ${s.failures} failed\n`));
    });
  }
}
module.exports = SummaryReporter;
