import * as assert from "node:assert/strict";
import { planProperty } from "../support/plan-property";

/**
 * Generated valid models plan on every cloud without throwing (issue #10): each plan either declares
 * resources or stops with a ModelError from the cloud's capability check, never another exception.
 * Each case is a full run of the program under mocks in this process (about 80 ms on a quiet machine,
 * mostly @pulumi/pulumi's own promise bookkeeping), so CI runs FUZZ_PLAN_RUNS (default 60) per cloud
 * and `npm run bench:fuzz` runs 1,000.
 */
const RUNS = Number(process.env.FUZZ_PLAN_RUNS ?? 60);
// A fixed seed keeps CI deterministic; FUZZ_SEED explores others.
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);

describe("generated valid models plan on every cloud (fast-check)", function () {
  this.timeout(300_000);
  for (const stack of ["aws-dev", "azure-dev", "gcp-dev"]) {
    it(`${stack}: ${RUNS} generated models plan or are refused with a ModelError`, async () => {
      const r = await planProperty(stack, RUNS, SEED);
      assert.equal(r.planned + r.refused, RUNS);
      assert.ok(r.planned > 0, `no generated model planned on ${stack} (${r.refused} refused)`);
    });
  }
});
