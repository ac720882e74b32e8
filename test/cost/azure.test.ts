import * as assert from "node:assert/strict";
import { estimateAzure, flexInstanceMemoryMb } from "../../cost/azure";
import { ModelError } from "../../model";
import { config, line, oneFunction, profile } from "./support";

describe("cost/azure.ts", () => {
  describe("APIM Consumption (first 1M calls a month free, then $3.50/M)", () => {
    it("1,000,000 calls are free", () => {
      const e = estimateAzure(oneFunction(512), profile({ requestsPerMonth: 1_000_000 }), config());
      // (1,000,000 - 1,000,000 free) / 1M × $3.50 = $0.00
      assert.equal(line(e, "API Management Consumption calls"), 0);
      assert.equal(e.choices.apimSku, "Consumption");
    });

    it("3,000,000 calls bill two million", () => {
      const e = estimateAzure(oneFunction(512), profile({ requestsPerMonth: 3_000_000 }), config());
      // (3,000,000 - 1,000,000) / 1M × $3.50 = $7.00
      assert.equal(line(e, "API Management Consumption calls"), 7);
      assert.ok(e.notes.some((n) => n.startsWith("unverified: APIM Consumption $3.5")));
    });
  });

  it("a fixed APIM SKU is a fixed monthly cost and no per-call cost", () => {
    const e = estimateAzure(oneFunction(512), profile({ requestsPerMonth: 3_000_000 }), config({ "azure.apimSku": "StandardV2" }));
    // 1 unit × $700 = $700.00, whatever the calls (3M is inside the 50M included)
    assert.equal(line(e, "API Management StandardV2 (1 unit)"), 700);
    assert.equal(e.totals.gateway, 0);
    assert.equal(e.totals.fixed, 700);
  });

  it("an unknown APIM SKU is a ModelError listing the known ones", () => {
    assert.throws(
      () => estimateAzure(oneFunction(512), profile({ requestsPerMonth: 1 }), config({ "azure.apimSku": "Gold" })),
      (e: unknown) =>
        e instanceof ModelError && /^switchyard:azure\.apimSku: "Gold" is not an APIM SKU .*Consumption, Developer/.test(e.message),
    );
  });

  it("Flex instance memory is the largest function's memory rounded up to 512, 2048 or 4096 MB", () => {
    assert.equal(flexInstanceMemoryMb(oneFunction(256)), 512);
    assert.equal(flexInstanceMemoryMb(oneFunction(512)), 512);
    assert.equal(flexInstanceMemoryMb(oneFunction(1024)), 2048);
    assert.equal(flexInstanceMemoryMb(oneFunction(3000)), 4096);
  });

  it("Flex on-demand: GB-s at the instance memory and executions, free grants applied", () => {
    const e = estimateAzure(oneFunction(1024), profile({ requestsPerMonth: 1_000_000, avgDurationMs: 500 }), config());
    // 1,000,000 × 0.5 s × 2 GB (2048 MB instance) = 1,000,000 GB-s - 100,000 free = 900,000 × $0.000026 = $23.40
    assert.equal(line(e, "Flex Consumption execution time (2048 MB)"), 23.4);
    // (1,000,000 - 250,000 free) / 1M × $0.40 = $0.30
    assert.equal(line(e, "Flex Consumption executions"), 0.3);
  });

  it("Flex always-ready (scaling.min > 0) adds a 24/7 baseline with no free grant", () => {
    const e = estimateAzure(oneFunction(1024, {}, { scaling: { min: 1 } }), profile({ requestsPerMonth: 0 }), config());
    // 1 × 2 GB × 2,628,000 s × $0.000004 = $21.024 → $21.02
    assert.equal(line(e, "Flex always-ready baseline (1 instance)"), 21.02);
  });

  it("Log Analytics: first 5 GB free, then $2.30/GB", () => {
    const api = oneFunction(512, { logging: { access: true, retentionDays: 14 } });
    const e = estimateAzure(api, profile({ requestsPerMonth: 10_000_000, accessLogBytes: 300, functionLogBytes: 300 }), config());
    // 10M × 600 B = 6 GB - 5 free = 1 GB × $2.30 = $2.30
    assert.equal(line(e, "Log Analytics ingestion"), 2.3);
  });

  it("APIM tiers with a built-in cache keep cache hits away from the functions; Consumption does not", () => {
    const api = oneFunction(512, { routes: { "GET /hello": { function: "hello", auth: "none", cache: { ttlSeconds: 60 } } } });
    const p = profile({ requestsPerMonth: 2_250_000, cacheHitRate: 0.5 });
    // StandardV2: 2,250,000 × (1 - 0.5) = 1,125,000 executions - 250,000 free = 875,000 / 1M × $0.40 = $0.35
    assert.equal(line(estimateAzure(api, p, config({ "azure.apimSku": "StandardV2" })), "Flex Consumption executions"), 0.35);
    // Consumption: all 2,250,000 - 250,000 free = 2,000,000 / 1M × $0.40 = $0.80
    assert.equal(line(estimateAzure(api, p, config()), "Flex Consumption executions"), 0.8);
  });
});
