import * as assert from "node:assert/strict";
import { cpuForMemory, estimateGcp } from "../../cost/gcp";
import { line, oneFunction, profile } from "./support";

describe("cost/gcp.ts", () => {
  describe("Cloud Run functions free tier (180,000 vCPU-s, 360,000 GiB-s, 2M requests)", () => {
    it("2,000,000 requests of 100 ms at 256 MB are free", () => {
      const e = estimateGcp(oneFunction(256), profile({ requestsPerMonth: 2_000_000, avgDurationMs: 100 }));
      // 2M × 0.1 s × 0.167 vCPU = 33,400 vCPU-s, within 180,000 → $0.00
      assert.equal(line(e, "Cloud Run functions CPU"), 0);
      // 2M × 0.1 s × 0.25 GiB = 50,000 GiB-s, within 360,000 → $0.00
      assert.equal(line(e, "Cloud Run functions memory"), 0);
      // 2,000,000 - 2,000,000 free → $0.00
      assert.equal(line(e, "Cloud Run functions requests"), 0);
    });

    it("10,000,000 requests of 200 ms at 256 MB (gcp.md's worked example)", () => {
      const e = estimateGcp(oneFunction(256), profile({ requestsPerMonth: 10_000_000, avgDurationMs: 200 }));
      // (10M × 0.2 × 0.167 = 334,000 - 180,000) × $0.000024 = $3.696 → $3.70
      assert.equal(line(e, "Cloud Run functions CPU"), 3.7);
      // (10M × 0.2 × 0.25 = 500,000 - 360,000) × $0.0000025 = $0.35
      assert.equal(line(e, "Cloud Run functions memory"), 0.35);
      // (10M - 2M) / 1M × $0.40 = $3.20
      assert.equal(line(e, "Cloud Run functions requests"), 3.2);
    });
  });

  it("rounds each request up to 100 ms: 120 ms bills as 200 ms", () => {
    const e = estimateGcp(oneFunction(256), profile({ requestsPerMonth: 10_000_000, avgDurationMs: 120 }));
    // same as 200 ms: $3.70
    assert.equal(line(e, "Cloud Run functions CPU"), 3.7);
  });

  it("CPU follows the memory tier", () => {
    assert.deepEqual([128, 256, 512, 1024, 2048, 4096, 8192].map(cpuForMemory), [0.083, 0.167, 0.333, 0.583, 1, 2, 2]);
    assert.equal(cpuForMemory(300), 0.333);
  });

  describe("API Gateway tiers (2M free, $3.00/M to 1B, $1.50/M above)", () => {
    it("2,000,000 calls are free", () => {
      assert.equal(line(estimateGcp(oneFunction(256), profile({ requestsPerMonth: 2_000_000 })), "API Gateway calls"), 0);
    });
    it("10,000,000 calls: 8M × $3.00 = $24.00", () => {
      assert.equal(line(estimateGcp(oneFunction(256), profile({ requestsPerMonth: 10_000_000 })), "API Gateway calls"), 24);
    });
    it("1,500,000,000 calls: 998M × $3.00 + 500M × $1.50 = $3,744.00", () => {
      assert.equal(line(estimateGcp(oneFunction(256), profile({ requestsPerMonth: 1_500_000_000 })), "API Gateway calls"), 3744);
    });
  });

  it("Secret Manager: 6 versions and 10,000 accesses free", () => {
    const secrets = ["A", "B", "C", "D", "E", "F", "G"];
    const e = estimateGcp(oneFunction(256, {}, { secrets }), profile({ requestsPerMonth: 1_000_000, coldStartRate: 0.01 }));
    // (7 - 6 free) × $0.06 = $0.06
    assert.equal(line(e, "Secret Manager active versions"), 0.06);
    // 1M × 0.01 × 7 = 70,000 - 10,000 free = 60,000 / 10,000 × $0.03 = $0.18
    assert.equal(line(e, "Secret Manager access operations"), 0.18);
  });

  it("Cloud Logging: 50 GiB a project free", () => {
    const api = oneFunction(256, { logging: { access: true, retentionDays: 14 } });
    const e = estimateGcp(api, profile({ requestsPerMonth: 100_000_000, accessLogBytes: 300, functionLogBytes: 300 }));
    // 100M × 600 B = 6e10 B = 55.879 GiB - 50 free = 5.879 GiB × $0.50 = $2.94
    assert.equal(line(e, "Cloud Logging"), 2.94);
  });

  it("min instances are billed idle all month", () => {
    const e = estimateGcp(oneFunction(256, {}, { scaling: { min: 1 } }), profile({ requestsPerMonth: 0 }));
    // 1 × 2,628,000 s × (0.167 vCPU × $0.0000025 + 0.25 GiB × $0.0000025) = $2.73969 → $2.74
    assert.equal(line(e, "Cloud Run idle min instances (hello)"), 2.74);
  });
});

describe("cost/gcp.ts: the vCPU the provider deploys", () => {
  it("prices concurrency > 1 at the 1 vCPU the provider sets, else Google's default for the memory", async () => {
    const { effectiveCpu, cpuForMemory } = await import("../../cost/gcp");
    // 256 MB: Google's default 0.167 vCPU; with concurrency 10 the provider sets availableCpu "1".
    assert.equal(effectiveCpu(256, 1), cpuForMemory(256));
    assert.equal(effectiveCpu(256, 10), 1);
    // 4096 MB is the 2 vCPU tier: concurrency keeps it at 2.
    assert.equal(effectiveCpu(4096, 10), 2);
  });
});
