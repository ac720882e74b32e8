import * as assert from "node:assert/strict";
import * as path from "node:path";
import { loadApi } from "../../model";
import { apiSummary } from "../../plan/summary";
import { EXAMPLE } from "../support/models";

describe("plan/summary.ts apiSummary", () => {
  const api = loadApi(EXAMPLE);
  const summary = apiSummary(api);

  it("lists routes by key with their auth, target, rate limit and cache", () => {
    assert.deepEqual(
      summary.routes.map((r) => r.key),
      ["ANY /legacy/{path+}", "GET /books", "GET /books/{id}", "GET /health", "GET /search", "POST /orders"],
    );
    const orders = summary.routes.find((r) => r.key === "POST /orders");
    assert.deepEqual(orders, {
      key: "POST /orders",
      auth: { kind: "jwt", scheme: "users", scopes: ["orders:write"] },
      target: { function: "createOrder" },
      rateLimit: { ratePerSecond: 5, burst: 10, quota: { limit: 1000, period: "day" } },
      cache: null,
    });
    assert.deepEqual(summary.routes.find((r) => r.key === "GET /search")?.target, {
      upstream: [
        { url: "https://search-a.example.com", weight: 80 },
        { url: "https://search-b.example.com", weight: 20 },
      ],
    });
    assert.deepEqual(summary.routes.find((r) => r.key === "GET /books")?.cache, {
      ttlSeconds: 60,
      varyBy: { query: ["page"], headers: [] },
    });
  });

  it("summarises functions: relative handler, sizes, scaling, environment keys only, secret names", () => {
    assert.deepEqual(summary.functions.createOrder, {
      handler: "functions/orders.ts#create",
      memoryMb: 256,
      timeoutSeconds: 20,
      scaling: { min: 0, max: 20, concurrency: 10 },
      environment: ["CURRENCY"],
      secrets: ["PAYMENT_KEY"],
      canary: null,
    });
    assert.equal(summary.functions.health?.handler, "functions/health.ts#default");
  });

  it("holds no absolute path and no environment value, and is plain JSON", () => {
    const json = JSON.stringify(summary);
    assert.ok(!json.includes(path.dirname(EXAMPLE)), "no absolute path");
    assert.ok(!json.includes("EUR"), "no environment value");
    assert.deepEqual(JSON.parse(json), summary);
  });

  it("carries CORS and the auth schemes without secrets", () => {
    assert.deepEqual(summary.cors?.allowOrigins, ["https://shop.example.com"]);
    assert.deepEqual(summary.auth, {
      partners: { type: "apiKey", consumers: ["acme", "globex"] },
      users: { type: "jwt", issuer: "https://login.example.com/", audiences: ["api://bookshop"] },
    });
  });

  it("is pure and independent of the model's declaration order", () => {
    const shuffled = { ...api, routes: [...api.routes].reverse(), functions: Object.fromEntries(Object.entries(api.functions).reverse()) };
    assert.deepEqual(apiSummary(shuffled), summary);
    assert.equal(JSON.stringify(apiSummary(shuffled)), JSON.stringify(summary));
  });
});
