import * as path from "node:path";
import { userError } from "../model";
import { renderText } from "../plan/render";
import { runPlan } from "../plan/run";
import { flags, main } from "./cli";

const USAGE = "npm run plan -- --stack <name> [--api <file>] [--json]";

main(async () => {
  const f = flags({ stack: { type: "string" }, api: { type: "string" }, json: { type: "boolean", default: false } }, USAGE);
  if (!f.stack) throw userError(`--stack is required.\nusage: ${USAGE}`);
  const projectDir = path.resolve(__dirname, "..");
  const plan = await runPlan({ projectDir, stack: f.stack, ...(f.api ? { apiFile: path.resolve(f.api) } : {}) });
  process.stdout.write(f.json ? `${JSON.stringify(plan, null, 2)}\n` : renderText(plan));
});
