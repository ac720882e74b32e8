import { spawn } from "node:child_process";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript tool (`tools/plan.ts`, …) with ts-node in a child process, capturing its output. */
export function runTool(script: string, args: string[]): Promise<CliResult> {
  return runNode([path.join(ROOT, "node_modules", "ts-node", "dist", "bin.js"), "--transpile-only", path.join(ROOT, script), ...args]);
}

/** Runs node with `argv` from the project root, colours off, capturing its output. */
export function runNode(argv: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, env: { ...process.env, FORCE_COLOR: "0" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
