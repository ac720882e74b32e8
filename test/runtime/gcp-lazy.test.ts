import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { build } from "../../bundle";
import { loadApi } from "../../model";
import { gcpAdapter, gcpHandler, jwtAuth } from "../../runtime/gcp-functions";
import { LightResponse } from "../../runtime/lazy";
import { EXAMPLE } from "../support/models";

/**
 * The GCP bundle is built with runtime/light-inject.ts (issue #9): a handler's `Response.json` and the
 * adapter's `LazyRequest` never touch Node's fetch implementation, so a fresh process answers its first
 * request without loading it (the ≈ 25–50 ms cold-start tax measured by bench/cold-start.ts).
 */
describe("GCP bundle (lazy adapter + LightResponse inject): cold path", () => {
  let out: string;
  before(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-gcp-lazy-"));
  });
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  /** Requires a built bundle in a fresh node, calls it with a minimal Express-like req/res. */
  function coldCall(
    file: string,
    req: Record<string, unknown>,
  ): { status: number; headers: Record<string, unknown>; body: string; fetchLoaded: boolean } {
    const probe = path.join(out, "probe.js");
    fs.writeFileSync(
      probe,
      `const { handler } = require(${JSON.stringify(file)});
const req = ${JSON.stringify(req)};
if (req.rawBody) req.rawBody = Buffer.from(req.rawBody.data);
const res = { statusCode: 0, headers: {}, writeHead(s, h) { this.statusCode = s; Object.assign(this.headers, h); }, end(b) { this.body = b ? b.toString("utf8") : ""; this.done(); } };
new Promise((done) => { res.done = done; handler(req, res); }).then(() => {
  // process.moduleLoadList names every internal module loaded so far (undocumented, stable since Node 0.x).
  process.stdout.write("\\n@@" + JSON.stringify({ status: res.statusCode, headers: res.headers, body: res.body, fetchLoaded: process.moduleLoadList.some((m) => m.includes("undici")) }));
});`,
    );
    // The handler may log JSON lines to stdout first: the result is the line marked @@.
    const line = execFileSync(process.execPath, [probe], { encoding: "utf8" })
      .split("\n")
      .find((l) => l.startsWith("@@"));
    return JSON.parse(String(line).slice(2));
  }

  it("getBook answers its first request without loading fetch; the JSON and headers are as before", async () => {
    const built = await build(loadApi(EXAMPLE), "gcp", out);
    const dir = built.units.find((u) => u.name === "getBook")?.dir as string;
    const r = coldCall(path.join(dir, "index.js"), {
      method: "GET",
      url: "/books/1",
      headers: { host: "gw.example", origin: "https://nowhere.example", "x-api-key": "k" },
    });
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { id: "1", title: "The Pragmatic Programmer", price: 42 });
    assert.equal(r.headers["content-type"], "application/json");
    assert.equal(r.fetchLoaded, false);
  });

  it("each bundle carries the JWT reader only when its function has a JWT route", async () => {
    const built = await build(loadApi(EXAMPLE), "gcp", out);
    for (const u of built.units) {
      const code = fs.readFileSync(path.join(u.dir, "index.js"), "utf8");
      assert.equal(code.includes("x-apigateway-api-userinfo"), u.name === "createOrder", u.name);
    }
  });

  it("gcpAdapter without the JWT reader: a JWT route's caller has no scopes, so a route requiring scopes answers 403", async () => {
    const config = {
      functionName: "f",
      routes: [{ method: "POST", segments: ["orders"], auth: "jwt" as const, scopes: ["orders:write"] }],
    };
    const claims = Buffer.from(JSON.stringify({ sub: "u1", scope: "orders:write" })).toString("base64url");
    const call = async (adapter: ReturnType<typeof gcpAdapter>) => {
      const res = {
        statusCode: 0,
        body: "",
        writeHead(status: number) {
          this.statusCode = status;
        },
        end(b?: string | Uint8Array) {
          this.body = typeof b === "string" ? b : Buffer.from(b ?? []).toString();
        },
      };
      await adapter(
        { method: "POST", url: "/orders", headers: { host: "h", "x-apigateway-api-userinfo": claims }, rawBody: Buffer.from("{}") },
        res,
      );
      return res;
    };
    const handler = (_req: Request, ctx: { auth: unknown }) => Response.json(ctx.auth);
    assert.equal((await call(gcpAdapter(handler, config))).statusCode, 403);
    const full = await call(gcpAdapter(handler, config, jwtAuth));
    assert.equal(full.statusCode, 200);
    assert.equal(JSON.parse(full.body).subject, "u1");
    const viaHandler = await call(gcpHandler(handler, config));
    assert.deepEqual([viaHandler.statusCode, viaHandler.body], [full.statusCode, full.body]);
  });

  it("answers a GET from a synchronous handler before it returns; waits (a promise) for async handlers and unread bodies", async () => {
    const config = {
      functionName: "f",
      routes: [
        { method: "GET", segments: ["books", "{id}"], auth: "none" as const, scopes: [] },
        { method: "POST", segments: ["echo"], auth: "none" as const, scopes: [] },
      ],
    };
    const response = () => {
      const res = {
        statusCode: 0,
        body: undefined as string | undefined,
        writeHead(status: number) {
          this.statusCode = status;
        },
        end(b?: string | Uint8Array) {
          this.body = typeof b === "string" ? b : Buffer.from(b ?? []).toString();
        },
      };
      return res;
    };
    const get = { method: "GET", url: "/books/7?x=1", headers: { host: "h" } };
    // Synchronous handler (its Response is the bundle's LightResponse): the answer is written and nothing is returned.
    const sync = gcpAdapter((_r, ctx) => LightResponse.json({ id: ctx.params.id }) as unknown as Response, config);
    const res1 = response();
    assert.equal(sync(get, res1), undefined);
    assert.deepEqual([res1.statusCode, res1.body], [200, '{"id":"7"}']);
    // Async handler: a promise, the answer written when it settles.
    const res2 = response();
    const pending = gcpAdapter(async (_r, ctx) => Response.json({ id: ctx.params.id }), config)(get, res2);
    assert.ok(pending instanceof Promise);
    assert.equal(res2.body, undefined);
    await pending;
    assert.deepEqual([res2.statusCode, res2.body], [200, '{"id":"7"}']);
    // A throwing handler: the 500 answer, still written at once.
    const res3 = response();
    gcpAdapter(() => {
      throw new Error("boom");
    }, config)(get, res3);
    await new Promise((r) => setImmediate(r));
    assert.equal(res3.statusCode, 500);
    // A body the framework left unread (no content type) is read from the stream first.
    const { Readable } = await import("node:stream");
    const echo = gcpAdapter(async (r) => new Response(await r.text()), config);
    const stream = Object.assign(Readable.from([Buffer.from("he"), Buffer.from("llo")]), {
      method: "POST",
      url: "/echo",
      headers: { host: "h" },
    });
    const res4 = response();
    await echo(stream as never, res4);
    assert.deepEqual([res4.statusCode, res4.body], [200, "hello"]);
    // A stream that fails while being read is a 400, not a crash.
    const broken = Object.assign(
      new Readable({
        read() {
          this.destroy(new Error("reset"));
        },
      }),
      { method: "POST", url: "/echo", headers: { host: "h" } },
    );
    const res5 = response();
    await echo(broken as never, res5);
    assert.equal(res5.statusCode, 400);
  });

  it("createOrder reads a JSON body and answers 201 without loading fetch", async () => {
    const built = await build(loadApi(EXAMPLE), "gcp", out);
    const dir = built.units.find((u) => u.name === "createOrder")?.dir as string;
    const claims = Buffer.from(JSON.stringify({ sub: "u1", scope: "orders:write" })).toString("base64url");
    const r = coldCall(path.join(dir, "index.js"), {
      method: "POST",
      url: "/orders",
      headers: { host: "gw.example", "content-type": "application/json", "x-apigateway-api-userinfo": claims },
      rawBody: { type: "Buffer", data: [...Buffer.from(JSON.stringify({ bookId: "1", quantity: 2 }))] },
    });
    assert.equal(r.status, 201, r.body);
    assert.equal(JSON.parse(r.body).customer, "u1");
    assert.equal(r.fetchLoaded, false);
  });
});
