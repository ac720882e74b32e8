import * as assert from "node:assert/strict";
import * as path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { type Api, loadApi, validate } from "../../../model";
import { gcpCapabilities } from "../../../providers/gcp/capabilities";
import { type OpenApiDocument, type Operation, openApiDocument } from "../../../providers/gcp/openapi";
import { EXAMPLE } from "../../support/models";

const ECHO = path.join(__dirname, "fixtures", "echo", "api.ts");
const urlsOf = (api: Api) =>
  Object.fromEntries(Object.keys(api.functions).map((f) => [f, `https://${f.toLowerCase()}-abc123-ew.a.run.app`]));

/**
 * swagger-parser validates plain Swagger 2.0; Google's `{name=**}` path template is an extension it
 * does not know, so the copy it checks has those templates written as `{name}` (everything else as is).
 */
async function validateSwagger(doc: OpenApiDocument): Promise<void> {
  const copy = structuredClone(doc) as unknown as { paths: Record<string, unknown> };
  copy.paths = Object.fromEntries(Object.entries(copy.paths).map(([p, v]) => [p.replace(/\{([^}=]+)=\*\*\}/g, "{$1}"), v]));
  await SwaggerParser.validate(copy as never);
}

function operations(doc: OpenApiDocument): [string, string, Operation][] {
  return Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => [p, m, op] as [string, string, Operation]));
}

/** The Google-specific rules API Gateway applies only server-side (gcp.md §5.17, §7). */
function checkGoogleRules(doc: OpenApiDocument): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const [p, m, op] of operations(doc)) {
    const at = `${m.toUpperCase()} ${p}`;
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(op.operationId)) problems.push(`${at}: operationId ${op.operationId}`);
    if (ids.has(op.operationId)) problems.push(`${at}: duplicate operationId ${op.operationId}`);
    ids.add(op.operationId);
    const b = op["x-google-backend"];
    if (!b?.address.startsWith("https://")) problems.push(`${at}: backend not https`);
    if (!b?.path_translation) problems.push(`${at}: no explicit path_translation`);
    if (typeof b?.deadline !== "number" || b.deadline <= 0) problems.push(`${at}: no deadline`);
    if (!b?.disable_auth && !b?.jwt_audience) problems.push(`${at}: no jwt_audience`);
    if (op.security.length > 1) problems.push(`${at}: alternative security requirements (API key OR JWT is rejected)`);
    for (const req of op.security) {
      for (const name of Object.keys(req)) if (!doc.securityDefinitions?.[name]) problems.push(`${at}: undefined scheme ${name}`);
    }
    // Whole-segment templates only; every template variable declared as a path parameter.
    for (const seg of p.split("/")) {
      if (seg.includes("{") && !/^\{[A-Za-z_][A-Za-z0-9_]*(=\*\*)?\}$/.test(seg)) problems.push(`${at}: partial-segment parameter ${seg}`);
    }
    const vars = [...p.matchAll(/\{([^}=]+)/g)].map((x) => x[1]);
    assert.deepEqual((op.parameters ?? []).map((x) => x.name).sort(), vars.sort(), `${at}: path parameters`);
  }
  const issuers = Object.values(doc.securityDefinitions ?? {}).flatMap((d) => (d.type === "oauth2" ? [d["x-google-issuer"]] : []));
  if (new Set(issuers).size !== issuers.length) problems.push("JWT definitions share an issuer");
  if (JSON.stringify(doc).includes("x-google-allow")) problems.push("x-google-allow bypasses auth");
  return problems;
}

describe("providers/gcp/openapi.ts", () => {
  const example = loadApi(EXAMPLE);
  const doc = openApiDocument(example, urlsOf(example));

  it("the example's document is valid Swagger 2.0 (swagger-parser) and follows API Gateway's own rules", async () => {
    assert.equal(doc.swagger, "2.0");
    await validateSwagger(doc);
    assert.deepEqual(checkGoogleRules(doc), []);
  });

  it("function routes: APPEND_PATH_TO_ADDRESS to the function URL, audience = URL, deadline = function timeout", () => {
    const op = doc.paths["/books/{id}"]?.get;
    assert.deepEqual(op?.["x-google-backend"], {
      address: "https://getbook-abc123-ew.a.run.app",
      path_translation: "APPEND_PATH_TO_ADDRESS",
      jwt_audience: "https://getbook-abc123-ew.a.run.app",
      deadline: 10,
    });
    assert.equal(doc.paths["/orders"]?.post?.["x-google-backend"].deadline, 20);
    assert.deepEqual(op?.parameters, [{ name: "id", in: "path", required: true, type: "string" }]);
  });

  it("greedy paths use {name=**}; ANY becomes every Swagger method; the upstream keeps the client's Authorization", () => {
    const ops = doc.paths["/legacy/{path=**}"];
    assert.ok(ops, "greedy path template");
    assert.deepEqual(Object.keys(ops).sort(), ["delete", "get", "head", "options", "patch", "post", "put"]);
    assert.deepEqual(ops.get?.["x-google-backend"], {
      address: "https://legacy.example.com",
      path_translation: "APPEND_PATH_TO_ADDRESS",
      disable_auth: true,
      deadline: 15,
    });
  });

  it("weighted upstreams are left out (unsupported; accepted only through allowUnsupported)", () => {
    assert.equal(doc.paths["/search"], undefined);
  });

  it("security: API key in the x-api-key header, JWT with issuer, JWKS and audiences, public routes security: []", () => {
    assert.deepEqual(doc.securityDefinitions?.partners, { type: "apiKey", name: "x-api-key", in: "header" });
    const users = doc.securityDefinitions?.users;
    assert.ok(users?.type === "oauth2");
    assert.equal(users["x-google-issuer"], "https://login.example.com/");
    assert.equal(users["x-google-jwks_uri"], "https://login.example.com/.well-known/jwks.json");
    assert.equal(users["x-google-audiences"], "api://bookshop");
    assert.equal(users.flow, "implicit");
    assert.equal(users.authorizationUrl, "");
    assert.deepEqual(doc.paths["/books"]?.get?.security, [{ partners: [] }]);
    assert.deepEqual(doc.paths["/orders"]?.post?.security, [{ users: ["orders:write"] }]);
    assert.deepEqual(doc.paths["/health"]?.get?.security, []);
  });

  it("without jwksUri, x-google-jwks_uri is omitted (the gateway uses OpenID Discovery of the issuer)", () => {
    const echo = loadApi(ECHO);
    const d = openApiDocument(echo, urlsOf(echo));
    const users = d.securityDefinitions?.users;
    assert.ok(users?.type === "oauth2");
    assert.equal("x-google-jwks_uri" in users, false);
    assert.equal(users["x-google-issuer"], "https://login.example.com/");
  });

  it("CORS: every path has a public OPTIONS operation routed to a function", () => {
    for (const [p, ops] of Object.entries(doc.paths)) {
      const options = ops.options;
      assert.ok(options, `${p} has no OPTIONS`);
      assert.deepEqual(options.security, [], p);
      assert.match(options["x-google-backend"].address, /\.a\.run\.app$/, p);
    }
    assert.equal(doc.paths["/books/{id}"]?.options?.["x-google-backend"].address, "https://getbook-abc123-ew.a.run.app");
  });

  it("without cors, no OPTIONS operations are added", () => {
    const api = loadApi(EXAMPLE);
    delete api.cors;
    const d = openApiDocument(api, urlsOf(api));
    assert.equal(d.paths["/books"]?.options, undefined);
    assert.deepEqual(Object.keys(d.paths["/legacy/{path=**}"] ?? {}).sort(), ["delete", "get", "head", "options", "patch", "post", "put"]);
  });

  it("rate limits: a per-minute quota per API-key route in x-google-management, none on keyless routes", async () => {
    const api = validate(
      {
        name: "quota",
        auth: {
          keys: { type: "apiKey", consumers: ["a", "b"] },
          users: { type: "jwt", issuer: "https://i.example.com/", audiences: ["x"] },
        },
        functions: { echo: { handler: "functions/echo.ts#echo" } },
        routes: {
          "GET /a": { function: "echo", auth: "keys", rateLimit: { ratePerSecond: 2, burst: 4 } },
          "GET /b": {
            function: "echo",
            auth: "keys",
            rateLimit: { ratePerSecond: 50, burst: 50, quota: { limit: 100, period: "minute" } },
          },
          "GET /c": { function: "echo", auth: "keys" },
        },
      },
      ECHO,
    );
    const d = openApiDocument(api, urlsOf(api));
    await validateSwagger(d);
    assert.deepEqual(checkGoogleRules(d), []);
    assert.deepEqual(d["x-google-management"]?.quota.limits, [
      { name: "get-a-requests-per-minute", metric: "get-a-requests", unit: "1/min/{project}", values: { STANDARD: 120 } },
      { name: "get-b-requests-per-minute", metric: "get-b-requests", unit: "1/min/{project}", values: { STANDARD: 100 } },
    ]);
    assert.deepEqual(
      d["x-google-management"]?.metrics.map((m) => m.name),
      ["get-a-requests", "get-b-requests"],
    );
    assert.deepEqual(d.paths["/a"]?.get?.["x-google-quota"], { metricCosts: { "get-a-requests": 1 } });
    assert.equal(d.paths["/c"]?.get?.["x-google-quota"], undefined);
    // All limited routes carry a key and the quotas are per minute: the capability is a substitute.
    const caps = gcpCapabilities(api);
    assert.equal(caps.rateLimit.support, "substitute");
    assert.match(caps.rateLimit.note, /per minute, per consumer Google Cloud project/);
    assert.equal(caps["rateLimit.quota"].support, "substitute");
    // The example's keyless rate-limited routes make it unsupported, naming them.
    const exampleCaps = gcpCapabilities(example);
    assert.equal(exampleCaps.rateLimit.support, "unsupported");
    assert.match(exampleCaps.rateLimit.note, /GET \/health, POST \/orders, GET \/search/);
    assert.equal(exampleCaps["rateLimit.quota"].support, "unsupported");
    assert.equal(doc.paths["/health"]?.get?.["x-google-quota"], undefined);
    assert.ok(doc.paths["/books"]?.get?.["x-google-quota"]);
  });

  it("operation ids stay unique when two routes would give the same id", () => {
    const api = validate(
      {
        name: "ids",
        functions: { echo: { handler: "functions/echo.ts#echo" } },
        routes: { "GET /a-b": { function: "echo", auth: "none" }, "GET /a_b": { function: "echo", auth: "none" } },
      },
      ECHO,
    );
    const d = openApiDocument(api, urlsOf(api));
    assert.deepEqual(
      operations(d)
        .map(([, , op]) => op.operationId)
        .sort(),
      ["get_a_b", "get_a_b_2"],
    );
    assert.deepEqual(checkGoogleRules(d), []);
  });

  it("is deterministic", () => {
    assert.equal(JSON.stringify(openApiDocument(example, urlsOf(example))), JSON.stringify(doc));
  });
});
