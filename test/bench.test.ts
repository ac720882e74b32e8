import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadMode } from "../bench/bundles";
import { figureValue, median, ratio } from "../bench/lib";
import { discover } from "../bench/run";

describe("bench/run.ts and bench/lib.ts (smoke)", () => {
  it("discovers the known benches first, then other bench files exporting main, never the helpers", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-discover-"));
    try {
      for (const [f, src] of [
        ["adapters.ts", "export async function main() {}"],
        ["local-gateway.ts", "export const main = async () => {};"],
        ["lib.ts", "export async function main() {}"],
        ["zeta.ts", "export async function main() {}"],
        ["alpha.ts", "export function main() {}"],
        ["notes.ts", "export const x = 1;"],
      ]) {
        fs.writeFileSync(path.join(dir, f as string), src as string);
      }
      assert.deepEqual(discover(dir), ["adapters", "local-gateway", "alpha", "zeta"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports medians and ratios to the anchor", () => {
    const figures = [
      { name: "a", unit: "µs", rounds: [3, 1, 2] },
      { name: "b", unit: "µs", rounds: [8, 4, 6, 100] },
    ];
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(figureValue(figures, "b"), 7);
    assert.equal(ratio(figures, "b", "a"), 3.5);
  });

  it("gives a paired figure the median of its round-by-round ratios, which a drift between rounds does not move", () => {
    // The machine slows 10x in the last two rounds; each of c's rounds is half of a's round beside it.
    const a = { name: "a", unit: "µs", rounds: [2, 2, 2, 20, 20] };
    const c = { name: "c", unit: "µs", rounds: [1, 1, 1, 10, 10], anchor: "a" };
    assert.equal(ratio([a, { ...c, paired: true }], "c", "a"), 0.5);
    assert.equal(ratio([a, c], "c", "a"), 0.5); // medians: 1 / 2
    const drifted = { ...c, rounds: [1, 10, 10, 10, 10] };
    assert.equal(ratio([a, drifted], "c", "a"), 5); // ratio of medians, fooled by the drift
    assert.equal(ratio([a, { ...drifted, paired: true }], "c", "a"), 0.5);
    // Rounds that do not line up fall back to the ratio of the medians.
    assert.equal(ratio([a, { ...c, rounds: [1, 1, 1], paired: true }], "c", "a"), 0.5);
  });

  it("loads each bundle as its host does: import() for an ES module, require() for CommonJS", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-load-mode-"));
    try {
      const file = (rel: string, text = "") => {
        const p = path.join(dir, rel);
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, text);
        return p;
      };
      // The extension decides first (the AWS bundles are index.mjs).
      assert.equal(loadMode(file("esm/index.mjs")), "import");
      assert.equal(loadMode(file("cjs/index.cjs")), "require");
      // A .js file: the nearest package.json's "type" (the GCP and Azure bundles carry one without it).
      file("plain/package.json", JSON.stringify({ name: "x", main: "index.js" }));
      assert.equal(loadMode(file("plain/index.js")), "require");
      file("typed/package.json", JSON.stringify({ type: "module" }));
      assert.equal(loadMode(file("typed/sub/index.js")), "import");
      assert.equal(loadMode(file("typed/index.cjs")), "require");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
