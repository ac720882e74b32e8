import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as esbuild from "esbuild";
import { type Api, ModelError, type ModelIssue, userError } from "../model";
import type { CloudName } from "../providers/types";
import { type BundleOptions, bundle } from "./cache";
import { awsTarget } from "./targets/aws";
import { azureTarget } from "./targets/azure";
import { gcpTarget } from "./targets/gcp";
import type { Entry, Target } from "./types";

export const targets: Record<CloudName, Target> = { aws: awsTarget, azure: azureTarget, gcp: gcpTarget };

/** The Node.js version every cloud runs (Lambda nodejs22.x, Cloud Functions nodejs22, Azure node 22). */
export const NODE_TARGET = "node22";

export interface BuiltUnit {
  /** Function name (AWS, GCP) or app name (Azure). */
  name: string;
  /** Absolute folder holding exactly the files to deploy. */
  dir: string;
  /** sha256 over the folder's files (names and bytes), for content-addressed uploads. */
  hash: string;
  /** Total bytes of the folder. */
  bytes: number;
}

export interface BuildResult {
  cloud: CloudName;
  /** Absolute `<out>/<cloud>`. */
  dir: string;
  units: BuiltUnit[];
}

/**
 * Bundles every function of the model for one cloud into `<out>/<cloud>/`: one minified,
 * tree-shaken file per deployable unit plus the host's manifest files. The same sources give
 * byte-identical output. Throws ModelError when a handler cannot be bundled (missing export, syntax
 * error), naming the function, and a clear error when the cloud's target is not available.
 */
export async function build(api: Api, cloud: CloudName, out: string): Promise<BuildResult> {
  const target = targets[cloud];
  if (target.unavailable) throw userError(`cannot build for ${cloud}: ${target.unavailable}.`);
  const dir = path.resolve(out, cloud);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const runtimeDir = path.resolve(__dirname, "..", "runtime");
  const issues: ModelIssue[] = [];
  const entries = target.entries(api, runtimeDir);
  await Promise.all(
    entries.map(async (entry) => {
      try {
        const outfile = path.join(dir, entry.outFile);
        const code = await bundle(esbuildOptions(api, entry));
        fs.mkdirSync(path.dirname(outfile), { recursive: true });
        fs.writeFileSync(outfile, code);
      } catch (e) {
        const errors = (e as esbuild.BuildFailure).errors ?? [];
        const owner = Object.values(api.functions).find((f) => entry.source.includes(JSON.stringify(f.file)));
        const where = owner ? `functions.${owner.name}.handler` : entry.outFile;
        const text = errors.length ? errors.map((x) => x.text).join("; ") : String(e);
        issues.push({ path: where, message: `could not be bundled for ${cloud}: ${text}` });
      }
    }),
  );
  if (issues.length) throw new ModelError(issues, "Some handlers could not be bundled");
  for (const [file, content] of Object.entries(target.files(api))) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  const units = target.units(api).map((u) => {
    const abs = path.join(dir, u.dir);
    const { hash, bytes } = hashDir(abs);
    return { name: u.name, dir: abs, hash, bytes };
  });
  return { cloud, dir, units };
}

/** The esbuild options of one entry (also used by the tests as the uncached reference). */
export function esbuildOptions(api: Api, entry: Entry): BundleOptions {
  return {
    stdin: { contents: entry.source, resolveDir: path.dirname(api.modelFile), loader: "ts", sourcefile: "switchyard-entry.ts" },
    bundle: true,
    minify: true,
    treeShaking: true,
    platform: "node",
    target: NODE_TARGET,
    format: entry.format,
    external: entry.external ?? [],
    inject: entry.inject ?? [],
    legalComments: "none",
    charset: "utf8",
    logLevel: "silent",
    absWorkingDir: path.dirname(api.modelFile),
  };
}

/** sha256 of a folder's relative file names and contents, in sorted order. */
export function hashDir(dir: string): { hash: string; bytes: number } {
  const h = createHash("sha256");
  let bytes = 0;
  const walk = (d: string, rel: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const abs = path.join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      if (fs.statSync(abs).isDirectory()) walk(abs, r);
      else {
        const data = fs.readFileSync(abs);
        bytes += data.length;
        h.update(`${r}\u0000${data.length}\u0000`);
        h.update(data);
      }
    }
  };
  walk(dir, "");
  return { hash: h.digest("hex"), bytes };
}
