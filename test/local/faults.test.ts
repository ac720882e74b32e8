import * as assert from "node:assert/strict";
import { type FaultLoadResult, faultLoad } from "../../bench/fault-load";

// A short, bounded run of bench/fault-load.ts (the long one is `npm run bench:faults`).
describe("local gateway under load with faults (issue #10)", function () {
  this.timeout(120_000);
  let r: FaultLoadResult;
  before(async () => {
    r = await faultLoad({ seconds: 2, connections: 10, headersTimeoutMs: 1500, rounds: 3 });
  });

  it("survives: still answers afterwards", () => assert.equal(r.aliveAfter, true));

  it("answers every faulty request with the right status, and the healthy route only 200", () => {
    assert.deepEqual(Object.keys(r.statuses.ok ?? {}), ["200"]);
    assert.deepEqual(Object.keys(r.statuses.fail ?? {}), ["500"]);
    assert.deepEqual(Object.keys(r.statuses.hang ?? {}), ["504"]);
    assert.deepEqual(Object.keys(r.statuses.huge ?? {}), ["200"]);
    assert.deepEqual(Object.keys(r.statuses.drip ?? {}), ["200"]);
    assert.equal(r.errors.ok, 0);
    for (const route of ["fail", "hang", "huge", "drip"])
      assert.ok(Object.values(r.statuses[route] ?? {}).reduce((a, b) => a + b, 0) > 0, route);
  });

  it("answers each attack (forged JWTs, oversized headers and bodies, malformed URLs, injection, slowloris) as it should", () => {
    const wrong = r.attacks.filter((a) => !a.expected.includes(a.got));
    assert.deepEqual(wrong, []);
    assert.ok(r.attacks.length >= 14);
  });

  // A 2 s window's p99 on a shared 2-core machine jumps by tens of ms with other processes' load, so
  // the fault-free figure is floored at 100 ms here; `npm run bench:faults` reports the plain ratio.
  it("keeps the healthy route's p99 within 2x of the fault-free run (100 ms floor for machine noise)", () => {
    assert.ok(r.underFaults.p99 <= 2 * Math.max(r.baseline.p99, 100), `${r.underFaults.p99} ms vs ${r.baseline.p99} ms alone`);
  });

  it("does not grow its memory without bound", () => {
    assert.ok(r.rssMb.end < r.rssMb.start + 256, JSON.stringify(r.rssMb));
  });
});
