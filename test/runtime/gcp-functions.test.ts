import * as assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { type BuildResult, build } from "../../bundle";
import { loadApi } from "../../model";

const ROOT = path.resolve(__dirname, "..", "..");
const MODEL = path.join(ROOT, "test", "providers", "gcp", "fixtures", "echo", "api.ts");
const FF_MAIN = path.join(ROOT, "node_modules", "@google-cloud", "functions-framework", "build", "src", "main.js");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts the real Functions Framework CLI on a bundle folder; resolves once it serves. */
async function serve(dir: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  // Not NODE_ENV=production: the framework prints "Serving function..." only outside production.
  const child = spawn(process.execPath, [FF_MAIN, "--target=handler", `--source=${dir}`, `--port=${port}`], {
    env: { ...process.env, NODE_ENV: "test" },
  });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const fail = (e: Error) => {
      child.kill();
      reject(e);
    };
    const timer = setTimeout(() => fail(new Error(`functions-framework did not start: ${out}`)), 15000);
    const onData = (d: Buffer) => {
      out += d;
      if (out.includes("Serving function")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (d: Buffer) => (out += d));
    child.once("exit", (code) => fail(new Error(`functions-framework exited ${code}: ${out}`)));
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

describe("runtime/gcp-functions.ts under the real Functions Framework", () => {
  let out: string;
  let built: BuildResult;
  let server: { child: ChildProcess; base: string };
  const get = (p: string, init?: RequestInit) => fetch(`${server.base}${p}`, init);

  before(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-gcp-"));
    built = await build(loadApi(MODEL), "gcp", out);
    server = await serve(path.join(out, "gcp", "echo"));
  });
  after(() => {
    server?.child.kill();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it("lays the bundle out for the buildpack: index.js + package.json (main, FF dependency, no scripts)", () => {
    const dir = path.join(out, "gcp", "echo");
    assert.deepEqual(fs.readdirSync(dir).sort(), ["index.js", "package.json"]);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    assert.equal(pkg.main, "index.js");
    assert.equal(pkg.scripts, undefined);
    assert.equal(pkg.devDependencies, undefined);
    assert.match(pkg.dependencies["@google-cloud/functions-framework"], /^\^5\./);
    // The bundle does not import (so does not embed) the framework: it exports a plain (req, res) function.
    const src = fs.readFileSync(path.join(dir, "index.js"), "utf8");
    assert.ok(!src.includes("functions-framework"));
    assert.deepEqual(
      built.units.map((u) => u.name),
      ["echo"],
    );
    assert.match(built.units[0]?.hash ?? "", /^[0-9a-f]{64}$/);
  });

  it("GET: path params from the route template, repeated query values, headers, ctx", async () => {
    const res = await get("/echo/42?a=1&a=2&b=x%20y", { headers: { "x-custom": "hi" } });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.method, "GET");
    assert.equal(body.path, "/echo/42");
    assert.deepEqual(body.params, { id: "42" });
    assert.deepEqual(body.query, [
      ["a", "1"],
      ["a", "2"],
      ["b", "x y"],
    ]);
    assert.equal(body.custom, "hi");
    assert.equal(body.cloud, "gcp");
    assert.equal(body.functionName, "echo");
    assert.deepEqual(body.auth, { kind: "none" });
    assert.ok(body.requestId);
  });

  it("POST JSON: the raw body reaches the handler unchanged", async () => {
    const json = '{"b":2,  "a":[1,2]}';
    const res = await get("/echo/7", { method: "POST", headers: { "content-type": "application/json" }, body: json });
    const body = await res.json();
    assert.equal(body.body, json);
    assert.equal(body.contentType, "application/json");
    assert.deepEqual(body.params, { id: "7" });
  });

  it("binary body round trip (octet-stream and image/png)", async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    for (const type of ["application/octet-stream", "image/png"]) {
      const res = await get("/echo/bin?raw=1", { method: "POST", headers: { "content-type": type }, body: bytes });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), type);
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
    }
  });

  it("POST without a content type: the framework leaves the body unparsed, the adapter reads it from the stream", async () => {
    const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);
    const res = await get("/echo/stream?raw=1", { method: "POST", body: bytes });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/octet-stream");
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), bytes);
  });

  it("sends each Set-Cookie as its own header", async () => {
    const res = await get("/cookies");
    assert.deepEqual(res.headers.getSetCookie(), ["a=1; Path=/; HttpOnly", "b=2; Path=/; Secure"]);
    assert.equal(await res.text(), "two cookies");
  });

  it("greedy path: ANY /files/{path+} gives a/b/c, for every method", async () => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      const body = await (await get("/files/a/b%20x/c", { method })).json();
      assert.equal(body.method, method);
      assert.deepEqual(body.params, { path: "a/b x/c" });
    }
  });

  it("JWT route: decodes X-Apigateway-Api-Userinfo into ctx.auth", async () => {
    const claims = { sub: "user-1", iss: "https://login.example.com/", scope: "openid orders:write" };
    const res = await get("/orders", {
      method: "POST",
      headers: { "x-apigateway-api-userinfo": b64url(claims), "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(body.auth, { kind: "jwt", subject: "user-1", claims, scopes: ["openid", "orders:write"] });
  });

  it("JWT route: a token without the required scope gets 403 (API Gateway does not enforce scopes)", async () => {
    const res = await get("/orders", { method: "POST", headers: { "x-apigateway-api-userinfo": b64url({ sub: "u", scope: "openid" }) } });
    assert.equal(res.status, 403);
  });

  it("ignores a client-sent userinfo header on routes the gateway does not authenticate with JWT", async () => {
    const body = await (await get("/echo/1", { headers: { "x-apigateway-api-userinfo": b64url({ sub: "forged" }) } })).json();
    assert.deepEqual(body.auth, { kind: "none" });
    const keyed = await (await get("/keyed", { headers: { "x-apigateway-api-userinfo": b64url({ sub: "forged" }) } })).json();
    assert.deepEqual(keyed.auth, { kind: "apiKey" });
  });

  it("answers the CORS preflight from the model's settings, and adds CORS headers to responses", async () => {
    const pre = await get("/echo/1", {
      method: "OPTIONS",
      headers: { origin: "https://app.example.com", "access-control-request-method": "POST" },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), "https://app.example.com");
    assert.equal(pre.headers.get("access-control-allow-credentials"), "true");
    assert.match(pre.headers.get("access-control-allow-methods") ?? "", /POST/);
    assert.equal(pre.headers.get("access-control-max-age"), "600");
    const other = await get("/echo/1", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example.com", "access-control-request-method": "GET" },
    });
    assert.equal(other.headers.get("access-control-allow-origin"), null);
    const res = await get("/echo/1", { headers: { origin: "https://app.example.com" } });
    assert.equal(res.headers.get("access-control-allow-origin"), "https://app.example.com");
    assert.equal(res.headers.get("access-control-expose-headers"), "x-trace");
  });

  it("with CORS on, a non-preflight OPTIONS (public at the gateway) is answered without reaching the handler", async () => {
    const res = await get("/files/a", { method: "OPTIONS" });
    assert.equal(res.status, 204);
    assert.equal(await res.text(), "");
    assert.equal(res.headers.get("access-control-allow-origin"), null);
  });

  it("unknown path → 404, throwing handler → 500, and the server lives on", async () => {
    assert.equal((await get("/nope")).status, 404);
    const boom = await get("/boom");
    assert.equal(boom.status, 500);
    assert.ok((await boom.json()).requestId);
    assert.equal((await get("/echo/2")).status, 200);
  });
});
