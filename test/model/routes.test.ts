import * as assert from "node:assert/strict";
import { loadApi, parseRouteKey } from "../../model";
import { EXAMPLE } from "../support/models";

describe("model/routes.ts", () => {
  it("parses static, param and greedy segments", () => {
    assert.deepEqual(parseRouteKey("GET /files/{bucket}/{path+}"), {
      key: "GET /files/{bucket}/{path+}",
      method: "GET",
      path: "/files/{bucket}/{path+}",
      segments: [
        { kind: "static", value: "files" },
        { kind: "param", name: "bucket" },
        { kind: "greedy", name: "path" },
      ],
      params: ["bucket", "path"],
      greedy: "path",
    });
  });

  it("parses the root path", () => {
    assert.deepEqual(parseRouteKey("ANY /"), { key: "ANY /", method: "ANY", path: "/", segments: [], params: [] });
  });

  it("collects every problem of one key", () => {
    assert.deepEqual(parseRouteKey("get /a/{x+}/{x}"), {
      problems: [
        'write the method in capitals: "GET /a/{x+}/{x}"',
        'greedy "{x+}" must be the last path segment',
        'path parameter "{x}" appears twice',
      ],
    });
  });
});

describe("model/validate.ts: normalisation of the example api.ts", () => {
  const api = loadApi(EXAMPLE);

  it("sorts routes by path then method and resolves defaults", () => {
    assert.deepEqual(
      api.routes.map((r) => [r.key, r.auth.kind, r.rateLimit?.ratePerSecond ?? null]),
      [
        ["GET /books", "apiKey", 50],
        ["GET /books/{id}", "apiKey", 50],
        ["GET /health", "none", 50],
        ["ANY /legacy/{path+}", "apiKey", 50],
        ["POST /orders", "jwt", 5],
        ["GET /search", "none", 50],
      ],
    );
  });

  it("fills function defaults and links functions to their routes", () => {
    const f = api.functions;
    assert.deepEqual(Object.keys(f), ["createOrder", "getBook", "health", "listBooks"]);
    assert.deepEqual(
      [f.createOrder?.memoryMb, f.createOrder?.timeoutSeconds, f.createOrder?.scaling, f.createOrder?.secrets, f.createOrder?.routes],
      [256, 20, { min: 0, max: 20, concurrency: 10 }, ["PAYMENT_KEY"], ["POST /orders"]],
    );
    assert.deepEqual([f.listBooks?.memoryMb, f.listBooks?.export, f.health?.export], [512, "list", "default"]);
  });

  it("resolves JWT scopes, cache keys, weighted upstreams and logging defaults", () => {
    const orders = api.routes.find((r) => r.key === "POST /orders");
    assert.deepEqual(orders?.auth, { kind: "jwt", scheme: "users", scopes: ["orders:write"] });
    assert.deepEqual(orders?.rateLimit, { ratePerSecond: 5, burst: 10, quota: { limit: 1000, period: "day" } });
    assert.deepEqual(api.routes.find((r) => r.key === "GET /books")?.cache, { ttlSeconds: 60, varyBy: { query: ["page"], headers: [] } });
    assert.deepEqual(api.routes.find((r) => r.key === "GET /search")?.target, {
      kind: "upstream",
      targets: [
        { url: "https://search-a.example.com", weight: 80 },
        { url: "https://search-b.example.com", weight: 20 },
      ],
    });
    assert.deepEqual(api.logging, { access: true, retentionDays: 14 });
    assert.equal(api.routes.find((r) => r.key === "ANY /legacy/{path+}")?.greedy, "path");
  });

  it("is idempotent: validating the same file twice gives the same normalised model", () => {
    assert.deepEqual(loadApi(EXAMPLE), api);
  });
});
