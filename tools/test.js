#!/usr/bin/env node

// The test command: lint (Biome), typecheck (tsc), then the mocha suite. Runs every step even when
// one fails, so a run shows all problems; exits non-zero when any step failed. The last line printed
// is mocha's count, `N passed, N failed`.
//
// The plan fuzzer (test/model/fuzz-plan.test.ts, 1,000 full plans, about a minute) runs in a mocha
// process of its own from the start, beside lint and typecheck, which leave a core idle; its output
// is printed after the main suite's, and the closing line counts both. With arguments (e.g.
// `npm test -- --grep jwt`), everything runs in one mocha process, as before.
const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const reporter = path.join(root, "test/support/reporter.js");
const SIDE = "test/model/fuzz-plan.test.ts";
const extra = process.argv.slice(2);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-test-"));
const summary = (name) => path.join(tmp, `${name}.json`);

function startSide() {
  const log = path.join(tmp, "side.log");
  const fd = fs.openSync(log, "w");
  const started = Date.now();
  // --no-config: .mocharc's spec (every test file) would be added to SIDE.
  // A larger young generation: each plan allocates much short-lived bookkeeping (about 10% less time).
  const args = [
    "--max-semi-space-size=64",
    bin("mocha"),
    "--no-config",
    "--require",
    "ts-node/register/transpile-only",
    "--reporter",
    reporter,
    SIDE,
  ];
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ["ignore", fd, fd],
    env: { ...process.env, SWITCHYARD_SUMMARY_FILE: summary("side") },
  });
  fs.closeSync(fd);
  const done = new Promise((resolve) => {
    // The parent is blocked in spawnSync while the main suite runs, so this event can come late: the
    // run's own length is read from when its reporter wrote the summary.
    child.on("exit", (code, signal) => {
      let ended = Date.now();
      try {
        ended = fs.statSync(summary("side")).mtimeMs;
      } catch {}
      resolve({ code, signal, seconds: (ended - started) / 1000 });
    });
    child.on("error", (e) => resolve({ code: null, signal: String(e), seconds: 0 }));
  });
  return { log, done };
}

function readCounts(name) {
  try {
    return JSON.parse(fs.readFileSync(summary(name), "utf8"));
  } catch {
    return undefined;
  }
}

async function main() {
  const side = extra.length === 0 ? startSide() : undefined;
  let failed = false;
  for (const [name, cmd, args] of [
    ["lint", bin("biome"), ["check", "."]],
    ["typecheck", bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]],
  ]) {
    const started = Date.now();
    const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
    const ok = r.status === 0;
    failed ||= !ok;
    process.stdout.write(`${name}: ${ok ? "ok" : "FAILED"} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  }
  const mochaArgs = [bin("mocha"), "--reporter", reporter, ...(side ? ["--ignore", SIDE] : []), ...extra];
  const suite = spawnSync(process.execPath, mochaArgs, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, SWITCHYARD_SUMMARY_FILE: summary("main") },
  });
  const counts = [readCounts("main")];
  if (side) {
    const end = await side.done;
    process.stdout.write(`\n${SIDE} (run beside lint and typecheck; finished ${end.seconds.toFixed(1)} s after the start):\n`);
    process.stdout.write(fs.readFileSync(side.log, "utf8"));
    counts.push(readCounts("side"));
    if (end.code !== 0) failed = true;
  }
  if (suite.status !== 0) failed = true;
  // A mocha process that died before its summary counts as one failure, so the line never reads clean.
  const passes = counts.reduce((n, c) => n + (c ? c.passes : 0), 0);
  const failures = counts.reduce((n, c) => n + (c ? c.failures : 1), 0);
  fs.rmSync(tmp, { recursive: true, force: true });
  process.stdout.write(`${passes} passed, ${failures} failed\n`);
  process.exit(failed || failures > 0 ? 1 : 0);
}

main();
