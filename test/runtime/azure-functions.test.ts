import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import Module from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { HttpRequest, type HttpRequestInit, type HttpResponseInit, InvocationContext } from "@azure/functions";
import * as esbuild from "esbuild";
import { type BuildResult, build } from "../../bundle";
import { AZURE_FUNCTIONS_LIB } from "../../bundle/targets/azure";
import { loadApi } from "../../model";
import { azureHandler, CLAIMS_HEADER, CONSUMER_HEADER, parseSetCookie } from "../../runtime/azure-functions";
import { EXAMPLE } from "../support/models";

const FIXTURE = path.resolve(__dirname, "..", "providers", "azure", "fixtures", "api.ts");

type Exported = (req: HttpRequest, ctx: InvocationContext) => Promise<HttpResponseInit>;
interface Registered {
  name: string;
  bindings: Record<string, { type: string; route?: string; methods?: string[]; authLevel?: string; direction: string }>;
}

/**
 * Loads a built bundle the way the Functions host would, with a stand-in for `@azure/functions-core`
 * (the module the Node.js worker provides) that records each `registerFunction` call.
 */
function loadBundle(file: string): { exports: Record<string, Exported>; registered: Registered[] } {
  const registered: Registered[] = [];
  const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = mod._load;
  mod._load = function (request: string, ...rest: unknown[]) {
    if (request === "@azure/functions-core") {
      return {
        setProgrammingModel: () => undefined,
        registerFunction: (metadata: Registered) => {
          registered.push(metadata);
          return { dispose: () => undefined };
        },
      };
    }
    return original.call(this, request, ...rest);
  };
  try {
    delete require.cache[require.resolve(file)];
    return { exports: require(file) as Record<string, Exported>, registered };
  } finally {
    mod._load = original;
  }
}

const invocation = (id = "inv-1") => new InvocationContext({ functionName: "test", invocationId: id, logHandler: () => undefined });
const request = (init: HttpRequestInit) => new HttpRequest(init);
const bodyText = (res: HttpResponseInit) => Buffer.from(res.body as Uint8Array).toString("utf8");
const bodyJson = (res: HttpResponseInit) => JSON.parse(bodyText(res));
const trigger = (r: Registered) => Object.values(r.bindings).find((b) => b.type === "httpTrigger")!;

describe("runtime/azure-functions.ts", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-azure-"));
  let fixture: BuildResult;
  let bundle: ReturnType<typeof loadBundle>;

  before(async () => {
    fixture = await build(loadApi(FIXTURE), "azure", path.join(out, "fixture"));
    bundle = loadBundle(path.join(fixture.units[0]!.dir, "index.js"));
  });
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  describe("bundle (bundle/targets/azure.ts)", () => {
    it("builds one unit with host.json (routePrefix api), package.json main and the bundle", () => {
      assert.equal(fixture.units.length, 1);
      const dir = fixture.units[0]!.dir;
      assert.deepEqual(fs.readdirSync(dir).sort(), ["host.json", "index.js", "package.json"]);
      const host = JSON.parse(fs.readFileSync(path.join(dir, "host.json"), "utf8"));
      assert.equal(host.version, "2.0");
      assert.equal(host.extensions.http.routePrefix, "api");
      assert.equal(host.functionTimeout, "00:00:30");
      assert.equal(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).main, "index.js");
    });

    it("bundles @azure/functions but leaves @azure/functions-core to the host", () => {
      const code = fs.readFileSync(path.join(fixture.units[0]!.dir, "index.js"), "utf8");
      assert.match(code, /require\("@azure\/functions-core"\)/);
      assert.match(code, /Failed to detect the Azure Functions runtime/);
    });

    it("registers every route with authLevel function, Functions route syntax and its methods", () => {
      const byName = Object.fromEntries(bundle.registered.map((r) => [r.name, trigger(r)]));
      assert.deepEqual(Object.keys(byName).sort(), ["files", "whoami", "whoami-2"]);
      for (const t of Object.values(byName)) assert.equal(t.authLevel, "function");
      assert.equal(byName.files!.route, "files/{*path}");
      assert.deepEqual(byName.files!.methods, ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
      // Routes come sorted by path: a function's first path keeps its name, the next ones are numbered.
      assert.equal(byName.whoami!.route, "open/{name}");
      assert.equal(byName["whoami-2"]!.route, "whoami");
      assert.deepEqual(byName["whoami-2"]!.methods, ["GET"]);
    });

    it("is deterministic: the same sources give the same content hash", async () => {
      const again = await build(loadApi(FIXTURE), "azure", path.join(out, "again"));
      assert.equal(again.units[0]!.hash, fixture.units[0]!.hash);
    });

    it("serves the example API's handlers from the built bundle", async () => {
      const example = await build(loadApi(EXAMPLE), "azure", path.join(out, "example"));
      const { exports } = loadBundle(path.join(example.units[0]!.dir, "index.js"));
      assert.deepEqual(Object.keys(exports).sort(), ["createOrder", "getBook", "health", "listBooks"]);
      const book = await exports.getBook!(
        request({ method: "GET", url: "https://app.azurewebsites.net/api/books/2", params: { id: "2" } }),
        invocation(),
      );
      assert.equal(book.status, 200);
      assert.equal(bodyJson(book).id, "2");
      const health = await exports.health!(request({ method: "GET", url: "https://app.azurewebsites.net/api/health" }), invocation());
      assert.deepEqual(bodyJson(health), { status: "ok", cloud: "azure" });
      const claims = Buffer.from(JSON.stringify({ sub: "user-7", scope: "orders:write" })).toString("base64");
      const order = await exports.createOrder!(
        request({
          method: "POST",
          url: "https://app.azurewebsites.net/api/orders",
          headers: { "content-type": "application/json", [CLAIMS_HEADER]: claims },
          body: { string: JSON.stringify({ bookId: "1", quantity: 2 }) },
        }),
        invocation("order-1"),
      );
      assert.equal(order.status, 201);
      assert.equal(bodyJson(order).customer, "user-7");
      assert.equal(bodyJson(order).orderId, "order-1");
    });
  });

  describe("adapter", () => {
    it("gives a catch-all route's params as a/b/c and strips the api route prefix from the URL", async () => {
      const res = await bundle.exports.files!(
        request({ method: "GET", url: "https://app.azurewebsites.net/api/files/a/b/c?x=1", params: { path: "a/b/c" } }),
        invocation(),
      );
      assert.deepEqual(bodyJson(res), { path: "a/b/c", pathname: "/files/a/b/c", method: "GET" });
    });

    it("passes binary request bodies through and returns binary responses with every cookie", async () => {
      const bytes = Uint8Array.from([0, 1, 2, 253, 254, 255]);
      const res = await bundle.exports.files!(
        request({
          method: "POST",
          url: "https://app.azurewebsites.net/api/files/blob",
          params: { path: "blob" },
          headers: { "content-type": "application/octet-stream" },
          body: { bytes },
        }),
        invocation(),
      );
      assert.equal(res.status, 201);
      assert.deepEqual([...(res.body as Uint8Array)], [255, 254, 253, 2, 1, 0]);
      assert.equal((res.headers as Record<string, string>)["content-type"], "application/octet-stream");
      assert.equal((res.headers as Record<string, string>)["set-cookie"], undefined);
      assert.deepEqual(res.cookies, [
        { name: "session", value: "abc", path: "/", httpOnly: true, secure: true, sameSite: "Strict" },
        { name: "theme", value: "dark", maxAge: 60 },
      ]);
    });

    it("answers HEAD without a body", async () => {
      const res = await bundle.exports.files!(
        request({ method: "HEAD", url: "https://app.azurewebsites.net/api/files/x", params: { path: "x" } }),
        invocation(),
      );
      assert.equal(res.status, 200);
      assert.equal(res.body, undefined);
    });

    it("reads the API-key consumer APIM set, and hides identity and function-key headers from the handler", async () => {
      const res = await bundle.exports.whoami!(
        request({
          method: "GET",
          url: "https://app.azurewebsites.net/api/whoami",
          headers: { [CONSUMER_HEADER]: "alice", "x-functions-key": "k", accept: "application/json" },
        }),
        invocation("req-9"),
      );
      const body = bodyJson(res);
      assert.deepEqual(body.auth, { kind: "apiKey", consumer: "alice" });
      assert.deepEqual(body.headers, ["accept"]);
      assert.equal(body.requestId, "req-9");
    });

    it("reads verified JWT claims (subject, scopes from scope or scp) from the claims header", async () => {
      const claims = { sub: "u1", scp: "read profile", aud: "api://files" };
      const res = await bundle.exports.whoami!(
        request({
          method: "GET",
          url: "https://app.azurewebsites.net/api/whoami",
          headers: { [CLAIMS_HEADER]: Buffer.from(JSON.stringify(claims)).toString("base64") },
        }),
        invocation(),
      );
      assert.deepEqual(bodyJson(res).auth, { kind: "jwt", subject: "u1", claims, scopes: ["read", "profile"] });
    });

    it("treats a malformed claims header as no identity, and requests without identity headers as auth none", async () => {
      const bad = await bundle.exports.whoami!(
        request({
          method: "GET",
          url: "https://app.azurewebsites.net/api/open/x",
          params: { name: "x" },
          headers: { [CLAIMS_HEADER]: "%%%" },
        }),
        invocation(),
      );
      assert.deepEqual(bodyJson(bad).auth, { kind: "none" });
      const open = await bundle.exports.whoami!(
        request({ method: "GET", url: "https://app.azurewebsites.net/api/open/x", params: { name: "x" } }),
        invocation(),
      );
      assert.deepEqual(bodyJson(open).auth, { kind: "none" });
      assert.deepEqual(bodyJson(open).params, { name: "x" });
    });

    it("turns a throwing handler into a 500 carrying the invocation id", async () => {
      const res = await bundle.exports.whoami!(
        request({ method: "GET", url: "https://app.azurewebsites.net/api/open/boom", params: { name: "boom" } }),
        invocation("inv-500"),
      );
      assert.equal(res.status, 500);
      assert.deepEqual(bodyJson(res), { error: "internal error", requestId: "inv-500" });
    });

    it("works on a handler wrapped directly (text bodies, status and headers)", async () => {
      const handler = azureHandler(
        async (req) => new Response(`got ${await req.text()}`, { status: 202, headers: { "x-a": "1" } }),
        "direct",
      );
      const res = await handler(request({ method: "PUT", url: "https://h/api/x", body: { string: "hello" } }), invocation());
      assert.equal(res.status, 202);
      assert.equal(bodyText(res), "got hello");
      assert.equal((res.headers as Record<string, string>)["x-a"], "1");
    });

    it("parses Set-Cookie attributes into the host's Cookie shape", () => {
      assert.deepEqual(parseSetCookie("id=a=b; Domain=example.com; Expires=Wed, 21 Oct 2026 07:28:00 GMT; SameSite=None"), {
        name: "id",
        value: "a=b",
        domain: "example.com",
        expires: new Date("2026-10-21T07:28:00Z"),
        sameSite: "None",
      });
    });
  });

  describe("@azure/functions under the bundle's inject (runtime/light-inject.ts)", () => {
    /**
     * The Azure bundle injects LightResponse / RequestShim for `Response` / `Request` into every
     * module, the bundled @azure/functions too. Built twice, with and without the inject, the
     * library's request and response classes must give the host the same things: what toRpcHttp
     * reads from an HttpResponse (status, headers, cookies, body bytes) and what a handler reads
     * from an HttpRequest.
     */
    const probe = (lib: string) => `import { HttpRequest, HttpResponse } from ${JSON.stringify(lib)};
      export async function response(init) {
        const r = new HttpResponse(init);
        const headers = {};
        for (const [k, v] of r.headers.entries()) headers[k] = v;
        return { status: r.status.toString(), headers, cookies: r.cookies, body: Buffer.from(await r.arrayBuffer()).toString("base64") };
      }
      export async function request(init) {
        const r = new HttpRequest(init);
        return { method: r.method, url: r.url, headers: [...r.headers.entries()], text: await r.text() };
      }`;
    const load = async (lib: string, inject: string[]) => {
      const file = path.join(out, `probe-${path.basename(lib)}-${inject.length}.js`);
      await esbuild.build({
        stdin: { contents: probe(lib), resolveDir: path.resolve(__dirname, "..", ".."), loader: "js" },
        outfile: file,
        bundle: true,
        platform: "node",
        format: "cjs",
        external: ["@azure/functions-core"],
        inject,
        logLevel: "silent",
      });
      return require(file) as {
        response(init: unknown): Promise<unknown>;
        request(init: unknown): Promise<unknown>;
      };
    };

    it("HttpResponse and HttpRequest give the same status, headers, cookies and bytes as the package's main build without it", async () => {
      // What the app bundles (the package's minified build, under the inject) against the package's
      // `main` as any other program loads it.
      const injected = await load(AZURE_FUNCTIONS_LIB, [path.resolve(__dirname, "..", "..", "runtime", "light-inject.ts")]);
      const plain = await load(require.resolve("@azure/functions"), []);
      assert.notEqual(AZURE_FUNCTIONS_LIB, require.resolve("@azure/functions"));
      const responses = [
        { status: 200, headers: { "content-type": "application/json" }, body: new TextEncoder().encode('{"a":1}') },
        { status: 201, headers: { "x-a": "1", "content-type": "text/plain" }, body: "text é" },
        { status: 204 },
        { status: 304, headers: { etag: '"x"' } },
        { jsonBody: { x: 1, y: [true, null] } },
        { status: 302, headers: { location: "/elsewhere" } },
        { body: new Uint8Array([0, 255, 1]), cookies: [{ name: "a", value: "b", httpOnly: true }] },
        { status: 500, headers: { "content-type": "application/json" }, body: new Uint8Array() },
      ];
      for (const init of responses) assert.deepEqual(await injected.response(init), await plain.response(init), JSON.stringify(init));
      const requests = [
        { method: "GET", url: "https://app.example.net/api/books/1?page=2", headers: { accept: "application/json", "x-b": "2" } },
        {
          method: "POST",
          url: "https://app.example.net/api/orders",
          headers: { "content-type": "application/json" },
          body: { string: '{"n":1}' },
        },
      ];
      for (const init of requests) assert.deepEqual(await injected.request(init), await plain.request(init), JSON.stringify(init));
    });
  });
});
