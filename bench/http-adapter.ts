/**
 * Goal 4 building block (the local gateway's adapter cost, not the gateway itself, which
 * bench/local-gateway.ts measures): requests per second and p99 of a `node:http` server answering
 * hello-JSON raw, through a fetch-style adapter (a real Request in, the Response read back), through
 * the lazy building blocks (LazyRequest in, LightResponse read from its source), and through Hono on
 * @hono/node-server (anchor). Server pinned to core 1; the load (-c 50) on core 0: wrk where it is
 * installed, else autocannon in this process.
 * Besides req/s and p99, the server's CPU time per request is reported: it compares the adapters
 * even when the load generator, not the server, is the bottleneck.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as http from "node:http";
import * as path from "node:path";
import { canPin, cli, type Figure, fmt, httpLoad, type LoadTool, loadTool, median, NODE, pinned, ROOT, type Section } from "./lib";

const VARIANTS = ["raw node:http", "fetch-style adapter", "lazy adapter", "hono + @hono/node-server"] as const;
type Variant = (typeof VARIANTS)[number];
const ROUNDS = 5;
const SECONDS = 3;
const CONNECTIONS = 50;

// ---- server side (run as a child: `bench/http-adapter.ts --serve <variant>`) ----

async function serve(variant: Variant): Promise<void> {
  let server: http.Server;
  if (variant === "hono + @hono/node-server") {
    const { Hono } = await import("hono");
    const { createAdaptorServer } = await import("@hono/node-server");
    const app = new Hono();
    app.get("/hello", (c) => c.json({ ok: true }));
    server = createAdaptorServer({ fetch: app.fetch }) as http.Server;
  } else if (variant === "raw node:http") {
    server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true }));
    });
  } else if (variant === "fetch-style adapter") {
    const handler = (_r: Request) => Response.json({ ok: true });
    server = http.createServer(async (req, res) => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method ?? "GET", headers });
      const response = await handler(request);
      const out: Record<string, string> = {};
      response.headers.forEach((v, k) => {
        out[k] = v;
      });
      const body = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, out);
      res.end(body);
    });
  } else {
    const { LazyRequest, LightHeaders, LightResponse, readResponse } = await import("../runtime/lazy");
    const handler = (_r: unknown) => LightResponse.json({ ok: true });
    server = http.createServer(async (req, res) => {
      const request = new LazyRequest(`http://${req.headers.host}${req.url}`, {
        method: req.method ?? "GET",
        headers: () => LightHeaders.fromRecord(req.headers),
      });
      const read = await readResponse(handler(request));
      if (read.cookies.length) res.setHeader("set-cookie", read.cookies);
      res.writeHead(read.status, read.headers);
      res.end(read.body);
    });
  }
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => {
    const addr = server.address();
    process.send?.({ port: typeof addr === "object" && addr ? addr.port : 0 });
  });
  process.on("message", (m) => {
    if (m === "cpu") process.send?.({ cpu: process.cpuUsage() });
  });
}

// ---- driver side ----

function start(variant: Variant): Promise<{ child: ChildProcess; port: number }> {
  const args = ["-r", path.join(ROOT, "node_modules", "ts-node", "register", "transpile-only.js"), __filename, "--serve", variant];
  const [cmd, argv] = pinned(1, NODE, args);
  const child = spawn(cmd, argv, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", (m: { port: number }) => resolve({ child, port: m.port }));
    child.once("exit", (code) => reject(new Error(`${variant} server exited ${code}`)));
  });
}

function cpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once("message", (m: { cpu: NodeJS.CpuUsage }) => resolve((m.cpu.user + m.cpu.system) / 1000));
    child.send("cpu");
  });
}

interface Round {
  rps: number;
  p99: number;
  cpuShare: number;
  /** Server CPU time per request (µs): the adapter's cost whether or not the server was saturated. */
  cpuPerReq: number;
}

/** The load generator: wrk where it is installed, else autocannon (bench/lib.ts loadTool; set by main). */
let loadGenerator: LoadTool = "autocannon";

async function load(child: ChildProcess, port: number): Promise<Round> {
  const c0 = await cpu(child);
  const t0 = performance.now();
  const r = await httpLoad(loadGenerator, { url: `http://127.0.0.1:${port}/hello`, connections: CONNECTIONS, duration: SECONDS });
  const wall = performance.now() - t0;
  const cpuMs = (await cpu(child)) - c0;
  if (r.non2xx || r.errors) throw new Error(`non-2xx ${r.non2xx}, errors ${r.errors}`);
  return { rps: r.rps, p99: r.p99, cpuShare: cpuMs / wall, cpuPerReq: (cpuMs * 1000) / r.total };
}

export async function main(): Promise<Section> {
  loadGenerator = loadTool();
  const servers = new Map<Variant, { child: ChildProcess; port: number }>();
  for (const v of VARIANTS) servers.set(v, await start(v));
  const rounds = new Map<Variant, Round[]>(VARIANTS.map((v) => [v, []]));
  const notBound: string[] = [];
  try {
    for (const v of VARIANTS) {
      const s = servers.get(v) as { child: ChildProcess; port: number };
      const res = await fetch(`http://127.0.0.1:${s.port}/hello`);
      const text = await res.text();
      if (res.status !== 200 || text !== '{"ok":true}') throw new Error(`${v} answered ${res.status} ${text}`);
      await load(s.child, s.port); // warm-up round (JIT), not counted
    }
    for (let i = 0; i < ROUNDS; i++) {
      for (const v of VARIANTS) {
        const s = servers.get(v) as { child: ChildProcess; port: number };
        const r = await load(s.child, s.port);
        if (r.cpuShare < 0.9) notBound.push(`${v} round ${i + 1}: ${(r.cpuShare * 100).toFixed(0)} %`);
        rounds.get(v)?.push(r);
      }
    }
  } finally {
    for (const s of servers.values()) s.child.kill();
  }
  const figures: Figure[] = [];
  for (const v of VARIANTS) {
    const rs = rounds.get(v) ?? [];
    figures.push({
      name: `${v}: server CPU per request`,
      unit: "µs",
      rounds: rs.map((r) => r.cpuPerReq),
      ...(v !== "raw node:http" ? { anchor: "raw node:http: server CPU per request" } : {}),
      note: `capacity when CPU-bound ≈ ${fmt(1e6 / median(rs.map((r) => r.cpuPerReq)))} req/s`,
    });
  }
  for (const v of VARIANTS) {
    const rs = rounds.get(v) ?? [];
    figures.push({
      name: `${v}: req/s observed`,
      unit: "req/s",
      rounds: rs.map((r) => r.rps),
      ...(v !== "raw node:http" ? { anchor: "raw node:http: req/s observed" } : {}),
      note: `server CPU ${rs.map((r) => `${(r.cpuShare * 100).toFixed(0)}%`).join(", ")}`,
    });
  }
  for (const v of VARIANTS) {
    figures.push({
      name: `${v}: p99`,
      unit: "ms",
      rounds: (rounds.get(v) ?? []).map((r) => r.p99),
      ...(v !== "raw node:http" ? { anchor: "raw node:http: p99" } : {}),
    });
  }
  const per = (v: Variant) => median((rounds.get(v) ?? []).map((r) => r.cpuPerReq));
  const cap = (v: Variant) => per("raw node:http") / per(v);
  const summary = `capacity by server CPU per request: lazy ${fmt(cap("lazy adapter"))}×, fetch-style ${fmt(cap("fetch-style adapter"))}×, Hono ${fmt(cap("hono + @hono/node-server"))}× raw node:http`;
  return {
    title: "node:http adapter cost: raw vs fetch-style vs lazy vs Hono (goal 4 building block)",
    commands: [
      `servers: \`${canPin() ? "taskset -c 1 " : ""}node bench/http-adapter.ts --serve <variant>\` on 127.0.0.1; load: ${loadGenerator === "wrk" ? `wrk -t1 -c${CONNECTIONS} -d${SECONDS}s --latency` : `autocannon (library) -c ${CONNECTIONS} -d ${SECONDS} from the bench process`}${canPin() ? " on core 0" : ""}, GET /hello`,
      `one warm-up round per server, then ${ROUNDS} interleaved rounds; server CPU time (process.cpuUsage over IPC) / requests served = CPU per request`,
    ],
    notes: [
      `${summary}. Indicative only: goal 4 is judged on the local gateway (bench/local-gateway.ts) with a load generator that saturates it.`,
      notBound.length
        ? `The servers were not CPU-bound in ${notBound.length} of ${ROUNDS * VARIANTS.length} rounds (${notBound.join("; ")}): ${loadGenerator === "wrk" ? "wrk (one thread on core 0) did not saturate the server on core 1 of this 2-core machine" : "autocannon (JavaScript, one core) cannot saturate a Node server on the other core of this 2-core machine, and wrk is not installed"}. Observed req/s and p99 are then load-generator-bound; the comparable figure is the server CPU per request.`
        : "Every server was CPU-bound (≥ 90 % of its core) in every round.",
      "This is not the local gateway (local/, other helper; bench/local-gateway.ts): it isolates what the Request/Response adapter costs per request on node:http.",
    ],
    figures,
    // Indicative only (the server is not saturated here), so no goal is claimed from it.
    goals: [],
  };
}

if (process.argv.includes("--serve")) {
  void serve(process.argv[process.argv.indexOf("--serve") + 1] as Variant);
} else {
  cli(module, main);
}
