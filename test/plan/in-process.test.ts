import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { runPlan } from "../../plan/run";

const ROOT = path.resolve(__dirname, "..", "..");
const buildDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-in-process-"));

describe("runPlan in process", function () {
  this.timeout(120_000);

  it("restores the process's stack settings, pulumi.mergeOptions and the SDK's promise and call-site bookkeeping afterwards", async () => {
    const limit = Error.stackTraceLimit;
    const prepare = Error.prepareStackTrace;
    const merge = pulumi.mergeOptions;
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: unknown };
    const debuggablePromise = debuggable.debuggablePromise;
    const stackTrace = (pulumi.Resource as unknown as { stackTrace: unknown }).stackTrace;
    const plan = await runPlan({ projectDir: ROOT, stack: "azure-dev", buildDir: buildDir() });
    assert.ok(plan.resources.some((r) => r.type === "azure-native:web:WebApp"));
    assert.equal(Error.stackTraceLimit, limit);
    assert.equal(Error.prepareStackTrace, prepare);
    assert.equal(pulumi.mergeOptions, merge);
    assert.equal(debuggable.debuggablePromise, debuggablePromise);
    assert.equal((pulumi.Resource as unknown as { stackTrace: unknown }).stackTrace, stackTrace);
    // Outside a plan, azure-native's version aliases are still merged.
    const merged = pulumi.mergeOptions({}, { aliases: [{ type: "azure-native:web/v20240401:WebApp" }] });
    assert.equal(merged.aliases?.length, 1);
  });

  it("gives the same document whether the SDK's version aliases, call sites and promise bookkeeping are dropped or kept", async () => {
    const dir = buildDir();
    const fast = await runPlan({ projectDir: ROOT, stack: "azure-dev", buildDir: dir });
    process.env.SWITCHYARD_PLAN_ALIASES = "1";
    process.env.SWITCHYARD_PLAN_STACKS = "1";
    try {
      const full = await runPlan({ projectDir: ROOT, stack: "azure-dev", buildDir: dir });
      assert.ok(full.resources.length > 20);
      assert.deepEqual(fast, full);
    } finally {
      delete process.env.SWITCHYARD_PLAN_ALIASES;
      delete process.env.SWITCHYARD_PLAN_STACKS;
    }
  });
});
