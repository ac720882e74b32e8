import * as path from "node:path";
import { estimate, type ProfileInput, parseProfile, readProfileFile } from "../cost";
import { configOf, stackConfigOf } from "../cost/config";
import { renderReport } from "../cost/render";
import { loadApi, userError } from "../model";
import { loadStack, PROJECT } from "../plan/stack";
import { CLOUDS, type CloudName } from "../providers/types";
import { flags, main } from "./cli";

const USAGE =
  "npm run cost -- [--stack <name> | --cloud aws|azure|gcp|all] [--api <file>] --requests <per month> [--duration-ms <avg>] [--payload-kb <avg>] [--profile <file.json>] [--json]";

main(async () => {
  const f = flags(
    {
      stack: { type: "string" },
      cloud: { type: "string" },
      api: { type: "string" },
      requests: { type: "string" },
      "duration-ms": { type: "string" },
      "payload-kb": { type: "string" },
      profile: { type: "string" },
      json: { type: "boolean", default: false },
    },
    USAGE,
  );
  const projectDir = path.resolve(__dirname, "..");
  if (f.stack && f.cloud) throw userError(`give --stack or --cloud, not both.\nusage: ${USAGE}`);
  const stack = f.stack ? loadStack(projectDir, f.stack) : undefined;
  const config = stack ? stackConfigOf(stack) : configOf("cli", {});
  let clouds: readonly CloudName[] = CLOUDS;
  if (stack) {
    const cloud = stack.config[`${PROJECT}:cloud`];
    if (!cloud || !(CLOUDS as readonly string[]).includes(cloud))
      throw userError(`stack "${f.stack}": switchyard:cloud must be aws, azure or gcp.`);
    clouds = [cloud as CloudName];
  } else if (f.cloud && f.cloud !== "all") {
    if (!(CLOUDS as readonly string[]).includes(f.cloud))
      throw userError(`--cloud "${f.cloud}" is not a cloud. Use aws, azure, gcp or all.`);
    clouds = [f.cloud as CloudName];
  }

  // Profile: the file, then the stack's traffic.* keys, then flags (last wins).
  const input: ProfileInput = {};
  if (f.profile) Object.assign(input, readProfileFile(f.profile));
  const fromStack = (key: string) => {
    const v = config.get(`traffic.${key}`);
    return v === undefined || v === "0" ? undefined : v;
  };
  for (const k of ["requestsPerMonth", "avgDurationMs", "avgPayloadKb"] as const) {
    const v = stack ? fromStack(k) : undefined;
    if (v !== undefined) input[k] = v;
  }
  if (f.requests !== undefined) input.requestsPerMonth = f.requests;
  if (f["duration-ms"] !== undefined) input.avgDurationMs = f["duration-ms"];
  if (f["payload-kb"] !== undefined) input.avgPayloadKb = f["payload-kb"];
  const flagOf: Record<string, string> = { requestsPerMonth: "--requests", avgDurationMs: "--duration-ms", avgPayloadKb: "--payload-kb" };
  const profile = parseProfile(
    input,
    (field) => flagOf[field] ?? `${f.profile ?? "profile"}: ${field === "routeShares" ? "routes" : field}`,
  );

  const apiFile = f.api ?? config.get("api") ?? "api.ts";
  const api = loadApi(apiFile, f.api ? process.cwd() : projectDir);
  const report = estimate(api, profile, config, clouds);
  process.stdout.write(f.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
});
