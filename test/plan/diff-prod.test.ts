import * as assert from "node:assert/strict";
import { loadApi } from "../../model";
import { type ApiChange, diffApi, diffPlans, renderMarkdown } from "../../plan/diff";
import type { PlanDocument } from "../../plan/run";
import { type ApiSummary, apiSummary } from "../../plan/summary";
import { EXAMPLE } from "../support/models";

const example = apiSummary(loadApi(EXAMPLE));
/** The example's summary with some production keys replaced. */
const withKeys = (over: Partial<ApiSummary>, fns: Record<string, Partial<ApiSummary["functions"][string]>> = {}): ApiSummary => {
  const functions = structuredClone(example.functions);
  for (const [name, f] of Object.entries(fns)) functions[name] = { ...(functions[name] as ApiSummary["functions"][string]), ...f };
  return { ...structuredClone(example), functions, ...over };
};
const row = (c: ApiChange) => [c.area, c.subject, c.field ?? null, c.effect, c.detail, c.breaking];
const plan = (api: ApiSummary | undefined): PlanDocument => ({
  stack: "aws-dev",
  cloud: "aws",
  capabilities: [],
  warnings: [],
  resources: [],
  outputs: {},
  ...(api ? { api } : {}),
});

describe("plan/summary.ts: production keys (issue #11)", () => {
  it("summarises the domain, alerts, tracing and each function's canary", () => {
    assert.deepEqual(example.domain, { name: "api.bookshop.example.com", certificate: "managed" });
    assert.equal(example.tracing, true);
    assert.equal(example.alerts?.errorRatePercent, 5);
    assert.equal(example.alerts?.p99LatencyMs, 2000);
    assert.deepEqual(example.functions.getBook?.canary, { weight: 10 });
    assert.equal(example.functions.listBooks?.canary, null);
  });

  it("shows a webhook by origin and hash only (its path may hold a token), an email as written", () => {
    const notify = example.alerts?.notify ?? [];
    assert.equal(notify[0], "https://hooks.example.com/… #" + notify[0]?.slice(-8));
    assert.match(notify[0] ?? "", /^https:\/\/hooks\.example\.com\/… #[0-9a-f]{8}$/);
    assert.equal(notify[1], "ops@example.com");
    assert.ok(!JSON.stringify(example).includes("/switchyard"), "no webhook path in the summary");
    const other = apiSummary({
      ...loadApi(EXAMPLE),
      alerts: { errorRatePercent: 5, p99LatencyMs: 2000, notify: [{ kind: "webhook", url: "https://hooks.example.com/other" }] },
    });
    assert.notEqual(other.alerts?.notify[0], notify[0], "another URL on the same host still differs");
  });
});

describe("plan/diff.ts: production keys in the API diff", () => {
  it("reports a canary weight change, a new canary and a removed one per function", () => {
    const b = withKeys({}, { getBook: { canary: { weight: 25 } }, listBooks: { canary: { weight: 5 } }, health: {} });
    assert.deepEqual(diffApi(example, b).map(row), [
      ["canary", "getBook", "weight", "changed", "canary weight of getBook 10% → 25%", false],
      ["canary", "listBooks", "weight", "added", "canary weight of listBooks none → 5%", false],
    ]);
    const off = withKeys({}, { getBook: { canary: null } });
    assert.deepEqual(diffApi(example, off).map(row), [
      ["canary", "getBook", "weight", "removed", "canary weight of getBook 10% → none", false],
    ]);
  });

  it("reports alert thresholds, targets, and alerts added or removed", () => {
    const base = withKeys({ alerts: { errorRatePercent: 5, p99LatencyMs: 800, notify: ["a@example.com"] } });
    const head = withKeys({ alerts: { errorRatePercent: 2, p99LatencyMs: 500, notify: ["b@example.com"] } });
    assert.deepEqual(diffApi(base, head).map(row), [
      ["alerts", "alerts", "errorRatePercent", "changed", "alerts: 5xx threshold 5% → 2%", false],
      ["alerts", "alerts", "notify", "added", "alerts: notify added b@example.com", false],
      ["alerts", "alerts", "notify", "removed", "alerts: notify removed a@example.com", false],
      ["alerts", "alerts", "p99LatencyMs", "changed", "alerts: p99 threshold 800 → 500 ms", false],
    ]);
    assert.deepEqual(diffApi(withKeys({ alerts: null }), base).map(row), [
      ["alerts", "alerts", null, "added", "alerts added: 5xx above 5%, p99 above 800 ms, to a@example.com", false],
    ]);
    assert.deepEqual(
      diffApi(base, withKeys({ alerts: null })).map((c) => [c.effect, c.detail]),
      [["removed", "alerts removed (were 5xx above 5%, p99 above 800 ms, to a@example.com)"]],
    );
  });

  it("reports a domain added, removed, renamed or given another certificate", () => {
    const none = withKeys({ domain: null });
    assert.deepEqual(diffApi(none, withKeys({ domain: { name: "api.example.com", certificate: "managed" } })).map(row), [
      ["domain", "domain", null, "added", "domain added api.example.com (managed certificate)", false],
    ]);
    assert.deepEqual(
      diffApi(example, none).map((c) => [c.effect, c.detail]),
      [["removed", "domain removed api.bookshop.example.com: clients calling it lose the API"]],
    );
    const arn = "arn:aws:acm:eu-west-1:123456789012:certificate/abc";
    assert.deepEqual(diffApi(example, withKeys({ domain: { name: "api2.bookshop.example.com", certificate: arn } })).map(row), [
      ["domain", "domain", "certificate", "changed", `domain managed certificate → certificate ${arn}`, false],
      ["domain", "domain", "name", "changed", "domain api.bookshop.example.com → api2.bookshop.example.com", false],
    ]);
  });

  it("reports tracing turned off", () => {
    assert.deepEqual(diffApi(example, withKeys({ tracing: false })).map(row), [
      ["tracing", "tracing", null, "changed", "tracing on → off", false],
    ]);
  });

  it("compares a key only when both plans carry it (plans made before the keys were summarised)", () => {
    const old = structuredClone(example) as Partial<ApiSummary>;
    delete old.domain;
    delete old.alerts;
    delete old.tracing;
    for (const f of Object.values(old.functions ?? {})) delete f.canary;
    assert.deepEqual(diffApi(old as ApiSummary, example), []);
    assert.deepEqual(diffApi(example, old as ApiSummary), []);
  });

  it("a new stack lists its domain and alerts as added, and the function's canary with it", () => {
    const d = diffPlans([{ stack: "aws-dev", base: null, head: plan(example) }]);
    const changes = d.stacks[0]?.api ?? [];
    assert.ok(changes.some((c) => c.area === "domain" && c.effect === "added"));
    assert.ok(changes.some((c) => c.area === "alerts" && c.effect === "added"));
    assert.match(changes.find((c) => c.area === "function" && c.subject === "getBook")?.detail ?? "", /canary weight 10%$/);
  });

  it("renders the changes in the pull-request comment", () => {
    const head = withKeys(
      { alerts: { ...(example.alerts as NonNullable<ApiSummary["alerts"]>), p99LatencyMs: 500 } },
      { getBook: { canary: { weight: 25 } } },
    );
    const md = renderMarkdown(diffPlans([{ stack: "aws-dev", base: plan(example), head: plan(head) }]));
    assert.match(md, /\| {2}\| canary weight changed \| `getBook` \| canary weight of getBook 10% → 25% \|/);
    assert.match(md, /\| {2}\| alerts p99LatencyMs changed \| `alerts` \| alerts: p99 threshold 2000 → 500 ms \|/);
    assert.match(md, /No breaking changes\./);
  });
});
