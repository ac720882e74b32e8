import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as esbuild from "esbuild";
import { build, esbuildOptions, targets } from "../../bundle";
import { bundle, bundleStats, withBuildContexts } from "../../bundle/cache";
import { loadApi } from "../../model";
import { CLOUDS } from "../../providers/types";
import { EXAMPLE } from "../support/models";

const tmp = (label: string) => fs.mkdtempSync(path.join(os.tmpdir(), `switchyard-cache-${label}-`));

/** A one-function project in a temp folder, so the test can change its files. */
function project(handler: string): string {
  const dir = tmp("project");
  fs.mkdirSync(path.join(dir, "functions"));
  fs.writeFileSync(path.join(dir, "functions", "hello.ts"), handler);
  fs.writeFileSync(
    path.join(dir, "api.json"),
    JSON.stringify({
      name: "cachetest",
      functions: { hello: { handler: "functions/hello.ts#hello" } },
      routes: { "GET /hello": { function: "hello", auth: "none" } },
    }),
  );
  return dir;
}

describe("bundle/cache.ts: builds reused within a process", () => {
  for (const cloud of CLOUDS) {
    it(`${cloud}: a reused build is byte-identical to esbuild writing the entry itself`, async () => {
      const api = loadApi(EXAMPLE);
      await build(api, cloud, tmp(`${cloud}-warm`));
      const before = { ...bundleStats };
      const out = await build(api, cloud, tmp(cloud));
      assert.ok(bundleStats.reused > before.reused, "the second build of the same entries reuses them");
      assert.equal(bundleStats.built, before.built, "and builds nothing");
      // The reference: esbuild writing the first entry straight to its outfile, with no cache involved.
      const entry = targets[cloud].entries(api, path.resolve(__dirname, "..", "..", "runtime"))[0];
      assert.ok(entry);
      const ref = path.join(tmp(`${cloud}-ref`), entry.outFile);
      await esbuild.build({ ...esbuildOptions(api, entry), outfile: ref });
      assert.ok(fs.readFileSync(path.join(out.dir, entry.outFile)).equals(fs.readFileSync(ref)));
    });
  }

  it("incremental contexts (withBuildContexts) give the same bytes as plain builds, on every cloud, and are disposed after", async () => {
    const api = loadApi(EXAMPLE);
    const runtimeDir = path.resolve(__dirname, "..", "..", "runtime");
    // A comment unique to this run makes each entry a cache miss, so it is really built.
    const tag = `// ${process.pid}-${Date.now()}`;
    const entries = CLOUDS.flatMap((c) => targets[c].entries(api, runtimeDir)).map((e) => ({ ...e, source: `${e.source}\n${tag}` }));
    const before = bundleStats.built;
    const viaContexts = await withBuildContexts(() => Promise.all(entries.map((e) => bundle(esbuildOptions(api, e)))));
    assert.equal(bundleStats.built, before + entries.length);
    assert.equal(bundleStats.openContexts, 0, "contexts disposed once withBuildContexts returns");
    for (const [i, e] of entries.entries()) {
      const plain = await esbuild.build({ ...esbuildOptions(api, e), write: false });
      assert.ok(Buffer.from(viaContexts[i] as Uint8Array).equals(Buffer.from(plain.outputFiles[0]?.contents ?? [])), e.outFile);
    }
    // A bundle that cannot be built fails the same way inside contexts: with esbuild's errors.
    const broken = { ...(entries[0] as (typeof entries)[number]), source: "import { nope } from './missing-file';\nexport default nope;" };
    await assert.rejects(
      withBuildContexts(() => bundle(esbuildOptions(api, broken))),
      (e: esbuild.BuildFailure) => e.errors?.some((x) => x.text.includes("missing-file")),
    );
  });

  it("rebuilds when a file the bundle read changes, and when a new file appears beside it", async () => {
    const dir = project("export const hello = () => Response.json({ v: 'one' });\n");
    const api = () => loadApi(path.join(dir, "api.json"));
    const code = async () => {
      const out = await build(api(), "aws", path.join(dir, ".build"));
      return fs.readFileSync(path.join(out.dir, "hello", "index.mjs"), "utf8");
    };
    assert.match(await code(), /"one"/);
    let built = bundleStats.built;
    assert.match(await code(), /"one"/);
    assert.equal(bundleStats.built, built, "unchanged inputs: reused");

    fs.writeFileSync(path.join(dir, "functions", "hello.ts"), "export const hello = () => Response.json({ v: 'two' });\n");
    const two = await code();
    assert.match(two, /"two"/);
    assert.equal(bundleStats.built, built + 1, "changed handler: rebuilt");

    // An import that resolved to util.js would resolve to a new util.ts first: the folder changed, so rebuild.
    built = bundleStats.built;
    fs.writeFileSync(path.join(dir, "functions", "notes.txt"), "new file\n");
    assert.match(await code(), /"two"/);
    assert.equal(bundleStats.built, built + 1, "new file in the handler's folder: rebuilt");
  });
});
