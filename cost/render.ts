import type { PlanCost } from "./index";
import { num } from "./math";
import { CATEGORIES, type CloudEstimate, type CostReport, type TrafficProfile } from "./types";

const NAMES = { aws: "AWS", azure: "Azure", gcp: "GCP" } as const;
/** Width of the category column: the longest category name. */
const CAT_WIDTH = Math.max(...CATEGORIES.map((c) => c.length));

function money(n: number): string {
  return `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function profileLine(p: TrafficProfile): string {
  return `${num(p.requestsPerMonth)} requests/month, ${num(p.avgDurationMs)} ms average, ${num(p.avgPayloadKb)} KB payload, cache hit rate ${num(p.cacheHitRate)}`;
}

/** One cloud: every line with its hand calculation, the category totals and the notes. */
export function renderEstimate(e: CloudEstimate): string {
  const out: string[] = [];
  const choices = Object.entries(e.choices).map(([k, v]) => `${k} ${v}`);
  out.push(`${NAMES[e.cloud]}${choices.length ? ` (${choices.join(", ")})` : ""}`);
  const w = Math.max(...e.lines.map((l) => l.item.length), 10);
  for (const c of CATEGORIES) {
    for (const l of e.lines.filter((x) => x.category === c)) {
      out.push(`  ${c.padEnd(CAT_WIDTH)} ${l.item.padEnd(w)} ${money(l.usd).padStart(11)}`);
      out.push(`  ${"".padEnd(CAT_WIDTH)}   = ${l.calc}`);
    }
  }
  out.push(`  ${"total".padEnd(CAT_WIDTH)} ${"per month".padEnd(w)} ${money(e.totals.total).padStart(11)}`);
  for (const n of e.notes) out.push(`  note: ${n}`);
  return out.join("\n");
}

/** The side-by-side comparison: a row per category, a column per cloud, the cheapest marked. */
export function renderComparison(r: CostReport): string {
  const cols = r.estimates.map((e) => `${NAMES[e.cloud]}${e.cloud === r.cheapest && r.estimates.length > 1 ? " *" : ""}`);
  const w = 14;
  const out = [`${"".padEnd(10)}${cols.map((c) => c.padStart(w)).join("")}`];
  for (const c of [...CATEGORIES, "total"] as const) {
    out.push(`${c.padEnd(10)}${r.estimates.map((e) => money(e.totals[c]).padStart(w)).join("")}`);
  }
  if (r.estimates.length > 1)
    out.push(`* cheapest: ${NAMES[r.cheapest]} at ${money(r.estimates.find((e) => e.cloud === r.cheapest)?.totals.total ?? 0)} a month`);
  return out.join("\n");
}

/** The whole report as text. */
export function renderReport(r: CostReport): string {
  const out = [`switchyard cost estimate: ${profileLine(r.profile)} (USD list prices, per month)`, ""];
  for (const e of r.estimates) out.push(renderEstimate(e), "");
  out.push("Side by side:", renderComparison(r));
  return `${out.join("\n")}\n`;
}

/** The plan's cost section: the stack's total, and a warning line when it is over the budget. */
export function renderPlanCost(c: PlanCost): string {
  const out = [
    "",
    `Cost: ${money(c.estimate.totals.total)} a month for ${profileLine(c.profile)} (npm run cost -- --stack <name> --requests <n> for the breakdown)`,
  ];
  if (c.budgetMonthlyUsd !== undefined) {
    out.push(
      c.overBudget
        ? `  warning: the estimate ${money(c.estimate.totals.total)} is above the budget ${money(c.budgetMonthlyUsd)} (switchyard:budget.monthlyUsd)`
        : `  within the budget ${money(c.budgetMonthlyUsd)} (switchyard:budget.monthlyUsd)`,
    );
  }
  return `${out.join("\n")}\n`;
}
