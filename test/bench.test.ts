import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadMode } from "../bench/bundles";
import { figureValue, loadTool, median, parseWrk, ratio } from "../bench/lib";
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

  // Printed by wrk 4.1.0 (Debian's package) on this project's machine, against a server that
  // answered 401 and closed some connections mid-request.
  const WRK_ERRORS = `Running 1s test @ http://127.0.0.1:18081/y
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.19ms    2.67ms  37.41ms   95.91%
    Req/Sec     3.29k     1.08k    4.60k    50.00%
  Latency Distribution
     50%  547.00us
     75%    1.18ms
     90%    2.12ms
     99%   13.28ms
  3283 requests in 1.00s, 429.61KB read
  Socket errors: connect 0, read 1428, write 0, timeout 0
  Non-2xx or 3xx responses: 3283
Requests/sec:   3268.06
Transfer/sec:      427.66KB
`;
  // The same run as wrk prints a clean one (no error lines), with a 99% latency in seconds.
  const WRK_PLAIN = WRK_ERRORS.replace(/ {2}Socket errors.*\n {2}Non-2xx.*\n/, "").replace("13.28ms", "1.22s");

  it("reads wrk's figures: req/s, requests, p50/p99 in ms whatever unit wrk chose, non-2xx and socket errors", () => {
    assert.deepEqual(parseWrk(WRK_ERRORS), { rps: 3268.06, total: 3283, p50: 0.547, p99: 13.28, non2xx: 3283, errors: 1428 });
    assert.deepEqual(parseWrk(WRK_PLAIN), { rps: 3268.06, total: 3283, p50: 0.547, p99: 1220, non2xx: 0, errors: 0 });
  });

  it("refuses wrk output without the latency distribution, and an unknown load generator, naming what to do", () => {
    const noLatency = WRK_PLAIN.replace(/ {2}Latency Distribution[\s\S]*?(?= {2}3283)/, "");
    assert.throws(() => parseWrk(noLatency), /no 50% latency \(run it with --latency\)/);
    assert.throws(() => loadTool("ab"), /--load must be wrk or autocannon \(got "ab"\)/);
    assert.equal(loadTool("autocannon"), "autocannon");
  });
});
