import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { build } from "../../bundle";
import { loadApi } from "../../model";
import { gcpAdapter, gcpHandler, jwtAuth } from "../../runtime/gcp-functions";
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
