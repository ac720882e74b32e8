import * as assert from "node:assert/strict";
import type { Handler } from "../../runtime";
import { type ApiGatewayV1Event, type ApiGatewayV2Event, corsEnv, lambdaHandler } from "../../runtime/aws-lambda";
import { LightResponse } from "../../runtime/lazy";
import { eagerLambdaHandler } from "../support/eager-aws-lambda";

const v2 = (over: Partial<ApiGatewayV2Event> = {}, method = "GET"): ApiGatewayV2Event => ({
  version: "2.0",
  rawPath: "/books/1",
  rawQueryString: "page=2&q=a%20b",
  cookies: ["s=1", "t=2"],
  headers: { host: "api.example.com", "content-type": "application/json", "x-multi": "a,b" },
  pathParameters: { id: "1" },
  requestContext: { requestId: "req-2", domainName: "api.example.com", http: { method } },
  ...over,
});

const v1 = (over: Partial<ApiGatewayV1Event> = {}, method = "GET"): ApiGatewayV1Event => ({
  httpMethod: method,
  path: "/files/a b/ü",
  headers: { Host: "rest.example.com", "Content-Type": "text/plain" },
  multiValueHeaders: { Host: ["rest.example.com"], "Content-Type": ["text/plain"], Accept: ["a", "b"] },
  queryStringParameters: { q: "1" },
  multiValueQueryStringParameters: { q: ["1", "2"], "x y": ["z"] },
  pathParameters: { path: "a b/ü" },
  requestContext: { requestId: "req-1", identity: { apiKeyId: "k1" } },
  ...over,
});

/** A handler that answers with everything it saw of the request. */
const echo: Handler = async (request, ctx) => {
  const body = await request.text();
  return Response.json({
    method: request.method,
    url: request.url,
    headers: [...request.headers],
    body,
    params: ctx.params,
    auth: ctx.auth,
    requestId: ctx.requestId,
    traceId: ctx.traceId,
  });
};

const binaryEcho: Handler = async (request) =>
  new Response(new Uint8Array(await request.arrayBuffer()), { headers: { "content-type": "application/octet-stream" } });

const EVENTS: [string, ApiGatewayV2Event | ApiGatewayV1Event][] = [
  ["v2 GET", v2()],
  ["v2 POST JSON", v2({ body: '{"a":1}' }, "POST")],
  ["v2 POST base64", v2({ body: Buffer.from([0, 1, 255]).toString("base64"), isBase64Encoded: true, headers: { host: "h" } }, "POST")],
  ["v2 POST text, no content type", v2({ body: "plain é", headers: { host: "h" } }, "POST")],
  [
    "v2 with JWT",
    v2({ requestContext: { requestId: "j", http: { method: "GET" }, authorizer: { jwt: { claims: { sub: "u1", scope: "a b" } } } } }),
  ],
  ["v2 bad host (400)", v2({ headers: { host: "bad host name" } })],
  ["v1 GET multi-value", v1()],
  ["v1 POST", v1({ body: "hello" }, "POST")],
  ["v1 single-value only", v1({ multiValueHeaders: null, multiValueQueryStringParameters: null }, "DELETE")],
  ["v1 bad method (400)", v1({}, "BAD METHOD")],
  ["v2 HEAD", v2({}, "HEAD")],
  ["v2 traceparent", v2({ headers: { host: "h", traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" } })],
  [
    "v1 X-Amzn-Trace-Id, allowed Origin",
    v1({
      headers: { Host: "h", Origin: "https://shop.example.com", "X-Amzn-Trace-Id": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1" },
      multiValueHeaders: null,
    }),
  ],
  ["v1 other Origin", v1({ headers: { Host: "h", Origin: "https://evil.example.com" }, multiValueHeaders: null })],
  [
    "v1 preflight",
    v1(
      { headers: { Host: "h", Origin: "https://shop.example.com", "Access-Control-Request-Method": "POST" }, multiValueHeaders: null },
      "OPTIONS",
    ),
  ],
  [
    "v1 preflight, other Origin",
    v1(
      { headers: { Host: "h", Origin: "https://evil.example.com", "Access-Control-Request-Method": "POST" }, multiValueHeaders: null },
      "OPTIONS",
    ),
  ],
  ["v2 preflight", v2({ headers: { host: "h", origin: "https://shop.example.com", "access-control-request-method": "GET" } }, "OPTIONS")],
];

const HANDLERS: [string, Handler][] = [
  ["echo", echo],
  ["binary echo", binaryEcho],
  [
    "cookies",
    () =>
      new Response("ok", {
        status: 202,
        headers: [
          ["set-cookie", "a=1"],
          ["set-cookie", "b=2"],
          ["x-k", "v"],
        ],
      }),
  ],
  [
    "throws",
    () => {
      throw new Error("boom");
    },
  ],
  ["returns no Response", () => "nope" as unknown as Response],
];

// The model's CORS as the provider passes it (runtime/aws-lambda.ts corsEnv).
const CORS = JSON.stringify(
  corsEnv({
    allowOrigins: ["https://shop.example.com"],
    allowMethods: ["GET", "POST"],
    allowHeaders: ["content-type"],
    exposeHeaders: ["x-total"],
    allowCredentials: true,
    maxAgeSeconds: 300,
  }),
);

describe("runtime/aws-lambda.ts: the same results as the plain Web-standard adapter (test/support/eager-aws-lambda.ts)", () => {
  let restore: (() => void) | undefined;
  before(() => {
    // Silence handler-error logs from both adapters.
    const write = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    restore = () => {
      process.stderr.write = write;
    };
    process.env.SWITCHYARD_CONSUMERS = JSON.stringify({ k1: "acme" });
  });
  after(() => {
    restore?.();
    delete process.env.SWITCHYARD_CONSUMERS;
  });

  for (const cors of [undefined, CORS]) {
    for (const [hName, handler] of HANDLERS) {
      for (const [eName, event] of EVENTS) {
        it(`${hName} × ${eName}${cors ? " (model with CORS)" : ""}: the same result as the plain adapter`, async () => {
          if (cors) process.env.SWITCHYARD_CORS = cors;
          try {
            const want = await eagerLambdaHandler(handler, "fn")(structuredClone(event));
            const got = await lambdaHandler(handler, "fn")(structuredClone(event));
            assert.deepEqual(got, want);
          } finally {
            delete process.env.SWITCHYARD_CORS;
          }
        });
      }
    }
  }

  it("loads secrets once before the first request, and answers 500 (retrying later) when they cannot be read", async () => {
    for (const make of [eagerLambdaHandler, lambdaHandler]) {
      let calls = 0;
      let fail = true;
      const loader = async (env: Record<string, string | undefined>) => {
        calls++;
        if (fail) throw new Error("denied");
        env.SWITCHYARD_TEST_SECRET = "s";
      };
      const h = make(() => new Response(process.env.SWITCHYARD_TEST_SECRET ?? "none"), "fn", loader);
      try {
        const first = await h(v2());
        assert.equal(first.statusCode, 500);
        fail = false;
        const second = await h(v2());
        const third = await h(v2());
        assert.deepEqual([second.statusCode, second.body, third.body, calls], [200, "s", "s", 2]);
      } finally {
        delete process.env.SWITCHYARD_TEST_SECRET;
      }
    }
  });

  for (const [eName, event] of EVENTS) {
    it(`a LightResponse answer × ${eName}: the same result as the plain adapter with Response`, async () => {
      const answer = (R: typeof Response | typeof LightResponse) => () =>
        R.json(
          { light: "é" },
          {
            status: 201,
            headers: [
              ["set-cookie", "a=1"],
              ["x-k", "v"],
            ],
          },
        ) as Response;
      const want = await eagerLambdaHandler(answer(Response), "fn")(structuredClone(event));
      const got = await lambdaHandler(answer(LightResponse), "fn")(structuredClone(event));
      assert.deepEqual(got, want);
    });
  }
});

describe("runtime/aws-lambda.ts + runtime/light-inject.ts bundle (cold path)", () => {
  /** Bundles a handler with the lazy adapter (and LightResponse injected), runs one event in a fresh process. */
  async function coldRun(handlerSource: string): Promise<{ status: number; body: string; fetchLoaded: boolean }> {
    const esbuild = await import("esbuild");
    const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const { execFileSync } = await import("node:child_process");
    const root = path.resolve(__dirname, "..", "..");
    const dir = mkdtempSync(path.join(tmpdir(), "lazy-cold-"));
    try {
      await esbuild.build({
        stdin: {
          contents: `${handlerSource}\nimport { lambdaHandler } from ${JSON.stringify(path.join(root, "runtime", "aws-lambda"))};\nexport const handler = lambdaHandler(userHandler, "fn");`,
          resolveDir: root,
          loader: "ts",
        },
        outfile: path.join(dir, "index.mjs"),
        bundle: true,
        minify: true,
        platform: "node",
        format: "esm",
        target: "node22",
        inject: [path.join(root, "runtime", "light-inject.ts")],
        logLevel: "silent",
      });
      const probe = path.join(dir, "probe.mjs");
      writeFileSync(
        probe,
        `const { handler } = await import(${JSON.stringify(path.join(dir, "index.mjs"))});
const r = await handler(${JSON.stringify(v2({ body: '{"n":2}' }, "POST"))});
// process.moduleLoadList names every internal module loaded so far (undocumented, stable since Node 0.x).
process.stdout.write(JSON.stringify({ status: r.statusCode, body: r.body, fetchLoaded: process.moduleLoadList.some((m) => m.includes("undici")) }));`,
      );
      return JSON.parse(execFileSync(process.execPath, [probe], { encoding: "utf8" }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("answers with Response.json and a request body without loading Node's fetch implementation", async () => {
    const r = await coldRun(
      "const userHandler = async (req: Request) => Response.json({ got: await req.json(), page: new URL(req.url).pathname, h: req.headers.get('content-type'), isReq: req instanceof Request });",
    );
    assert.deepEqual(r, { status: 200, body: '{"got":{"n":2},"page":"/books/1","h":"application/json","isReq":true}', fetchLoaded: false });
  });

  it("gives fetch-style code a real Request: new Request(req) and fetch(req) work in the bundle", async () => {
    const r = await coldRun(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the handler's source, with its own template literal
      "const userHandler = async (req: Request) => { const copy = new Request(req); const viaFetch = await fetch('data:,fetched'); return new Response(`${copy.method} ${copy.url} ${await copy.text()} ${await viaFetch.text()} ${copy instanceof Request}`); };",
    );
    assert.deepEqual(r, {
      status: 200,
      body: 'POST https://api.example.com/books/1?page=2&q=a%20b {"n":2} fetched true',
      fetchLoaded: true,
    });
  });

  it("still serves a handler that needs the real classes (a stream body), loading fetch only then", async () => {
    const r = await coldRun(
      "const userHandler = () => new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('streamed')); c.close(); } }));",
    );
    assert.deepEqual(r, { status: 200, body: "streamed", fetchLoaded: true });
  });
});
