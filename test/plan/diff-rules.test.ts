import * as assert from "node:assert/strict";
import {
  asPlanDocument,
  changedPaths,
  code,
  diffApi,
  diffPlans,
  diffResources,
  pathMatches,
  pathSegments,
  REPLACE_ON,
  renderMarkdown,
  text,
} from "../../plan/diff";
import type { PlanDocument, PlanResource } from "../../plan/run";
import type { ApiSummary, RouteSummary } from "../../plan/summary";

const route = (key: string, over: Partial<RouteSummary> = {}): RouteSummary => ({
  key,
  auth: { kind: "apiKey", scheme: "partners" },
  target: { function: "f" },
  rateLimit: { ratePerSecond: 10, burst: 20 },
  cache: null,
  ...over,
});

const api = (over: Partial<ApiSummary> = {}): ApiSummary => ({
  name: "shop",
  auth: {
    partners: { type: "apiKey", consumers: ["acme"] },
    users: { type: "jwt", issuer: "https://login.example.com/", audiences: ["api://shop"] },
  },
  cors: null,
  routes: [route("GET /a")],
  functions: {},
  ...over,
});

const res = (
  name: string,
  type: string,
  inputs: Record<string, unknown>,
  options: Record<string, unknown> = {},
  parent: string | null = "shop",
): PlanResource => ({
  type,
  name,
  parent,
  inputs,
  options,
});

describe("plan/diff.ts rules", () => {
  describe("route auth", () => {
    const cases: [string, RouteSummary["auth"], RouteSummary["auth"], string][] = [
      ["jwt → none", { kind: "jwt", scheme: "users", scopes: [] }, { kind: "none" }, "weakened"],
      ["jwt → apiKey", { kind: "jwt", scheme: "users", scopes: [] }, { kind: "apiKey", scheme: "partners" }, "weakened"],
      ["apiKey → none", { kind: "apiKey", scheme: "partners" }, { kind: "none" }, "weakened"],
      ["none → apiKey", { kind: "none" }, { kind: "apiKey", scheme: "partners" }, "strengthened"],
      ["apiKey → jwt", { kind: "apiKey", scheme: "partners" }, { kind: "jwt", scheme: "users", scopes: [] }, "strengthened"],
      ["scope removed", { kind: "jwt", scheme: "users", scopes: ["a", "b"] }, { kind: "jwt", scheme: "users", scopes: ["a"] }, "weakened"],
      [
        "scope added",
        { kind: "jwt", scheme: "users", scopes: ["a"] },
        { kind: "jwt", scheme: "users", scopes: ["a", "b"] },
        "strengthened",
      ],
      ["scheme swapped", { kind: "jwt", scheme: "users", scopes: ["a"] }, { kind: "jwt", scheme: "staff", scopes: ["a"] }, "changed"],
      [
        "scheme swapped, scope lost",
        { kind: "jwt", scheme: "users", scopes: ["a"] },
        { kind: "jwt", scheme: "staff", scopes: [] },
        "weakened",
      ],
    ];
    for (const [name, from, to, effect] of cases) {
      it(`${name}: ${effect}, breaking only when weakened`, () => {
        const changes = diffApi(api({ routes: [route("GET /a", { auth: from })] }), api({ routes: [route("GET /a", { auth: to })] }));
        assert.equal(changes.length, 1);
        assert.equal(changes[0]?.area, "auth");
        assert.equal(changes[0]?.effect, effect);
        assert.equal(changes[0]?.breaking, effect === "weakened");
      });
    }
  });

  describe("rate limits (raised = weaker)", () => {
    const diffRate = (a: RouteSummary["rateLimit"], b: RouteSummary["rateLimit"]) =>
      diffApi(api({ routes: [route("GET /a", { rateLimit: a })] }), api({ routes: [route("GET /a", { rateLimit: b })] })).map((c) => [
        c.field ?? "",
        c.effect,
      ]);
    it("rate and burst raised: weakened; lowered: strengthened", () => {
      assert.deepEqual(diffRate({ ratePerSecond: 10, burst: 20 }, { ratePerSecond: 50, burst: 10 }), [
        ["burst", "strengthened"],
        ["ratePerSecond", "weakened"],
      ]);
    });
    it("limit removed: weakened; added: strengthened", () => {
      assert.deepEqual(diffRate({ ratePerSecond: 10, burst: 20 }, null), [["", "weakened"]]);
      assert.deepEqual(diffRate(null, { ratePerSecond: 10, burst: 20 }), [["", "strengthened"]]);
    });
    it("quotas compare per second: 100/minute is more than 1000/hour", () => {
      const base = { ratePerSecond: 10, burst: 20 };
      assert.deepEqual(
        diffRate({ ...base, quota: { limit: 1000, period: "hour" } }, { ...base, quota: { limit: 100, period: "minute" } }),
        [["quota", "weakened"]],
      );
      assert.deepEqual(diffRate({ ...base, quota: { limit: 60, period: "minute" } }, { ...base, quota: { limit: 3600, period: "hour" } }), [
        ["quota", "changed"],
      ]);
      assert.deepEqual(diffRate({ ...base, quota: { limit: 60, period: "minute" } }, base), [["quota", "weakened"]]);
    });
  });

  describe("CORS", () => {
    const cors = {
      allowOrigins: ["https://a.example"],
      allowMethods: ["GET" as const],
      allowHeaders: [],
      exposeHeaders: [],
      allowCredentials: false,
      maxAgeSeconds: 600,
    };
    it("turning CORS on is a breaking widening; turning it off narrows", () => {
      const on = diffApi(api(), api({ cors }));
      assert.deepEqual(
        on.map((c) => [c.area, c.effect, c.breaking, c.detail]),
        [["cors", "widened", true, "enabled for https://a.example"]],
      );
      const off = diffApi(api({ cors }), api());
      assert.deepEqual(
        off.map((c) => [c.effect, c.breaking]),
        [["narrowed", false]],
      );
    });
    it("an origin removed narrows; a method added widens without being flagged", () => {
      const changes = diffApi(api({ cors }), api({ cors: { ...cors, allowOrigins: [], allowMethods: ["GET", "PUT"] } }));
      assert.deepEqual(
        changes.map((c) => [c.field, c.effect, c.breaking]),
        [
          ["allowMethods", "widened", false],
          ["allowOrigins", "narrowed", false],
        ],
      );
    });
  });

  it("JWT audiences added weaken the scheme (breaking); consumers added are reported", () => {
    const b = api();
    b.auth.users = { type: "jwt", issuer: "https://login.example.com/", audiences: ["api://other", "api://shop"] };
    b.auth.partners = { type: "apiKey", consumers: ["acme", "initech"] };
    const changes = diffApi(api(), b);
    assert.deepEqual(
      changes.map((c) => [c.subject, c.field, c.effect, c.breaking]),
      [
        ["partners", "consumers", "added", false],
        ["users", "audiences", "weakened", true],
      ],
    );
    assert.deepEqual(
      diffPlans([{ stack: "s", base: plan([], api()), head: plan([], b) }]).breaking.map((x) => [x.kind, x.subject]),
      [["auth-weakened", "users audiences"]],
    );
  });

  it("functions: timeout, scaling, environment keys and secrets, each reported", () => {
    const f = {
      handler: "functions/a.ts#default",
      memoryMb: 256,
      timeoutSeconds: 10,
      scaling: { min: 0 },
      environment: ["A"],
      secrets: ["S1"],
    };
    const changes = diffApi(
      api({ functions: { f } }),
      api({ functions: { f: { ...f, timeoutSeconds: 30, scaling: { min: 1, max: 5 }, environment: ["B"], secrets: ["S2"] } } }),
    );
    assert.deepEqual(
      changes.map((c) => [c.area, c.field, c.effect, c.detail]),
      [
        ["function", "scaling.max", "changed", "default → 5"],
        ["function", "scaling.min", "changed", "0 → 1"],
        ["function", "timeoutSeconds", "changed", "10s → 30s"],
        ["environment", "A", "removed", "A removed"],
        ["environment", "B", "added", "B added"],
        ["secret", "S1", "removed", "S1 removed"],
        ["secret", "S2", "added", "S2 added"],
      ],
    );
  });

  it("routes added are reported with their auth, not flagged; cache changes are reported", () => {
    const changes = diffApi(
      api(),
      api({
        routes: [
          route("GET /a", { cache: { ttlSeconds: 60, varyBy: { query: [], headers: [] } } }),
          route("GET /b", { auth: { kind: "none" } }),
        ],
      }),
    );
    assert.deepEqual(
      changes.map((c) => [c.area, c.subject, c.effect, c.breaking, c.detail]),
      [
        ["route", "GET /b", "added", false, "auth none, function f"],
        ["cache", "GET /a", "added", false, "none → ttl 60s"],
      ],
    );
  });

  describe("resources", () => {
    it("changedPaths: nested objects with dots, arrays with indexes, added keys", () => {
      assert.deepEqual(changedPaths({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { b: 2, c: [1, 3, 4] }, e: 1 }), [
        "a.b",
        "a.c[1]",
        "a.c[2]",
        "d",
        "e",
      ]);
    });

    it("changedPaths: keys that are not plain names are quoted, as Pulumi property paths quote them", () => {
      assert.deepEqual(
        changedPaths({ tags: { "app.kubernetes.io/name": "a", team: "x" } }, { tags: { "app.kubernetes.io/name": "b", team: "x" } }),
        ['tags["app.kubernetes.io/name"]'],
      );
      assert.deepEqual(pathSegments('tags["app.kubernetes.io/name"].x[2]'), ["tags", "app.kubernetes.io/name", "x", "2"]);
      assert.ok(pathMatches('tags["app.kubernetes.io/name"]', 'tags["app.kubernetes.io/name"]'));
      assert.ok(!pathMatches("tags.app", 'tags["app.kubernetes.io/name"]'));
    });

    it("pathMatches: prefixes both ways and wildcards", () => {
      assert.ok(pathMatches("openapiDocuments", "openapiDocuments[0].document.contents"));
      assert.ok(pathMatches("openapiDocuments[*].document", "openapiDocuments[3].document.path"));
      assert.ok(pathMatches("a.b.c", "a"));
      assert.ok(pathMatches("*", "anything.at.all"));
      assert.ok(!pathMatches("openapiDocuments", "labels.team"));
      assert.ok(!pathMatches("a[*].x", "a[0].y"));
    });

    it("an input in the type's table forces a replacement; others update in place", () => {
      const t = "gcp:apigateway/apiConfig:ApiConfig";
      assert.ok(REPLACE_ON[t]?.inputs.includes("apiConfigId"));
      const out = diffResources(
        [res("c", t, { apiConfigId: "c1", labels: { team: "a" } }), res("d", t, { apiConfigId: "d1", labels: { team: "a" } })],
        [res("c", t, { apiConfigId: "c2", labels: { team: "a" } }), res("d", t, { apiConfigId: "d1", labels: { team: "b" } })],
      );
      assert.deepEqual(
        out.map((r) => [r.action, r.name, r.changed]),
        [
          ["replace", "c", ["apiConfigId"]],
          ["update", "d", ["labels.team"]],
        ],
      );
    });

    it("the resource's own replaceOnChanges option forces a replacement; deleteBeforeReplace is reported", () => {
      const t = "aws:lambda/function:Function";
      const opts = { replaceOnChanges: ["environment.variables"], deleteBeforeReplace: true };
      const before = [res("f", t, { environment: { variables: { A: "1" } } }, opts)];
      const after = [res("f", t, { environment: { variables: { A: "2" } } }, opts)];
      const out = diffResources(before, after);
      assert.equal(out[0]?.action, "replace");
      assert.deepEqual(out[0]?.replacedBy, [
        { path: "environment.variables.A", source: "the resource's replaceOnChanges option", certain: true },
      ]);
      assert.equal(out[0]?.deleteBeforeReplace, true);
      assert.match(renderMarkdown(diffPlans([{ stack: "s", base: plan(before), head: plan(after) }])), /delete before replace: downtime/);
    });

    it("an unknown type renamed: a likely replacement, labelled as inferred", () => {
      const t = "azure-native:web:WebApp";
      const out = diffResources([res("app", t, { name: "a", siteConfig: { x: 1 } })], [res("app", t, { name: "b", siteConfig: { x: 1 } })]);
      assert.equal(out[0]?.action, "replace");
      assert.equal(out[0]?.replacedBy?.[0]?.certain, false);
      const md = renderMarkdown(
        diffPlans([{ stack: "s", base: plan([res("app", t, { name: "a" })]), head: plan([res("app", t, { name: "b" })]) }]),
      );
      assert.match(md, /likely: inferred from the input name/);
    });

    it("a new parent is a replacement (the URN changes); an option change alone is an update", () => {
      const t = "gcp:storage/bucket:Bucket";
      const out = diffResources(
        [res("b", t, { location: "EU" }, {}, "old"), res("c", t, {}, { protect: true })],
        [res("b", t, { location: "EU" }, {}, "new"), res("c", t, {}, {})],
      );
      assert.deepEqual(
        out.map((r) => [r.action, r.name, r.changed]),
        [
          ["replace", "b", ["parent"]],
          ["update", "c", ["options.protect"]],
        ],
      );
    });

    it("a protected or retained resource that would be replaced or deleted is called out", () => {
      const t = "aws:lambda/function:Function";
      const out = diffResources(
        [res("f", t, { name: "a" }, { protect: true }), res("g", t, {}, { retainOnDelete: true })],
        [res("f", t, { name: "b" }, { protect: true })],
      );
      assert.deepEqual(
        out.map((r) => [r.action, r.name, r.protect, r.retainOnDelete]),
        [
          ["replace", "f", true, undefined],
          ["delete", "g", undefined, true],
        ],
      );
      const md = renderMarkdown(diffPlans([{ stack: "s", base: plan([res("g", t, {}, { retainOnDelete: true })]), head: plan([]) }]));
      assert.match(md, /retainOnDelete: the old cloud resource is left in place/);
    });

    it("long resource tables are folded; short ones are not", () => {
      const many = Array.from({ length: 21 }, (_, i) => res(`r${String(i).padStart(2, "0")}`, "t:a/a:A", {}));
      assert.match(
        renderMarkdown(diffPlans([{ stack: "s", base: plan([]), head: plan(many) }])),
        /<details><summary>21 resource changes<\/summary>/,
      );
      assert.doesNotMatch(renderMarkdown(diffPlans([{ stack: "s", base: plan([]), head: plan(many.slice(0, 20)) }])), /<details>/);
    });

    it("the same name with another type is a delete and a create", () => {
      const out = diffResources([res("x", "gcp:a/b:B", {})], [res("x", "gcp:a/c:C", {})]);
      assert.deepEqual(
        out.map((r) => [r.action, r.type]),
        [
          ["delete", "gcp:a/b:B"],
          ["create", "gcp:a/c:C"],
        ],
      );
    });
  });

  describe("stacks and markdown", () => {
    it("a new stack: everything created; API compared against an empty model", () => {
      const d = diffPlans([{ stack: "s", base: null, head: plan([res("a", "t:a/a:A", {})], api()) }]);
      assert.equal(d.stacks[0]?.counts.create, 1);
      assert.deepEqual(
        d.stacks[0]?.api?.map((c) => [c.area, c.effect]),
        [
          ["route", "added"],
          ["authScheme", "added"],
          ["authScheme", "added"],
        ],
      );
      assert.match(renderMarkdown(d), /new stack: no base plan/);
    });

    it("a base plan without an API summary: resources still compared, API marked as not compared", () => {
      const d = diffPlans([{ stack: "s", base: plan([]), head: plan([res("a", "t:a/a:A", {})], api()) }]);
      assert.equal(d.stacks[0]?.api, null);
      assert.match(d.stacks[0]?.apiNote ?? "", /base plan has no API summary/);
      assert.match(renderMarkdown(d), /Not compared: the base plan has no API summary/);
    });

    it("a head that fails to plan where the base planned: breaking, and never shown as deletions", () => {
      const d = diffPlans([
        { stack: "s", base: plan([res("a", "t:a/a:A", {})], api()), head: null, headError: "\u001b[31merror: routes: bad\u001b[0m\nstack" },
      ]);
      assert.deepEqual(d.stacks[0]?.resources, []);
      assert.deepEqual(d.stacks[0]?.errors, { head: "routes: bad" });
      assert.deepEqual(
        d.breaking.map((b) => [b.kind, b.stacks, b.detail]),
        [["plan-failed", ["s"], "routes: bad"]],
      );
      const md = renderMarkdown(d);
      assert.match(md, /\*\*plan fails\*\*: `s`: routes: bad/);
      assert.match(md, /Not compared: the head plan failed: `routes: bad`/);
      assert.doesNotMatch(md, /to delete/);
    });

    it("a stack that fails on both sides (its cloud not built yet): reported, not breaking", () => {
      const d = diffPlans([{ stack: "s", base: null, head: null, baseError: "error: not built", headError: "error: not built" }]);
      assert.deepEqual(d.breaking, []);
      assert.deepEqual(d.stacks[0]?.errors, { base: "not built", head: "not built" });
      assert.match(renderMarkdown(d), /The base plan failed: `not built`\n\nNot compared: the head plan failed: `not built`/);
    });

    it("a base that fails to plan while the head plans: compared as a new stack, with the base's error", () => {
      const d = diffPlans([{ stack: "s", base: null, head: plan([res("a", "t:a/a:A", {})]), baseError: "error: not built" }]);
      assert.equal(d.stacks[0]?.counts.create, 1);
      assert.deepEqual(d.breaking, []);
      assert.match(renderMarkdown(d), /### Resources: `s` \(gcp\) \(no base plan: it failed\)\n\nThe base plan failed: `not built`/);
    });

    it("hostile names cannot break out of code spans or tables, nor inject HTML or mentions", () => {
      assert.equal(code("a`b|c\nd"), "`a b\\|c d`");
      assert.equal(text("<img src=x> @team [x](y) | *"), "\\<img src=x\\> \\@team \\[x\\](y) \\| \\*");
      const md = renderMarkdown(diffPlans([{ stack: "s", base: plan([]), head: plan([res("<script>|`x`", "t:a/b:C", {})]) }]));
      assert.ok(!md.includes("<script>|"));
      assert.match(md, /`<script>\\\| x ` \|/);
    });
  });

  it("asPlanDocument rejects what is not a plan, naming the source", () => {
    assert.throws(() => asPlanDocument([], "x.json"), /x\.json: is not a JSON object/);
    assert.throws(() => asPlanDocument({ stack: "s" }, "x.json"), /x\.json: has no "resources" list/);
    assert.throws(() => asPlanDocument({ stack: "s", resources: [{ type: "t" }] }, "x.json"), /resources\[0\] is not/);
    assert.throws(() => asPlanDocument({ stack: "s", resources: [], api: { routes: 1 } }, "x.json"), /"api" field/);
    assert.equal(asPlanDocument({ stack: "s", resources: [] }, "x.json").stack, "s");
  });
});

function plan(resources: PlanResource[], summary?: ApiSummary): PlanDocument {
  return { stack: "s", cloud: "gcp", capabilities: [], warnings: [], resources, outputs: {}, ...(summary ? { api: summary } : {}) };
}
