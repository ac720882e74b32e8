import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { scaledModel } from "../../bench/plan-scaling";
import type { PlanDocument } from "../../plan/run";
import { runPlanCli } from "../support/plan";

const ROOT = path.resolve(__dirname, "..", "..");

describe("npm run plan --json on a large model (300 routes), read through a pipe", function () {
  this.timeout(120000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-large-plan-"));
    fs.cpSync(path.join(ROOT, "functions"), path.join(dir, "functions"), { recursive: true });
    fs.writeFileSync(
      path.join(dir, "api.ts"),
      `import { defineApi } from ${JSON.stringify(path.join(ROOT, "model"))};\nexport default defineApi(${JSON.stringify(scaledModel(300))} as never);\n`,
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes the whole JSON document before exiting (it was cut at ~200 KB), with the forecast per route", async () => {
    const r = await runPlanCli(["--stack", "gcp-dev", "--api", path.join(dir, "api.ts"), "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.length > 300_000, `${r.stdout.length} bytes`);
    const plan = JSON.parse(r.stdout) as PlanDocument;
    assert.equal(plan.forecast?.resources, plan.resources.length);
    assert.equal(plan.forecast?.resourcesPerRoute, Math.round((plan.resources.length / 300) * 100) / 100);
    assert.deepEqual(plan.forecast?.slow.map((s) => s.type).sort(), [
      "gcp:apigateway/apiConfig:ApiConfig",
      "gcp:apigateway/gateway:Gateway",
    ]);
  });
});
