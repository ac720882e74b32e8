import { parseArgs } from "node:util";
import { ModelError, userError } from "../model";

/** Parses flags strictly: an unknown or malformed flag is a user error naming it. */
export function flags<T extends Record<string, { type: "string" | "boolean"; default?: string | boolean }>>(
  spec: T,
  usage: string,
  argv = process.argv.slice(2),
): { [K in keyof T]: T[K]["type"] extends "boolean" ? boolean : string | undefined } {
  try {
    const { values } = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false });
    return values as never;
  } catch (e) {
    throw userError(`${(e as Error).message}\nusage: ${usage}`);
  }
}

/**
 * Runs a tool's main: exit 0 on success, 1 with the message for a user error (ModelError), 2 with a
 * short report for anything else (an internal failure).
 */
export function main(fn: () => Promise<void>): void {
  fn().then(
    // Exit once stdout has drained: a large plan written to a pipe is flushed asynchronously, and an
    // immediate process.exit cut `--json` output at ~200 KB (300 routes) for `npm run plan | jq`.
    () => process.stdout.write("", () => process.exit(0)),
    (e) => {
      if (e instanceof ModelError) {
        process.stderr.write(`error: ${e.message}\n`);
        process.exit(1);
      }
      process.stderr.write(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      // The offline plan formats stacks without source maps or frames while it runs (plan/run.ts).
      if (!process.env.SWITCHYARD_PLAN_STACKS)
        process.stderr.write("(for full stack traces of a plan, rerun with SWITCHYARD_PLAN_STACKS=1)\n");
      process.exit(2);
    },
  );
}
