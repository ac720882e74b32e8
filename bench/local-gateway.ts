/**
 * Benchmark (not a test): the local gateway on the example's simplest keyed route
 * (`GET /books/{id}` with an API key, routing + key check + access log on; the example also puts CORS
 * and a canary on it) and on the same route in bench/goal-api.ts, which has routing + API key +
 * access log and nothing else (`gateway-goal`: goal 4 of issue 9 and issue 4's throughput target
 * name exactly that), against a raw `node:http` server answering the same JSON, and
 * `@google-cloud/functions-framework` serving the same portable handler. Each server runs in its own
 * child process on loopback, pinned to core 1 with taskset (where there is one and two cores);
 * the load generator (wrk where it is installed, as issue 9's reference figures were taken, else
 * autocannon in this process) runs pinned to core 0, with fixed connections and duration.
 * Rounds are interleaved; prints the median of the rounds (each round's figures too), the server's
 * CPU time per request, its CPU use and its minor page faults in each round, and the ratios: of the
 * medians, and round by round (each round's gateway figure over the anchor's measured just before
 * it) with their median; then raw, both gateways, two floors (each gateway's answer written
 * straight for this one route: serveFloor; the goal's floor also without its access log), Hono
 * doing the same job and Hono routing only (serveHono) and the Functions Framework head to head,
 * in small groups served at the same time on the one core, which cancels the machine's drift (see
 * headToHead). Every server runs as `npm run dev` runs the gateway (tools/dev-register.js); the raw
 * server serialises its JSON per request, as the handler does.
 *
 *   npm run bench:local [-- --connections 50 --duration 4 --rounds 5 --load wrk|autocannon --groups goal,example,hono,log,anchors]
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { Handler } from "../runtime";
import { canPin, exitWith, fmt, honoCors, httpLoad, type LoadTool, loadTool, median, pinned, UsageError } from "./lib";

const ROOT = path.resolve(__dirname, "..");
/** The consumer acme's API key, which every load run sends. */
export const KEY = "bench-key-0123456789";
const BOOK_PATH = "/books/1";
type Kind =
  | "raw"
  | "gateway"
  | "gateway-goal"
  | "functions-framework"
  | "floor"
  | "floor-goal"
  | "floor-goal-nolog"
  | "hono"
  | "hono-routing";
/** The model of `gateway-goal`: the example's route and handler with routing + API key + access log only. */
const GOAL_API = path.join(__dirname, "goal-api.ts");
/** A server child process and the port it listens on. */
type Served = { child: ChildProcess; port: number };
/** Server CPU time over wall time from which a round counts as CPU-bound. */
const CPU_BOUND = 0.9;

interface Result {
  kind: Kind;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** Server CPU time (user + system) per request, in microseconds. */
  cpuUsPerRequest: number;
  /** Server CPU time over wall time (1 = one core busy: the server, not the load generator, was the limit). */
  cpuUse: number;
  /**
   * The server's minor page faults during the run. A round that re-touches memory the process let go
   * of while idle takes thousands of them, and on a virtual machine each is costly: they show why a
   * round was slow.
   */
  faults: number;
}

/** Child mode: start one server, print its port. */
async function serve(kind: Kind): Promise<void> {
  let port: number;
  if (kind === "gateway" || kind === "gateway-goal") {
    const { startGateway } = await import("../local/gateway");
    // Access log on (plain lines to stdout, which the parent discards).
    const apiFile = kind === "gateway" ? path.join(ROOT, "api.ts") : GOAL_API;
    const gw = await startGateway({ apiFile, keys: { acme: KEY }, log: "plain", watch: false });
    // The example's default rate limit (50/s per consumer) would turn the run into a count of 429s:
    // lift it on the served model (routing, the key check and the access log stay on).
    for (const r of gw.api().routes) delete r.rateLimit;
    port = gw.port;
  } else if (kind === "floor" || kind === "floor-goal" || kind === "floor-goal-nolog") {
    port = ((await serveFloor(kind === "floor", { log: kind === "floor-goal-nolog" ? "off" : "plain" })).address() as AddressInfo).port;
  } else if (kind === "hono" || kind === "hono-routing") {
    port = await serveHono(kind === "hono");
  } else {
    const { get } = await import("../functions/books");
    const { localContext } = await import("../runtime/local");
    if (kind === "raw") {
      // Hello-JSON as node:http benchmarks write it (e.g. fastify/benchmarks' http server): the body
      // serialised per request, like the handler behind the gateway does.
      const book = { id: "1", title: "The Pragmatic Programmer", price: 42 };
      const server = http.createServer((_req, res) => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(book));
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
      port = (server.address() as AddressInfo).port;
    } else {
      const ff = await import("@google-cloud/functions-framework");
      const { getTestServer } = await import("@google-cloud/functions-framework/testing");
      // The same portable handler behind the Functions Framework (Express req/res ↔ Request/Response).
      ff.http("getBook", async (req, res) => {
        const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers: req.headers as Record<string, string> });
        const params = { id: req.path.split("/").pop() ?? "" };
        const response = await get(
          request,
          localContext("gcp", "getBook", "bench", params, { kind: "none" }, () => {}),
        );
        res.status(response.status);
        response.headers.forEach((v, k) => {
          res.setHeader(k, v);
        });
        res.send(Buffer.from(await response.arrayBuffer()));
      });
      const server = getTestServer("getBook");
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
      port = (server.address() as AddressInfo).port;
    }
  }
  process.on("SIGTERM", () => process.exit(0)); // a normal exit, so --cpu-prof can write its profile
  // CPU time used so far, on request (CPU per request is steadier than req/s on a busy machine), and
  // the minor page faults so far.
  process.on("message", () => process.send?.({ cpu: process.cpuUsage(), faults: process.resourceUsage().minorPageFault } satisfies Usage));
  process.send?.({ port });
  if (!process.send) process.stdout.write(`${port}\n`);
}

/**
 * The floor: the same answer as the gateway's, written straight for this one route with nothing
 * general: the key looked up in a Map, `/books/{id}` split by hand, the handler loaded as the
 * gateway loads it (Response.json builds a LightResponse) and given the same LazyRequest and
 * context, its answer read with readResponse, the same response headers (request id, content
 * type, content length; for the example's model, `Vary: Origin` for its CORS and the canary's
 * version pick) and one plain access line per request from the gateway's AccessLog. What is left
 * between it and raw `node:http` is the work those semantics and the portable Request/Response
 * contract need; what is left between the gateway and it is the gateway's generality (policies
 * looked up per route, the model's other features). test/bench-floor.test.ts checks that each floor
 * answers as its gateway does. With `log: "off"` its AccessLog writes no line, as the gateway's does
 * with logging off (the bench's `floor-goal-nolog`: what the access log costs, and what is left of
 * raw `node:http` without it).
 */
export async function serveFloor(
  example: boolean,
  { write = (t) => process.stdout.write(t), log: mode = "plain" }: { write?: (t: string) => unknown; log?: "plain" | "off" } = {},
): Promise<http.Server> {
  const { randomUUID } = await import("node:crypto");
  const { loadModule } = await import("../local/load-handler");
  const { localContext, toRequest } = await import("../runtime/local");
  const { readResponse } = await import("../runtime/lazy");
  const { AccessLog } = await import("../local/access-log");
  const get = loadModule(path.join(ROOT, "functions", "books.ts")).exports.get as Handler;
  const keys = new Map([[KEY, "acme"]]);
  // The gateway's own access log, plain lines to stdout (which the parent discards), as it runs here.
  const log = new AccessLog(write, mode);
  const server = http.createServer((req, res) => {
    const t0 = performance.now();
    const requestId = randomUUID();
    const key = req.headers["x-api-key"];
    const consumer = typeof key === "string" ? keys.get(key) : undefined;
    const parts = (req.url ?? "/").split("/");
    if (!consumer || parts[1] !== "books" || parts.length !== 3) {
      res.writeHead(consumer ? 404 : 403).end();
      return;
    }
    const ctx = localContext("aws", "getBook", requestId, { id: parts[2] as string }, { kind: "apiKey", consumer }, () => {});
    const out = readResponse(get(toRequest(req, "http://127.0.0.1", undefined, undefined) as unknown as Request, ctx) as Response);
    if (out instanceof Promise) throw new Error("the floor serves synchronous handlers only");
    const h = ["x-request-id", requestId];
    for (const n in out.headers) h.push(n, out.headers[n] as string);
    const version = example ? (Math.random() < 0.1 ? "canary" : "stable") : undefined;
    if (version) h.push("vary", "Origin", "x-switchyard-version", version);
    h.push("content-length", String(Buffer.byteLength(out.body)));
    res.writeHead(out.status, h);
    res.end(out.body);
    log.record({ requestId, method: "GET", path: req.url as string, status: out.status, ms: performance.now() - t0, consumer, version });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return server;
}

/**
 * Hono (a well-kept fast router, which the issue allows underneath) doing the gateway's job on this
 * route, written as a Hono user would: one middleware for the request id (`x-request-id`), the API
 * key (looked up in a Map; 401 JSON otherwise) and one access line per request through the gateway's
 * own batched AccessLog; `hono/cors` with the example model's CORS settings; and the route answering
 * with `c.json(...)`, Hono's fastest answer (the portable handler's `Response.json` would cost it a
 * real `Response`). It gives what the gateway gives but the canary header; served by
 * `@hono/node-server`. Without `policies`, the route alone: what the issue's reference figure for
 * Hono measures (routing and a JSON answer), which calibrates this rig against it.
 */
async function serveHono(policies: boolean): Promise<number> {
  const { randomUUID } = await import("node:crypto");
  const { Hono } = await import("hono");
  const { serve: honoServe } = await import("@hono/node-server");
  const { AccessLog } = await import("../local/access-log");
  const { loadApi } = await import("../model");
  const c = loadApi(path.join(ROOT, "api.ts")).cors;
  const books = [{ id: "1", title: "The Pragmatic Programmer", price: 42 }];
  const keys = new Map([[KEY, "acme"]]);
  const log = new AccessLog((t) => process.stdout.write(t), "plain");
  const app = new Hono<{ Variables: { consumer: string } }>();
  if (policies)
    app.use(async (ctx, next) => {
      const t0 = performance.now();
      const requestId = randomUUID();
      ctx.header("x-request-id", requestId);
      const consumer = keys.get(ctx.req.header("x-api-key") ?? "");
      if (!consumer) return ctx.json({ message: "Unauthorized" }, 401);
      ctx.set("consumer", consumer);
      await next();
      log.record({ requestId, method: ctx.req.method, path: ctx.req.path, status: ctx.res.status, ms: performance.now() - t0, consumer });
      return undefined;
    });
  if (policies && c) app.use(await honoCors(c));
  app.get("/books/:id", (ctx) => {
    const book = books.find((b) => b.id === ctx.req.param("id"));
    return book ? ctx.json(book) : ctx.json({ error: "not found" }, 404);
  });
  return new Promise((resolve) => {
    honoServe({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => resolve(info.port));
  });
}

function startChild(kind: Kind): Promise<Served> {
  // Every server runs the way `npm run dev` runs the gateway (TypeScript loaded by tools/dev-register.js).
  const [cmd, args] = pinned(1, process.execPath, ["-r", path.join(ROOT, "tools", "dev-register.js"), __filename, "--serve", kind]);
  const child = spawn(cmd, args, {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    env: { ...process.env, NODE_OPTIONS: process.env.BENCH_CHILD_NODE_OPTIONS ?? "" },
  });
  return new Promise((resolve, reject) => {
    child.once("message", (m: { port: number }) => resolve({ child, port: m.port }));
    child.once("exit", (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

/** What a server child reports of itself when asked. */
type Usage = { cpu: NodeJS.CpuUsage; faults: number };
/** A server child's CPU time so far (µs) and its minor page faults so far. */
function usageOf(child: ChildProcess): Promise<{ cpu: number; faults: number }> {
  return new Promise((resolve) => {
    child.once("message", (m: Usage) => resolve({ cpu: m.cpu.user + m.cpu.system, faults: m.faults }));
    child.send("usage");
  });
}

/** The load generator of this run (bench(): `--load`, wrk where it is installed). */
let load: LoadTool = "autocannon";

async function measure(kind: Kind, server: Served, connections: number, duration: number): Promise<Result> {
  const url = `http://127.0.0.1:${server.port}${BOOK_PATH}`;
  const before = await usageOf(server.child);
  const r = await httpLoad(load, { url, headers: { "x-api-key": KEY }, connections, duration });
  const after = await usageOf(server.child);
  const cpu = after.cpu - before.cpu;
  return {
    kind,
    rps: r.rps,
    p50: r.p50,
    p99: r.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    cpuUsPerRequest: cpu / Math.max(1, r.total),
    cpuUse: cpu / 1e6 / duration,
    faults: after.faults - before.faults,
  };
}

async function bench(): Promise<void> {
  const { values } = parseArgs({
    options: {
      connections: { type: "string", default: "50" },
      duration: { type: "string", default: "4" },
      rounds: { type: "string", default: "5" },
      // wrk (the default where it is installed) or autocannon.
      load: { type: "string" },
      // The head-to-head groups to run, by name (HEAD_TO_HEAD), comma-separated: all by default.
      groups: { type: "string" },
      // Passed by bench/run.ts to benches that write a JSON section; this one prints text, included as printed.
      json: { type: "string" },
    },
  });
  const whole = (flag: string, v: string, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new UsageError(`--${flag} must be a whole number from ${min} to ${max} (got "${v}")`);
    return n;
  };
  const connections = whole("connections", values.connections, 1, 200);
  const duration = whole("duration", values.duration, 1, 30);
  const rounds = whole("rounds", values.rounds, 1, 9);
  load = loadTool(values.load);
  const names = HEAD_TO_HEAD.map((g) => g.name);
  const picked = values.groups === undefined ? names : values.groups.split(",").map((g) => g.trim());
  const unknown = picked.filter((g) => !names.includes(g));
  if (unknown.length) throw new UsageError(`--groups: unknown group ${unknown.join(", ")} (the groups: ${names.join(", ")})`);
  const groups = HEAD_TO_HEAD.filter((g) => picked.includes(g.name));
  const kinds: Kind[] = ["raw", "gateway", "gateway-goal", "functions-framework"];
  process.stdout.write(
    `GET ${BOOK_PATH} with x-api-key, ${connections} connections, ${duration} s per run, ${rounds} interleaved rounds (median of the CPU-bound ones: server CPU use >= ${CPU_BOUND}), loopback; ` +
      `load: ${load === "wrk" ? "wrk -t1 (one thread)" : "autocannon (library, in the driver)"}; ` +
      `${canPin() ? `servers pinned to core 1, ${load} to core 0 (taskset)` : "not pinned (no taskset or one core)"}; load average ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(" ")}\n`,
  );
  const servers = new Map<Kind, Served>();
  try {
    for (const k of kinds) servers.set(k, await startChild(k));
    // Warm-up (JIT, lazy module loading), then rounds interleaved so background load hits all alike.
    for (const k of kinds) await measure(k, servers.get(k) as Served, connections, 1);
    const all = new Map<Kind, Result[]>(kinds.map((k) => [k, []]));
    for (let i = 0; i < rounds; i++) {
      for (const k of kinds) all.get(k)?.push(await measure(k, servers.get(k) as Served, connections, duration));
    }
    // Issue #9: discard runs where the server was not CPU-bound (the load generator or other load was
    // the limit, and req/s then measures that). A kind with no CPU-bound round keeps all its rounds,
    // and its line says so.
    const bound = (k: Kind) => (all.get(k) as Result[]).filter((r) => r.cpuUse >= CPU_BOUND);
    const med = (k: Kind): Result => {
      const rs = bound(k).length ? bound(k) : (all.get(k) as Result[]);
      const m = (f: (r: Result) => number) => median(rs.map(f));
      return {
        kind: k,
        rps: m((r) => r.rps),
        p50: m((r) => r.p50),
        p99: m((r) => r.p99),
        non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
        errors: rs.reduce((a, r) => a + r.errors, 0),
        cpuUsPerRequest: m((r) => r.cpuUsPerRequest),
        cpuUse: m((r) => r.cpuUse),
        faults: m((r) => r.faults),
      };
    };
    const raw = med("raw");
    for (const k of kinds) {
      const r = med(k);
      process.stdout.write(
        `${r.kind.padEnd(20)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${fmt(r.p50)} ms  p99 ${fmt(r.p99)} ms  ratio ${(r.rps / raw.rps).toFixed(2)}x raw  ` +
          `server CPU ${r.cpuUsPerRequest.toFixed(0)} µs/req (raw/this ${(raw.cpuUsPerRequest / r.cpuUsPerRequest).toFixed(2)}x), ` +
          `CPU use ${r.cpuUse.toFixed(2)}` +
          `${bound(k).length ? "" : `  (no round CPU-bound: every round kept, ratio unreliable)`}` +
          `${r.non2xx || r.errors ? `  (non-2xx ${r.non2xx}, errors ${r.errors})` : ""}\n`,
      );
      process.stdout.write(
        `${"".padEnd(20)} rounds: ${(all.get(k) as Result[])
          .map(
            (x) =>
              `${x.rps.toFixed(0)} req/s p99 ${fmt(x.p99)} ms ${x.cpuUsPerRequest.toFixed(0)} µs ${x.faults} faults CPU ${x.cpuUse.toFixed(2)}${x.cpuUse < CPU_BOUND ? " (discarded)" : ""}`,
          )
          .join(" | ")}\n`,
      );
    }
    const ff = med("functions-framework");
    // The machine's speed drifts within seconds: a ratio taken within each round (the two servers
    // measured back to back) cancels more of that drift than the ratio of the two medians.
    const paired = (g: Kind, k: Kind, target: string) => {
      const a = all.get(g) as Result[];
      const b = all.get(k) as Result[];
      const both = a.map((x, i) => [x, b[i] as Result] as const);
      const kept = both.filter(([x, y]) => x.cpuUse >= CPU_BOUND && y.cpuUse >= CPU_BOUND);
      const rs = (kept.length ? kept : both).map(([x, y]) => x.rps / y.rps);
      process.stdout.write(
        `${g} / ${k}, round by round: ${rs.map((r) => r.toFixed(2)).join(" ")} -> median ${median(rs).toFixed(2)}x req/s (target ${target})\n`,
      );
    };
    for (const g of ["gateway", "gateway-goal"] as const) {
      const gw = med(g);
      process.stdout.write(`${g} / raw node:http: ${(gw.rps / raw.rps).toFixed(2)}x req/s (target >= 0.85x)\n`);
      process.stdout.write(`${g} p99 / raw p99: ${(gw.p99 / raw.p99).toFixed(2)}x (target <= 1.5x)\n`);
      process.stdout.write(`raw node:http / ${g} CPU per request: ${(raw.cpuUsPerRequest / gw.cpuUsPerRequest).toFixed(2)}x\n`);
      process.stdout.write(`${g} / functions-framework: ${(gw.rps / ff.rps).toFixed(2)}x req/s (target >= 10x)\n`);
      paired(g, "raw", ">= 0.85x");
      paired(g, "functions-framework", ">= 10x");
    }
    if (canPin()) {
      // The servers the picked groups need that the sequential part did not start.
      for (const k of new Set(groups.flatMap((g) => g.group))) {
        if (servers.has(k)) continue;
        const server = await startChild(k);
        servers.set(k, server);
        await measure(k, server, connections, 1); // warm-up, as the others had
      }
      await headToHead(groups, servers, connections, duration, rounds);
    }
  } finally {
    for (const s of servers.values()) s.child.kill("SIGTERM");
  }
}

type Group = { name: string; group: Kind[]; ratios: [string, Kind, Kind, string][] };

/** A gateway, its floor (serveFloor: its answers written straight for one route) and raw node:http. */
function gatewayGroup(name: string, gateway: Kind, floor: Kind, gatewayNote: string, floorNote: string): Group {
  return {
    name,
    group: ["raw", gateway, floor],
    ratios: [
      [`${gateway} / raw node:http`, gateway, "raw", ` (${gatewayNote})`],
      [`${floor} / raw node:http`, floor, "raw", ` (${floorNote})`],
      [`${gateway} / ${floor}`, gateway, floor, ""],
    ],
  };
}

/**
 * The head to head, in groups of three servers: each group's servers are driven at the same time,
 * and each ratio is taken within its group. With all eight servers at once, each would get an
 * eighth of the core, in short slices between the others; in a group of three a server runs closer
 * to how it runs alone. The ratios it prints: label, numerator, denominator, note.
 */
const HEAD_TO_HEAD: Group[] = [
  gatewayGroup(
    "goal",
    "gateway-goal",
    "floor-goal",
    "target >= 0.85x: routing + API key + access log, bench/goal-api.ts",
    "gateway-goal's answer written straight for one route: about the most a server giving it through the Request/Response contract reaches",
  ),
  gatewayGroup(
    "example",
    "gateway",
    "floor",
    "the example's route: + CORS and a canary",
    "the gateway's answer written straight for one route: serveFloor",
  ),
  {
    name: "hono",
    group: ["raw", "hono-routing", "hono"],
    ratios: [
      ["Hono, routing only / raw node:http", "hono-routing", "raw", " (the issue's reference figure for Hono: 0.85x)"],
      ["Hono, same policies / raw node:http", "hono", "raw", " (serveHono: key, request id, access log and CORS as middleware, c.json)"],
    ],
  },
  {
    name: "log",
    group: ["raw", "floor-goal", "floor-goal-nolog"],
    ratios: [
      [
        "floor-goal-nolog / raw node:http",
        "floor-goal-nolog",
        "raw",
        " (floor-goal without its access log: routing, the key, the request id and the Request/Response contract only)",
      ],
      ["floor-goal / floor-goal-nolog", "floor-goal", "floor-goal-nolog", " (what the access log costs)"],
    ],
  },
  {
    name: "anchors",
    group: ["gateway", "hono", "functions-framework"],
    ratios: [
      ["gateway / Hono, same policies", "gateway", "hono", ""],
      ["gateway / functions-framework", "gateway", "functions-framework", " (target >= 10x)"],
    ],
  },
];

/**
 * Each group of HEAD_TO_HEAD served at the same time, all pinned to core 1, each server driven by
 * its own load run (wrk processes, or autocannon in this process; core 0). The kernel shares the one core between the
 * group's servers, so the machine's drift (2x within seconds here) hits them alike: the req/s
 * ratios are a drift-free measure of how much more CPU one spends per request than another. A round
 * counts when the group's servers together kept the core busy (CPU use >= 0.9).
 */
async function headToHead(
  picked: Group[],
  servers: Map<Kind, Served>,
  connections: number,
  duration: number,
  rounds: number,
): Promise<void> {
  // Per group: each counted round's line, and each ratio's values.
  const groups = picked.map(({ group, ratios }) => ({
    group,
    ratios: ratios.map((r) => ({ r, values: [] as number[] })),
    lines: [] as string[],
  }));
  // Rounds outermost, as in the sequential part: each group's rounds are spread over the whole run,
  // not taken in one stretch of it. One round more, first, not counted: the servers warm up under
  // the same shared load.
  for (let i = -1; i < rounds; i++) {
    for (const { group, ratios, lines } of groups) {
      const rs = await Promise.all(group.map((k) => measure(k, servers.get(k) as Served, connections, duration)));
      if (i < 0) continue;
      const use = rs.reduce((sum, r) => sum + r.cpuUse, 0);
      lines.push(
        `${rs.map((r) => `${r.kind} ${r.rps.toFixed(0)} req/s ${r.cpuUsPerRequest.toFixed(0)} µs ${r.faults} faults`).join(", ")}, CPU ${rs.map((r) => r.cpuUse.toFixed(2)).join("+")}${use < CPU_BOUND ? " (discarded)" : ""}`,
      );
      if (use < CPU_BOUND) continue;
      const rps = (k: Kind) => (rs[group.indexOf(k)] as Result).rps;
      for (const {
        r: [, a, b],
        values,
      } of ratios)
        values.push(rps(a) / rps(b));
    }
  }
  process.stdout.write(`head to head (each group at the same time on core 1, ${rounds} rounds of ${duration} s after one not counted):\n`);
  for (const { group, ratios, lines } of groups) {
    process.stdout.write(`${group.join(", ")}:\n`);
    for (const l of lines) process.stdout.write(`${"".padEnd(20)} ${l}\n`);
    for (const {
      r: [label, , , note],
      values,
    } of ratios) {
      process.stdout.write(
        values.length
          ? `${label}, head to head: ${values.map((r) => r.toFixed(2)).join(" ")} -> median ${median(values).toFixed(2)}x req/s${note}\n`
          : `${label}, head to head: no round kept the core busy\n`,
      );
    }
  }
}

const serveIdx = process.argv.indexOf("--serve");
if (require.main !== module) {
  // Imported (test/bench-floor.test.ts uses serveFloor): nothing runs.
} else if (serveIdx > 0) {
  serve(process.argv[serveIdx + 1] as Kind).catch(exitWith);
} else if (canPin() && !process.env.SWITCHYARD_BENCH_DRIVER_PINNED) {
  // Run the load generator (this process) on core 0, apart from the servers on core 1.
  const [cmd, args] = pinned(0, process.execPath, ["-r", "ts-node/register/transpile-only", __filename, ...process.argv.slice(2)]);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, SWITCHYARD_BENCH_DRIVER_PINNED: "1" } });
  process.exit(r.status ?? 2);
} else {
  bench().then(() => process.exit(0), exitWith);
}
