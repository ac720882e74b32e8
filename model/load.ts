import * as fs from "node:fs";
import * as path from "node:path";
import { ModelError, userError } from "./errors";
import type { Api } from "./types";
import { validate } from "./validate";

/**
 * Loads `file` (a module whose default export is `defineApi({...})`), validates and normalises it.
 * TypeScript model files need a TypeScript loader in the process (ts-node, which the tools and
 * Pulumi's nodejs runtime register). Throws ModelError for every user mistake.
 */
export function loadApi(file: string, cwd = process.cwd()): Api {
  const abs = path.resolve(cwd, file);
  if (!fs.existsSync(abs)) {
    throw userError(`model file "${file}" not found (looked for ${abs}). Pass --api <file> or create api.ts.`);
  }
  let mod: unknown;
  try {
    delete require.cache[require.resolve(abs)];
    mod = require(abs);
  } catch (e) {
    throw userError(`model file "${file}" failed to load: ${loadFailure(e)}`);
  }
  const exported = (mod as { default?: unknown })?.default ?? mod;
  if (exported === undefined || (typeof exported === "object" && exported !== null && Object.keys(exported).length === 0)) {
    throw userError(`model file "${file}" has no default export. End it with: export default defineApi({ ... });`);
  }
  return validate(exported, abs);
}

export { ModelError };

/**
 * The reason a model file failed to load, in one line: a syntax error from the TypeScript loader
 * (esbuild's `errors`, as `npm run dev` loads with esbuild-register) as `file:line:column: text`,
 * else the error's first line.
 */
function loadFailure(e: unknown): string {
  const first = (e as { errors?: { text?: string; location?: { file?: string; line?: number; column?: number } | null }[] })?.errors?.[0];
  if (first?.text) {
    const l = first.location;
    return l ? `${l.file}:${l.line}:${(l.column ?? 0) + 1}: ${first.text}` : first.text;
  }
  return e instanceof Error ? (e.message.split("\n")[0] as string) : String(e);
}
