import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { withBuildContexts } from "../../bundle/cache";
import { ModelError } from "../../model";
import { runPlan } from "../../plan/run";
import { validModel } from "./arbitraries";

const ROOT = path.resolve(__dirname, "..", "..");

export interface PlanPropertyResult {
  /** Wall time of each case's plan, in ms. */
  times: number[];
  /** Cases per stack: how many planned and how many were refused. */
  byStack: Record<string, { planned: number; refused: number }>;
  /** Per stack, why cases were refused: each problem of the ModelError, names and numbers generalised, with its count. */
  reasons: Record<string, Map<string, number>>;
}

/** One refusal's problems, with the model's own names and numbers generalised so that alike ones count together. */
export function refusalReasons(e: ModelError): string[] {
  const lines = e.message.split("\n").filter((l) => l.startsWith("  - "));
  return (lines.length ? lines : [e.message]).map((l) =>
    l
      .replace(/^ {2}- /, "")
      .replace(/\[".*?"\]/g, "[…]")
      .replace(/^functions\.[a-z0-9]+/, "functions.<name>")
      .replace(/"[^"]*"/g, '"…"')
      .replace(/"…"(, "…")+/g, '"…"')
      .replace(/\d+(\.\d+)?/g, "N")
      .slice(0, 140),
  );
}

/**
 * The property "generated valid models plan on every cloud without throwing" (issue #10): each case
 * is a generated model and one of `stacks` (drawn by fast-check with the model, so one run covers
 * every cloud), planned in this process (the real program under Pulumi's mocks). It either declares
 * resources under exactly one switchyard component or is refused with a ModelError by that cloud's
 * capability check or limits, never another exception. fast-check shrinks and reports a
 * counterexample when a case fails. Used by test/model/fuzz-plan.test.ts and, with one stack at a
 * time and more cases, by bench/fuzz-plan.ts.
 */
export async function planProperty(stacks: string[], runs: number, seed: number): Promise<PlanPropertyResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-fuzz-plan-"));
  fs.mkdirSync(path.join(dir, "functions"));
  fs.writeFileSync(path.join(dir, "functions", "hello.ts"), "export const hello = () => Response.json({ hello: 'world' });\n");
  const result: PlanPropertyResult = {
    times: [],
    byStack: Object.fromEntries(stacks.map((s) => [s, { planned: 0, refused: 0 }])),
    reasons: Object.fromEntries(stacks.map((s) => [s, new Map<string, number>()])),
  };
  let n = 0;
  try {
    // Incremental esbuild contexts across cases: every generated model is a new entry (bundle/cache.ts).
    await withBuildContexts(() =>
      fc.assert(
        fc.asyncProperty(validModel, fc.constantFrom(...stacks), async (model, stack) => {
          const file = path.join(dir, `model-${n++}.json`);
          fs.writeFileSync(file, JSON.stringify(model));
          const started = performance.now();
          const counts = result.byStack[stack] as { planned: number; refused: number };
          try {
            // Built outside the project's .build/, which other tests read (the example's bundles).
            const plan = await runPlan({ projectDir: ROOT, stack, apiFile: file, buildDir: path.join(dir, "build") });
            assert.ok(plan.resources.length > 0);
            const components = plan.resources.filter((r) => r.type.startsWith("switchyard:"));
            assert.equal(components.length, 1, "one switchyard component");
            counts.planned++;
          } catch (e) {
            if (!(e instanceof ModelError)) throw e;
            counts.refused++;
            const reasons = result.reasons[stack] as Map<string, number>;
            for (const r of refusalReasons(e)) reasons.set(r, (reasons.get(r) ?? 0) + 1);
          } finally {
            result.times.push(performance.now() - started);
            fs.rmSync(file, { force: true });
          }
        }),
        { numRuns: runs, seed },
      ),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return result;
}
