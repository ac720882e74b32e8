import * as assert from "node:assert/strict";
import { planJson } from "../support/plan";

describe("cost in the plan (issue #8): aws-dev carries a traffic profile and a budget", () => {
  it("puts the stack's monthly estimate under `cost`, checked against the budget", async () => {
    const plan = await planJson("aws-dev");
    assert.ok(plan.cost, "no cost in the aws-dev plan");
    assert.equal(plan.cost.profile.requestsPerMonth, 10_000_000);
    assert.equal(plan.cost.profile.avgDurationMs, 120);
    // The same figure `npm run cost -- --cloud aws --requests 10000000 --duration-ms 120` prints for
    // the example (hand calculation in test/cost/aws.test.ts and the issue note): $53.78, plus the
    // example's alerts: (2 + 1 + 2 × 4 functions) = 11 alarm metrics × $0.10 = $1.10, plus X-Ray on the
    // REST stage's 10M requests: 2,628,000 + 0.05 × 7,372,000 - 100,000 free = 2,896,600 × $5.00/1M
    // = $14.48 → $69.36.
    assert.equal(plan.cost.estimate.totals.total.toFixed(2), "69.36");
    assert.equal(plan.cost.estimate.totals.monitoring, 15.58);
    assert.equal(plan.cost.budgetMonthlyUsd, 100);
    assert.equal(plan.cost.overBudget, false);
  });

  it("leaves `cost` out of stacks without a traffic profile", async () => {
    assert.equal((await planJson("gcp-dev")).cost, undefined);
  });
});
