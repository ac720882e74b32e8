// Mocha's spec reporter, plus one plain closing line `N passed, N failed` that CI reads. When
// tools/test.js runs two mocha processes at once, each writes its counts to SWITCHYARD_SUMMARY_FILE
// instead, and tools/test.js prints the one closing line with their sum.
const fs = require("node:fs");
const Mocha = require("mocha");
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats;
      const file = process.env.SWITCHYARD_SUMMARY_FILE;
      if (file) fs.writeFileSync(file, JSON.stringify({ passes: s.passes, failures: s.failures }));
      // Printed after the spec reporter's own epilogue.
      else process.nextTick(() => process.stdout.write(`${s.passes} passed, ${s.failures} failed\n`));
    });
  }
}
module.exports = SummaryReporter;
