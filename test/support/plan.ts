import { spawn } from "node:child_process";
import * as path from "node:path";
import type { PlanDocument } from "../../plan/run";

const ROOT = path.resolve(__dirname, "..", "..");
const cache = new Map<string, Promise<PlanResult>>();

export interface PlanResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run plan` (tools/plan.ts) in a child process — one plan per process, as Pulumi's runtime
 * state is global — and returns its exit code and output. Results are cached per argument list.
 */
export function runPlanCli(args: string[], opts: { fresh?: boolean } = {}): Promise<PlanResult> {
  const key = args.join("\u0000");
  const hit = cache.get(key);
  if (hit && !opts.fresh) return hit;
  const p = new Promise<PlanResult>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, "node_modules", "ts-node", "dist", "bin.js"), "--transpile-only", path.join(ROOT, "tools", "plan.ts"), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, FORCE_COLOR: "0" },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
  if (!opts.fresh) cache.set(key, p);
  return p;
}

/** The plan JSON of a stack (optionally of another model file); fails the test on a non-zero exit. */
export async function planJson(stack: string, api?: string): Promise<PlanDocument> {
  const r = await runPlanCli(["--stack", stack, "--json", ...(api ? ["--api", api] : [])]);
  if (r.code !== 0) throw new Error(`plan --stack ${stack} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as PlanDocument;
}
