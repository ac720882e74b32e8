import type { PlanDocument } from "../plan/run";
import { type AuditContext, type Finding, type Invariant, invariantsFor, label } from "./invariants";
import { WAIVERS, type Waiver } from "./waivers";

export interface InvariantResult {
  id: string;
  label: string;
  title: string;
  note?: string;
  /** fail: unwaived findings; waived: every finding is covered by a reviewed waiver. */
  status: "pass" | "fail" | "waived";
  findings: Finding[];
  waived: { finding: Finding; waiver: Waiver }[];
}

export interface AuditReport {
  stack: string;
  cloud: string;
  ok: boolean;
  results: InvariantResult[];
}

export function findingText(f: Finding): string {
  return `${f.resource}: ${f.message}`;
}

/** Runs one invariant on a plan and applies the stack's waivers to its findings. */
export function runInvariant(
  inv: Invariant,
  plan: PlanDocument,
  ctx: AuditContext = {},
  waivers: readonly Waiver[] = WAIVERS,
): InvariantResult {
  const mine = waivers.filter((w) => w.stack === plan.stack && w.id === inv.id);
  const findings: Finding[] = [];
  const waived: { finding: Finding; waiver: Waiver }[] = [];
  for (const f of inv.check(plan, ctx)) {
    const w = mine.find((x) => x.matches.test(findingText(f)));
    if (w) waived.push({ finding: f, waiver: w });
    else findings.push(f);
  }
  return {
    id: inv.id,
    label: label(inv),
    title: inv.title,
    ...(inv.note ? { note: inv.note } : {}),
    status: findings.length ? "fail" : waived.length ? "waived" : "pass",
    findings,
    waived,
  };
}

/** Every invariant of the plan's cloud. `ok` is false when any has an unwaived finding. */
export function audit(plan: PlanDocument, ctx: AuditContext = {}, waivers: readonly Waiver[] = WAIVERS): AuditReport {
  const results = invariantsFor(plan.cloud).map((inv) => runInvariant(inv, plan, ctx, waivers));
  return { stack: plan.stack, cloud: plan.cloud, ok: results.every((r) => r.status !== "fail"), results };
}

export function renderAudit(report: AuditReport): string {
  const lines = [`security audit of stack ${report.stack} (${report.cloud})`, ""];
  for (const r of report.results) {
    lines.push(`${r.status.toUpperCase().padEnd(6)} ${r.label}: ${r.title}`);
    if (r.note) lines.push(`       note: ${r.note}`);
    for (const f of r.findings) lines.push(`       - ${findingText(f)}`);
    for (const { finding } of r.waived) lines.push(`       ~ waived: ${findingText(finding)}`);
    for (const w of new Set(r.waived.map((x) => x.waiver))) lines.push(`       waiver (${w.link}): ${w.reason}`);
  }
  const failed = report.results.filter((r) => r.status === "fail").length;
  const waived = report.results.filter((r) => r.status === "waived").length;
  lines.push(
    "",
    failed ? `${failed} invariant(s) failed.` : `all invariants hold${waived ? ` (${waived} with reviewed waivers, listed above)` : ""}.`,
  );
  return `${lines.join("\n")}\n`;
}
