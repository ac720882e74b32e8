import { userError } from "../model";
import { flags, main } from "../tools/cli";
import { consumersOf, parseKeyList } from "./auth";
import { banner } from "./banner";
import { startGateway } from "./gateway";

const USAGE = "npm run dev -- [--api <file>] [--port <n>] [--profile aws|azure|gcp] [--json]";

main(async () => {
  const f = flags(
    {
      api: { type: "string", default: "api.ts" },
      port: { type: "string", default: "8787" },
      profile: { type: "string" },
      json: { type: "boolean" },
    },
    USAGE,
  );
  const port = Number(f.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw userError(`--port "${f.port}" is not a port number (0..65535; 0 picks a free one).`);
  if (f.profile !== undefined && !["aws", "azure", "gcp"].includes(f.profile)) {
    throw userError(`--profile "${f.profile}": use aws, azure or gcp (omit it for ctx.cloud "local").`);
  }
  const envKeys = parseKeyList(process.env.SWITCHYARD_API_KEYS);
  const gw = await startGateway({
    apiFile: f.api,
    port,
    keys: envKeys,
    profile: f.profile as "aws" | "azure" | "gcp" | undefined,
    log: f.json ? "json" : process.stdout.isTTY ? "color" : "plain",
  });
  const api = gw.api();
  const unknown = Object.keys(envKeys).filter((n) => !consumersOf(api).includes(n));
  if (f.json) {
    process.stdout.write(
      `${JSON.stringify({ type: "gateway", msg: "ready", url: gw.url, routes: api.routes.map((r) => r.key), keys: gw.keys })}\n`,
    );
  } else {
    process.stdout.write(`${banner(api, gw.keys, gw.url, Object.keys(envKeys).length > 0)}\n`);
    if (unknown.length) process.stdout.write(`warning: SWITCHYARD_API_KEYS names no consumer of the model: ${unknown.join(", ")}\n`);
  }
  process.stdout.write(`listening on ${gw.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stdout.write(`${signal}: finishing in-flight requests…\n`);
      gw.close().then(resolve);
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
});
