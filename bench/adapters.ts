/**
 * Goal 1 (adapters): per-invocation time of the AWS API Gateway adapters on the same event and the
 * same trivial JSON answer, against `hono/aws-lambda`, `@codegenie/serverless-express` + Express 4
 * and a native handler that builds no Request/Response; of the Azure v4 adapter on one real
 * `@azure/functions` HttpRequest, against Hono behind the conversion a Hono-on-Azure adapter makes
 * (Hono ships none); and of the GCP adapter on the Functions Framework's node request / response,
 * against Hono's node listener (`@hono/node-server` getRequestListener) on the same objects. Each
 * host's variants in a process of their own; sequential calls (a synchronous answer not awaited),
 * warm-up first, then short interleaved rounds; the median round is reported, and each ratio is the
 * median of round-by-round ratios (bench/lib.ts `ratio`).
 */

import { spawnSync } from "node:child_process";
import * as http from "node:http";
import * as net from "node:net";
import * as path from "node:path";
import { HttpRequest, InvocationContext } from "@azure/functions";
import serverlessExpress from "@codegenie/serverless-express";
import { getRequestListener } from "@hono/node-server";
import express from "express";
import { Hono } from "hono";
import { handle } from "hono/aws-lambda";
import { bundleConfig } from "../bundle/targets/gcp";
import { loadApi } from "../model";
import type { Handler } from "../runtime";
import { type ApiGatewayV1Event, type ApiGatewayV2Event, lambdaHandler } from "../runtime/aws-lambda";
import { azureHandler } from "../runtime/azure-functions";
import { gcpAdapter } from "../runtime/gcp-functions";
import { LightResponse } from "../runtime/lazy";
import { cli, exitWith, type Figure, type Goal, honoCors, ratio, type Section, tick } from "./lib";

const ROUNDS = 151;
const ROUND_MS = 5;

const HEADERS: Record<string, string> = {
  accept: "application/json",
  "accept-encoding": "gzip, deflate, br",
  "content-length": "0",
  host: "abc123.execute-api.eu-west-1.amazonaws.com",
  "user-agent": "bench/1.0",
  "x-amzn-trace-id": "Root=1-5f84c7a9-0f1e2d3c4b5a697887766554",
  "x-api-key": "k-1234567890",
  "x-forwarded-for": "203.0.113.7",
  "x-forwarded-port": "443",
  "x-forwarded-proto": "https",
};

/** An API Gateway HTTP API (payload 2.0) event for GET /books/1?page=2. */
export const V2_EVENT: ApiGatewayV2Event = {
  version: "2.0",
  rawPath: "/books/1",
  rawQueryString: "page=2",
  headers: HEADERS,
  pathParameters: { id: "1" },
  requestContext: {
    requestId: "JKJaXmPLvHcESHA=",
    domainName: "abc123.execute-api.eu-west-1.amazonaws.com",
    http: { method: "GET", path: "/books/1", sourceIp: "203.0.113.7" },
  },
  isBase64Encoded: false,
};
// Fields the adapters under test read that are not in our interface (route key, stage, time).
Object.assign(V2_EVENT, { routeKey: "GET /books/{id}", queryStringParameters: { page: "2" } });
Object.assign(V2_EVENT.requestContext, {
  accountId: "123456789012",
  apiId: "abc123",
  stage: "$default",
  routeKey: "GET /books/{id}",
  time: "27/Nov/2026:07:00:00 +0000",
  timeEpoch: 1795676400000,
});
Object.assign(V2_EVENT.requestContext.http, { protocol: "HTTP/1.1", userAgent: "bench/1.0" });

/** The same request as an API Gateway REST proxy (payload 1.0) event. */
export const V1_EVENT: ApiGatewayV1Event = {
  version: "1.0",
  httpMethod: "GET",
  path: "/books/1",
  headers: HEADERS,
  multiValueHeaders: Object.fromEntries(Object.entries(HEADERS).map(([k, v]) => [k, [v]])),
  queryStringParameters: { page: "2" },
  multiValueQueryStringParameters: { page: ["2"] },
  pathParameters: { id: "1" },
  body: null,
  isBase64Encoded: false,
  requestContext: {
    requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    domainName: "abc123.execute-api.eu-west-1.amazonaws.com",
    identity: { sourceIp: "203.0.113.7" },
  },
};
Object.assign(V1_EVENT, { resource: "/books/{id}", stageVariables: null });
Object.assign(V1_EVENT.requestContext ?? {}, {
  accountId: "123456789012",
  apiId: "abc123",
  stage: "prod",
  resourcePath: "/books/{id}",
  httpMethod: "GET",
  path: "/prod/books/1",
});

const LAMBDA_CONTEXT = {
  awsRequestId: "ctx-1",
  functionName: "bench",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:bench",
  memoryLimitInMB: "256",
  logGroupName: "/aws/lambda/bench",
  logStreamName: "s",
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

type Invoke = (event: unknown) => Promise<unknown>;

/** The shipped handlers of every adapter's rows: the answer a LightResponse (the bundles' inject), reading nothing… */
const LIGHT: Handler = () => LightResponse.json({ ok: true }) as unknown as Response;
/** …or parsing request.url and reading a header the request carries. */
const READING: Handler = (r) => {
  const page = new URL(r.url).searchParams.get("page");
  const key = r.headers.get("x-api-key");
  return LightResponse.json({ ok: page !== null && key !== null }) as unknown as Response;
};

/** The variants, each answering {"ok":true} as JSON. */
export function variants(): { name: string; v2: Invoke; v1: Invoke; note: string }[] {
  const portable: Handler = () => Response.json({ ok: true });
  const native = async (event: unknown) => {
    void event;
    return { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ ok: true }), isBase64Encoded: false };
  };
  const app = new Hono();
  app.get("/books/:id", (c) => c.json({ ok: true }));
  const hono = handle(app) as unknown as (e: unknown, c: unknown) => Promise<unknown>;
  const ex = express();
  ex.disable("x-powered-by");
  ex.disable("etag");
  ex.get("/books/:id", (_req, res) => {
    res.json({ ok: true });
  });
  const sls = serverlessExpress({ app: ex, logSettings: { level: "error" } }) as unknown as (e: unknown, c: unknown) => Promise<unknown>;
  const lazyReal = lambdaHandler(portable, "bench");
  const lazyLight = lambdaHandler(LIGHT, "bench");
  const lazyReading = lambdaHandler(READING, "bench");
  const two =
    (f: (e: never, c?: never) => Promise<unknown>): Invoke =>
    (e) =>
      f(e as never, LAMBDA_CONTEXT as never);
  return [
    { name: "native", v2: native, v1: native, note: "builds no Request/Response (the floor)" },
    {
      name: "lazy adapter + Response.json",
      v2: two(lazyReal),
      v1: two(lazyReal),
      note: "runtime/aws-lambda.ts; a handler built without the inject keeps the global Response",
    },
    {
      name: "lazy adapter + LightResponse (shipped)",
      v2: two(lazyLight),
      v1: two(lazyLight),
      note: "what AWS bundles run: runtime/aws-lambda.ts, the handler's Response is LightResponse (bundle inject)",
    },
    {
      name: "lazy + LightResponse, handler reads url+header",
      v2: two(lazyReading),
      v1: two(lazyReading),
      note: "handler parses request.url and reads a header",
    },
    { name: "hono/aws-lambda", v2: two(hono), v1: two(hono), note: "anchor: handle(app), c.json" },
    { name: "serverless-express + Express 4", v2: two(sls), v1: two(sls), note: "anchor: res.json" },
  ];
}

const AZURE_ANCHOR = "azure Hono + fetch-style conversion";

/**
 * The Azure v4 path: the adapter the Azure bundle ships (LazyRequest in, the answer read with
 * readResponse) with the handler's Response a LightResponse (the bundle's inject) or the global one,
 * and the anchor: Hono's `app.fetch` on a real Request made from the HttpRequest, its Response read
 * back into an HttpResponseInit. Every variant gets the same HttpRequest, built once by the library.
 */
async function azureFigures(figures: Figure[]): Promise<void> {
  const req = new HttpRequest({
    method: "GET",
    url: "https://bookshop.azurewebsites.net/api/books/1?page=2",
    headers: { ...HEADERS, "x-switchyard-consumer": "acme" },
    params: { id: "1" },
  });
  const ctx = new InvocationContext({ invocationId: "bench-invocation", functionName: "getBook", logHandler: () => undefined });
  const app = new Hono();
  app.get("/api/books/:id", (c) => c.json({ ok: true }));
  const anchor = async () => {
    const res = await app.fetch(new Request(req.url, { method: req.method, headers: req.headers }));
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      headers[k] = v;
    });
    return { status: res.status, headers, body: new Uint8Array(await res.arrayBuffer()) };
  };
  const shipped = azureHandler(LIGHT, "getBook");
  const real = azureHandler(() => Response.json({ ok: true }), "getBook");
  const reads = azureHandler(READING, "getBook");
  const variants: [string, () => unknown, string][] = [
    ["azure adapter + LightResponse (shipped)", () => shipped(req, ctx), "what the Azure bundle runs (inject)"],
    ["azure adapter + Response.json", () => real(req, ctx), "handler keeps the global Response"],
    ["azure adapter + LightResponse, handler reads url+header", () => reads(req, ctx), "handler parses request.url and reads a header"],
    [AZURE_ANCHOR, anchor, "anchor: app.fetch(new Request(req.url, { method, headers })), body read as bytes"],
  ];
  await timeVariants(variants, AZURE_ANCHOR, figures, (r) => {
    const x = r as { status?: number; body?: Uint8Array };
    return x.status === 200 && Buffer.from(x.body ?? []).toString() === '{"ok":true}';
  });
}

const GCP_ANCHOR = "gcp Hono node listener";
const GCP_CORS = "gcp adapter + LightResponse (shipped), CORS";
const GCP_CORS_ANCHOR = "gcp Hono node listener + hono/cors";

/**
 * The Functions Framework path: what the framework hands a function is Express's request and
 * response, i.e. node's IncomingMessage and ServerResponse. Each call gets one request (built once:
 * GET /books/1?page=2 with the bench headers) and a fresh ServerResponse (not attached to a socket,
 * so `end()` keeps the bytes), for every variant alike. The shipped adapter is configured with the
 * example's getBook routes (bundle/targets/gcp.ts bundleConfig); the anchor is Hono behind
 * `@hono/node-server`'s getRequestListener, the listener its node server uses.
 */
async function gcpFigures(figures: Figure[]): Promise<void> {
  const request = (extra: Record<string, string> = {}) => {
    const req = new http.IncomingMessage(new net.Socket());
    req.method = "GET";
    req.url = "/books/1?page=2";
    // Google's front end adds its trace headers to every request a Cloud Run function gets
    // (https://cloud.google.com/run/docs/trace), which the adapter takes its request id from.
    req.headers = {
      ...HEADERS,
      "x-cloud-trace-context": "105445aa7843bc8bf206b12000100000/1;o=1",
      traceparent: "00-105445aa7843bc8bf206b12000100000-0000000000000001-01",
      ...extra,
    };
    req.push(null);
    return req;
  };
  const req = request();
  const api = loadApi(path.resolve(__dirname, "..", "api.ts"));
  // The example's getBook config carries the model's CORS settings (API Gateway on GCP has no CORS
  // support, so the adapter adds the headers). Like for like: the adapter without CORS against bare
  // Hono (the goal's figure, the same work as the AWS rows), and with the example's CORS against
  // Hono with hono/cors given the same settings.
  const withCorsConfig = bundleConfig(api, api.functions.getBook as NonNullable<(typeof api.functions)["getBook"]>);
  const config = { ...withCorsConfig, cors: undefined };
  const c = withCorsConfig.cors as NonNullable<typeof withCorsConfig.cors>;
  // The CORS rows: a cross-origin call from the example's allowed origin.
  const corsReq = request({ origin: c.allowOrigins[0] as string });
  const app = new Hono();
  app.get("/books/:id", (c) => c.json({ ok: true }));
  const listener = getRequestListener(app.fetch);
  const corsApp = new Hono();
  corsApp.use(await honoCors(c));
  corsApp.get("/books/:id", (c) => c.json({ ok: true }));
  const corsListener = getRequestListener(corsApp.fetch);
  const shipped = gcpAdapter(LIGHT, config);
  const shippedCors = gcpAdapter(LIGHT, withCorsConfig);
  const real = gcpAdapter(() => Response.json({ ok: true }), config);
  const reads = gcpAdapter(READING, config);
  // The response once it has ended, as the Functions Framework calls a function: it does not await
  // what the function returns. A function that answered synchronously costs no promise here; one
  // that returned a promise is awaited, then its `end()` if it comes later (Hono's listener may end
  // the response after its promise settles).
  const call = (fn: (q: http.IncomingMessage, s: http.ServerResponse) => unknown, q = req) => {
    const res = new http.ServerResponse(q);
    const r = fn(q, res);
    if (!(r instanceof Promise) && res.writableEnded) return res;
    return Promise.resolve(r).then(() =>
      res.writableEnded
        ? res
        : new Promise<http.ServerResponse>((resolve) => {
            const end = res.end.bind(res);
            res.end = ((...a: Parameters<typeof res.end>) => {
              const x = end(...a);
              resolve(res);
              return x;
            }) as typeof res.end;
          }),
    );
  };
  const answersOk = (r: unknown) => {
    const res = r as http.ServerResponse & { outputData: { data: string | Uint8Array }[] };
    const out = res.outputData.map((d) => (typeof d.data === "string" ? d.data : Buffer.from(d.data).toString())).join("");
    return res.statusCode === 200 && out.endsWith('{"ok":true}');
  };
  type Variant = [string, () => http.ServerResponse | Promise<http.ServerResponse>, string];
  // The goal's pairs, each timed on its own (the two alone, round beside round): a third variant in
  // the same rounds leaves its garbage to whichever runs next, which shifts a ratio by 10-20 % here.
  const pairs: Variant[][] = [
    [
      ["gcp adapter + LightResponse (shipped)", () => call(shipped as never), "what GCP bundles run (inject); no CORS"],
      [GCP_ANCHOR, () => call(listener), "anchor: @hono/node-server getRequestListener(app.fetch), c.json"],
    ],
    [
      [GCP_CORS, () => call(shippedCors as never, corsReq), "the example's CORS settings, request from its allowed origin"],
      [GCP_CORS_ANCHOR, () => call(corsListener, corsReq), "anchor: the same listener, app.use(cors(...)) with the example's settings"],
    ],
  ];
  for (const pair of pairs) await timeVariants(pair, (pair[1] as Variant)[0], figures, answersOk);
  // Other handlers behind the same adapter, against the anchor above (ratio of medians: not paired).
  const others: Variant[] = [
    ["gcp adapter + Response.json", () => call(real as never), "handler keeps the global Response; no CORS"],
    [
      "gcp adapter + LightResponse, handler reads url+header",
      () => call(reads as never),
      "handler parses request.url and reads a header; no CORS",
    ],
  ];
  await timeVariants(others, GCP_ANCHOR, figures, answersOk);
}

/**
 * Times variants (every adapter's): each checked to answer {"ok":true}, warmed up, sized to
 * ≈ ROUND_MS a round, then ROUNDS interleaved rounds; one figure each, against `anchor`.
 */
async function timeVariants(
  variants: [string, () => unknown, string][],
  anchor: string,
  figures: Figure[],
  answersOk: (result: unknown) => boolean,
): Promise<void> {
  const sizes = new Map<string, number>();
  const rounds = new Map<string, number[]>();
  for (const [name, f] of variants) {
    if (!answersOk(await f())) throw new Error(`${name} did not answer 200 {"ok":true}`);
    await loop(f, 3000);
    const us = await loop(f, 2000);
    sizes.set(name, Math.max(200, Math.round((ROUND_MS * 1000) / us)));
    rounds.set(name, []);
  }
  // Short rounds, in order on even rounds and in reverse on odd ones (A B C, C B A, …): each
  // variant's round i lies beside its anchor's round i, and a steady drift hits both alike.
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, f] of r % 2 ? [...variants].reverse() : variants) {
      await tick();
      rounds.get(name)?.push(await loop(f, sizes.get(name) as number));
    }
  }
  for (const [name, , note] of variants) {
    figures.push({
      name,
      unit: "µs/invocation",
      rounds: rounds.get(name) ?? [],
      // Paired when the anchor's rounds were taken in the same loop, beside this variant's.
      ...(name !== anchor ? { anchor, paired: variants.some(([n]) => n === anchor) } : {}),
      note,
    });
  }
}

/** µs per call of `n` sequential calls; a call that answers synchronously (no promise) is not awaited. */
async function loop(f: () => unknown, n: number): Promise<number> {
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const r = f();
    if (r instanceof Promise) await r;
  }
  return Number(process.hrtime.bigint() - t) / 1000 / n;
}

/** One host's variants, timed in this process (the child mode of `main`). */
async function hostFigures(host: Host): Promise<Figure[]> {
  const figures: Figure[] = [];
  if (host === "aws") {
    const vs = variants();
    for (const [payload, event] of [
      ["2.0", V2_EVENT],
      ["1.0", V1_EVENT],
    ] as const) {
      await timeVariants(
        vs.map((v) => [`${payload} ${v.name}`, () => (payload === "2.0" ? v.v2 : v.v1)(event), v.note]),
        `${payload} hono/aws-lambda`,
        figures,
        (r) => {
          // A proxy result; a binary (base64) body is decoded before the comparison.
          const x = r as { statusCode?: number; body?: string };
          const body = x.body && !x.body.startsWith("{") ? Buffer.from(x.body, "base64").toString() : x.body;
          return x.statusCode === 200 && body === '{"ok":true}';
        },
      );
    }
  } else if (host === "azure") await azureFigures(figures);
  else await gcpFigures(figures);
  return figures;
}

type Host = "aws" | "azure" | "gcp";
const HOSTS: Host[] = ["aws", "azure", "gcp"];

/**
 * Each host's variants in a fresh Node process (this file with `--host <name>`, on the core this
 * one runs on), as a function runs one adapter per process: timed in one process, the code the
 * adapters share (runtime/lazy.ts) would be compiled for all three hosts' call patterns at once.
 */
function figuresInChild(host: Host): Figure[] {
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, "--host", host], { encoding: "utf8", maxBuffer: 2 ** 26 });
  if (r.status !== 0) throw new Error(`bench/adapters.ts --host ${host} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Figure[];
}

export async function main(): Promise<Section> {
  const figures = HOSTS.flatMap(figuresInChild);
  const goals: Goal[] = [];
  {
    const h = ratio(figures, "gcp adapter + LightResponse (shipped)", GCP_ANCHOR);
    const hCors = ratio(figures, GCP_CORS, GCP_CORS_ANCHOR);
    const hReal = ratio(figures, "gcp adapter + Response.json", GCP_ANCHOR);
    goals.push({
      goal: "Functions Framework path, shipped GCP adapter (runtime/gcp-functions.ts + LightResponse inject): ≤ 0.8× Hono's node listener on the same request / response, like for like (no CORS against bare Hono; the example's CORS against Hono + hono/cors)",
      met: h <= 0.8 && hCors <= 0.8,
      detail: `${h.toFixed(3)}× Hono's listener; with CORS ${hCors.toFixed(3)}× Hono + hono/cors. With the handler's global Response kept: ${hReal.toFixed(3)}×`,
    });
  }
  {
    const shipped = "azure adapter + LightResponse (shipped)";
    const h = ratio(figures, shipped, AZURE_ANCHOR);
    const hReal = ratio(figures, "azure adapter + Response.json", AZURE_ANCHOR);
    goals.push({
      goal: "Azure v4, shipped adapter (runtime/azure-functions.ts + LightResponse inject): ≤ 0.8× Hono behind a fetch-style conversion of the same HttpRequest",
      met: h <= 0.8,
      detail: `${h.toFixed(3)}× the Hono-style anchor. With the handler's global Response kept: ${hReal.toFixed(3)}×`,
    });
  }
  for (const p of ["2.0", "1.0"]) {
    const after = `${p} lazy adapter + LightResponse (shipped)`;
    const afterReal = `${p} lazy adapter + Response.json`;
    const h = ratio(figures, after, `${p} hono/aws-lambda`);
    const s = ratio(figures, `${p} serverless-express + Express 4`, after);
    const hReal = ratio(figures, afterReal, `${p} hono/aws-lambda`);
    goals.push({
      goal: `AWS payload ${p}, shipped adapter (runtime/aws-lambda.ts + LightResponse inject): ≤ 0.8× hono/aws-lambda and ≥ 4× faster than serverless-express`,
      met: h <= 0.8 && s >= 4,
      detail: `${h.toFixed(3)}× hono, serverless-express ${s.toFixed(1)}× slower. Lazy adapter with the handler's global Response kept: ${hReal.toFixed(3)}× hono`,
    });
  }
  return {
    title: "Adapters: AWS API Gateway, Azure v4 and Functions Framework per-invocation time (goal 1)",
    commands: [
      "node -r ts-node/register/transpile-only bench/adapters.ts (in process; ts-node compiles to plain CommonJS JS, no type checks at run time)",
      "each host's variants (AWS, Azure, GCP) in a fresh Node process on the same core, as each cloud runs one adapter per process",
      `GET /books/1?page=2 with 10 headers, the same event object for every variant; answer {"ok":true} as JSON`,
      `per variant: 3000 warm-up calls, then ${ROUNDS} interleaved rounds of ≈ ${ROUND_MS} ms of sequential calls (a promise awaited, a synchronous answer not), the variants in order on even rounds and in reverse on odd ones; µs per call = round time / calls`,
      "ratio: the median of the round-by-round ratios (a variant's round over its anchor's round beside it), which cancels the machine's drift between rounds; the median column is the median round",
    ],
    notes: [
      "Ratio column: this figure divided by hono/aws-lambda on the same payload (lower is faster).",
      "The GCP Functions Framework adapter and the local gateway use these building blocks (LazyRequest in, readResponse out; GCP bundles inject LightResponse). AWS bundles ship the same lazy adapter (runtime/aws-lambda.ts); the eager one it replaced measured 1.06× / 1.20× hono (bench/RESULTS.md of 2026-11-27).",
      "GCP rows: the ratio is against Hono's node listener on the same node request and a fresh ServerResponse per call (both variants pay for that response object); the Functions Framework's own Express work is outside every variant. Like for like: the adapter without CORS against bare Hono, and with the example's CORS (a request from its allowed origin) against Hono + hono/cors with the same settings. Before 2026-11-27's last runs the adapter with CORS was compared with bare Hono (1.06–1.43×).",
      "Azure rows: the ratio is against the Hono-style anchor on the same HttpRequest. The host's own work (the worker's RPC, @azure/functions building the HttpRequest) is outside every variant. The eager Azure adapter this replaced measured 1.42–1.52× that anchor (same method, 2026-11-27).",
    ],
    figures,
    goals,
  };
}

const hostIdx = process.argv.indexOf("--host");
if (require.main === module && hostIdx >= 0)
  hostFigures(process.argv[hostIdx + 1] as Host).then((figures) => process.stdout.write(JSON.stringify(figures)), exitWith);
else cli(module, main);
