import * as path from "node:path";
import { userError } from "../model";
import { flags, main } from "./cli";

const USAGE = "npm run audit -- --stack <name> [--api <file>] [--json]";

/**
 * Plans a stack offline and checks the security invariants (security/invariants.ts) on the plan:
 * each invariant pass / fail / waived with its findings. Exit 1 when any invariant fails.
 */
main(async () => {
  const f = flags({ stack: { type: "string" }, api: { type: "string" }, json: { type: "boolean", default: false } }, USAGE);
  if (!f.stack) throw userError(`--stack is required.\nusage: ${USAGE}`);
  const { runPlan } = await import("../plan/run");
  const { audit, renderAudit } = await import("../security/audit");
  const { auditContext } = await import("../security/context");
  const projectDir = path.resolve(__dirname, "..");
  const plan = await runPlan({ projectDir, stack: f.stack, ...(f.api ? { apiFile: path.resolve(f.api) } : {}) });
  const report = audit(plan, auditContext(projectDir, f.stack));
  process.stdout.write(f.json ? `${JSON.stringify(report, (_k, v) => (v instanceof RegExp ? v.source : v), 2)}\n` : renderAudit(report));
  if (!report.ok)
    throw userError(`security audit of stack ${f.stack}: ${report.results.filter((r) => r.status === "fail").length} invariant(s) failed.`);
});
