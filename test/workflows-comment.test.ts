import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import { COMMENT_MARKER } from "../plan/diff";

/**
 * Runs the github-script step of api-diff-comment.yml the way actions/github-script does (the
 * script is the body of an async function given `require`, `github`, `context` and `core`), against
 * a fake GitHub API, to check what it posts from a given artifact.
 */
const WORKFLOW = path.resolve(__dirname, "..", ".github", "workflows", "api-diff-comment.yml");
const script = (() => {
  const doc = YAML.parse(fs.readFileSync(WORKFLOW, "utf8")) as {
    jobs: Record<string, { steps: { uses?: string; with?: { script?: string } }[] }>;
  };
  const step = Object.values(doc.jobs)
    .flatMap((j) => j.steps)
    .find((s) => s.uses?.startsWith("actions/github-script@"));
  return String(step?.with?.script);
})();

const SHA = "a".repeat(40);

interface Call {
  op: string;
  args: Record<string, unknown>;
}

async function post(opts: {
  prNumber: string;
  diff: string;
  headSha?: string;
  comments?: { id: number; user: { login: string }; body: string }[];
}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-comment-"));
  fs.writeFileSync(path.join(dir, "pr-number"), opts.prNumber);
  fs.writeFileSync(path.join(dir, "diff.md"), opts.diff);
  const calls: Call[] = [];
  const failures: string[] = [];
  const github = {
    rest: {
      pulls: {
        get: async (args: Record<string, unknown>) => {
          calls.push({ op: "pulls.get", args });
          return { data: { head: { sha: opts.headSha ?? SHA } } };
        },
      },
      issues: {
        listComments: async () => ({ data: opts.comments ?? [] }),
        updateComment: async (args: Record<string, unknown>) => void calls.push({ op: "updateComment", args }),
        createComment: async (args: Record<string, unknown>) => void calls.push({ op: "createComment", args }),
      },
    },
    paginate: async () => opts.comments ?? [],
  };
  const context = { repo: { owner: "o", repo: "r" }, payload: { workflow_run: { head_sha: SHA } } };
  const core = { setFailed: (m: string) => void failures.push(m) };
  const saved = process.env.DIFF_DIR;
  process.env.DIFF_DIR = dir;
  try {
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
      ...args: string[]
    ) => (...a: unknown[]) => Promise<void>;
    await new AsyncFunction("require", "github", "context", "core", script)(require, github, context, core);
  } finally {
    process.env.DIFF_DIR = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { calls, failures };
}

describe(".github/workflows/api-diff-comment.yml script", () => {
  it("creates the comment, marker first, when there is none", async () => {
    const { calls, failures } = await post({ prNumber: "12\n", diff: `${COMMENT_MARKER}\n## switchyard plan diff\n` });
    assert.deepEqual(failures, []);
    assert.deepEqual(calls[0], { op: "pulls.get", args: { owner: "o", repo: "r", pull_number: 12 } });
    assert.equal(calls[1]?.op, "createComment");
    assert.equal(calls[1]?.args.issue_number, 12);
    const body = String(calls[1]?.args.body);
    assert.ok(body.startsWith(`${COMMENT_MARKER}\n## switchyard plan diff`));
    assert.equal(body.split(COMMENT_MARKER).length, 2, "exactly one marker");
  });

  it("updates its own sticky comment, not someone else's that quotes the marker", async () => {
    const { calls } = await post({
      prNumber: "12",
      diff: "## switchyard plan diff\n",
      comments: [
        { id: 1, user: { login: "mallory" }, body: `${COMMENT_MARKER}\nfake` },
        { id: 2, user: { login: "github-actions[bot]" }, body: `${COMMENT_MARKER}\nold` },
      ],
    });
    assert.deepEqual(
      calls.map((c) => [c.op, c.args.comment_id]),
      [
        ["pulls.get", undefined],
        ["updateComment", 2],
      ],
    );
  });

  it("refuses a PR number whose head is not the commit api-diff ran on", async () => {
    const { calls, failures } = await post({ prNumber: "13", diff: "x", headSha: "b".repeat(40) });
    assert.deepEqual(
      calls.map((c) => c.op),
      ["pulls.get"],
    );
    assert.match(failures[0] ?? "", /is not the commit api-diff ran on/);
  });

  for (const bad of ["0", "-1", "12; rm -rf /", "1e3", ""]) {
    it(`refuses a malformed PR number ${JSON.stringify(bad)} without calling the API`, async () => {
      const { calls, failures } = await post({ prNumber: bad, diff: "x" });
      assert.deepEqual(calls, []);
      assert.match(failures[0] ?? "", /not a PR number/);
    });
  }

  it("strips markers from the artifact and caps the size", async () => {
    const { calls } = await post({ prNumber: "12", diff: `${COMMENT_MARKER}${"x".repeat(70000)}${COMMENT_MARKER}` });
    const body = String(calls[1]?.args.body);
    assert.equal(body.split(COMMENT_MARKER).length, 2);
    assert.ok(body.length < 65536, `${body.length}`);
    assert.match(body, /truncated/);
  });
});
