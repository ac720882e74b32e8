import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { ModelError } from "../../model";
import { runPlan } from "../../plan/run";
import { validModel } from "../support/arbitraries";

/**
 * Generated valid models plan on every cloud without throwing (issue #10): each plan either declares
 * resources or stops with a ModelError from the cloud's capability check, never another exception.
 * Plans run in this process one after another (each is a full run of the program under mocks), so
 * the count is small in CI; FUZZ_PLAN_RUNS raises it.
 */
const RUNS = Number(process.env.FUZZ_PLAN_RUNS ?? 6);
const ROOT = path.resolve(__dirname, "..", "..");

describe("generated valid models plan on every cloud (fast-check)", function () {
  this.timeout(300_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-fuzz-plan-"));
  fs.mkdirSync(path.join(dir, "functions"));
  fs.writeFileSync(path.join(dir, "functions", "hello.ts"), "export const hello = () => Response.json({ hello: 'world' });\n");
  let n = 0;

  for (const stack of ["aws-dev", "azure-dev", "gcp-dev"]) {
    it(`${stack}: ${RUNS} generated models plan or are refused with a ModelError`, async () => {
      const outcomes: string[] = [];
      await fc.assert(
        fc.asyncProperty(validModel, async (model) => {
          const file = path.join(dir, `model-${n++}.json`);
          fs.writeFileSync(file, JSON.stringify(model));
          try {
            // Built outside the project's .build/, which other tests read (the example's bundles).
            const plan = await runPlan({ projectDir: ROOT, stack, apiFile: file, buildDir: path.join(dir, "build") });
            assert.ok(plan.resources.length > 0);
            const components = plan.resources.filter((r) => r.type.startsWith("switchyard:"));
            assert.equal(components.length, 1, "one switchyard component");
            outcomes.push("planned");
          } catch (e) {
            if (!(e instanceof ModelError)) throw e;
            outcomes.push("refused");
          }
        }),
        // A fixed seed keeps CI deterministic; FUZZ_SEED explores others.
        { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261127) },
      );
      assert.equal(outcomes.length, RUNS);
      assert.ok(outcomes.includes("planned"), `no generated model planned on ${stack}: ${outcomes.join(", ")}`);
    });
  }
});
