import { createRequire } from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";
import * as esbuild from "esbuild";

const RUNTIME_DIR = path.resolve(__dirname, "..", "runtime");
/** The inject file the cloud bundles use (bundle/targets/gcp.ts): `Response` → `LightResponse`, etc. */
const INJECT = path.join(RUNTIME_DIR, "light-inject.ts");
const WRAPPER_PARAMS = ["exports", "require", "module", "__filename", "__dirname"];

/** One load of a function file: its compiled code (to tell versions apart) and its exports. */
export interface LoadedModule {
  code: string;
  exports: Record<string, unknown>;
}

/** Compiles a function file as the cloud bundles see it, without running it. */
export function compileModule(file: string): string {
  const out = esbuild.buildSync({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: "cjs",
    platform: "node",
    target: "node22",
    // npm packages stay `require`d from the function's folder, as they are without the gateway.
    packages: "external",
    // The same stand-ins as the cloud bundles (runtime/light-inject.ts): a handler's `Response` and
    // `Response.json` build the cheap `LightResponse`, its `Request` / `fetch` the lazy shims.
    inject: [INJECT],
    // The runtime stays one shared module (`require`d, not copied in), so a `LightResponse` made by
    // the handler is the gateway's own class.
    external: [path.join(RUNTIME_DIR, "*")],
    // Paths of those externals are written relative to the output file: put it beside the source.
    outfile: path.join(path.dirname(file), "__switchyard_local__.js"),
    sourcemap: "inline",
    sourcesContent: false,
    logLevel: "silent",
  });
  return (out.outputFiles[0] as esbuild.OutputFile).text;
}

/** Runs compiled code as a CommonJS module at `file` (its requires resolve from the file's folder). */
export function runModule(file: string, code: string): LoadedModule {
  const fn = vm.compileFunction(code, WRAPPER_PARAMS, { filename: file }) as (...args: unknown[]) => void;
  const mod = { exports: {} as Record<string, unknown> };
  fn.call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  return { code, exports: mod.exports };
}

/**
 * Loads a function file for the local gateway the way the cloud bundles build it (esbuild, with the
 * light `Response` inject), fresh on each call: a reload sees the file's new code without touching
 * `require.cache`, and an older load keeps running its own code (the canary's stable version).
 */
export function loadModule(file: string): LoadedModule {
  return runModule(file, compileModule(file));
}
