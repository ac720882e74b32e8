import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
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
});
