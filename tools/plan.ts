import * as path from "node:path";
import { renderPlanCost } from "../cost/render";
import { userError } from "../model";
import { renderText } from "../plan/render";
import { runPlan } from "../plan/run";
import { flags, main } from "./cli";

const USAGE = "npm run plan -- --stack <name> [--api <file>] [--json] [--fail-over-budget]";

main(async () => {
  const f = flags(
    {
      stack: { type: "string" },
      api: { type: "string" },
      json: { type: "boolean", default: false },
      "fail-over-budget": { type: "boolean", default: false },
    },
    USAGE,
  );
  if (!f.stack) throw userError(`--stack is required.\nusage: ${USAGE}`);
  const projectDir = path.resolve(__dirname, "..");
  const plan = await runPlan({ projectDir, stack: f.stack, ...(f.api ? { apiFile: path.resolve(f.api) } : {}) });
  process.stdout.write(f.json ? `${JSON.stringify(plan, null, 2)}\n` : renderText(plan) + (plan.cost ? renderPlanCost(plan.cost) : ""));
  // Over budget is a flag in the plan (exit 0) unless the caller (a PR check) asks for a failing exit.
  if (plan.cost?.overBudget && f["fail-over-budget"]) {
    throw userError(
      `the cost estimate $${plan.cost.estimate.totals.total.toFixed(2)} a month is above switchyard:budget.monthlyUsd ($${plan.cost.budgetMonthlyUsd}).`,
    );
  }
});
