/**
 * Shared bench helpers: figures with their rounds, medians, ratios to an anchor measured in the
 * same run, the machine description, CPU pinning with taskset, and Markdown output.
 *
 * A bench module exports `main(): Promise<Section>`. Run alone (`node -r ts-node/register/transpile-only
 * bench/<name>.ts`) it prints its section as Markdown; `bench/run.ts` runs them all and writes
 * bench/RESULTS.md. Benches are not tests: they print numbers, they do not pass or fail.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { GcpCors } from "../runtime/gcp-functions";

export const ROOT = path.resolve(__dirname, "..");
/** Scratch space for bundles, models and probes (git-ignored, excluded from tsc and Biome). */
export const OUT = path.join(ROOT, "bench", "out");
export const NODE = process.execPath;
export const TS_NODE = path.join(ROOT, "node_modules", "ts-node", "dist", "bin.js");

export interface Figure {
  /** Short label, unique within its section; anchors are referred to by it. */
  name: string;
  unit: string;
  /** One value per round (or per sample); the median is reported. */
  rounds: number[];
  /** Name of the figure this one is divided by (the anchor in the same run). */
  anchor?: string;
  /** Free text shown beside the figure. */
  note?: string;
  /**
   * Round i of this figure was taken right beside round i of its anchor (interleaved), so the ratio
   * is the median of the round-by-round ratios: drift of the machine's speed between rounds cancels.
   */
  paired?: boolean;
}

export interface Goal {
  goal: string;
  /** null: not measurable in this run (say why in detail). */
  met: boolean | null;
  detail: string;
}

export interface Section {
  title: string;
  /** How the figures were produced (commands, method). */
  commands: string[];
  notes: string[];
  figures: Figure[];
  goals: Goal[];
  /** Extra Markdown (tables that do not fit the figure list). */
  extra?: string[];
}

export function median(xs: number[]): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 1000 ? x.toFixed(0) : a >= 100 ? x.toFixed(1) : a >= 10 ? x.toFixed(2) : a >= 1 ? x.toFixed(3) : x.toFixed(4);
}

/** Value of a figure by name (its median). */
export function figureValue(figures: Figure[], name: string): number {
  const f = figures.find((x) => x.name === name);
  return f ? median(f.rounds) : Number.NaN;
}

/**
 * A figure over its anchor: the median of round-by-round ratios for a paired figure (see
 * `Figure.paired`), else the ratio of the medians.
 */
export function ratio(figures: Figure[], name: string, anchor: string): number {
  const f = figures.find((x) => x.name === name);
  const a = figures.find((x) => x.name === anchor);
  if (f?.paired && a && a.rounds.length === f.rounds.length) return median(f.rounds.map((v, i) => v / (a.rounds[i] as number)));
  return figureValue(figures, name) / figureValue(figures, anchor);
}

let tasksetOk: boolean | undefined;
/** Whether `taskset` exists and this machine has at least two cores to split. */
export function canPin(): boolean {
  if (tasksetOk === undefined) {
    const r = spawnSync("taskset", ["-c", "0", "true"], { stdio: "ignore" });
    tasksetOk = r.status === 0 && os.cpus().length >= 2;
  }
  return tasksetOk;
}

/** `[cmd, args]` run on one core with taskset when possible (the caller reports when not). */
export function pinned(core: number, cmd: string, args: string[]): [string, string[]] {
  return canPin() ? ["taskset", ["-c", String(core), cmd, ...args]] : [cmd, args];
}

export function machine(): Record<string, string> {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model ?? "unknown"} × ${cpus.length}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString(),
    pinning: canPin()
      ? "taskset available: measured processes pinned to a core apart from the bench driver"
      : "taskset not available: not pinned",
  };
}

export function render(s: Section): string {
  const lines: string[] = [`## ${s.title}`, ""];
  if (s.commands.length) {
    lines.push("How:", "");
    for (const c of s.commands) lines.push(`- ${c}`);
    lines.push("");
  }
  if (s.figures.length) {
    lines.push("| figure | median | unit | anchor | ratio | rounds (raw) | note |", "|---|---:|---|---|---:|---|---|");
    for (const f of s.figures) {
      const m = median(f.rounds);
      const r = f.anchor ? ratio(s.figures, f.name, f.anchor) : Number.NaN;
      const raw =
        f.rounds.length > 12
          ? `${f.rounds.length} samples, min ${fmt(Math.min(...f.rounds))}, max ${fmt(Math.max(...f.rounds))}`
          : f.rounds.map(fmt).join(", ");
      lines.push(
        `| ${f.name} | ${fmt(m)} | ${f.unit} | ${f.anchor ?? ""} | ${f.anchor ? `${r.toFixed(3)}×` : ""} | ${raw} | ${f.note ?? ""} |`,
      );
    }
    lines.push("");
  }
  if (s.extra?.length) lines.push(...s.extra, "");
  if (s.goals.length) {
    lines.push("Goals:", "");
    for (const g of s.goals) lines.push(`- ${g.met === null ? "NOT MEASURED" : g.met ? "MET" : "NOT MET"}: ${g.goal} — ${g.detail}`);
    lines.push("");
  }
  if (s.notes.length) {
    lines.push("Notes:", "");
    for (const n of s.notes) lines.push(`- ${n}`);
    lines.push("");
  }
  return lines.join("\n");
}

/**
 * Entry point for a bench module: when run directly, runs `main` and prints its section (and, with
 * `--json <file>`, writes it as JSON for bench/run.ts).
 */
export function cli(mod: NodeModule, main: () => Promise<Section>): void {
  if (require.main !== mod) return;
  const i = process.argv.indexOf("--json");
  const jsonFile = i >= 0 ? process.argv[i + 1] : undefined;
  main().then((section) => {
    if (jsonFile) fs.writeFileSync(jsonFile, JSON.stringify(section));
    process.stdout.write(`${render(section)}\n`);
  }, exitWith);
}

/** Bad input to a bench (a flag's value): reported by its message alone, no stack. */
export class UsageError extends Error {}

/** A bench's failure: the stack (or the message) on stderr, exit code 2; bad flags by their message alone. */
export function exitWith(e: unknown): never {
  const usage = e instanceof UsageError || String((e as { code?: unknown })?.code ?? "").startsWith("ERR_PARSE_ARGS");
  process.stderr.write(`${e instanceof Error ? (usage ? `error: ${e.message}` : (e.stack ?? e.message)) : String(e)}\n`);
  process.exit(2);
}

/** Resolves after the event loop has drained pending I/O callbacks (between rounds). */
export function tick(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/**
 * `hono/cors` configured with a model's CORS settings (`Api.cors` or a GCP bundle's, both of the
 * GCP bundle's shape), for the benches' Hono anchors. hono/cors is loaded here, on first use, not
 * by every process that imports this file (the bench servers included).
 */
export async function honoCors(c: GcpCors) {
  const { cors } = await import("hono/cors");
  return cors({
    origin: c.allowOrigins,
    allowMethods: c.allowMethods,
    allowHeaders: c.allowHeaders,
    maxAge: c.maxAgeSeconds,
    credentials: c.allowCredentials ?? false,
  });
}

/** One HTTP load run, whichever tool drove it. Latencies in milliseconds. */
export interface LoadResult {
  rps: number;
  /** Requests completed in the run. */
  total: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Requests that failed without an answer: socket errors and timeouts (wrk), errors (autocannon, its timeouts included). */
  errors: number;
}

export type LoadTool = "wrk" | "autocannon";

let wrkOk: boolean | undefined;
/**
 * The load generator: wrk where it is installed (issue #9's reference figures were taken with
 * `wrk -c50`; Debian's package `wrk`), else autocannon from node_modules. `prefer` (a bench's
 * `--load` flag) picks one; asking for wrk where it is missing is an error, not a quiet fallback.
 */
export function loadTool(prefer?: string): LoadTool {
  if (prefer !== undefined && prefer !== "wrk" && prefer !== "autocannon")
    throw new UsageError(`--load must be wrk or autocannon (got "${prefer}")`);
  wrkOk ??= spawnSync("wrk", ["-v"], { stdio: "ignore" }).error === undefined;
  if (prefer === "wrk" && !wrkOk) throw new UsageError("--load wrk: wrk is not installed (Debian: apt-get install wrk)");
  return (prefer as LoadTool | undefined) ?? (wrkOk ? "wrk" : "autocannon");
}

/** A duration as wrk prints it (`812.00us`, `5.28ms`, `1.20s`, `2.00m`), in milliseconds. */
function wrkMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!m) throw new Error(`wrk printed a latency this bench cannot read: "${text}"`);
  const unit = m[2] === "us" ? 1e-3 : m[2] === "ms" ? 1 : m[2] === "s" ? 1e3 : 60e3;
  return Number(m[1]) * unit;
}

/** The figures of one `wrk --latency` run, read from what it prints. */
export function parseWrk(out: string): LoadResult {
  const num = (re: RegExp, what: string): string => {
    const m = re.exec(out);
    if (!m) throw new Error(`wrk's output has no ${what}:\n${out}`);
    return m[1] as string;
  };
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    rps: Number(num(/^Requests\/sec:\s+([\d.]+)/m, "Requests/sec line")),
    total: Number(num(/^\s*(\d+) requests in /m, "request count")),
    p50: wrkMs(num(/^\s*50%\s+(\S+)/m, "50% latency (run it with --latency)")),
    p99: wrkMs(num(/^\s*99%\s+(\S+)/m, "99% latency (run it with --latency)")),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    // Read errors count connections the server closed; each is one failed request.
    errors: errors ? errors.slice(1).reduce((a, n) => a + Number(n), 0) : 0,
  };
}

/**
 * GET `url` with `connections` open connections for `duration` seconds: wrk as a child process
 * (one thread; it inherits this process's CPU pinning) or autocannon in this process.
 */
export async function httpLoad(
  tool: LoadTool,
  o: { url: string; connections: number; duration: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  if (tool === "autocannon") {
    // autocannon ships no type declarations.
    const autocannon = require("autocannon") as (opts: object) => Promise<{
      requests: { average: number; total: number };
      latency: { p50: number; p99: number };
      non2xx: number;
      errors: number;
    }>;
    const r = await autocannon({ url: o.url, connections: o.connections, duration: o.duration, headers: o.headers, pipelining: 1 });
    return { rps: r.requests.average, total: r.requests.total, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
  }
  const args = ["-t1", `-c${o.connections}`, `-d${o.duration}s`, "--latency"];
  for (const [k, v] of Object.entries(o.headers ?? {})) args.push("-H", `${k}: ${v}`);
  args.push(o.url);
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`wrk ${args.join(" ")} exited with ${code}:\n${out}`));
      else {
        try {
          resolve(parseWrk(out));
        } catch (e) {
          reject(e);
        }
      }
    });
  });
}
