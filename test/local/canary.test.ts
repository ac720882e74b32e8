import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { banner } from "../../local/banner";
import { startGateway, VERSION_HEADER } from "../../local/gateway";
import { loadApi } from "../../model";
import { call } from "./support";

/** A seeded PRNG (mulberry32), so the split is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODEL = `export default {
  name: "canary",
  functions: {
    hi: { handler: "hi.ts#hi", canary: { weight: 30 } },
    plain: { handler: "plain.ts#plain" },
  },
  routes: { "GET /hi": { function: "hi", auth: "none" }, "GET /plain": { function: "plain", auth: "none" } },
};
`;

async function until(what: string, ok: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe("local gateway canary (issue #11 item 4)", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-canary-"));
    fs.writeFileSync(path.join(dir, "api.ts"), MODEL);
    fs.writeFileSync(path.join(dir, "hi.ts"), `export const hi = () => new Response("v1");\n`);
    fs.writeFileSync(path.join(dir, "plain.ts"), `export const plain = () => new Response("p1");\n`);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("serves one version at start; after a change keeps it as stable and gives the new code the weight", async function () {
    this.timeout(30_000);
    const out: string[] = [];
    const gw = await startGateway({ apiFile: path.join(dir, "api.ts"), log: "json", write: (t) => out.push(t), random: seeded(7) });
    try {
      // Start: one version, all the traffic, labelled stable.
      for (let i = 0; i < 20; i++) {
        const r = await call(`${gw.url}/hi`);
        assert.equal(r.text, "v1");
        assert.equal(r.headers.get(VERSION_HEADER), "stable");
      }
      fs.writeFileSync(path.join(dir, "hi.ts"), `export const hi = () => new Response("v2");\n`);
      fs.writeFileSync(path.join(dir, "plain.ts"), `export const plain = () => new Response("p2");\n`);
      await until("the canary", () => out.join("").includes("canary hi:"));
      await until("the new plain code", async () => (await call(`${gw.url}/plain`)).text === "p2");

      const n = 400;
      const seen = { stable: 0, canary: 0 };
      for (let i = 0; i < n; i++) {
        const r = await call(`${gw.url}/hi`);
        const version = r.headers.get(VERSION_HEADER) as "stable" | "canary";
        // The header names the code that answered: the file as loaded at start, or the changed one.
        assert.equal(r.text, version === "canary" ? "v2" : "v1");
        seen[version]++;
      }
      // Declared 30 %: with 400 requests the share stays well inside 30 ± 8 % (about 3.5 standard deviations).
      const share = seen.canary / n;
      assert.ok(share > 0.22 && share < 0.38, `canary share ${share}`);
      assert.equal(seen.stable + seen.canary, n);

      // The access log carries the version of each answer of /hi, and none for a function without canary.
      const plain = await call(`${gw.url}/plain`);
      assert.equal(plain.text, "p2");
      assert.equal(plain.headers.get(VERSION_HEADER), null);
      await new Promise((r) => setImmediate(r));
      const entries = out
        .join("")
        .split("\n")
        .filter((l) => l.includes('"type":"access"'))
        .map((l) => JSON.parse(l) as { path: string; version?: string });
      const logged = entries.filter((e) => e.path === "/hi").slice(-n);
      assert.equal(logged.filter((e) => e.version === "canary").length, seen.canary);
      assert.equal(logged.filter((e) => e.version === "stable").length, seen.stable);
      assert.ok(entries.filter((e) => e.path === "/plain").every((e) => e.version === undefined));

      // Back to the stable code: one version again, all traffic to it.
      fs.writeFileSync(path.join(dir, "hi.ts"), `export const hi = () => new Response("v1");\n`);
      await until("the revert", () => out.join("").includes("stable version again"));
      for (let i = 0; i < 20; i++) {
        const r = await call(`${gw.url}/hi`);
        assert.equal(r.text, "v1");
        assert.equal(r.headers.get(VERSION_HEADER), "stable");
      }
    } finally {
      await gw.close();
    }
  });

  it("says in the banner that one version takes all traffic until the file changes", () => {
    const api = loadApi(path.join(dir, "api.ts"));
    const text = banner(api, {}, "http://127.0.0.1:1", false);
    assert.match(text, /canary hi: 30% to new code\. One version loaded, it takes all traffic/);
    assert.doesNotMatch(text, /canary plain/);
  });
});
