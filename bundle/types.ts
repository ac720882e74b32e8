import type { Api } from "../model";
import type { CloudName } from "../providers/types";

/** One esbuild entry: generated source and where its single output file goes. */
export interface Entry {
  /** Output file, relative to `<out>/<cloud>/`. */
  outFile: string;
  /** Generated entry module source (imports the handler and wraps it with the cloud's adapter). */
  source: string;
  format: "esm" | "cjs";
  /** Modules the host provides at run time and must not be bundled. */
  external?: string[];
  /** esbuild `inject` files: globals in the handler's code replaced by these modules' exports (runtime/light-inject.ts). */
  inject?: string[];
}

/** How one cloud's deployable files are made. */
export interface Target {
  cloud: CloudName;
  /** Undefined when available; otherwise why not (shown to the user). */
  unavailable?: string;
  entries(api: Api, runtimeDir: string): Entry[];
  /** Extra manifest files (package.json, host.json), relative to `<out>/<cloud>/`. */
  files(api: Api): Record<string, string>;
  /** Deployable units: folder (relative to `<out>/<cloud>/`) per function or app. */
  units(api: Api): { name: string; dir: string }[];
}
