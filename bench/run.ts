/**
 * `npm run bench`: runs every bench in bench/ and writes bench/RESULTS.md (machine, Node version,
 * date, commands, raw numbers, medians and ratios to the anchors measured in the same run).
 *
 * Each bench runs in its own process. In-process benches (the measured code is the bench itself)
 * run on core 1; benches that spawn the measured processes run on core 0 and pin those to core 1.
 * bench/local-gateway.ts (the local gateway's own bench, owned by its helper) is run when present,
 * unpinned (it places its server and load generator itself), and its output included verbatim.
 *
 * Flags: `--only a,b` runs only those benches (names without .ts); `--out <file>` writes elsewhere.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { canPin, exitWith, machine, NODE, OUT, pinned, ROOT, render, type Section } from "./lib";

/** Known benches and the core their driver runs on (undefined: unpinned). */
const KNOWN: Record<string, { core?: number; timeoutS: number }> = {
  adapters: { core: 1, timeoutS: 120 },
  "cold-start": { core: 0, timeoutS: 120 },
  bundles: { core: 0, timeoutS: 120 },
  "http-adapter": { core: 0, timeoutS: 150 },
  "gateway-listener": { core: 1, timeoutS: 120 },
  "plan-scaling": { timeoutS: 420 },
  "local-gateway": { timeoutS: 360 },
};
/** bench/*.ts files that are helpers, not benches. */
const HELPERS = new Set(["lib", "builds", "run"]);

/** Benches to run: the known ones first, then any other bench/*.ts exporting `main`. */
export function discover(dir = path.join(ROOT, "bench")): string[] {
  const found = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => f.slice(0, -3))
    .filter((n) => !HELPERS.has(n));
  const exportsMain = (n: string) =>
    /export\s+(async\s+)?function\s+main\b|export\s+const\s+main\b/.test(fs.readFileSync(path.join(dir, `${n}.ts`), "utf8"));
  const known = Object.keys(KNOWN).filter((n) => found.includes(n));
  const others = found.filter((n) => !(n in KNOWN) && exportsMain(n)).sort();
  return [...known, ...others];
}

interface Outcome {
  name: string;
  seconds: number;
  section?: Section;
  /** Markdown printed by a bench that does not use bench/lib.ts (or its failure). */
  text?: string;
  command: string;
}

function runOne(name: string): Promise<Outcome> {
  const spec = KNOWN[name] ?? { core: 0, timeoutS: 180 };
  const jsonFile = path.join(OUT, `${name}.json`);
  fs.rmSync(jsonFile, { force: true });
  const base = [path.join(ROOT, "node_modules", "ts-node", "register", "transpile-only.js")];
  const args = ["-r", ...base, path.join(ROOT, "bench", `${name}.ts`), "--json", jsonFile];
  const [cmd, argv] = spec.core === undefined ? [NODE, args] : pinned(spec.core, NODE, args);
  const command = `${cmd === "taskset" ? `taskset -c ${spec.core} ` : ""}node -r ts-node/register/transpile-only bench/${name}.ts`;
  const started = Date.now();
  process.stdout.write(`bench ${name}: running (${command}) …\n`);
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } });
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      err += `\n(killed after ${spec.timeoutS} s)`;
      child.kill("SIGKILL");
    }, spec.timeoutS * 1000);
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => {
      clearTimeout(timer);
      const seconds = (Date.now() - started) / 1000;
      process.stdout.write(`bench ${name}: ${code === 0 ? "done" : `exit ${code}`} in ${seconds.toFixed(1)} s\n`);
      if (code === 0 && fs.existsSync(jsonFile)) {
        resolve({ name, seconds, command, section: JSON.parse(fs.readFileSync(jsonFile, "utf8")) as Section });
      } else if (code === 0) {
        resolve({ name, seconds, command, text: out.trim() });
      } else {
        resolve({
          name,
          seconds,
          command,
          text: `bench ${name} failed (exit ${code}):\n\n\`\`\`\n${(err || out).trim().slice(-3000)}\n\`\`\``,
        });
      }
    });
  });
}

export async function runAll(only?: string[], outFile = path.join(ROOT, "bench", "RESULTS.md")): Promise<string> {
  fs.mkdirSync(OUT, { recursive: true });
  const started = Date.now();
  const names = discover().filter((n) => !only || only.includes(n));
  const outcomes: Outcome[] = [];
  for (const n of names) outcomes.push(await runOne(n));
  const m = machine();
  const lines = [
    "# switchyard benchmarks (issue #9)",
    "",
    "Written by `npm run bench` (bench/run.ts). Every ratio divides a figure by its anchor measured in the same run;",
    "medians of the rounds shown. These machines are noisy (other work shares the cores): compare ratios, not absolute times.",
    "",
    "| | |",
    "|---|---|",
    ...Object.entries(m).map(([k, v]) => `| ${k} | ${v} |`),
    `| total bench time | ${((Date.now() - started) / 1000).toFixed(0)} s |`,
    "",
    "Benches run (each in its own process):",
    "",
    ...outcomes.map((o) => `- \`${o.command}\` — ${o.seconds.toFixed(1)} s`),
    "",
  ];
  if (!canPin()) lines.push("taskset was not available: nothing was pinned to a core.", "");
  const goals = outcomes.flatMap((o) => o.section?.goals.map((g) => ({ ...g, bench: o.name })) ?? []);
  if (goals.length) {
    lines.push("## Goals at a glance", "");
    for (const g of goals)
      lines.push(`- **${g.met === null ? "NOT MEASURED" : g.met ? "MET" : "NOT MET"}** (${g.bench}) ${g.goal} — ${g.detail}`);
    lines.push("");
  }
  lines.push(
    "Not measured by these benches: goal 4 itself (the local gateway with routing, API-key auth and access log: bench/local-gateway.ts, included below when present; bench/http-adapter.ts measures only the adapter part, bench/gateway-listener.ts the gateway's own work per request without the network) and goal 6 (deploy-time forecast: a plan feature, `forecast` in the plan JSON and the text plan, plan/forecast.ts; not a bench).",
    "",
    "Reference figures quoted in issue #9 (another run, wrk -c50, for orientation only): hono/aws-lambda 12.1 µs, minimal fetch-style adapter 11.0 µs (0.91×), serverless-express 46 µs (3.8×), native 0.26 µs (0.02×) per invocation; first use of Request/Response +25.8 ms on Node 22; bundles: dependency-free 161 B, Hono 25 KB, Express + serverless-express 849 KB (967 KB zipped with node_modules, 38–73 ms import).",
    "",
  );
  for (const o of outcomes) {
    if (o.section) lines.push(render(o.section));
    else lines.push(`## ${o.name} (output as printed)`, "", o.text ?? "", "");
  }
  const text = `${lines.join("\n").trimEnd()}\n`;
  fs.writeFileSync(outFile, text);
  // The repository's formatter (Biome) also formats Markdown tables: keep the file lint-clean.
  const biome = path.join(ROOT, "node_modules", ".bin", "biome");
  if (fs.existsSync(biome)) spawnSync(biome, ["format", "--write", outFile], { cwd: ROOT, stdio: "ignore" });
  return outFile;
}

if (require.main === module) {
  const i = process.argv.indexOf("--only");
  const only = i >= 0 ? process.argv[i + 1]?.split(",") : undefined;
  const j = process.argv.indexOf("--out");
  const out = j >= 0 ? path.resolve(process.argv[j + 1] as string) : undefined;
  runAll(only, out).then((file) => process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`), exitWith);
}
