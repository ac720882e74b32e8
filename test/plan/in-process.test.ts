import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runPlan } from "../../plan/run";

const ROOT = path.resolve(__dirname, "..", "..");

describe("runPlan in process", function () {
  this.timeout(120_000);

  it("formats stacks cheaply while it runs and restores the process's stack settings afterwards", async () => {
    const limit = Error.stackTraceLimit;
    const prepare = Error.prepareStackTrace;
    const plan = await runPlan({
      projectDir: ROOT,
      stack: "azure-dev",
      buildDir: fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-in-process-")),
    });
    assert.ok(plan.resources.some((r) => r.type === "azure-native:web:WebApp"));
    assert.equal(Error.stackTraceLimit, limit);
    assert.equal(Error.prepareStackTrace, prepare);
  });
});
