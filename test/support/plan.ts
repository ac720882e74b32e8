import type { PlanDocument } from "../../plan/run";
import { type CliResult, runTool } from "./cli";

const cache = new Map<string, Promise<PlanResult>>();

export type PlanResult = CliResult;

/**
 * Runs `npm run plan` (tools/plan.ts) in a child process — one plan per process, as Pulumi's runtime
 * state is global — and returns its exit code and output. Results are cached per argument list.
 */
export function runPlanCli(args: string[], opts: { fresh?: boolean } = {}): Promise<PlanResult> {
  const key = args.join("\u0000");
  const hit = cache.get(key);
  if (hit && !opts.fresh) return hit;
  const p = runTool("tools/plan.ts", args);
  if (!opts.fresh) cache.set(key, p);
  return p;
}

/** The plan JSON of a stack (optionally of another model file); fails the test on a non-zero exit. */
export async function planJson(stack: string, api?: string): Promise<PlanDocument> {
  const r = await runPlanCli(["--stack", stack, "--json", ...(api ? ["--api", api] : [])]);
  if (r.code !== 0) throw new Error(`plan --stack ${stack} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as PlanDocument;
}
