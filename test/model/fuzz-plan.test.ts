import * as assert from "node:assert/strict";
import { planProperty } from "../support/plan-property";

/**
 * Generated valid models plan on every cloud without throwing (issue #10): each case is a generated
 * model and a stack drawn with it, and its plan either declares resources or stops with a ModelError
 * from the cloud's capability check, never another exception. Each case is a full run of the program
 * under mocks in this process (about 60 ms on a quiet machine), so `npm test` runs this file in a
 * process of its own beside lint and typecheck (tools/test.js). FUZZ_PLAN_RUNS sets the number of
 * cases (default 1,000); `npm run bench:fuzz` runs 1,000 per cloud.
 */
const RUNS = Number(process.env.FUZZ_PLAN_RUNS ?? 1000);
// A fixed seed keeps CI deterministic; FUZZ_SEED explores others.
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const STACKS = ["aws-dev", "azure-dev", "gcp-dev"];

describe("generated valid models plan on every cloud (fast-check)", function () {
  this.timeout(600_000);
  it(`${RUNS} generated (model, cloud) cases plan or are refused with a ModelError`, async () => {
    const r = await planProperty(STACKS, RUNS, SEED);
    assert.equal(
      Object.values(r.byStack).reduce((n, c) => n + c.planned + c.refused, 0),
      RUNS,
    );
    for (const stack of STACKS) {
      const c = r.byStack[stack];
      assert.ok(c && c.planned > 0, `no generated model planned on ${stack} (${JSON.stringify(c)})`);
    }
    // Printed so the CI log shows the spread over clouds.
    console.log(
      `      ${Object.entries(r.byStack)
        .map(([s, c]) => `${s}: ${c.planned} planned, ${c.refused} refused`)
        .join("; ")}`,
    );
  });
});
