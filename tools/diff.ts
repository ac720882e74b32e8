import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { userError } from "../model";
import { asPlanDocument, diffPlans, type PlanPair, renderMarkdown } from "../plan/diff";
import type { PlanDocument } from "../plan/run";
import { main } from "./cli";

const USAGE = "npm run diff -- <base.json|base-dir> <head.json|head-dir> [--json|--markdown]";

/** Reads one plan JSON file; a missing or malformed file is a user error naming it. */
export function readPlan(file: string): PlanDocument {
  let raw: string;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch {
    throw userError(`${file}: cannot read it. Pass a plan made with \`npm run plan -- --stack <name> --json > ${path.basename(file)}\`.`);
  }
  try {
    return asPlanDocument(JSON.parse(raw), file);
  } catch (e) {
    throw userError(e instanceof SyntaxError ? `${file}: not valid JSON (${e.message}).` : (e as Error).message);
  }
}

/**
 * Plans in a directory, by stack name: every `<stack>.json`, and `<stack>.error` (the error output
 * of a plan that failed, as the api-diff workflow saves it).
 */
function readDir(dir: string): { plans: Map<string, PlanDocument>; errors: Map<string, string> } {
  const plans = new Map<string, PlanDocument>();
  const errors = new Map<string, string>();
  for (const f of fs.readdirSync(dir).sort()) {
    if (f.endsWith(".json")) {
      const plan = readPlan(path.join(dir, f));
      plans.set(plan.stack, plan);
    } else if (f.endsWith(".error")) errors.set(f.slice(0, -".error".length), fs.readFileSync(path.join(dir, f), "utf8"));
  }
  return { plans, errors };
}

/** Pairs base and head plans: two files, or two directories of `<stack>.json` matched by stack. */
export function pairPlans(base: string, head: string): PlanPair[] {
  const isDir = (p: string) => fs.existsSync(p) && fs.statSync(p).isDirectory();
  if (isDir(base) !== isDir(head)) throw userError(`pass two plan files or two directories of plans.\nusage: ${USAGE}`);
  if (!isDir(base)) {
    const a = readPlan(base);
    const b = readPlan(head);
    if (a.stack !== b.stack)
      throw userError(`${base} is stack "${a.stack}" but ${head} is stack "${b.stack}". Compare plans of the same stack.`);
    return [{ stack: b.stack, base: a, head: b }];
  }
  const a = readDir(base);
  const b = readDir(head);
  const stacks = [...new Set([...a.plans.keys(), ...a.errors.keys(), ...b.plans.keys(), ...b.errors.keys()])].sort();
  if (!stacks.length) throw userError(`no plan files (*.json) in ${base} or ${head}.`);
  return stacks.map((stack) => {
    const baseError = a.errors.get(stack);
    const headError = b.errors.get(stack);
    return {
      stack,
      base: a.plans.get(stack) ?? null,
      head: b.plans.get(stack) ?? null,
      ...(baseError !== undefined ? { baseError } : {}),
      ...(headError !== undefined ? { headError } : {}),
    };
  });
}

if (require.main === module) {
  main(async () => {
    let values: { json?: boolean; markdown?: boolean };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        options: { json: { type: "boolean" }, markdown: { type: "boolean" } },
        allowPositionals: true,
        strict: true,
      }));
    } catch (e) {
      throw userError(`${(e as Error).message}\nusage: ${USAGE}`);
    }
    if (positionals.length !== 2) throw userError(`expected a base and a head plan.\nusage: ${USAGE}`);
    if (values.json && values.markdown) throw userError(`pick one of --json and --markdown.\nusage: ${USAGE}`);
    const diff = diffPlans(pairPlans(positionals[0]!, positionals[1]!));
    process.stdout.write(values.json ? `${JSON.stringify(diff, null, 2)}\n` : renderMarkdown(diff));
  });
}
