import * as assert from "node:assert/strict";
import { LIMITS, labelValue, physicalName, slug } from "../../../providers/gcp/names";

describe("providers/gcp/names.ts", () => {
  it("slugs model names to GCP's lowercase charset", () => {
    assert.equal(slug("listBooks"), "list-books");
    assert.equal(slug("Get_Book.v2"), "get-book-v2");
    assert.equal(physicalName(["bookshop", "gcp-dev", "createOrder"], LIMITS.function), "bookshop-gcp-dev-create-order");
  });

  it("keeps every kind of name within its length limit, deterministically, with a hash when cut", () => {
    const long = ["a-very-long-api-name-xyz", "production-europe-west", "aFunctionWithAnExtremelyLongNameIndeed"];
    for (const [kind, limit] of Object.entries(LIMITS)) {
      const name = physicalName(long, limit);
      assert.ok(name.length >= limit.min && name.length <= limit.max, `${kind}: ${name} (${name.length})`);
      assert.match(name, /^[a-z][a-z0-9-]*[a-z0-9]$/, kind);
      assert.equal(physicalName(long, limit), name, `${kind} is deterministic`);
    }
    const a = physicalName([...long, "one"], LIMITS.serviceAccount);
    const b = physicalName([...long, "two"], LIMITS.serviceAccount);
    assert.notEqual(a, b, "two long names that share a prefix stay distinct");
  });

  it("pads names below the minimum (service accounts need 6 characters) and fixes a leading digit", () => {
    const sa = physicalName(["ab"], LIMITS.serviceAccount);
    assert.ok(sa.length >= 6 && sa.startsWith("ab-"), sa);
    assert.match(physicalName(["1api"], LIMITS.api), /^x-1api$/);
  });

  it("label values: lowercase letters, digits, _ and -, at most 63", () => {
    assert.equal(labelValue("createOrder"), "create-order");
    assert.equal(labelValue("Prod.EU"), "prod-eu");
    const v = labelValue("x".repeat(100));
    assert.equal(v.length, 63);
    assert.match(v, /^[a-z0-9_-]+$/);
  });
});
