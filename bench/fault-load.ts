import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { canPin, pinned } from "./lib";

/**
 * The local gateway under load with faults (issue #10): a healthy route measured alone, then again
 * while other connections hit handlers that throw, hang past their timeout, return huge bodies or
 * stream slowly, and while raw-socket clients send slowloris headers, oversized headers and bodies,
 * malformed URLs, forged JWTs and header-injection attempts. Loopback only; bounded in time.
 *
 * `npm run bench:faults` runs the long version (60 s); test/local/faults.test.ts a short one.
 */

const ROOT = path.resolve(__dirname, "..");
const MODEL = path.join(ROOT, "test", "fixtures", "models", "faults", "api.ts");
const KEY = "fault-load-key";

/** The part of autocannon's result this bench reads (autocannon ships no type declarations). */
interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  statusCodeStats?: Record<string, { count: number }>;
}
const autocannon = require("autocannon") as (opts: Record<string, unknown>) => Promise<LoadResult>;

export interface Latency {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
}

export interface Attack {
  name: string;
  /** Statuses that are right for it (0 = the server closed the connection without an answer). */
  expected: number[];
  got: number;
}

export interface FaultLoadResult {
  seconds: number;
  connections: number;
  /** The healthy route alone and with faults: medians over rounds. */
  baseline: Latency;
  underFaults: Latency;
  /** Responses by status, per route, during the fault phase (healthy route included). */
  statuses: Record<string, Record<string, number>>;
  /** Requests autocannon saw fail without a response (connection errors, its own timeouts), per route. */
  errors: Record<string, number>;
  attacks: Attack[];
  rssMb: { start: number; afterBaseline: number; end: number };
  aliveAfter: boolean;
}

/** Starts the gateway on the fault model in a child process; resolves with its URL and pid. */
async function startServer(headersTimeoutMs: number, pin: boolean): Promise<{ url: string; child: ChildProcess }> {
  const script = `
    const { startGateway } = require(${JSON.stringify(path.join(ROOT, "local", "gateway.ts"))});
    startGateway({ apiFile: ${JSON.stringify(MODEL)}, port: 0, keys: { load: ${JSON.stringify(KEY)} }, log: "off", watch: false,
                   headersTimeoutMs: ${headersTimeoutMs}, requestTimeoutMs: ${headersTimeoutMs * 3} })
      .then((gw) => process.stdout.write("READY " + gw.url + "\\n"));`;
  const node: [string, string[]] = [process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script]];
  // Pinned: the gateway alone on core 1, the load generators on core 0 (issue #9's method).
  const [cmd, args] = pin ? pinned(1, ...node) : node;
  const child = spawn(cmd, args, {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.on("exit", (code) => reject(new Error(`gateway exited ${code}`)));
  });
  return { url, child };
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

function load(url: string, seconds: number, connections: number, opts: Record<string, unknown> = {}): Promise<LoadResult> {
  return autocannon({ url, duration: seconds, connections, timeout: 10, headers: { "x-api-key": KEY }, ...opts });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function medianLatency(rs: LoadResult[]): Latency {
  return {
    rps: Math.round(median(rs.map((r) => r.requests.average))),
    p50: median(rs.map((r) => r.latency.p50)),
    p99: median(rs.map((r) => r.latency.p99)),
    requests: rs.reduce((a, r) => a + r.requests.total, 0),
  };
}

function statusesOf(r: LoadResult): Record<string, number> {
  const stats = r.statusCodeStats ?? {};
  return Object.fromEntries(Object.entries(stats).map(([code, s]) => [code, s.count]));
}

/** Runs autocannon loads (all at once) in a child process and returns their results in order. */
function loadElsewhere(loads: Record<string, unknown>[], pin: boolean): Promise<LoadResult[]> {
  const script = `
    const autocannon = require("autocannon");
    const loads = ${JSON.stringify(loads.map((l) => ({ timeout: 10, headers: { "x-api-key": KEY }, ...l })))};
    Promise.all(loads.map((l) => autocannon(l))).then((rs) => process.stdout.write(JSON.stringify(rs.map((r) => ({
      requests: { average: r.requests.average, total: r.requests.total },
      latency: { p50: r.latency.p50, p99: r.latency.p99 },
      errors: r.errors,
      statusCodeStats: r.statusCodeStats,
    })))));`;
  return new Promise((resolve, reject) => {
    const [cmd, args] = pin ? pinned(0, process.execPath, ["-e", script]) : [process.execPath, ["-e", script]];
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout?.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(JSON.parse(out) as LoadResult[]) : reject(new Error(`load generator exited ${code}`)),
    );
  });
}

/** Sends raw bytes, returns the status of the first response line (0 when closed without one). */
function raw(url: string, payload: string | Buffer, opts: { dripMs?: number; waitMs?: number } = {}): Promise<number> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), "127.0.0.1");
    let data = "";
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearInterval(timer);
      socket.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(data);
      resolve(m ? Number(m[1]) : 0);
    };
    socket.setTimeout(opts.waitMs ?? 8000, done);
    socket.on("data", (d) => {
      data += d.toString("latin1");
      if (/\r\n\r\n/.test(data)) done();
    });
    socket.on("close", done);
    socket.on("error", done);
    socket.on("connect", () => {
      if (opts.dripMs) {
        // Slowloris: a byte of headers now and then, never finishing them.
        socket.write("GET /ok HTTP/1.1\r\nHost: x\r\n");
        timer = setInterval(() => socket.write("x"), opts.dripMs);
      } else socket.write(payload);
    });
  });
}

/** Forged and broken JWTs: none of them may pass. */
function forgedTokens(): string[] {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const claims = { iss: "https://issuer.test/", aud: "api://faults", sub: "mallory", exp: Math.floor(Date.now() / 1000) + 600 };
  return [
    `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`,
    `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}.${Buffer.from("secret-guess").toString("base64url")}`,
    `${b64({ alg: "RS256", kid: "x" })}.${b64({ ...claims, exp: 1 })}.AAAA`,
    "not.a.jwt",
    "e30.e30.e30",
  ];
}

async function attacks(url: string, headersTimeoutMs: number): Promise<Attack[]> {
  const req = (line: string, headers: string[] = [], body = "") =>
    `${line}\r\nHost: 127.0.0.1\r\n${headers.map((h) => `${h}\r\n`).join("")}${body ? `Content-Length: ${Buffer.byteLength(body)}\r\n` : ""}Connection: close\r\n\r\n${body}`;
  const list: [string, number[], Promise<number>][] = [
    ["missing API key", [401], raw(url, req("GET /ok HTTP/1.1"))],
    ["wrong API key", [403], raw(url, req("GET /ok HTTP/1.1", ["x-api-key: wrong"]))],
    ...forgedTokens().map(
      (t, i) =>
        [`forged JWT ${i + 1}`, [401], raw(url, req("GET /private HTTP/1.1", [`authorization: Bearer ${t}`]))] as [
          string,
          number[],
          Promise<number>,
        ],
    ),
    ["oversized header (32 KB)", [431], raw(url, req("GET /ok HTTP/1.1", [`x-api-key: ${KEY}`, `x-big: ${"a".repeat(32 * 1024)}`]))],
    [
      "oversized body (7 MB declared)",
      [413],
      raw(
        url,
        `POST /ok HTTP/1.1\r\nHost: x\r\nx-api-key: ${KEY}\r\nContent-Length: ${7 * 1024 * 1024}\r\nConnection: close\r\n\r\n${"a".repeat(1024)}`,
      ),
    ],
    ["malformed request line", [400], raw(url, "GET /ok HTTP/1.1 extra\r\n\r\n")],
    ["malformed percent-encoding", [404], raw(url, req("GET /ok%ZZ%E0%A4 HTTP/1.1", [`x-api-key: ${KEY}`]))],
    ["CRLF injection in the path", [400, 404], raw(url, req("GET /ok%0d%0aSet-Cookie:%20pwned=1 HTTP/1.1", [`x-api-key: ${KEY}`]))],
    [
      "bare LF header injection",
      [400],
      raw(url, `GET /ok HTTP/1.1\r\nHost: x\r\nx-api-key: ${KEY}\nX-Injected: 1\r\nConnection: close\r\n\r\n`),
    ],
    ["slowloris (headers never finish)", [408, 0], raw(url, "", { dripMs: 300, waitMs: headersTimeoutMs + 4000 })],
  ];
  const out: Attack[] = [];
  for (const [name, expected, p] of list) out.push({ name, expected, got: await p });
  return out;
}

/** Runs the whole scenario. `seconds` is each phase's length (baseline, then faults). */
export async function faultLoad(opts: {
  seconds: number;
  connections: number;
  headersTimeoutMs?: number;
  /** Requests a second on the healthy route (default 300). */
  healthyRate?: number;
  /** Requests a second on each fault route (default 25). */
  faultRate?: number;
  /** Alternating fault-free and fault phases (default 1); latencies are medians over rounds. */
  rounds?: number;
  /**
   * Pin the gateway to core 1 and the load generators to core 0 with taskset (when there is one and
   * two cores). The caller pins its own process (where the healthy load runs): `npm run bench:faults` does.
   */
  pin?: boolean;
}): Promise<FaultLoadResult> {
  const headersTimeoutMs = opts.headersTimeoutMs ?? 2000;
  const { url, child } = await startServer(headersTimeoutMs, opts.pin === true);
  try {
    const pid = child.pid as number;
    const start = rssMb(pid);
    await load(`${url}/ok`, 1, opts.connections); // warm-up
    // Healthy traffic at a fixed rate below saturation, so latency shows interference, not queueing.
    const healthyRate = { overallRate: opts.healthyRate ?? 300 };
    const faults = ["fail", "hang", "huge", "drip"] as const;
    const faultConns = Math.max(2, Math.floor(opts.connections / 4));
    // Each fault route gets a steady share of the traffic, not as much as it can take.
    const faultRate = { overallRate: opts.faultRate ?? 25 };
    const statuses: Record<string, Record<string, number>> = {};
    const errors: Record<string, number> = {};
    const count = (route: string, r: LoadResult) => {
      const into = statuses[route] ?? {};
      statuses[route] = into;
      for (const [code, n] of Object.entries(statusesOf(r))) into[code] = (into[code] ?? 0) + n;
      errors[route] = (errors[route] ?? 0) + r.errors;
    };
    // Rounds alternate a fault-free phase and a fault phase, so both see the same machine noise;
    // latencies are the median over rounds.
    const alone: LoadResult[] = [];
    const withFaults: LoadResult[] = [];
    let afterBaseline = 0;
    const attacksDone = (async () => {
      // Attacks run during the first fault phase.
      await new Promise((r) => setTimeout(r, opts.seconds * 1000 + 200));
      return attacks(url, headersTimeoutMs);
    })();
    for (let round = 0; round < (opts.rounds ?? 1); round++) {
      alone.push(await load(`${url}/ok`, opts.seconds, opts.connections, healthyRate));
      afterBaseline ||= rssMb(pid);
      // The fault traffic comes from another process: its 2 MB answers must not slow down the event
      // loop that times the healthy requests (that would measure the client, not the gateway).
      const [healthy, faulty] = await Promise.all([
        load(`${url}/ok`, opts.seconds, opts.connections, healthyRate),
        loadElsewhere(
          faults.map((f) => ({ url: `${url}/${f}`, duration: opts.seconds, connections: faultConns, ...faultRate })),
          opts.pin === true,
        ),
      ]);
      withFaults.push(healthy as LoadResult);
      count("ok", healthy as LoadResult);
      faults.forEach((f, i) => {
        count(f, faulty[i] as LoadResult);
      });
    }
    const attackResults = await attacksDone;
    const alive = await fetch(`${url}/ok`, { headers: { "x-api-key": KEY } }).then(
      (r) => r.status === 200,
      () => false,
    );
    return {
      seconds: opts.seconds,
      connections: opts.connections,
      baseline: medianLatency(alone),
      underFaults: medianLatency(withFaults),
      statuses,
      errors,
      attacks: attackResults,
      rssMb: { start, afterBaseline, end: rssMb(pid) },
      aliveAfter: alive && child.exitCode === null,
    };
  } finally {
    child.kill("SIGTERM");
  }
}

if (require.main === module) {
  const seconds = Number(process.argv[2] ?? 60);
  // This process drives the healthy load: onto core 0 with the fault load, away from the gateway on core 1.
  const pin = canPin() && spawnSync("taskset", ["-p", "-c", "0", String(process.pid)], { stdio: "ignore" }).status === 0;
  faultLoad({ seconds: seconds / 3, connections: 20, rounds: 3, pin }).then((r) => {
    console.log(pin ? "pinned: gateway on core 1, load generators on core 0 (taskset)" : "not pinned (no taskset or one core)");
    console.log(
      `fault load: 3 rounds of ${r.seconds} s per phase, ${r.connections} healthy connections at 300 req/s, 25 req/s per fault route`,
    );
    console.log(
      `healthy route alone:      ${r.baseline.rps} req/s, p50 ${r.baseline.p50} ms, p99 ${r.baseline.p99} ms (${r.baseline.requests} requests)`,
    );
    console.log(
      `healthy route with faults: ${r.underFaults.rps} req/s, p50 ${r.underFaults.p50} ms, p99 ${r.underFaults.p99} ms (${r.underFaults.requests} requests)`,
    );
    console.log(`p99 ratio (faults / alone): ${(r.underFaults.p99 / Math.max(r.baseline.p99, 1)).toFixed(2)}`);
    for (const [route, s] of Object.entries(r.statuses)) console.log(`  /${route}: ${JSON.stringify(s)}, errors ${r.errors[route]}`);
    for (const a of r.attacks) console.log(`  attack ${a.name}: ${a.got} (expected ${a.expected.join(" or ")})`);
    console.log(
      `RSS MB: start ${r.rssMb.start}, after baseline ${r.rssMb.afterBaseline}, end ${r.rssMb.end}; alive after: ${r.aliveAfter}`,
    );
  });
}
