import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { diffPlans, renderMarkdown } from "../../plan/diff";
import type { PlanDocument } from "../../plan/run";

const base = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "plans", "base.json"), "utf8")) as PlanDocument;

/** A copy of the base plan with a cost estimate of `total` against a budget of `budget`. */
function withCost(total: number, budget: number): PlanDocument {
  const plan = structuredClone(base);
  plan.cost = {
    estimate: { totals: { total } },
    budgetMonthlyUsd: budget,
    overBudget: total > budget,
  } as unknown as PlanDocument["cost"];
  return plan;
}

describe("plan/diff.ts: budget gate in the PR diff", () => {
  it("flags a head plan whose estimate is above the stack's budget, with the base's figure", () => {
    const diff = diffPlans([{ stack: base.stack, base: withCost(40, 50), head: withCost(61.5, 50) }]);
    assert.deepEqual(diff.breaking, [
      {
        kind: "over-budget",
        stacks: [base.stack],
        subject: base.stack,
        detail: "estimated $61.50 a month (was $40.00), above the budget of $50",
      },
    ]);
    assert.match(renderMarkdown(diff), /over budget/);
  });

  it("says nothing when the estimate is within the budget", () => {
    const diff = diffPlans([{ stack: base.stack, base: withCost(40, 50), head: withCost(49.99, 50) }]);
    assert.deepEqual(
      diff.breaking.filter((b) => b.kind === "over-budget"),
      [],
    );
  });
});
