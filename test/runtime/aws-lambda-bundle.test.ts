import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { type BuildResult, build } from "../../bundle";
import { loadApi } from "../../model";
import { corsEnv } from "../../runtime/aws-lambda";
import { EXAMPLE } from "../support/models";

const FIXTURES = path.resolve(__dirname, "..", "fixtures", "events", "aws");
const fixture = (name: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8"));

/**
 * Loads a built `index.mjs` in a fresh Node process (as Lambda does), calls its `handler` with each
 * event in turn, and returns the results (or `{ error }` for a rejection).
 */
function invoke(file: string, events: unknown[], env: Record<string, string> = {}): Promise<Record<string, unknown>[]> {
  const script = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)});
    const events = JSON.parse(process.env.EVENTS);
    const out = [];
    for (const e of events) {
      try { out.push(await handler(e, { awsRequestId: "ctx-id" })); } catch (err) { out.push({ error: err.message }); }
    }
    process.stdout.write("\\n@@" + JSON.stringify(out));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      env: { PATH: process.env.PATH ?? "", EVENTS: JSON.stringify(events), ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => {
      const at = stdout.lastIndexOf("\n@@");
      if (code !== 0 || at < 0) reject(new Error(`bundle exited ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout.slice(at + 3)));
    });
  });
}

function serve(handler: http.RequestListener): Promise<{ url: string; port: number; close: () => void }> {
  return new Promise((resolve) => {
    const server = http.createServer(handler);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, port, close: () => server.close() });
    });
  });
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");
function jwt(key: KeyObject, payload: Record<string, unknown>): string {
  const head = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: "k1" }));
  const body = b64url(JSON.stringify(payload));
  return `${head}.${body}.${b64url(sign("sha256", Buffer.from(`${head}.${body}`), key))}`;
}

describe("runtime/aws-lambda.ts: the built bundles in a fresh Node process", function () {
  this.timeout(60000);
  let out: string;
  let built: BuildResult;
  before(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-aws-"));
    built = await build(loadApi(EXAMPLE, path.dirname(EXAMPLE)), "aws", out);
  });
  after(() => fs.rmSync(out, { recursive: true, force: true }));
  const bundle = (unit: string) => path.join(built.dir, unit, "index.mjs");

  it("builds one index.mjs per function, and the JWT authorizer beside them (not a model unit)", () => {
    assert.deepEqual(built.units.map((u) => u.name).sort(), ["createOrder", "getBook", "health", "listBooks"]);
    for (const u of built.units) assert.ok(fs.existsSync(path.join(u.dir, "index.mjs")), u.name);
    assert.deepEqual(fs.readdirSync(path.join(built.dir, "jwt-authorizer")), ["index.mjs"]);
  });

  it("getBook answers a payload 2.0 event with the book", async () => {
    const [r] = await invoke(bundle("getBook"), [fixture("http-v2-get-book.json")]);
    assert.equal(r?.statusCode, 200);
    assert.equal(JSON.parse(String(r?.body)).title, "Designing Data-Intensive Applications");
    assert.equal(r?.isBase64Encoded, false);
  });

  it("listBooks reads the first multi-value page from a REST event and adds CORS for the allowed origin", async () => {
    const [r] = await invoke(bundle("listBooks"), [fixture("rest-v1-get-books-apikey.json")], {
      SWITCHYARD_CORS: JSON.stringify(corsEnv({ allowOrigins: ["https://shop.example.com"] })),
    });
    assert.equal(r?.statusCode, 200);
    assert.deepEqual(JSON.parse(String(r?.body)), {
      page: 2,
      items: [{ id: "3", title: "Structure and Interpretation of Computer Programs", price: 55 }],
    });
    assert.equal(((r?.headers ?? {}) as Record<string, string>)["access-control-allow-origin"], "https://shop.example.com");
    assert.ok(r?.multiValueHeaders, "REST results carry multiValueHeaders");
  });

  it("createOrder gets its secret from (a fake) Parameters and Secrets Extension on its first invocation, and the caller from the authorizer", async () => {
    const requests: { url?: string; token?: string }[] = [];
    const extension = await serve((req, res) => {
      requests.push({ url: req.url, token: req.headers["x-aws-parameters-secrets-token"] as string });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pk-abc123", SecretString: "pk_live_123" }));
    });
    try {
      const event = fixture("rest-v1-post-orders-authorizer.json");
      const [r1, r2] = await invoke(bundle("createOrder"), [event, event], {
        SECRET_ARN_PAYMENT_KEY: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pk-abc123",
        PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(extension.port),
        AWS_SESSION_TOKEN: "token",
      });
      assert.equal(r1?.statusCode, 201);
      const body = JSON.parse(String(r1?.body));
      assert.equal(body.customer, "user-42");
      assert.equal(body.paymentsConfigured, true);
      assert.equal(body.quantity, 3);
      assert.equal(r2?.statusCode, 201);
      assert.deepEqual(requests, [
        {
          url: "/secretsmanager/get?secretId=arn%3Aaws%3Asecretsmanager%3Aeu-west-1%3A123456789012%3Asecret%3Apk-abc123",
          token: "token",
        },
      ]);
    } finally {
      extension.close();
    }
  });

  it("answers 500 when the secret cannot be read, and reads it again on the next request", async () => {
    let calls = 0;
    const extension = await serve((_req, res) => {
      calls++;
      res.statusCode = calls === 1 ? 502 : 200;
      res.end(calls === 1 ? "extension not ready" : JSON.stringify({ SecretString: "pk_live_123" }));
    });
    try {
      const event = fixture("rest-v1-post-orders-authorizer.json");
      const [r1, r2] = await invoke(bundle("createOrder"), [event, event], {
        SECRET_ARN_PAYMENT_KEY: "arn:x",
        PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(extension.port),
      });
      assert.equal(r1?.statusCode, 500);
      assert.equal(r2?.statusCode, 201);
      assert.equal(calls, 2);
    } finally {
      extension.close();
    }
  });

  describe("jwt-authorizer", () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const { privateKey: otherKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    let jwks: { url: string; close: () => void };
    before(async () => {
      const jwk = { ...publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256", use: "sig" };
      jwks = await serve((_req, res) => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ keys: [jwk] }));
      });
    });
    after(() => jwks.close());
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: "https://login.example.com/", aud: "api://bookshop", sub: "user-42", exp: now + 600, iat: now };
    const withToken = (token: string | undefined) => {
      const e = fixture("rest-authorizer-request.json");
      e.headers = token === undefined ? {} : { ...(e.headers as object), Authorization: `Bearer ${token}` };
      return e;
    };

    it("allows a valid token with the route's scope, denies one without it, rejects bad tokens", async () => {
      const env = {
        SWITCHYARD_JWT: JSON.stringify({
          issuer: "https://login.example.com/",
          audiences: ["api://bookshop"],
          jwksUri: `${jwks.url}/jwks.json`,
          scopes: { "POST /orders": ["orders:write"] },
        }),
      };
      const [ok, noScope, wrongAud, expired, forged, missing] = await invoke(
        bundle("jwt-authorizer"),
        [
          withToken(jwt(privateKey, { ...claims, scope: "orders:write profile" })),
          withToken(jwt(privateKey, { ...claims, scope: "profile" })),
          withToken(jwt(privateKey, { ...claims, aud: "api://other", scope: "orders:write" })),
          withToken(jwt(privateKey, { ...claims, exp: now - 60, scope: "orders:write" })),
          withToken(jwt(otherKey, { ...claims, scope: "orders:write" })),
          withToken(undefined),
        ],
        env,
      );
      const methodArn = "arn:aws:execute-api:eu-west-1:123456789012:b01e7b0748/api/POST/orders";
      assert.deepEqual(ok?.policyDocument, {
        Version: "2012-10-17",
        Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: methodArn }],
      });
      assert.equal(ok?.principalId, "user-42");
      const ctx = (ok?.context ?? {}) as Record<string, string>;
      assert.equal(ctx.scope, "orders:write profile");
      assert.equal(JSON.parse(ctx.claims ?? "{}").sub, "user-42");
      assert.equal((noScope?.policyDocument as { Statement: { Effect: string }[] } | undefined)?.Statement[0]?.Effect, "Deny");
      for (const r of [wrongAud, expired, forged, missing]) assert.deepEqual(r, { error: "Unauthorized" });
    });
  });
});
