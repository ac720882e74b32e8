import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { SignJWT } from "jose";
import { DEFAULT_BODY_LIMIT_BYTES, type Gateway, startGateway } from "../../local/gateway";
import { ModelError } from "../../model";
import { EXAMPLE } from "../support/models";
import { call, GATEWAY_MODEL, jwksIssuer, KEYS, serve } from "./support";

describe("local gateway over HTTP", () => {
  let gw: Gateway;
  let issuer: Awaited<ReturnType<typeof jwksIssuer>>;
  let upA: Awaited<ReturnType<typeof serve>>;
  let upB: Awaited<ReturnType<typeof serve>>;
  const seen: { name: string; url: string; headers: Record<string, unknown> }[] = [];
  const logged: string[] = [];
  const rolls = [0.1, 0.75, 0.5, 0.95];
  let roll = 0;

  before(async () => {
    issuer = await jwksIssuer();
    const upstream = (name: string) =>
      serve((req, res) => {
        seen.push({ name, url: req.url ?? "", headers: req.headers });
        res.setHeader("connection", "x-hop, keep-alive");
        res.setHeader("x-hop", "secret");
        res.setHeader("x-upstream", name);
        res.write(`from ${name} `);
        res.end(req.url);
      });
    upA = await upstream("a");
    upB = await upstream("b");
    gw = await startGateway({
      apiFile: GATEWAY_MODEL,
      keys: KEYS,
      log: "plain",
      write: (t) => logged.push(t),
      watch: false,
      jwt: { users: { jwksUri: issuer.jwksUri }, oidc: { issuer: issuer.url } },
      upstreams: { "https://upstream-a.test": upA.url, "https://upstream-b.test": upB.url },
      bodyLimitBytes: 1024,
      random: () => rolls[roll++ % rolls.length] as number,
    });
  });
  after(async () => {
    await gw.close();
    await issuer.close();
    await upA.close();
    await upB.close();
  });

  describe("routing", () => {
    it("prefers a static segment over a parameter, and decodes parameters", async () => {
      assert.deepEqual((await call(`${gw.url}/items/special`)).json.params, {});
      assert.deepEqual((await call(`${gw.url}/items/a%20b`)).json.params, { id: "a b" });
    });
    it("gives a greedy parameter the rest of the path, for ANY method", async () => {
      const r = await call(`${gw.url}/files/a/b/c`, { method: "PUT", body: "x" });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json.params, { path: "a/b/c" });
      assert.equal(r.json.method, "PUT");
      assert.equal((await call(`${gw.url}/files`)).status, 404);
    });
    it("answers 404 and 405 (with Allow) as JSON", async () => {
      const nf = await call(`${gw.url}/nope`);
      assert.equal(nf.status, 404);
      assert.deepEqual(nf.json, { message: "Not Found" });
      const na = await call(`${gw.url}/open`, { method: "DELETE" });
      assert.equal(na.status, 405);
      assert.equal(na.headers.get("allow"), "GET, HEAD");
      assert.equal(na.headers.get("content-type"), "application/json");
    });
    it("serves HEAD from a GET route without a body", async () => {
      const r = await call(`${gw.url}/open`, { method: "HEAD" });
      assert.equal(r.status, 200);
      assert.equal(r.text, "");
    });
    it("calls the handler with ctx.cloud local, a request id and x-forwarded-for", async () => {
      const r = await call(`${gw.url}/open`);
      assert.equal(r.json.cloud, "local");
      assert.match(r.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
      assert.equal((r.json.headers as Record<string, string>)["x-forwarded-for"], "127.0.0.1");
    });
  });

  describe("API keys", () => {
    it("401 without a key, 403 with a wrong one, 200 with the consumer in ctx.auth", async () => {
      const none = await call(`${gw.url}/keyed`);
      assert.equal(none.status, 401);
      assert.match(String(none.json.message), /Unauthorized/);
      const wrong = await call(`${gw.url}/keyed`, { headers: { "x-api-key": "nope" } });
      assert.equal(wrong.status, 403);
      assert.deepEqual(wrong.json, { message: "Forbidden" });
      const ok = await call(`${gw.url}/keyed`, { headers: { "x-api-key": KEYS.alice } });
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.json.auth, { kind: "apiKey", consumer: "alice" });
    });
    it("writes an access line with method, path, status, ms and consumer", async () => {
      await call(`${gw.url}/keyed?x=1`, { headers: { "x-api-key": KEYS.bob } });
      await new Promise((r) => setImmediate(r));
      assert.ok(
        logged
          .join("")
          .split("\n")
          .some((l) => /^GET \/keyed 200 [\d.]+ms bob -$/.test(l)),
        logged.join(""),
      );
    });
  });

  describe("JWT", () => {
    const bearer = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });
    it("accepts a token signed by the JWKS key and passes subject, claims and scopes", async () => {
      const r = await call(`${gw.url}/me`, bearer(await issuer.sign({ sub: "u-42", scope: "a b" })));
      assert.equal(r.status, 200);
      const auth = r.json.auth as Record<string, unknown>;
      assert.equal(auth.kind, "jwt");
      assert.equal(auth.subject, "u-42");
      assert.deepEqual(auth.scopes, ["a", "b"]);
    });
    it("403 when a required scope is missing, 200 when present", async () => {
      const body = { method: "POST", body: "{}" };
      const without = await call(`${gw.url}/orders`, { ...body, ...bearer(await issuer.sign({ scope: "orders:read" })) });
      assert.equal(without.status, 403);
      const withScope = await call(`${gw.url}/orders`, { ...body, ...bearer(await issuer.sign({ scp: ["orders:write"] })) });
      assert.equal(withScope.status, 200);
    });
    it("401 for missing, expired, wrong-audience, wrong-issuer, foreign-key, tampered and alg-none tokens", async () => {
      const now = Math.floor(Date.now() / 1000);
      const good = await issuer.sign({});
      const [h, p, s] = good.split(".") as [string, string, string];
      const payload = JSON.parse(Buffer.from(p, "base64url").toString());
      const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: "admin" })).toString("base64url")}.${s}`;
      const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${p}.`;
      const cases: Record<string, RequestInit> = {
        missing: {},
        notBearer: { headers: { authorization: `Basic ${good}` } },
        expired: bearer(await issuer.sign({}, { exp: now - 60 })),
        audience: bearer(await issuer.sign({}, { aud: "api://other" })),
        issuer: bearer(await issuer.sign({}, { iss: "https://evil.test/" })),
        foreignKey: bearer(await issuer.sign({}, { key: issuer.otherKey })),
        tampered: bearer(tampered),
        algNone: bearer(none),
        hmac: bearer(
          await new SignJWT({})
            .setProtectedHeader({ alg: "HS256" })
            .setIssuer("https://issuer.test/")
            .setAudience("api://test")
            .setExpirationTime("5m")
            .sign(new Uint8Array(32)),
        ),
      };
      for (const [name, init] of Object.entries(cases)) {
        const r = await call(`${gw.url}/me`, init);
        assert.equal(r.status, 401, name);
        assert.deepEqual(r.json, { message: "Unauthorized" }, name);
      }
    });
    it("finds the keys through OpenID discovery when the scheme has no jwksUri", async () => {
      const ok = await call(`${gw.url}/oidc-me`, bearer(await issuer.sign({ sub: "d-1" }, { iss: issuer.url })));
      assert.equal(ok.status, 200);
      assert.equal((ok.json.auth as Record<string, unknown>).subject, "d-1");
      const wrongIssuer = await call(`${gw.url}/oidc-me`, bearer(await issuer.sign({})));
      assert.equal(wrongIssuer.status, 401);
    });
    it("tolerates a few seconds of clock skew on exp", async () => {
      const r = await call(`${gw.url}/me`, bearer(await issuer.sign({}, { exp: Math.floor(Date.now() / 1000) - 2 })));
      assert.equal(r.status, 200);
    });
  });

  describe("rate limits and quotas", () => {
    it("429 with Retry-After after the burst, then recovers at the declared rate", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(`${gw.url}/limited`)).status);
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      const r = await call(`${gw.url}/limited`);
      assert.equal(r.status, 429);
      assert.equal(r.headers.get("retry-after"), "1");
      assert.deepEqual(r.json, { message: "Too Many Requests" });
      await new Promise((res) => setTimeout(res, 600)); // 2 per second: one token per 500 ms
      assert.equal((await call(`${gw.url}/limited`)).status, 200);
    });
    it("keys a JWT route's bucket on the token's subject", async () => {
      const as = async (sub: string) => ({ headers: { authorization: `Bearer ${await issuer.sign({ sub })}` } });
      const ann = await as("ann");
      assert.equal((await call(`${gw.url}/me-limited`, ann)).status, 200);
      assert.equal((await call(`${gw.url}/me-limited`, ann)).status, 429);
      assert.equal((await call(`${gw.url}/me-limited`, await as("ben"))).status, 200);
    });
    it("counts the quota per consumer", async () => {
      const alice = { headers: { "x-api-key": KEYS.alice } };
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(`${gw.url}/quota`, alice)).status);
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      assert.equal((await call(`${gw.url}/quota`, { headers: { "x-api-key": KEYS.bob } })).status, 200);
    });
  });

  describe("CORS", () => {
    const preflight = (origin: string, method = "POST", headers = "content-type") =>
      call(`${gw.url}/orders`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": method, "access-control-request-headers": headers },
      });
    it("answers an allowed preflight at the gateway", async () => {
      const r = await preflight("https://app.example.com");
      assert.equal(r.status, 204);
      assert.equal(r.headers.get("access-control-allow-origin"), "https://app.example.com");
      assert.equal(r.headers.get("access-control-allow-methods"), "GET,POST");
      assert.equal(r.headers.get("access-control-allow-headers"), "content-type,authorization,x-api-key");
      assert.equal(r.headers.get("access-control-allow-credentials"), "true");
      assert.equal(r.headers.get("access-control-max-age"), "300");
      assert.equal(r.headers.get("vary"), "Origin");
    });
    it("gives no allow headers to another origin, method or header", async () => {
      for (const r of [
        await preflight("https://evil.example.com"),
        await preflight("https://app.example.com", "DELETE"),
        await preflight("https://app.example.com", "POST", "x-evil"),
      ]) {
        assert.equal(r.status, 204);
        assert.equal(r.headers.get("access-control-allow-origin"), null);
      }
    });
    it("decorates actual responses, errors included, for an allowed origin only", async () => {
      const ok = await call(`${gw.url}/open`, { headers: { origin: "http://localhost:3000" } });
      assert.equal(ok.headers.get("access-control-allow-origin"), "http://localhost:3000");
      assert.equal(ok.headers.get("access-control-expose-headers"), "x-request-id");
      const denied = await call(`${gw.url}/keyed`, { headers: { origin: "https://app.example.com" } });
      assert.equal(denied.status, 401);
      assert.equal(denied.headers.get("access-control-allow-origin"), "https://app.example.com");
      const other = await call(`${gw.url}/open`, { headers: { origin: "https://evil.example.com" } });
      assert.equal(other.headers.get("access-control-allow-origin"), null);
      assert.equal(other.headers.get("vary"), "Origin");
    });
  });

  describe("response cache", () => {
    it("misses, then hits; varies by the declared query and header; no-cache refreshes", async () => {
      const get = (q: string, headers: Record<string, string> = {}) => call(`${gw.url}/cached${q}`, { headers });
      const first = await get("?page=1&junk=1");
      assert.equal(first.headers.get("x-cache"), "miss");
      const second = await get("?page=1&junk=2");
      assert.equal(second.headers.get("x-cache"), "hit");
      assert.equal(second.json.calls, first.json.calls);
      const page2 = await get("?page=2");
      assert.equal(page2.headers.get("x-cache"), "miss");
      assert.equal(page2.json.calls, (first.json.calls as number) + 1);
      const lang = await get("?page=1", { "accept-language": "fr" });
      assert.equal(lang.headers.get("x-cache"), "miss");
      const fresh = await get("?page=1", { "cache-control": "no-cache" });
      assert.equal(fresh.headers.get("x-cache"), "miss");
      assert.ok((fresh.json.calls as number) > (lang.json.calls as number));
      const after = await get("?page=1");
      assert.equal(after.headers.get("x-cache"), "hit");
      assert.equal(after.json.calls, fresh.json.calls);
    });
    it("does not cache error answers", async () => {
      const a = await call(`${gw.url}/keyed`);
      assert.equal(a.headers.get("x-cache"), null);
    });
  });

  describe("trace context (W3C traceparent)", () => {
    const incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    it("keeps the caller's trace id, gives the handler ctx.traceId and a new span id in traceparent", async () => {
      const r = await call(`${gw.url}/open`, { headers: { traceparent: incoming } });
      assert.equal(r.json.traceId, "4bf92f3577b34da6a3ce929d0e0e4736");
      const sent = (r.json.headers as Record<string, string>).traceparent;
      assert.match(String(sent), /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
      assert.notEqual(sent, incoming);
    });
    it("starts a trace when the caller sends none or an invalid one", async () => {
      const cases: Record<string, string>[] = [
        {},
        { traceparent: "00-00000000000000000000000000000000-00f067aa0ba902b7-01" },
        { traceparent: "garbage" },
      ];
      for (const headers of cases) {
        const r = await call(`${gw.url}/open`, { headers });
        assert.match(String(r.json.traceId), /^[0-9a-f]{32}$/);
        assert.notEqual(r.json.traceId, "0".repeat(32));
        assert.equal(String((r.json.headers as Record<string, string>).traceparent).split("-")[1], r.json.traceId);
      }
    });
    it("forwards the trace to upstreams", async () => {
      seen.length = 0;
      roll = 0;
      await call(`${gw.url}/proxy/t`, { headers: { traceparent: incoming } });
      assert.match(String(seen[0]?.headers.traceparent), /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    });
  });

  describe("upstreams", () => {
    it("proxies a greedy route with path and query, dropping hop-by-hop headers both ways", async () => {
      seen.length = 0;
      roll = 0;
      // node:http, since fetch refuses to send a Connection header.
      const r = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
        const req = http.get(
          `${gw.url}/proxy/x/y?q=1`,
          { headers: { connection: "keep-alive, x-private", "x-private": "1", "x-kept": "1" } },
          (res) => {
            let text = "";
            res.on("data", (d) => {
              text += d;
            });
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
          },
        );
        req.on("error", reject);
      });
      assert.equal(r.status, 200);
      assert.equal(r.text, "from a /x/y?q=1");
      assert.equal(r.headers["x-upstream"], "a");
      assert.equal(r.headers["x-hop"], undefined);
      const got = seen[0]?.headers ?? {};
      assert.equal(got["x-kept"], "1");
      assert.equal(got["x-private"], undefined);
      assert.equal(got["x-forwarded-for"], "127.0.0.1");
    });
    it("honours target weights", async () => {
      roll = 0;
      const names: string[] = [];
      for (let i = 0; i < 4; i++) names.push(String((await call(`${gw.url}/split`)).headers.get("x-upstream")));
      // rolls 0.1, 0.75, 0.5, 0.95 against weights 70/30
      assert.deepEqual(names, ["a", "b", "a", "b"]);
    });
  });

  describe("limits and failure isolation", () => {
    it("413 over the body limit (declared or streamed), and still serves", async () => {
      assert.equal(DEFAULT_BODY_LIMIT_BYTES, 6 * 1024 * 1024);
      assert.equal((await call(`${gw.url}/upload`, { method: "POST", body: "x".repeat(2000) })).status, 413);
      const chunked = new ReadableStream({
        start(c) {
          c.enqueue(new Uint8Array(800));
          c.enqueue(new Uint8Array(800));
          c.close();
        },
      });
      const r = await call(`${gw.url}/upload`, { method: "POST", body: chunked, duplex: "half" } as RequestInit);
      assert.equal(r.status, 413);
      const ok = await call(`${gw.url}/upload`, { method: "POST", body: "x".repeat(1000) });
      assert.deepEqual(ok.json, { bytes: 1000 });
    });
    it("500 with the request id when a handler throws, and the server lives on", async () => {
      const r = await call(`${gw.url}/boom`);
      assert.equal(r.status, 500);
      assert.equal(r.json.requestId, r.headers.get("x-request-id"));
      assert.equal((await call(`${gw.url}/open`)).status, 200);
    });
    it("504 after the function's timeout; the late answer is dropped", async () => {
      const t = Date.now();
      const r = await call(`${gw.url}/slow`);
      assert.equal(r.status, 504);
      assert.ok(Date.now() - t < 2500);
      assert.equal((await call(`${gw.url}/open`)).status, 200);
    });
  });
});

describe("local gateway lifecycle", () => {
  it("drops a client that is too slow to send its headers", async () => {
    const gw = await startGateway({ apiFile: GATEWAY_MODEL, keys: KEYS, log: "off", watch: false, headersTimeoutMs: 300 });
    try {
      const answer = await new Promise<string>((resolve) => {
        const s = net.connect(gw.port, "127.0.0.1", () => s.write("GET /open HTTP/1.1\r\nhost: x\r\n"));
        let got = "";
        s.on("data", (d) => {
          got += d;
        });
        s.on("close", () => resolve(got));
      });
      assert.match(answer, /^HTTP\/1.1 408/);
    } finally {
      await gw.close();
    }
  });

  it("finishes in-flight requests on close and refuses new connections", async () => {
    const gw = await startGateway({ apiFile: GATEWAY_MODEL, keys: KEYS, log: "off", watch: false });
    const pending = call(`${gw.url}/slow`);
    await new Promise((r) => setTimeout(r, 100));
    const closed = gw.close();
    const r = await pending;
    assert.equal(r.status, 504);
    await closed;
    await assert.rejects(fetch(`${gw.url}/open`));
  });

  it("mimics a cloud with --profile: ctx.cloud and the forwarded headers", async () => {
    const gw = await startGateway({ apiFile: GATEWAY_MODEL, keys: KEYS, log: "off", watch: false, profile: "aws" });
    try {
      const r = await call(`${gw.url}/open`);
      assert.equal(r.json.cloud, "aws");
      assert.match((r.json.headers as Record<string, string>)["x-amzn-trace-id"] ?? "", /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    } finally {
      await gw.close();
    }
  });

  it("writes JSON access lines with --json", async () => {
    const lines: string[] = [];
    const gw = await startGateway({ apiFile: GATEWAY_MODEL, keys: KEYS, log: "json", write: (t) => lines.push(t), watch: false });
    try {
      await call(`${gw.url}/keyed`, { headers: { "x-api-key": KEYS.alice } });
    } finally {
      await gw.close();
    }
    const entry = JSON.parse(lines.join("").trim().split("\n").pop() as string);
    assert.equal(entry.type, "access");
    assert.equal(entry.path, "/keyed");
    assert.equal(entry.status, 200);
    assert.equal(entry.consumer, "alice");
  });

  it("refuses to start on a bad model with the model's error", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-bad-"));
    const file = path.join(dir, "api.ts");
    fs.writeFileSync(file, `export default { name: "x", functions: {}, routes: { "GET /a": { function: "nope", auth: "none" } } };\n`);
    await assert.rejects(startGateway({ apiFile: file, log: "off", watch: false }), (e: unknown) => {
      assert.ok(e instanceof ModelError);
      assert.match(e.message, /routes\["GET \/a"\]\.function: no function named "nope"/);
      return true;
    });
  });

  it("reloads a changed function file in place, and keeps the last good model on a bad one", async function () {
    this.timeout(15_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-reload-"));
    const modelFile = path.join(dir, "api.ts");
    const good = `export default { name: "reload", functions: { hi: { handler: "fn.ts#hi" } }, routes: { "GET /hi": { function: "hi", auth: "none" } } };\n`;
    fs.writeFileSync(modelFile, good);
    fs.writeFileSync(path.join(dir, "fn.ts"), `export const hi = () => new Response("v1");\n`);
    const notes: string[] = [];
    const gw = await startGateway({ apiFile: modelFile, log: "plain", write: (t) => notes.push(t) });
    try {
      assert.equal((await call(`${gw.url}/hi`)).text, "v1");
      fs.writeFileSync(path.join(dir, "fn.ts"), `export const hi = () => new Response("v2");\n`);
      let text = "";
      for (let i = 0; i < 50 && text !== "v2"; i++) {
        await new Promise((r) => setTimeout(r, 100));
        text = (await call(`${gw.url}/hi`)).text;
      }
      assert.equal(text, "v2");
      fs.writeFileSync(modelFile, good.replace(`function: "hi"`, `function: "hello"`));
      assert.equal(gw.reload(), false);
      assert.ok(notes.join("").includes(`no function named "hello"`), notes.join(""));
      assert.equal((await call(`${gw.url}/hi`)).text, "v2");
      assert.equal(new URL(gw.url).port, String(gw.port));
    } finally {
      await gw.close();
    }
  });

  it("serves the example api.ts, and its unreachable JWT issuer fails closed with 401", async () => {
    const gw = await startGateway({ apiFile: EXAMPLE, keys: { acme: "acme-key" }, log: "off", watch: false, jwksTimeoutMs: 1000 });
    try {
      assert.equal((await call(`${gw.url}/health`)).status, 200);
      assert.equal((await call(`${gw.url}/books`)).status, 401);
      assert.equal((await call(`${gw.url}/books/1`, { headers: { "x-api-key": "acme-key" } })).json.title, "The Pragmatic Programmer");
      assert.match(gw.keys.globex ?? "", /^[A-Za-z0-9_-]{32}$/);
      // A well-formed token signed by a key the gateway cannot check: never let through.
      const { privateKey } = await (await import("jose")).generateKeyPair("RS256");
      const token = await new SignJWT({ scope: "orders:write" })
        .setProtectedHeader({ alg: "RS256", kid: "k" })
        .setIssuer("https://login.example.com/")
        .setAudience("api://bookshop")
        .setExpirationTime("5m")
        .sign(privateKey);
      const r = await call(`${gw.url}/orders`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: "{}" });
      assert.equal(r.status, 401);
    } finally {
      await gw.close();
    }
  });
});
