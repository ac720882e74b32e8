import * as path from "node:path";
import { renderPlanCost } from "../cost/render";
import { userError } from "../model";
import { diffPlans, renderMarkdown } from "../plan/diff";
import { renderText } from "../plan/render";
import { flags, main } from "./cli";
import { readPlan } from "./diff";

const USAGE = "npm run plan -- --stack <name> [--api <file>] [--json] [--diff <base.json> [--json|--markdown]] [--fail-over-budget]";

main(async () => {
  const f = flags(
    {
      stack: { type: "string" },
      api: { type: "string" },
      json: { type: "boolean", default: false },
      "fail-over-budget": { type: "boolean", default: false },
      diff: { type: "string" },
      markdown: { type: "boolean", default: false },
    },
    USAGE,
  );
  if (!f.stack) throw userError(`--stack is required.\nusage: ${USAGE}`);
  if (f.markdown && !f.diff) throw userError(`--markdown needs --diff <base.json>.\nusage: ${USAGE}`);
  if (f.markdown && f.json) throw userError(`pick one of --json and --markdown.\nusage: ${USAGE}`);
  // Read the base first: a bad --diff file fails before the (slower) plan runs.
  const base = f.diff ? readPlan(path.resolve(f.diff)) : null;
  if (base && base.stack !== f.stack) throw userError(`${f.diff} is a plan of stack "${base.stack}", not "${f.stack}".`);
  // Loaded only now: @pulumi/pulumi takes seconds to load, and flag errors should not wait for it.
  const { runPlan } = await import("../plan/run");
  const projectDir = path.resolve(__dirname, "..");
  const plan = await runPlan({ projectDir, stack: f.stack, ...(f.api ? { apiFile: path.resolve(f.api) } : {}) });
  if (base) {
    const diff = diffPlans([{ stack: f.stack, base, head: plan }]);
    process.stdout.write(f.json ? `${JSON.stringify(diff, null, 2)}\n` : renderMarkdown(diff));
  } else {
    process.stdout.write(f.json ? `${JSON.stringify(plan, null, 2)}\n` : renderText(plan) + (plan.cost ? renderPlanCost(plan.cost) : ""));
  }
  // Over budget is a flag in the plan (exit 0) unless the caller (a PR check) asks for a failing exit.
  if (plan.cost?.overBudget && f["fail-over-budget"]) {
    throw userError(
      `the cost estimate $${plan.cost.estimate.totals.total.toFixed(2)} a month is above switchyard:budget.monthlyUsd ($${plan.cost.budgetMonthlyUsd}).`,
    );
  }
});
