/**
 * Goal 3 (bundles): each example function's deployable size and import time per cloud (every
 * target in bundle/index.ts; unavailable targets are reported as such), against a Hono handler
 * bundle, Express + serverless-express bundled, and the naive deployment (handler + node_modules,
 * zipped). Import time: fresh pinned process, the entry loaded as its host loads it (`loadMode`),
 * timed with performance.now(), median.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { build, targets } from "../bundle";
import type { CloudName } from "../providers/types";
import { buildExpress, buildHono, buildNative, exampleApi, runtimeClosure, writeExpressUnbundled } from "./builds";
import { cli, type Figure, fmt, type Goal, median, NODE, OUT, pinned, ROOT, type Section } from "./lib";

const SAMPLES = 10;
const DIR = path.join(OUT, "bundles");
const LIMIT = 10 * 1024;

// The first dynamic import() of a process also sets up the module loader; do that before timing.
const PROBE = `import { createRequire } from "node:module";
await import("node:path");
const require = createRequire(import.meta.url);
const [file, mode] = process.argv.slice(2);
const t0 = performance.now();
if (mode === "require") require(file);
else await import(file);
process.stdout.write(JSON.stringify({ importMs: performance.now() - t0 }));
`;

/**
 * How the entry's host loads it, so that import time is what a cold start pays: `import()` for an
 * ES module (`.mjs`, or `.js` under a package.json with `"type": "module"`), `require()` for
 * CommonJS. All three hosts apply that rule:
 * - Lambda's Node.js runtime (aws/aws-lambda-nodejs-runtime-interface-client, src/UserFunction.js:
 *   `_tryAwaitImport` for `.mjs` and type-module `.js`, else `_tryRequireFile`);
 * - the Functions Framework (node_modules/@google-cloud/functions-framework/build/src/loader.js:
 *   `dynamicImport` when `isEsModule`, else `require(functionModulePath)`);
 * - the Azure Functions Node.js worker (Azure/azure-functions-nodejs-worker, src/loadScriptFile.ts:
 *   `import()` when `isESModule`, else `require(filePath)`).
 * An `import()` of a CommonJS file would add the ESM loader's CommonJS export scan (cjs-module-lexer)
 * that no host pays: about 55 ms on the 81 KB Azure app here.
 */
export function loadMode(file: string): "import" | "require" {
  if (file.endsWith(".mjs")) return "import";
  if (file.endsWith(".cjs")) return "require";
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) return (JSON.parse(fs.readFileSync(pkg, "utf8")) as { type?: string }).type === "module" ? "import" : "require";
    if (path.dirname(dir) === dir) return "require";
  }
}

function importOnce(file: string): Promise<number> {
  const [cmd, args] = pinned(1, NODE, [path.join(DIR, "probe.mjs"), file, loadMode(file)]);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], cwd: path.dirname(file) });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve((JSON.parse(out) as { importMs: number }).importMs) : reject(new Error(`${file}: ${err}`)),
    );
  });
}

/** Size of a file deflated at level 9, as a zip stores it (headers not counted). */
function deflated(file: string): number {
  return zlib.deflateRawSync(fs.readFileSync(file), { level: 9 }).length;
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? dirBytes(p) : fs.statSync(p).size;
  }
  return n;
}

/** The module a unit's host loads: package.json "main", else index.mjs / index.js. */
function entryOf(unitDir: string): string | undefined {
  const pkg = path.join(unitDir, "package.json");
  if (fs.existsSync(pkg)) {
    const main = (JSON.parse(fs.readFileSync(pkg, "utf8")) as { main?: string }).main;
    if (main && fs.existsSync(path.join(unitDir, main))) return path.join(unitDir, main);
  }
  return ["index.mjs", "index.js", "index.cjs"].map((f) => path.join(unitDir, f)).find((f) => fs.existsSync(f));
}

/** Zipped size of the naive Express deployment: `zip -9` when installed, else deflate per file (+ zip headers). */
function zipNaive(handlerFile: string, packages: string[]): { bytes: number; raw: number; method: string } {
  const stage = path.join(DIR, "naive-stage");
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(path.join(stage, "node_modules"), { recursive: true });
  fs.copyFileSync(handlerFile, path.join(stage, "index.js"));
  for (const p of packages) {
    fs.mkdirSync(path.dirname(path.join(stage, "node_modules", p)), { recursive: true });
    fs.cpSync(path.join(ROOT, "node_modules", p), path.join(stage, "node_modules", p), { recursive: true, dereference: true });
  }
  const raw = dirBytes(stage);
  const zipFile = path.join(DIR, "naive.zip");
  fs.rmSync(zipFile, { force: true });
  const r = spawnSync("zip", ["-r", "-9", "-q", zipFile, "."], { cwd: stage });
  if (r.status === 0)
    return { bytes: fs.statSync(zipFile).size, raw, method: "`zip -r -9` of the folder (handler + node_modules closure)" };
  let bytes = 22; // end-of-central-directory record
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const name = `${rel}${e.name}`;
      if (e.isDirectory()) walk(p, `${name}/`);
      else bytes += zlib.deflateRawSync(fs.readFileSync(p), { level: 9 }).length + 30 + 46 + 2 * Buffer.byteLength(name);
    }
  };
  walk(stage, "");
  return { bytes, raw, method: "zip CLI not found: zlib deflate (level 9) of each file + zip local/central headers" };
}

export async function main(): Promise<Section> {
  fs.rmSync(DIR, { recursive: true, force: true });
  fs.mkdirSync(DIR, { recursive: true });
  fs.writeFileSync(path.join(DIR, "probe.mjs"), PROBE);
  const api = exampleApi();
  const notes: string[] = [];
  const goals: Goal[] = [];
  // [label, size bytes, entry to import (undefined: not importable), note]
  const rows: { label: string; bytes: number; entry?: string; note: string; dependencyFree?: boolean }[] = [];
  for (const cloud of Object.keys(targets) as CloudName[]) {
    const t = targets[cloud];
    if (t.unavailable) {
      notes.push(`${cloud}: target unavailable — ${t.unavailable}.`);
      goals.push({ goal: `${cloud}: each example function ≤ 10 KB`, met: null, detail: `target unavailable (${t.unavailable})` });
      continue;
    }
    const res = await build(api, cloud, DIR);
    for (const u of res.units) {
      const entry = entryOf(u.dir);
      rows.push({
        label: `${cloud} ${u.name}`,
        bytes: u.bytes,
        ...(entry ? { entry } : {}),
        note: `build(api, "${cloud}"): ${path.relative(DIR, u.dir)}/ (all deployed files)`,
        dependencyFree: true,
      });
    }
    const sizes = res.units.map((u) => u.bytes);
    goals.push({
      goal: `${cloud}: each dependency-free example function ≤ 10 KB (as built today)`,
      met: sizes.every((b) => b <= LIMIT),
      detail: `largest ${fmt(Math.max(...sizes) / 1024)} KB over ${res.units.length} units`,
    });
  }
  const native = await buildNative(path.join(DIR, "native"));
  rows.push({ label: "native handler", bytes: fs.statSync(native).size, entry: native, note: "no Request/Response, no dependency" });
  const hono = await buildHono(path.join(DIR, "hono"));
  rows.push({ label: "hono/aws-lambda bundle", bytes: fs.statSync(hono).size, entry: hono, note: "anchor: esbuild, minified" });
  const exp = await buildExpress(path.join(DIR, "express"));
  rows.push({
    label: "Express 4 + serverless-express bundle",
    bytes: fs.statSync(exp).size,
    entry: exp,
    note: "anchor: esbuild, minified, CommonJS",
  });
  const naiveHandler = writeExpressUnbundled(path.join(DIR, "naive"));
  const closure = runtimeClosure(["express", "@codegenie/serverless-express"]);
  const zip = zipNaive(naiveHandler, closure);
  rows.push({
    label: "Express 4 + serverless-express, naive zip",
    bytes: zip.bytes,
    entry: naiveHandler,
    note: `anchor: ${closure.length} packages, ${fmt(zip.raw / 1024)} KB unzipped; loaded from node_modules`,
  });
  notes.push(
    `Naive zip method: ${zip.method}. Packages: the runtime dependency closure of express and @codegenie/serverless-express in node_modules.`,
  );

  // Import times: SAMPLES fresh processes per entry, interleaved.
  const times = new Map<string, number[]>(rows.map((r) => [r.label, []]));
  for (const r of rows) if (r.entry) await importOnce(r.entry); // file cache warm
  for (let i = 0; i < SAMPLES; i++) {
    for (const r of rows) if (r.entry) times.get(r.label)?.push(await importOnce(r.entry));
  }
  const figures: Figure[] = [];
  for (const r of rows) {
    figures.push({
      name: `${r.label}: size`,
      unit: "bytes",
      rounds: [r.bytes],
      ...(r.label !== "hono/aws-lambda bundle" ? { anchor: "hono/aws-lambda bundle: size" } : {}),
      note: `${r.note}${r.entry && !r.label.endsWith("naive zip") ? `; ${fmt(deflated(r.entry) / 1024)} KB deflated (the upload is a zip)` : ""}`,
    });
  }
  for (const r of rows) {
    const ts = times.get(r.label) ?? [];
    if (!ts.length) continue;
    figures.push({
      name: `${r.label}: import`,
      unit: "ms",
      rounds: ts,
      ...(r.label !== "hono/aws-lambda bundle" ? { anchor: "hono/aws-lambda bundle: import" } : {}),
      note: `median of ${ts.length} fresh processes, loaded with ${r.entry ? loadMode(r.entry) : "?"}()`,
    });
  }
  const expressZip = rows.find((r) => r.label.endsWith("naive zip"))?.bytes ?? Number.NaN;
  notes.push(
    `The example functions' bundles are ${fmt(median(rows.filter((r) => r.dependencyFree).map((r) => r.bytes)))} B (median) against ${fmt(expressZip / 1024)} KB for the naive Express zip.`,
  );
  return {
    title: "Bundles: size and import time per cloud (goal 3)",
    commands: [
      `build(api, cloud, "bench/out/bundles") for each target in bundle/index.ts; anchors bundled by esbuild with the same options (bench/builds.ts)`,
      `import time: \`taskset -c 1 node probe.mjs <entry> import|require\`: the probe loads the entry as its host does (import() for an ES module, require() for CommonJS: loadMode) and times it with performance.now(); ${SAMPLES} processes per entry, interleaved, after one warm-up run`,
    ],
    notes,
    figures,
    goals,
  };
}

cli(module, main);
