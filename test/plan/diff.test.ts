import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { type ApiChange, COMMENT_MARKER, diffPlans, type PlanDiff, renderMarkdown } from "../../plan/diff";
import type { PlanDocument } from "../../plan/run";

const DIR = path.resolve(__dirname, "..", "fixtures", "plans");
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(DIR, file), "utf8")) as PlanDocument;

/**
 * Diffs `base.json` against `<name>/head.json` and compares the markdown and JSON with the golden
 * files beside them (`UPDATE_GOLDEN=1` rewrites them; review the git diff). Each test below also
 * asserts the facts that matter, so a careless golden rewrite cannot hide a regression.
 */
function golden(name: string): { diff: PlanDiff; md: string } {
  const diff = diffPlans([{ stack: "gcp-dev", base: read("base.json"), head: read(`${name}/head.json`) }]);
  const md = renderMarkdown(diff);
  const json = `${JSON.stringify(diff, null, 2)}\n`;
  // .txt, not .md: the formatter (Biome) would realign the tables of a .md file.
  const mdFile = path.join(DIR, name, "expected-markdown.txt");
  const jsonFile = path.join(DIR, name, "expected.json");
  if (process.env.UPDATE_GOLDEN) {
    fs.writeFileSync(mdFile, md);
    fs.writeFileSync(jsonFile, json);
  }
  assert.equal(md, fs.readFileSync(mdFile, "utf8"), `${name}: markdown differs from ${mdFile}`);
  assert.equal(json, fs.readFileSync(jsonFile, "utf8"), `${name}: JSON differs from ${jsonFile}`);
  return { diff, md };
}

const apiOf = (d: PlanDiff): ApiChange[] => d.stacks[0]?.api ?? [];
const resourcesOf = (d: PlanDiff) => d.stacks[0]?.resources ?? [];
/** The markdown section before the first stack section: the breaking list. */
const head = (md: string) => md.slice(0, md.indexOf("### API"));

describe("plan/diff.ts (hand-made plan pairs)", () => {
  it("auth weakened: GET /admin jwt → none is breaking, listed first, and the ApiConfig is replaced", () => {
    const { diff, md } = golden("auth-weakened");
    const auth = apiOf(diff).filter((c) => c.area === "auth");
    assert.deepEqual(auth, [
      { area: "auth", subject: "GET /admin", effect: "weakened", detail: "jwt users [admin] → none", breaking: true },
    ]);
    assert.deepEqual(
      diff.breaking.map((b) => [b.kind, b.subject]),
      [
        ["auth-weakened", "GET /admin"],
        ["slow-replacement", "gcp:apigateway/apiConfig:ApiConfig shop-config"],
      ],
    );
    assert.ok(md.startsWith(`${COMMENT_MARKER}\n`));
    assert.match(head(md), /### ⚠️ 2 breaking changes/);
    assert.match(head(md), /\*\*auth weakened\*\*: `GET \/admin`: jwt users \\\[admin\\\] → none/);
  });

  it("route removed: DELETE /orders/{id} is breaking; CORS methods narrow", () => {
    const { diff, md } = golden("route-removed");
    const removed = apiOf(diff).filter((c) => c.area === "route");
    assert.equal(removed.length, 1);
    assert.equal(removed[0]?.subject, "DELETE /orders/{id}");
    assert.equal(removed[0]?.effect, "removed");
    assert.equal(removed[0]?.breaking, true);
    const cors = apiOf(diff).filter((c) => c.area === "cors");
    assert.deepEqual(
      cors.map((c) => [c.field, c.effect, c.breaking]),
      [["allowMethods", "narrowed", false]],
    );
    assert.deepEqual(
      diff.breaking.map((b) => b.kind),
      ["route-removed", "slow-replacement"],
    );
    assert.match(head(md), /\*\*route removed\*\*: `DELETE \/orders\/\{id\}`/);
  });

  it("CORS widened: the new origin and credentials are breaking; new bundles replace the source objects", () => {
    const { diff, md } = golden("cors-widened");
    const cors = apiOf(diff).filter((c) => c.area === "cors");
    assert.deepEqual(
      cors.map((c) => [c.field, c.effect, c.detail, c.breaking]),
      [
        ["allowCredentials", "widened", "false → true", true],
        ["allowOrigins", "widened", "added https://partner.example.org", true],
      ],
    );
    assert.deepEqual(
      diff.breaking.map((b) => [b.kind, b.subject]),
      [
        ["cors-widened", "cors allowCredentials"],
        ["cors-widened", "cors allowOrigins"],
      ],
    );
    const res = resourcesOf(diff);
    // Each function: a new source object (immutable: replaced), and the function updated in place to point at it.
    assert.deepEqual(
      res.map((r) => [r.action, r.name]),
      [
        ["replace", "shop-admin-source"],
        ["replace", "shop-health-source"],
        ["replace", "shop-listBooks-source"],
        ["replace", "shop-orders-source"],
        ["update", "shop-admin"],
        ["update", "shop-health"],
        ["update", "shop-listBooks"],
        ["update", "shop-orders"],
      ],
    );
    const obj = res.find((r) => r.name === "shop-listBooks-source");
    assert.deepEqual(obj?.changed, ["name", "source.sha256"]);
    assert.deepEqual(
      obj?.replacedBy?.map((x) => [x.path, x.certain]),
      [
        ["name", true],
        ["source.sha256", true],
      ],
    );
    assert.equal(obj?.slow, undefined);
    const fn = res.find((r) => r.name === "shop-listBooks" && r.type === "gcp:cloudfunctionsv2/function:Function");
    assert.deepEqual(fn?.changed, ["buildConfig.source.storageSource.object"]);
    assert.match(head(md), /\*\*CORS widened\*\*: `cors allowOrigins`: added https:\/\/partner\.example\.org/);
  });

  it("function memory changed: one API change, one in-place update, nothing breaking", () => {
    const { diff, md } = golden("function-memory");
    assert.deepEqual(apiOf(diff), [
      { area: "function", subject: "listBooks", field: "memoryMb", effect: "changed", detail: "512 MB → 1024 MB", breaking: false },
    ]);
    assert.deepEqual(resourcesOf(diff), [
      {
        action: "update",
        type: "gcp:cloudfunctionsv2/function:Function",
        name: "shop-listBooks",
        changed: ["serviceConfig.availableMemory"],
      },
    ]);
    assert.deepEqual(diff.breaking, []);
    assert.equal(diff.stacks[0]?.counts.unchanged, 15);
    assert.match(md, /No breaking changes\./);
  });

  it("ApiConfig replaced: a raised quota is a weaker rate limit and replaces the (slow) ApiConfig", () => {
    const { diff, md } = golden("api-config-replaced");
    assert.deepEqual(
      apiOf(diff).map((c) => [c.area, c.subject, c.field, c.effect, c.detail]),
      [["rateLimit", "POST /orders", "quota", "weakened", "1000/day → 5000/day"]],
    );
    const res = resourcesOf(diff);
    assert.equal(res.length, 1);
    assert.equal(res[0]?.action, "replace");
    assert.equal(res[0]?.type, "gcp:apigateway/apiConfig:ApiConfig");
    assert.deepEqual(res[0]?.changed, ["openapiDocuments[0].document.contents"]);
    assert.equal(res[0]?.replacedBy?.[0]?.path, "openapiDocuments[0].document.contents");
    assert.equal(res[0]?.replacedBy?.[0]?.certain, true);
    assert.match(res[0]?.replacedBy?.[0]?.source ?? "", /ApiConfig\.yaml/);
    assert.match(res[0]?.slow ?? "", /10 min/);
    assert.deepEqual(
      diff.breaking.map((b) => b.kind),
      ["slow-replacement"],
    );
    assert.match(
      md,
      /\| \*\*replace\*\* \| `gcp:apigateway\/apiConfig:ApiConfig` \| `shop-config` \| `openapiDocuments\[0\]\.document\.contents` \(forces replacement\)/,
    );
  });

  it("is deterministic: the order of resources and routes in the inputs does not change the output", () => {
    const base = read("base.json");
    const headDoc = read("auth-weakened/head.json");
    const shuffled = structuredClone(headDoc);
    shuffled.resources.reverse();
    shuffled.api?.routes.reverse();
    const a = renderMarkdown(diffPlans([{ stack: "gcp-dev", base, head: headDoc }]));
    const b = renderMarkdown(diffPlans([{ stack: "gcp-dev", base, head: shuffled }]));
    assert.equal(a, b);
  });

  it("identical plans: no changes and no breaking section", () => {
    const base = read("base.json");
    const d = diffPlans([{ stack: "gcp-dev", base, head: structuredClone(base) }]);
    assert.deepEqual(d.breaking, []);
    assert.deepEqual(d.stacks[0]?.api, []);
    assert.deepEqual(d.stacks[0]?.resources, []);
    assert.equal(d.stacks[0]?.counts.unchanged, base.resources.length);
  });
});
