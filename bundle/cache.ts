import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as esbuild from "esbuild";

/**
 * An in-process cache of esbuild bundles, for processes that build the same entries many times:
 * the test suite, the plan fuzzer (bench/fuzz-plan.ts), a program planned for several stacks. A
 * bundle is reused only while every file esbuild read for it (the metafile's inputs) has the same
 * content and every folder of the project's own inputs lists the same names (a new file there could
 * change how an import resolves); otherwise it is built again. The output is the bytes esbuild
 * produced, so a cached build is byte-identical to a fresh one (test/bundle/cache.test.ts).
 */

interface Cached {
  code: Uint8Array;
  /** Absolute input file → sha256 of its content when it was bundled. */
  files: Map<string, string>;
  /** Absolute folder (outside node_modules) → its sorted entry names when it was bundled. */
  folders: Map<string, string>;
}

const cache = new Map<string, Cached>();
/** Bounded, oldest first out: a fuzzing process builds thousands of distinct entries. */
const MAX_ENTRIES = 200;

/** Options of a one-file bundle; `write` and `metafile` are set here. */
export type BundleOptions = Omit<esbuild.BuildOptions, "write" | "metafile">;

/** The bundle's bytes, built with esbuild or reused from an earlier identical build. */
export async function bundle(options: BundleOptions): Promise<Uint8Array> {
  const key = keyOf(options);
  const hit = lookup(key);
  if (hit) return hit;
  const result =
    contexts && options.stdin ? await rebuild(contexts, options) : await esbuild.build({ ...options, write: false, metafile: true });
  return remember(key, options, result);
}

/**
 * Runs `fn` with esbuild contexts kept between builds: a miss is then built by an incremental
 * context with the same options (its entry text served by a plugin), which keeps the parsed files
 * of earlier builds. An Azure app, which bundles @azure/functions, builds about 3× faster that way.
 * Contexts keep esbuild's process busy, so they live only while `fn` runs and are disposed after it.
 * For processes that build many models (the plan fuzzer); the output is the same bytes as a plain
 * build (test/bundle/cache.test.ts).
 */
export async function withBuildContexts<T>(fn: () => Promise<T>): Promise<T> {
  if (contexts) return fn();
  const own = new Map<string, Pool>();
  contexts = own;
  try {
    return await fn();
  } finally {
    contexts = undefined;
    await Promise.all(
      [...own.values()].flatMap((pool) =>
        pool.slots.map((s) =>
          s.ctx
            .then((c) => c.dispose())
            .then(() => bundleStats.openContexts--)
            .catch(() => undefined),
        ),
      ),
    );
  }
}

interface Slot {
  ctx: Promise<esbuild.BuildContext<{ write: false; metafile: true }>>;
  /** The entry text the plugin serves for the build in progress. */
  contents: string;
  busy: boolean;
}
interface Pool {
  slots: Slot[];
  waiting: (() => void)[];
}
/** Builds at once per set of options: esbuild uses every core for one build, but entries of a model come in parallel. */
const SLOTS_PER_POOL = 2;
let contexts: Map<string, Pool> | undefined;

async function rebuild(pools: Map<string, Pool>, options: BundleOptions): Promise<esbuild.BuildResult & { metafile: esbuild.Metafile }> {
  const { stdin, ...rest } = options as BundleOptions & { stdin: esbuild.StdinOptions };
  const key = keyOf({ ...options, stdin: { ...stdin, contents: "" } });
  let pool = pools.get(key);
  if (!pool) {
    pool = { slots: [], waiting: [] };
    pools.set(key, pool);
  }
  let slot = pool.slots.find((s) => !s.busy);
  if (!slot && pool.slots.length < SLOTS_PER_POOL) {
    const created: Slot = { contents: "", busy: false, ctx: undefined as never };
    created.ctx = esbuild.context({
      ...rest,
      entryPoints: ["switchyard-entry"],
      write: false,
      metafile: true,
      plugins: [
        {
          name: "switchyard-entry",
          setup(b: esbuild.PluginBuild) {
            b.onResolve({ filter: /^switchyard-entry$/ }, () => ({ path: stdin.sourcefile ?? "entry", namespace: "switchyard-entry" }));
            b.onLoad({ filter: /.*/, namespace: "switchyard-entry" }, () => ({
              contents: created.contents,
              loader: stdin.loader ?? "ts",
              resolveDir: stdin.resolveDir,
            }));
          },
        },
      ],
    });
    bundleStats.openContexts++;
    pool.slots.push(created);
    slot = created;
  }
  while (!slot) {
    await new Promise<void>((resolve) => (pool as Pool).waiting.push(resolve));
    slot = pool.slots.find((s) => !s.busy);
  }
  slot.busy = true;
  slot.contents = stdin.contents as string;
  try {
    return await (await slot.ctx).rebuild();
  } finally {
    slot.busy = false;
    pool.waiting.shift()?.();
  }
}

/** Same as `bundle`, synchronously (esbuild's `buildSync`). */
export function bundleSync(options: BundleOptions): Uint8Array {
  const key = keyOf(options);
  const hit = lookup(key);
  if (hit) return hit;
  const result = esbuild.buildSync({ ...options, write: false, metafile: true });
  return remember(key, options, result);
}

/** How many bundles were built and reused since the process started, and the esbuild contexts open now (for tests). */
export const bundleStats = { built: 0, reused: 0, openContexts: 0 };

function keyOf(options: BundleOptions): string {
  return createHash("sha256").update(JSON.stringify(options)).digest("hex");
}

function lookup(key: string): Uint8Array | undefined {
  const hit = cache.get(key);
  if (!hit) return undefined;
  for (const [file, sha] of hit.files) {
    if (sha256Of(file) !== sha) return forget(key);
  }
  for (const [folder, names] of hit.folders) {
    if (namesOf(folder) !== names) return forget(key);
  }
  bundleStats.reused++;
  return hit.code;
}

function forget(key: string): undefined {
  cache.delete(key);
  return undefined;
}

function remember(key: string, options: BundleOptions, result: esbuild.BuildResult & { metafile: esbuild.Metafile }): Uint8Array {
  bundleStats.built++;
  const code = result.outputFiles?.[0]?.contents;
  if (!code || result.outputFiles?.length !== 1) throw new Error("switchyard bundle: expected exactly one output file");
  const base = options.absWorkingDir ?? process.cwd();
  const files = new Map<string, string>();
  const folders = new Map<string, string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    // Plugin namespaces ("ns:path") and the stdin entry are not files; the entry's text is in the key.
    if (input === (options.stdin ? (options.stdin.sourcefile ?? "<stdin>") : undefined) || /^[a-z-]+:/i.test(input)) continue;
    const file = path.resolve(base, input);
    const sha = sha256Of(file);
    // An input that cannot be read again cannot be checked: do not cache this bundle.
    if (sha === undefined) return code;
    files.set(file, sha);
    const folder = path.dirname(file);
    if (!folder.split(path.sep).includes("node_modules") && !folders.has(folder)) folders.set(folder, namesOf(folder));
  }
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, { code, files, folders });
  return code;
}

function sha256Of(file: string): string | undefined {
  try {
    return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
  } catch {
    return undefined;
  }
}

function namesOf(folder: string): string {
  try {
    return fs.readdirSync(folder).sort().join("\u0000");
  } catch {
    return "";
  }
}
