import * as assert from "node:assert/strict";
import { runPlanCli } from "../support/plan";

describe("tools/plan.ts: user errors", () => {
  it("an unknown stack exits 1 with one paragraph naming the known stacks, no stack trace", async () => {
    const r = await runPlanCli(["--stack", "nope"]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'error: stack "nope" not found: there is no stacks/Pulumi.nope.yaml. Stacks: aws-dev, azure-dev, gcp-dev. Pick one with --stack <name>.\n',
    );
    assert.equal(r.stdout, "");
  });

  it("a missing --stack exits 1 with the usage", async () => {
    const r = await runPlanCli([]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: --stack is required\.\nusage: npm run plan -- --stack <name> \[--api <file>\] \[--json\]/);
  });

  it("an unknown flag exits 1 naming it", async () => {
    const r = await runPlanCli(["--stack", "aws-dev", "--jsn"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Unknown option '--jsn'/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it("a model with 3 mistakes exits 1 listing all 3, before any resource", async () => {
    const r = await runPlanCli(["--stack", "aws-dev", "--api", "test/fixtures/models/bad3/api.ts"]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      [
        "error: The model has problems (3 problems):",
        "  - functions.hello.memoryMb: must be at least 128 MB",
        '  - routes["GET /hello"].function: no function named "helo". Did you mean "hello"?',
        '  - cors.allowOrigins[0]: "*": wildcard origins are not allowed. List each origin, e.g. "https://app.example.com".',
        "",
      ].join("\n"),
    );
  });

  it("a missing model file exits 1 naming it", async () => {
    const r = await runPlanCli(["--stack", "aws-dev", "--api", "nowhere.ts"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: model file "nowhere.ts" not found/);
  });
});
