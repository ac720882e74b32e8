import type { FunctionSpec } from "../../model";

/** `import { list as userHandler } from "<file>"` (or the default export). */
export function importHandler(f: FunctionSpec, as: string): string {
  const what = f.export === "default" ? `default as ${as}` : `${f.export} as ${as}`;
  return `import { ${what} } from ${JSON.stringify(f.file)};`;
}
