import * as path from "node:path";
import { build, targets } from "../bundle";
import { loadApi, userError } from "../model";
import { CLOUDS, type CloudName } from "../providers/types";
import { flags, main } from "./cli";

const USAGE = "npm run build -- [--api <file>] [--cloud aws|azure|gcp|all] [--out <dir>]";

main(async () => {
  const f = flags(
    { api: { type: "string", default: "api.ts" }, cloud: { type: "string", default: "all" }, out: { type: "string", default: ".build" } },
    USAGE,
  );
  const cloud = f.cloud ?? "all";
  if (cloud !== "all" && !(CLOUDS as readonly string[]).includes(cloud)) {
    throw userError(`--cloud "${cloud}" is not a cloud. Use aws, azure, gcp or all.`);
  }
  const api = loadApi(f.api ?? "api.ts");
  const clouds = cloud === "all" ? CLOUDS : [cloud as CloudName];
  const failed = false;
  for (const c of clouds) {
    if (cloud === "all" && targets[c].unavailable) {
      process.stdout.write(`${c}: skipped: ${targets[c].unavailable}\n`);
      continue;
    }
    const started = performance.now();
    const result = await build(api, c, f.out ?? ".build");
    const ms = Math.round(performance.now() - started);
    process.stdout.write(`${c}: ${result.units.length} units in ${path.relative(process.cwd(), result.dir)} (${ms} ms)\n`);
    for (const u of result.units)
      process.stdout.write(`  ${u.name.padEnd(24)} ${String(u.bytes).padStart(8)} B  sha256:${u.hash.slice(0, 12)}\n`);
  }
  if (failed) process.exitCode = 1;
});
