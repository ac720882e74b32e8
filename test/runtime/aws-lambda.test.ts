import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  type ApiGatewayV1Event,
  type ApiGatewayV1Result,
  type ApiGatewayV2Event,
  type ApiGatewayV2Result,
  apiKeyAuth,
  corsEnv,
  type Get,
  jwtAuth,
  lambdaAdapter,
  lambdaHandler,
  loadSecrets,
} from "../../runtime/aws-lambda";
import type { Context, Handler } from "../../runtime/index";

const FIXTURES = path.resolve(__dirname, "..", "fixtures", "events", "aws");
const fixture = <T>(name: string): T => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8")) as T;

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: number[];
  ctx: Pick<Context, "params" | "auth" | "requestId">;
}

/** Invokes the adapter with a handler that records what it was given. */
async function seen(event: unknown): Promise<Seen> {
  let got: Seen | undefined;
  const h: Handler = async (req, ctx) => {
    got = {
      method: req.method,
      url: req.url,
      headers: Object.fromEntries(req.headers),
      body: [...new Uint8Array(await req.arrayBuffer())],
      ctx: { params: ctx.params, auth: ctx.auth, requestId: ctx.requestId },
    };
    return new Response("ok");
  };
  await lambdaHandler(h, "fn")(event as ApiGatewayV2Event);
  assert.ok(got, "handler was not called");
  return got;
}

function withEnv(vars: Record<string, string>, fn: () => Promise<void>): () => Promise<void> {
  return async () => {
    const old = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    Object.assign(process.env, vars);
    try {
      await fn();
    } finally {
      for (const [k, v] of Object.entries(old)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  };
}

describe("runtime/aws-lambda.ts: HTTP API payload 2.0 events", () => {
  it("keeps the raw query string with repeated keys, and joins cookies into one Cookie header", async () => {
    const s = await seen(fixture("http-v2-post-orders-jwt.json"));
    assert.equal(s.method, "POST");
    assert.equal(s.url, "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/orders?dryRun=1&tag=a&tag=b");
    assert.deepEqual(new URL(s.url).searchParams.getAll("tag"), ["a", "b"]);
    assert.equal(s.headers.cookie, "session=abc123; theme=dark");
    assert.equal(s.headers["x-multi"], "one,two");
    assert.equal(Buffer.from(s.body).toString(), '{"bookId":"2","quantity":3}');
    assert.equal(s.ctx.requestId, "JkM1wgNuDoEEMxA=");
  });

  it("puts JWT claims and scopes into ctx.auth", async () => {
    const s = await seen(fixture("http-v2-post-orders-jwt.json"));
    assert.equal(s.ctx.auth.kind, "jwt");
    assert.equal(s.ctx.auth.subject, "user-42");
    assert.deepEqual(s.ctx.auth.scopes, ["orders:write", "profile"]);
    assert.equal(s.ctx.auth.claims?.iss, "https://login.example.com/");
  });

  it("decodes a base64 body to the exact bytes and passes greedy path parameters", async () => {
    const s = await seen(fixture("http-v2-put-file-binary.json"));
    assert.equal(s.method, "PUT");
    assert.deepEqual(s.body, [0, 1, 2, 253, 254, 255]);
    assert.deepEqual(s.ctx.params, { path: "a/b c.bin" });
    assert.equal(new URL(s.url).pathname, "/files/a/b%20c.bin");
    assert.equal(new URL(s.url).search, "?v=1");
  });

  it("gives no body to GET and auth kind none without an authorizer", async () => {
    const s = await seen(fixture("http-v2-get-book.json"));
    assert.equal(s.body.length, 0);
    assert.deepEqual(s.ctx.params, { id: "2" });
    assert.deepEqual(s.ctx.auth, { kind: "none" });
  });
});

describe("runtime/aws-lambda.ts: REST proxy (payload 1.0) events", () => {
  it("keeps multi-value headers and query parameters", async () => {
    const s = await seen(fixture("rest-v1-get-books-apikey.json"));
    assert.equal(s.headers["x-multi"], "one, two");
    assert.deepEqual(new URL(s.url).searchParams.getAll("page"), ["2", "3"]);
    assert.equal(new URL(s.url).host, "b01e7b0748.execute-api.eu-west-1.amazonaws.com");
  });

  it(
    "maps the API key id to the consumer name from SWITCHYARD_CONSUMERS",
    withEnv({ SWITCHYARD_CONSUMERS: JSON.stringify({ "keyid-acme": "acme" }) }, async () => {
      const s = await seen(fixture("rest-v1-get-books-apikey.json"));
      assert.deepEqual(s.ctx.auth, { kind: "apiKey", consumer: "acme" });
    }),
  );

  it("reads switchyard's JWT authorizer context (claims as a JSON string) and a base64 body", async () => {
    const s = await seen(fixture("rest-v1-post-orders-authorizer.json"));
    assert.equal(s.ctx.auth.kind, "jwt");
    assert.equal(s.ctx.auth.subject, "user-42");
    assert.deepEqual(s.ctx.auth.scopes, ["orders:write", "profile"]);
    assert.equal(Buffer.from(s.body).toString(), '{"bookId":"2","quantity":3}');
    assert.equal(s.headers.cookie, "session=abc123; theme=dark");
  });

  it("re-encodes the decoded REST path", async () => {
    const e = { ...fixture<ApiGatewayV1Event>("rest-v1-get-books-apikey.json"), path: "/files/a b/ü" };
    const s = await seen(e);
    assert.equal(new URL(s.url).pathname, "/files/a%20b/%C3%BC");
  });
});

describe("runtime/aws-lambda.ts: trace id", () => {
  const traceOf = async (event: unknown) =>
    (await lambdaHandler((_r, ctx) => new Response(ctx.traceId ?? "none"), "fn")(event as ApiGatewayV2Event)).body;

  it("takes the X-Ray Root of X-Amzn-Trace-Id (any casing on REST), else traceparent, else _X_AMZN_TRACE_ID", async () => {
    const rest = { ...fixture<ApiGatewayV1Event>("rest-v1-get-books-apikey.json"), multiValueHeaders: null };
    rest.headers = { ...rest.headers, "X-Amzn-Trace-Id": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1" };
    assert.equal(await traceOf(rest), "1-5759e988-bd862e3fe1be46a994272793");
    const http = fixture<ApiGatewayV2Event>("http-v2-get-book.json");
    http.headers = { ...http.headers, traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" };
    assert.equal(await traceOf(http), "4bf92f3577b34da6a3ce929d0e0e4736");
    const bare = fixture<ApiGatewayV2Event>("http-v2-get-book.json");
    bare.headers = { host: "h" };
    await withEnv({ _X_AMZN_TRACE_ID: "Root=1-aaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbb;Parent=1" }, async () => {
      assert.equal(await traceOf(bare), "1-aaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbb");
    })();
    assert.equal(await traceOf(bare), "none");
  });
});

describe("runtime/aws-lambda.ts: results", () => {
  const respond = (res: () => Response) => lambdaHandler(() => res(), "fn");

  it("returns several Set-Cookie headers as cookies (2.0) and multiValueHeaders (1.0)", async () => {
    const make = () => {
      const h = new Headers({ "content-type": "text/plain" });
      h.append("set-cookie", "a=1; Secure");
      h.append("set-cookie", "b=2; HttpOnly");
      return new Response("hi", { status: 201, headers: h });
    };
    const v2 = (await respond(make)(fixture("http-v2-get-book.json"))) as ApiGatewayV2Result;
    assert.equal(v2.statusCode, 201);
    assert.deepEqual(v2.cookies, ["a=1; Secure", "b=2; HttpOnly"]);
    assert.equal(v2.headers["set-cookie"], undefined);
    assert.equal(v2.body, "hi");
    assert.equal(v2.isBase64Encoded, false);
    const v1 = (await respond(make)(fixture("rest-v1-get-books-apikey.json"))) as ApiGatewayV1Result;
    assert.deepEqual(v1.multiValueHeaders["set-cookie"], ["a=1; Secure", "b=2; HttpOnly"]);
    assert.equal(v1.headers["content-type"], "text/plain");
  });

  it("base64-encodes binary bodies and reads streamed bodies fully", async () => {
    const bytes = [0, 255, 1, 254];
    const stream = () =>
      new Response(
        new ReadableStream({
          start(c) {
            c.enqueue(new Uint8Array(bytes.slice(0, 2)));
            c.enqueue(new Uint8Array(bytes.slice(2)));
            c.close();
          },
        }),
        { headers: { "content-type": "image/png" } },
      );
    const r = (await respond(stream)(fixture("http-v2-get-book.json"))) as ApiGatewayV2Result;
    assert.equal(r.isBase64Encoded, true);
    assert.deepEqual([...Buffer.from(r.body, "base64")], bytes);
  });

  it("answers 500 with the request id when the handler throws", async () => {
    const r = (await lambdaHandler(() => {
      throw new Error("boom");
    }, "fn")(fixture("http-v2-get-book.json"))) as ApiGatewayV2Result;
    assert.equal(r.statusCode, 500);
    assert.equal(JSON.parse(r.body).requestId, "JkM2bhXqDoEEPVg=");
  });

  it(
    "adds CORS headers to REST results only for an allowed Origin",
    withEnv(
      {
        SWITCHYARD_CORS: JSON.stringify(
          corsEnv({
            allowOrigins: ["https://shop.example.com"],
            exposeHeaders: ["x-total"],
            allowCredentials: false,
          }),
        ),
      },
      async () => {
        const ok = (await respond(() => new Response("x"))(fixture("rest-v1-get-books-apikey.json"))) as ApiGatewayV1Result;
        assert.equal(ok.headers["access-control-allow-origin"], "https://shop.example.com");
        assert.equal(ok.headers["access-control-expose-headers"], "x-total");
        assert.equal(ok.headers.vary, "Origin");
        const other = fixture<ApiGatewayV1Event>("rest-v1-get-books-apikey.json");
        other.headers = { ...other.headers, Origin: "https://evil.example.com" };
        const no = (await respond(() => new Response("x"))(other)) as ApiGatewayV1Result;
        assert.equal(no.headers["access-control-allow-origin"], undefined);
      },
    ),
  );
});

describe("runtime/aws-lambda.ts: corsEnv, the SWITCHYARD_CORS the provider sets", () => {
  it("formats the headers once: credentials and exposed headers on answers; methods with OPTIONS, headers and max-age on preflights", () => {
    assert.deepEqual(
      corsEnv({
        allowOrigins: ["https://a.example"],
        allowMethods: ["GET", "OPTIONS"],
        allowHeaders: ["content-type", "x-api-key"],
        exposeHeaders: ["x-total"],
        allowCredentials: true,
        maxAgeSeconds: 60,
      }),
      {
        allowOrigins: ["https://a.example"],
        allowCredentials: true,
        headers: { "access-control-allow-credentials": "true", "access-control-expose-headers": "x-total" },
        preflight: {
          "access-control-allow-methods": "GET,OPTIONS",
          "access-control-allow-headers": "content-type,x-api-key",
          "access-control-max-age": "60",
        },
      },
    );
    assert.deepEqual(corsEnv({ allowOrigins: ["https://a.example"] }), {
      allowOrigins: ["https://a.example"],
      headers: {},
      preflight: { "access-control-allow-methods": "OPTIONS", "access-control-allow-headers": "", "access-control-max-age": "600" },
    });
  });
});

describe("runtime/aws-lambda.ts: CORS preflight reaching a function (ANY routes)", () => {
  const cors = JSON.stringify(
    corsEnv({
      allowOrigins: ["https://shop.example.com"],
      allowMethods: ["GET", "POST"],
      allowHeaders: ["content-type"],
      maxAgeSeconds: 300,
    }),
  );
  it(
    "answers 204 without calling the handler, with the allowed methods on REST",
    withEnv({ SWITCHYARD_CORS: cors }, async () => {
      let called = false;
      const h = lambdaHandler(() => {
        called = true;
        return new Response("no");
      }, "fn");
      const v1 = fixture<ApiGatewayV1Event>("rest-v1-get-books-apikey.json");
      v1.httpMethod = "OPTIONS";
      v1.headers = { ...v1.headers, "Access-Control-Request-Method": "POST" };
      v1.multiValueHeaders = null;
      const r1 = (await h(v1)) as ApiGatewayV1Result;
      assert.equal(r1.statusCode, 204);
      assert.equal(r1.headers["access-control-allow-origin"], "https://shop.example.com");
      assert.equal(r1.headers["access-control-allow-methods"], "GET,POST,OPTIONS");
      assert.equal(r1.headers["access-control-max-age"], "300");
      const v2 = fixture<ApiGatewayV2Event>("http-v2-get-book.json");
      v2.requestContext.http.method = "OPTIONS";
      v2.headers = { ...v2.headers, origin: "https://shop.example.com", "access-control-request-method": "GET" };
      const r2 = (await h(v2)) as ApiGatewayV2Result;
      assert.equal(r2.statusCode, 204);
      assert.equal(called, false);
    }),
  );

  it("passes OPTIONS to the handler when the model has no CORS", async () => {
    const v2 = fixture<ApiGatewayV2Event>("http-v2-get-book.json");
    v2.requestContext.http.method = "OPTIONS";
    v2.headers = { ...v2.headers, origin: "https://shop.example.com", "access-control-request-method": "GET" };
    const r = (await lambdaHandler(() => new Response("mine", { status: 200 }), "fn")(v2)) as ApiGatewayV2Result;
    assert.equal(r.body, "mine");
  });
});

describe("runtime/aws-lambda.ts: lambdaAdapter reads only the callers it is given (bundles pass their routes' kinds)", () => {
  const authSeen = async (event: unknown, ...readers: Parameters<typeof lambdaAdapter>[3][]) => {
    let auth: unknown;
    await lambdaAdapter(
      (_req, ctx) => {
        auth = ctx.auth;
        return new Response("ok");
      },
      "fn",
      undefined,
      ...readers,
    )(event as ApiGatewayV2Event);
    return auth;
  };

  it("with both readers it is lambdaHandler: JWT claims, else the API key's consumer, else none", async () => {
    const jwt = fixture<ApiGatewayV2Event>("http-v2-post-orders-jwt.json");
    const keyed = fixture<ApiGatewayV1Event>("rest-v1-get-books-apikey.json");
    for (const event of [jwt, keyed, fixture<ApiGatewayV2Event>("http-v2-get-book.json")]) {
      assert.deepEqual(await authSeen(event, jwtAuth, apiKeyAuth), (await seen(event)).ctx.auth);
    }
    assert.equal(((await authSeen(jwt, jwtAuth, apiKeyAuth)) as { kind: string }).kind, "jwt");
    assert.equal(((await authSeen(keyed, jwtAuth, apiKeyAuth)) as { kind: string }).kind, "apiKey");
  });

  it("without a reader for the event's auth the caller is none (a route of another kind never reaches this function)", async () => {
    const jwt = fixture<ApiGatewayV2Event>("http-v2-post-orders-jwt.json");
    const keyed = fixture<ApiGatewayV1Event>("rest-v1-get-books-apikey.json");
    assert.deepEqual(await authSeen(jwt), { kind: "none" });
    assert.deepEqual(await authSeen(jwt, apiKeyAuth), { kind: "none" });
    assert.deepEqual(await authSeen(keyed, jwtAuth), { kind: "none" });
    assert.equal(((await authSeen(keyed, apiKeyAuth)) as { kind: string }).kind, "apiKey");
  });
});

describe("runtime/aws-lambda.ts: secrets through the Parameters and Secrets Lambda Extension", () => {
  it("GETs each unset SECRET_ARN_<NAME> from the extension on localhost with the session token", async () => {
    const calls: { url: string; token: string }[] = [];
    const fake: Get = async (url, token) => {
      calls.push({ url, token });
      return { status: 200, text: JSON.stringify({ ARN: "arn", SecretString: "s3cr3t" }) };
    };
    const env: Record<string, string | undefined> = {
      SECRET_ARN_PAYMENT_KEY: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pk-abc123",
      SECRET_ARN_ALREADY: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x",
      ALREADY: "set",
      AWS_SESSION_TOKEN: "token",
    };
    await loadSecrets(env, fake);
    assert.equal(env.PAYMENT_KEY, "s3cr3t");
    assert.equal(env.ALREADY, "set");
    assert.deepEqual(calls, [
      {
        url: "http://localhost:2773/secretsmanager/get?secretId=arn%3Aaws%3Asecretsmanager%3Aeu-west-1%3A123456789012%3Asecret%3Apk-abc123",
        token: "token",
      },
    ]);
    // The extension's port is configurable (PARAMETERS_SECRETS_EXTENSION_HTTP_PORT).
    await loadSecrets({ SECRET_ARN_X: "arn:x", PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: "2999" }, fake);
    assert.equal(calls[1]?.url, "http://localhost:2999/secretsmanager/get?secretId=arn%3Ax");
  });

  it("fails loudly, with the status and the start of the answer, when the extension refuses or gives no SecretString", async () => {
    const refuse: Get = async () => ({ status: 400, text: '{"__type":"AccessDeniedException"}' });
    await assert.rejects(
      loadSecrets({ SECRET_ARN_X: "arn:x" }, refuse),
      /GetSecretValue arn:x: HTTP 400 \{"__type":"AccessDeniedException"\}/,
    );
    const empty: Get = async () => ({ status: 200, text: '{"ARN":"arn:x"}' });
    await assert.rejects(loadSecrets({ SECRET_ARN_X: "arn:x" }, empty), /GetSecretValue arn:x: HTTP 200 \{"ARN":"arn:x"\}/);
  });
});
