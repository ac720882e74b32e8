import * as assert from "node:assert/strict";
import { estimateAws } from "../../cost/aws";
import { config, line, oneFunction, profile } from "./support";

describe("cost/aws.ts", () => {
  describe("Lambda free tier (1M requests, 400,000 GB-s a month)", () => {
    it("1,000,000 invocations of 400 ms at 1 GB use exactly the free tier", () => {
      const e = estimateAws(oneFunction(1024), profile({ requestsPerMonth: 1_000_000, avgDurationMs: 400 }), config());
      // 1,000,000 requests - 1,000,000 free = 0 → $0.00
      assert.equal(line(e, "Lambda requests"), 0);
      // 1,000,000 × 0.4 s × 1 GB = 400,000 GB-s - 400,000 free = 0 → $0.00
      assert.equal(line(e, "Lambda duration (arm64)"), 0);
    });

    it("2,000,000 invocations bill the second million and the second 400,000 GB-s", () => {
      const e = estimateAws(oneFunction(1024), profile({ requestsPerMonth: 2_000_000, avgDurationMs: 400 }), config());
      // (2,000,000 - 1,000,000) / 1M × $0.20 = $0.20
      assert.equal(line(e, "Lambda requests"), 0.2);
      // (2,000,000 × 0.4 × 1 = 800,000 - 400,000) GB-s × $0.0000133334 = $5.33336 → $5.33
      assert.equal(line(e, "Lambda duration (arm64)"), 5.33);
    });
  });

  it("arm64 is 20% cheaper per GB-s than x86_64", () => {
    const p = profile({ requestsPerMonth: 2_000_000, avgDurationMs: 400 });
    const x86 = estimateAws(oneFunction(1024), p, config(), { architecture: "x86_64" });
    // 400,000 billable GB-s × $0.0000166667 = $6.66668 → $6.67 (arm64: $5.33, above)
    assert.equal(line(x86, "Lambda duration (x86_64)"), 6.67);
    assert.equal(x86.choices.architecture, "x86_64");
  });

  describe("HTTP API tiers ($1.00/M to 300M, $0.90/M after)", () => {
    it("300,000,000 requests stay in the first tier", () => {
      const e = estimateAws(oneFunction(128), profile({ requestsPerMonth: 300_000_000 }), config());
      assert.equal(e.choices.flavour, "http");
      // 300 × $1.00 = $300.00
      assert.equal(line(e, "API Gateway HTTP API requests"), 300);
    });

    it("400,000,000 requests put 100M in the second tier", () => {
      const e = estimateAws(oneFunction(128), profile({ requestsPerMonth: 400_000_000 }), config());
      // 300 × $1.00 + 100 × $0.90 = $390.00
      assert.equal(line(e, "API Gateway HTTP API requests"), 390);
    });

    it("meters a 513 KB request as two (512 KB steps)", () => {
      const e = estimateAws(oneFunction(128), profile({ requestsPerMonth: 10_000_000, avgPayloadKb: 513 }), config());
      // 10M × 2 steps = 20M × $1.00 = $20.00
      assert.equal(line(e, "API Gateway HTTP API requests"), 20);
    });
  });

  describe("REST API tiers ($3.50/M to 333M, $2.80/M to 1B)", () => {
    const restConfig = config({ "aws.apiFlavour": "rest" });
    it("333,000,000 requests stay in the first tier", () => {
      const e = estimateAws(oneFunction(128), profile({ requestsPerMonth: 333_000_000 }), restConfig);
      // 333 × $3.50 = $1,165.50
      assert.equal(line(e, "API Gateway REST API requests"), 1165.5);
    });

    it("1,000,000,000 requests fill the second tier", () => {
      const e = estimateAws(oneFunction(128), profile({ requestsPerMonth: 1_000_000_000 }), restConfig);
      // 333 × $3.50 + 667 × $2.80 = $1,165.50 + $1,867.60 = $3,033.10
      assert.equal(line(e, "API Gateway REST API requests"), 3033.1);
    });
  });

  describe("REST cache cluster", () => {
    const cached = () => oneFunction(1024, { routes: { "GET /hello": { function: "hello", auth: "none", cache: { ttlSeconds: 60 } } } });

    it("is billed 24/7 even with no traffic: 730 h × $0.02 = $14.60", () => {
      const e = estimateAws(cached(), profile({ requestsPerMonth: 0 }), config());
      assert.equal(e.choices.flavour, "rest");
      assert.equal(line(e, "REST cache cluster 0.5 GB (24/7)"), 14.6);
      assert.equal(e.totals.fixed, 14.6);
    });

    it("a 237 GB cluster costs 730 h × $3.80 = $2,774.00", () => {
      const e = estimateAws(cached(), profile({ requestsPerMonth: 0 }), config(), { cacheSizeGb: 237 });
      assert.equal(line(e, "REST cache cluster 237 GB (24/7)"), 2774);
    });

    it("cache hits never reach Lambda", () => {
      const e = estimateAws(cached(), profile({ requestsPerMonth: 4_000_000, cacheHitRate: 0.5 }), config());
      // 4,000,000 × (1 - 0.5) = 2,000,000 invocations; (2M - 1M free) / 1M × $0.20 = $0.20
      assert.equal(line(e, "Lambda requests"), 0.2);
      // the gateway still bills all 4M: 4 × $3.50 = $14.00
      assert.equal(line(e, "API Gateway REST API requests"), 14);
    });
  });

  it("upstream routes cost gateway only", () => {
    const api = oneFunction(128, {
      routes: { "GET /hello": { function: "hello", auth: "none" }, "GET /up": { auth: "none", upstream: { url: "https://example.com" } } },
    });
    const e = estimateAws(api, profile({ requestsPerMonth: 4_000_000 }), config());
    // the function gets half: 2,000,000 - 1,000,000 free = 1M × $0.20 = $0.20; the gateway all 4M × $1.00 = $4.00
    assert.equal(line(e, "Lambda requests"), 0.2);
    assert.equal(line(e, "API Gateway HTTP API requests"), 4);
  });

  it("logs: access and Lambda logs into CloudWatch, stored for the retention", () => {
    const api = oneFunction(128, { logging: { access: true, retentionDays: 14 } });
    const e = estimateAws(api, profile({ requestsPerMonth: 10_000_000, accessLogBytes: 300, functionLogBytes: 300 }), config());
    // (10M × 300 B = 3 GB access + 3 GB Lambda) × $0.50 = $3.00
    assert.equal(line(e, "CloudWatch Logs ingestion"), 3);
    // 6 GB × 14/30 × $0.03 = $0.084 → $0.08
    assert.equal(line(e, "CloudWatch Logs storage (14 days)"), 0.08);
  });

  it("secrets: $0.40 per secret-month plus reads on cold starts", () => {
    const api = oneFunction(128, {}, { secrets: ["PAYMENT_KEY", "OTHER_KEY"] });
    const e = estimateAws(api, profile({ requestsPerMonth: 10_000_000, coldStartRate: 0.01 }), config());
    // 2 × $0.40 = $0.80
    assert.equal(line(e, "Secrets Manager secrets"), 0.8);
    // 10M × 0.01 × 2 secrets = 200,000 reads / 10,000 × $0.05 = $1.00
    assert.equal(line(e, "Secrets Manager API calls"), 1);
  });

  it("scaling.min > 0 is priced as provisioned concurrency, all month", () => {
    const e = estimateAws(oneFunction(1024, {}, { scaling: { min: 1 } }), profile({ requestsPerMonth: 0 }), config());
    // 1 × 1 GB × 730 h × 3600 s × $0.0000033334 = $8.76018 → $8.76
    assert.equal(line(e, "Lambda provisioned concurrency (hello)"), 8.76);
    assert.ok(e.notes.some((n) => n.startsWith("unverified: Lambda provisioned concurrency")));
  });
});
