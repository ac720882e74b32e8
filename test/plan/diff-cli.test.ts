import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadApi, ModelError } from "../../model";
import { diffPlans, type PlanDiff, renderMarkdown } from "../../plan/diff";
import type { PlanDocument } from "../../plan/run";
import { apiSummary } from "../../plan/summary";
import { pairPlans, readPlan } from "../../tools/diff";
import { type CliResult, runNode, runTool } from "../support/cli";
import { EXAMPLE } from "../support/models";
import { runPlanCli } from "../support/plan";

const ROOT = path.resolve(__dirname, "..", "..");
const PLANS = path.join(ROOT, "test", "fixtures", "plans");

function run(args: string[], opts: { eval?: string } = {}): Promise<CliResult> {
  return opts.eval
    ? runNode(["-r", path.join(ROOT, "node_modules", "ts-node", "register", "transpile-only"), "-e", opts.eval, "--", ...args])
    : runTool("tools/diff.ts", args);
}

/**
 * Runs tools/plan.ts with the aws provider swapped for a test double (the real providers are built
 * elsewhere): every feature native, one component with one child resource. This exercises the real
 * plan (mocks, recording monitor, bundling), the `api` field it adds, and the `--diff` flag.
 */
const FAKE_AWS = `
const pulumi = require("@pulumi/pulumi");
const { FEATURES } = require("./providers/types");
const { providers } = require("./providers/index");
class Thing extends pulumi.CustomResource {
  constructor(name, props, opts) { super("test:index:Thing", name, props, opts); }
}
class FakeApi extends pulumi.ComponentResource {
  constructor(name, api) {
    super("switchyard:aws:Api", name, {}, {});
    for (const f of Object.values(api.functions)) new Thing(name + "-" + f.name, { memoryMb: f.memoryMb }, { parent: this });
    this.registerOutputs({});
  }
}
const table = Object.fromEntries(Object.keys(FEATURES).map((f) => [f, { support: "native", note: "test double" }]));
providers.aws = async () => ({
  cloud: "aws",
  capabilities: () => table,
  limits: () => [],
  deploy: (name, api) => {
    new FakeApi(name, api);
    return { url: pulumi.output("https://example.test"), apiKeys: pulumi.output({}), functions: pulumi.output({}), cloud: "aws" };
  },
});
process.argv = [process.argv[0], "tools/plan.ts", ...process.argv.slice(1)];
require("./tools/plan.ts");
`;

/**
 * Every child process of this file, started together (each is slow to start, so not one at a
 * time); each test awaits its own.
 */
let started: {
  userError: Promise<CliResult>;
  markdownWithoutDiff: Promise<CliResult>;
  otherStack: Promise<CliResult>;
  fakeDiff: Promise<CliResult>;
};
let tmp: string;

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-diff-"));
  // The base: no resources, and the example model's summary with listBooks at 256 MB instead of 512.
  const summary = apiSummary(loadApi(EXAMPLE));
  const listBooks = summary.functions.listBooks;
  assert.equal(listBooks?.memoryMb, 512);
  listBooks.memoryMb = 256;
  const base: PlanDocument = { stack: "aws-dev", cloud: "aws", capabilities: [], warnings: [], resources: [], outputs: {}, api: summary };
  const baseFile = path.join(tmp, "base.json");
  fs.writeFileSync(baseFile, JSON.stringify(base));
  started = {
    userError: run(["nope.json", path.join(PLANS, "base.json")]),
    markdownWithoutDiff: runPlanCli(["--stack", "gcp-dev", "--markdown"]),
    otherStack: runPlanCli(["--stack", "aws-dev", "--diff", path.join(PLANS, "base.json")]),
    fakeDiff: run(["--stack", "aws-dev", "--diff", baseFile, "--json"], { eval: FAKE_AWS }),
  };
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("npm run diff (tools/diff.ts)", () => {
  it("two directories: pairs plans by stack; the README shows exactly this markdown", () => {
    // What `npm run diff -- <base-dir> <head-dir>` prints (the CLI's exit codes are tested below).
    const stdout = renderMarkdown(diffPlans(pairPlans(path.join(PLANS, "sample", "base"), path.join(PLANS, "sample", "head"))));
    assert.match(stdout, /^<!-- switchyard-plan-diff -->\n## switchyard plan diff\n/);
    assert.match(stdout, /### API: `aws-dev`, `gcp-dev`/);
    assert.match(stdout, /### Resources: `aws-dev` \(aws\)/);
    assert.match(stdout, /### Resources: `gcp-dev` \(gcp\)/);
    // The README shows exactly this output (see "Previews in pull requests").
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const sample = /<!-- sample-diff:start -->\n```text\n([\s\S]*?)```\n<!-- sample-diff:end -->/.exec(readme)?.[1];
    assert.ok(sample, "README has the sample between the sample-diff markers");
    assert.equal(sample, stdout, "README sample is stale: paste the output of the command in the README");
  });

  it("exits 1 with a message on a user error", async () => {
    const r = await started.userError;
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /^error: nope\.json: cannot read it/);
  });

  it("two files: paired as one stack", () => {
    const pairs = pairPlans(path.join(PLANS, "base.json"), path.join(PLANS, "auth-weakened", "head.json"));
    assert.deepEqual(
      pairs.map((p) => [p.stack, !!p.base, !!p.head]),
      [["gcp-dev", true, true]],
    );
  });

  it("two directories: a stack on one side only is paired with nothing", () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-pair-"));
    try {
      fs.copyFileSync(path.join(PLANS, "sample", "base", "gcp-dev.json"), path.join(base, "gcp-dev.json"));
      const pairs = pairPlans(base, path.join(PLANS, "sample", "head"));
      assert.deepEqual(
        pairs.map((p) => [p.stack, !!p.base, !!p.head]),
        [
          ["aws-dev", false, true],
          ["gcp-dev", true, true],
        ],
      );
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it("two directories: a `<stack>.error` file is that side's failed plan", () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-pair-"));
    const head = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-pair-"));
    try {
      fs.copyFileSync(path.join(PLANS, "base.json"), path.join(base, "gcp-dev.json"));
      fs.writeFileSync(path.join(head, "gcp-dev.error"), "error: routes: broken\n");
      const pairs = pairPlans(base, head);
      assert.deepEqual(
        pairs.map((p) => [p.stack, !!p.base, p.head, p.headError]),
        [["gcp-dev", true, null, "error: routes: broken\n"]],
      );
      assert.equal(diffPlans(pairs).breaking[0]?.kind, "plan-failed");
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
      fs.rmSync(head, { recursive: true, force: true });
    }
  });

  // The same checks in-process (fast): each bad input is a ModelError naming the file and the fix.
  const errors: [string, () => unknown, RegExp][] = [
    [
      "a file that is not a plan",
      () => pairPlans(path.join(ROOT, "package.json"), path.join(PLANS, "base.json")),
      /package\.json: has no "stack" name/,
    ],
    ["a file that is not JSON", () => readPlan(path.join(ROOT, "README.md")), /README\.md: not valid JSON/],
    [
      "plans of two stacks",
      () => pairPlans(path.join(PLANS, "sample", "base", "aws-dev.json"), path.join(PLANS, "base.json")),
      /is stack "aws-dev" but .* is stack "gcp-dev"/,
    ],
    [
      "a file and a directory",
      () => pairPlans(path.join(PLANS, "base.json"), path.join(PLANS, "sample", "head")),
      /two plan files or two directories/,
    ],
    ["directories without plans", () => pairPlans(path.join(ROOT, "stacks"), path.join(ROOT, "stacks")), /no plan files/],
  ];
  for (const [name, fn, message] of errors) {
    it(`rejects ${name}`, () => {
      assert.throws(fn, (e: unknown) => e instanceof ModelError && message.test(e.message));
    });
  }
});

describe("npm run plan -- --diff (tools/plan.ts)", () => {
  it("--markdown without --diff is a user error", async () => {
    const r = await started.markdownWithoutDiff;
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--markdown needs --diff <base\.json>/);
  });

  it("a base plan of another stack is refused before planning", async () => {
    const r = await started.otherStack;
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is a plan of stack "gcp-dev", not "aws-dev"/);
  });

  it("with a test-double provider: plans, summarises the model in the plan, and diffs against the base", async () => {
    const r = await started.fakeDiff;
    assert.equal(r.code, 0, r.stderr);
    const d = JSON.parse(r.stdout) as PlanDiff;
    // The only API change is the one made to the base: the plan's `api` field is apiSummary(model).
    assert.deepEqual(d.stacks[0]?.api, [
      { area: "function", subject: "listBooks", field: "memoryMb", effect: "changed", detail: "256 MB → 512 MB", breaking: false },
    ]);
    const created = (d.stacks[0]?.resources ?? []).filter((x) => x.action === "create").map((x) => `${x.type} ${x.name}`);
    assert.ok(created.includes("switchyard:aws:Api bookshop"), created.join(", "));
    assert.ok(created.includes("test:index:Thing bookshop-listBooks"), created.join(", "));
    assert.deepEqual(d.breaking, []);
    assert.ok(!r.stdout.includes(ROOT), "no absolute project path in the output");
  });
});
