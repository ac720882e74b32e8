#!/usr/bin/env node

// The test command: lint (Biome), typecheck (tsc), then the mocha suite. Runs every step even when
// one fails, so a run shows all problems; exits non-zero when any step failed. The last line printed
// is mocha's count, `N passed, N failed`.
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const steps = [
  ["lint", bin("biome"), ["check", "."]],
  ["typecheck", bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]],
];
const extra = process.argv.slice(2);
let failed = false;
for (const [name, cmd, args] of steps) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  const ok = r.status === 0;
  failed ||= !ok;
  process.stdout.write(`${name}: ${ok ? "ok" : "FAILED"} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}
const mocha = spawnSync(process.execPath, [bin("mocha"), "--reporter", path.join(root, "test/support/reporter.js"), ...extra], {
  cwd: root,
  stdio: "inherit",
});
process.exit(failed || mocha.status !== 0 ? 1 : 0);
