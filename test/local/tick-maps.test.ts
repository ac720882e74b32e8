import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * In a fresh Node process (V8's `%HaveSameMap` and `gc` need flags set at start): start the gateway
 * on the example model, serve requests, run full GCs while no tick is pending (which frees the maps of
 * `process.nextTick`'s records unless one record is held), serve more, then compare a new record's
 * map with the pinned one's.
 */
const SCRIPT = `
const http = require("node:http");
const { executionAsyncResource } = require("node:async_hooks");
const { startGateway } = require(${JSON.stringify(path.join(ROOT, "local", "gateway"))});
const { pinnedTickRecord } = require(${JSON.stringify(path.join(ROOT, "local", "tick-maps"))});
const sameMap = new Function("a", "b", "return %HaveSameMap(a, b)");
const tickRecord = () => new Promise((r) => process.nextTick(() => r(executionAsyncResource())));
const turn = () => new Promise((r) => setImmediate(r));
(async () => {
  const gw = await startGateway({ apiFile: ${JSON.stringify(path.join(ROOT, "api.ts"))}, keys: { acme: "k" }, log: "off", watch: false });
  const agent = new http.Agent({ keepAlive: true });
  const get = () => new Promise((r) => http.get({ port: gw.port, host: "127.0.0.1", path: "/books/1", headers: { "x-api-key": "k" }, agent }, (res) => { res.resume(); res.on("end", () => r(res.statusCode)); }));
  const statuses = [];
  for (let i = 0; i < 40; i++) statuses.push(await get());
  for (let i = 0; i < 3; i++) { await turn(); gc(); }
  for (let i = 0; i < 40; i++) statuses.push(await get());
  const pinned = pinnedTickRecord();
  const fresh = await tickRecord();
  agent.destroy();
  await gw.close();
  process.stdout.write(JSON.stringify({ pinned: pinned !== undefined, sameMap: pinned !== undefined && sameMap(pinned, fresh), statuses: [...new Set(statuses)] }));
})();
`;

describe("local gateway: process.nextTick's record maps (local/tick-maps.ts)", () => {
  it("keeps one tick record alive from start-up, and records made after full GCs share its map", function () {
    this.timeout(30_000);
    const r = spawnSync(
      process.execPath,
      ["--allow-natives-syntax", "--expose-gc", "-r", path.join(ROOT, "tools", "dev-register.js"), "-e", SCRIPT],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, NODE_OPTIONS: "" },
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { pinned: boolean; sameMap: boolean; statuses: number[] };
    assert.deepEqual(out.statuses, [200]);
    assert.equal(out.pinned, true);
    assert.equal(out.sameMap, true);
  });
});
