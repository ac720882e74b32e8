import * as assert from "node:assert/strict";
import * as aws from "../../providers/aws/pricing";
import * as azure from "../../providers/azure/pricing";
import * as gcp from "../../providers/gcp/pricing";

/** Every Price or FreeTier object reachable from a pricing module's exports, with its path. */
function figures(mod: Record<string, unknown>): [string, Record<string, unknown>][] {
  const out: [string, Record<string, unknown>][] = [];
  const walk = (v: unknown, at: string) => {
    if (!v || typeof v !== "object") return;
    const o = v as Record<string, unknown>;
    if ("source" in o && ("usd" in o || "quantity" in o)) out.push([at, o]);
    else for (const [k, x] of Object.entries(o)) walk(x, `${at}.${k}`);
  };
  for (const [k, v] of Object.entries(mod)) walk(v, k);
  return out;
}

describe("providers/*/pricing.ts", () => {
  for (const [cloud, mod] of Object.entries({ aws, azure, gcp })) {
    it(`${cloud}: every figure has a unit, a source URL, the date read, and a reason when unverified`, () => {
      const all = figures(mod as Record<string, unknown>);
      assert.ok(all.length >= 10, `${all.length} figures`);
      for (const [at, f] of all) {
        assert.ok(typeof f.unit === "string" && f.unit, `${at}: unit`);
        assert.match(String(f.source), /^https:\/\//, `${at}: source`);
        assert.match(String(f.read), /^\d{4}-\d{2}-\d{2}$/, `${at}: read`);
        assert.equal(typeof f.verified, "boolean", `${at}: verified`);
        if ("usd" in f) {
          assert.ok(typeof f.usd === "number" && f.usd >= 0, `${at}: usd`);
          assert.ok(typeof f.region === "string" && f.region, `${at}: region`);
        }
        if (f.verified === false) assert.ok(typeof f.note === "string" && f.note.length > 5, `${at}: unverified without a reason`);
      }
    });
  }
});
