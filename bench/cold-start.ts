/**
 * Goal 2 (cold start): a fresh `node` process imports a built bundle and answers one API Gateway
 * 2.0 event (GET /books/1); median of 20 processes per variant, variants interleaved, each process
 * pinned to one core. Measured inside the process from just before `import()` to the answer
 * (`performance.now()`), and the whole process wall time from the parent.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { build } from "../bundle";
import { V2_EVENT } from "./adapters";
import { buildHono, buildLazyAws, buildNative, exampleApi } from "./builds";
import { canPin, cli, type Figure, figureValue, fmt, median, NODE, OUT, pinned, type Section } from "./lib";

const SAMPLES = 20;
const DIR = path.join(OUT, "cold-start");

const PROBE = `import { readFileSync } from "node:fs";
const event = JSON.parse(readFileSync(process.argv[3], "utf8"));
const t0 = performance.now();
const m = await import(process.argv[2]);
const t1 = performance.now();
const handler = m.handler ?? m.default?.handler;
const r = await handler(event, { awsRequestId: "cold" });
const t2 = performance.now();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, answerMs: t2 - t1, totalMs: t2 - t0, sinceStartMs: t2, status: r.statusCode, body: r.body }));
`;

interface Sample {
  importMs: number;
  answerMs: number;
  totalMs: number;
  sinceStartMs: number;
  wallMs: number;
  status: number;
  body: string;
}

function runProbe(bundle: string, eventFile: string, core: number): Promise<Sample> {
  const [cmd, args] = pinned(core, NODE, [path.join(DIR, "probe.mjs"), bundle, eventFile]);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) reject(new Error(`probe of ${bundle} exited ${code}: ${err}`));
      else resolve({ ...(JSON.parse(out) as Omit<Sample, "wallMs">), wallMs });
    });
  });
}

export async function main(): Promise<Section> {
  fs.rmSync(DIR, { recursive: true, force: true });
  fs.mkdirSync(DIR, { recursive: true });
  fs.writeFileSync(path.join(DIR, "probe.mjs"), PROBE);
  const eventFile = path.join(DIR, "event.json");
  fs.writeFileSync(eventFile, JSON.stringify(V2_EVENT));
  const api = exampleApi();
  const before = await build(api, "aws", path.join(DIR, "switchyard"));
  const getBook = before.units.find((u) => u.name === "getBook");
  if (!getBook) throw new Error("the example has no getBook function");
  const lazy = await buildLazyAws(api, path.join(DIR, "lazy"), false);
  const variants: [string, string, string][] = [
    ["native", await buildNative(path.join(DIR, "native")), "no Request/Response (anchor)"],
    ["native + one new Response()", await buildNative(path.join(DIR, "native-touch"), true), "the fetch-implementation tax alone"],
    [
      "switchyard aws bundle (shipped)",
      path.join(getBook.dir, "index.mjs"),
      "build(api, 'aws'): runtime/aws-lambda.ts + light-inject.ts, nothing touches the fetch globals",
    ],
    [
      "lazy adapter, handler's Response kept",
      lazy.getBook as string,
      "runtime/aws-lambda.ts without the inject; Response.json loads fetch",
    ],
    ["hono/aws-lambda", await buildHono(path.join(DIR, "hono")), "Hono bundle (esbuild)"],
  ];
  // The measured process runs on core 1; this driver only waits.
  const core = 1;
  const samples = new Map<string, Sample[]>(variants.map(([n]) => [n, []]));
  for (const [name, file] of variants) {
    const s = await runProbe(file, eventFile, core); // warm the file cache; checks the answer
    if (s.status !== 200 || !s.body.includes("Pragmatic")) throw new Error(`${name} answered ${s.status} ${s.body}`);
  }
  for (let i = 0; i < SAMPLES; i++) {
    for (const [name, file] of variants) samples.get(name)?.push(await runProbe(file, eventFile, core));
  }
  const figures: Figure[] = [];
  for (const [name, , note] of variants) {
    const ss = samples.get(name) ?? [];
    figures.push({
      name: `${name}: import + first answer`,
      unit: "ms",
      rounds: ss.map((s) => s.totalMs),
      ...(name !== "native" ? { anchor: "native: import + first answer" } : {}),
      note: `${note}; median import ${fmt(median(ss.map((s) => s.importMs)))} ms, answer ${fmt(median(ss.map((s) => s.answerMs)))} ms`,
    });
  }
  for (const [name] of variants) {
    const ss = samples.get(name) ?? [];
    figures.push({
      name: `${name}: process wall`,
      unit: "ms",
      rounds: ss.map((s) => s.wallMs),
      ...(name !== "native" ? { anchor: "native: process wall" } : {}),
      note: `spawn to exit, node start-up included (first answer ${fmt(median(ss.map((s) => s.sinceStartMs)))} ms after process start)`,
    });
  }
  const nat = figureValue(figures, "native: import + first answer");
  const after = figureValue(figures, "switchyard aws bundle (shipped): import + first answer");
  const kept = figureValue(figures, "lazy adapter, handler's Response kept: import + first answer");
  const tax = figureValue(figures, "native + one new Response(): import + first answer") - nat;
  return {
    title: "Cold start: fresh process, import the bundle, answer one event (goal 2)",
    commands: [
      `probe (bench/out/cold-start/probe.mjs): \`${canPin() ? "taskset -c 1 " : ""}node probe.mjs <bundle> event.json\`; it reads the event, then times import() + handler(event) with performance.now()`,
      `${SAMPLES} processes per variant, variants interleaved; bundles built with build(api, "aws", …) from bundle/index.ts and esbuild with the same options`,
      `function: the example's getBook (functions/books.ts#get, Response.json(book)); event: API Gateway 2.0 GET /books/1`,
    ],
    notes: [
      `The fetch tax measured in this run (first new Response() in a fresh process): ${fmt(tax)} ms.`,
      "Nothing public loads Node's fetch implementation more cheaply: globalThis.Request, Response, Headers and FormData are one lazily loaded module (even Object.getOwnPropertyDescriptor(globalThis, 'Response') loads it). The only public way around it is not to touch those globals: LazyRequest/LightHeaders do not, and LightResponse replaces the handler's Response at bundle time (esbuild inject), falling back to the real class only for stream, Blob and FormData bodies.",
      "A handler that calls fetch(), or builds a Response from a stream/Blob/FormData, still pays the tax on its first such call (not at import).",
    ],
    figures,
    goals: [
      {
        goal: "cold start within 5 ms of the native handler (import + first answer), shipped AWS bundle",
        met: after - nat <= 5,
        detail: `shipped (lazy adapter + LightResponse inject): ${fmt(after)} ms vs native ${fmt(nat)} ms (+${fmt(after - nat)} ms); with the handler's real Response kept: ${fmt(kept)} ms (+${fmt(kept - nat)} ms)`,
      },
    ],
  };
}

cli(module, main);
