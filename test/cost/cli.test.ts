import * as assert from "node:assert/strict";
import * as path from "node:path";
import { stackConfigOf } from "../../cost/config";
import { estimate, parseProfile } from "../../cost/index";
import type { CostReport } from "../../cost/types";
import { loadApi } from "../../model";
import { loadStack } from "../../plan/stack";
import { runTool } from "../support/cli";
import { EXAMPLE } from "../support/models";

const ROOT = path.resolve(__dirname, "..", "..");

const runCost = (args: string[]) => runTool("tools/cost.ts", args);

describe("tools/cost.ts (npm run cost)", () => {
  // Three runs, started together: each is a ts-node process of ~2 s. Profile parsing and estimates
  // are tested in-process (estimate.test.ts); these check the CLI's wiring.
  const runs = {
    all: ["--cloud", "all", "--requests", "10000000", "--duration-ms", "120"],
    noRequests: ["--cloud", "aws", "--duration-ms", "120"],
    stack: ["--stack", "gcp-dev", "--requests", "1000000", "--json"],
  };
  const results: Record<string, Promise<{ code: number; stdout: string; stderr: string }>> = {};
  before(() => {
    for (const [k, args] of Object.entries(runs)) results[k] = runCost(args);
  });

  it("prints the three clouds side by side with the cheapest marked", async () => {
    const r = await results.all!;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^switchyard cost estimate: 10,000,000 requests\/month, 120 ms average/);
    assert.match(r.stdout, /Side by side:\n\s+AWS( \*)?\s+Azure( \*)?\s+GCP/);
    for (const row of ["gateway", "compute", "logs", "secrets", "monitoring", "fixed", "total"])
      assert.match(r.stdout, new RegExp(`\\n${row} +\\$`));
    assert.match(r.stdout, /\* cheapest: (AWS|Azure|GCP) at \$/);
  });

  it("a missing --requests exits 1 naming the flag", async () => {
    const r = await results.noRequests!;
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "error: The traffic profile has problems (1 problem):\n  - --requests: is required: how many requests a month the estimate is for, e.g. 10000000.\n",
    );
  });

  it("--stack estimates the stack's cloud only, with the numbers of the estimator", async () => {
    const r = await results.stack!;
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as CostReport;
    assert.deepEqual(
      doc.estimates.map((e) => e.cloud),
      ["gcp"],
    );
    assert.equal(doc.cheapest, "gcp");
    const expected = estimate(loadApi(EXAMPLE), parseProfile({ requestsPerMonth: 1_000_000 }), stackConfigOf(loadStack(ROOT, "gcp-dev")), [
      "gcp",
    ]);
    assert.deepEqual(doc, JSON.parse(JSON.stringify(expected)));
  });
});
