import * as assert from "node:assert/strict";
import type * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { KEY, serveFloor } from "../bench/local-gateway";
import { type Gateway, startGateway } from "../local/gateway";
import { loadApi } from "../model";
import { call } from "./local/support";

const ROOT = path.resolve(__dirname, "..");

/** Status, body and header names of GET /books/1 with the key (the request the bench sends). */
async function answer(base: string): Promise<{ status: number; body: string; names: string[]; requestId: string | null }> {
  const r = await call(`${base}/books/1`, { headers: { "x-api-key": KEY } });
  const names = [...r.headers.keys()].filter((n) => n !== "date" && n !== "connection" && n !== "keep-alive").sort();
  return { status: r.status, body: r.text, names, requestId: r.headers.get("x-request-id") };
}

/**
 * bench/local-gateway.ts compares each gateway with a floor: the same answer written straight for
 * the one benched route. The comparison means something only if the floor gives that answer.
 */
describe("bench/local-gateway.ts floors and bench/goal-api.ts", () => {
  it("goal-api.ts is the example's route and handler with routing + API key + access log and no other policy", () => {
    const goal = loadApi(path.join(ROOT, "bench", "goal-api.ts"));
    const example = loadApi(path.join(ROOT, "api.ts"));
    assert.deepEqual(
      goal.routes.map((r) => [r.method, r.path]),
      [["GET", "/books/{id}"]],
    );
    const route = goal.routes[0];
    assert.equal(route?.auth.kind, "apiKey");
    assert.equal(route?.rateLimit, undefined);
    assert.equal(route?.cache, undefined);
    assert.equal(goal.cors, undefined);
    assert.equal(goal.logging.access, true);
    const fn = goal.functions.getBook;
    assert.equal(fn?.canary, undefined);
    assert.equal(fn?.file, example.functions.getBook?.file);
    assert.equal(fn?.export, example.functions.getBook?.export);
  });

  for (const [label, apiFile, example, extra] of [
    ["floor-goal answers as the gateway serving goal-api.ts", path.join(ROOT, "bench", "goal-api.ts"), false, []],
    ["floor answers as the gateway serving the example api.ts", path.join(ROOT, "api.ts"), true, ["vary", "x-switchyard-version"]],
  ] as const) {
    it(label, async () => {
      let gw: Gateway | undefined;
      let floor: http.Server | undefined;
      const lines: string[] = [];
      const floorLines: string[] = [];
      try {
        gw = await startGateway({ apiFile, keys: { acme: KEY }, log: "plain", watch: false, write: (t) => lines.push(t) });
        for (const r of gw.api().routes) delete r.rateLimit; // as the bench serves it
        floor = await serveFloor(example, { write: (t) => floorLines.push(t) });
        const viaGateway = await answer(gw.url);
        const viaFloor = await answer(`http://127.0.0.1:${(floor.address() as AddressInfo).port}`);
        assert.equal(viaGateway.status, 200);
        assert.deepEqual(viaFloor, { ...viaGateway, requestId: viaFloor.requestId });
        assert.match(viaFloor.requestId ?? "", /^[0-9a-f-]{36}$/);
        for (const n of ["x-request-id", "content-type", "content-length", ...extra]) assert.ok(viaGateway.names.includes(n), n);
        assert.equal(viaGateway.names.length, 3 + extra.length, viaGateway.names.join(", "));
      } finally {
        await gw?.close();
        const server = floor;
        if (server) await new Promise((r) => server.close(r));
      }
      await new Promise((r) => setImmediate(r)); // the access logs write in batches, on setImmediate
      assert.match(lines.join(""), /GET \/books\/1 200 .*acme/);
      assert.match(floorLines.join(""), /GET \/books\/1 200 .*acme/);
    });
  }

  it("floor-goal-nolog gives floor-goal's answer and writes no access line", async () => {
    const withLog: string[] = [];
    const withoutLog: string[] = [];
    const floors = [
      await serveFloor(false, { write: (t) => withLog.push(t) }),
      await serveFloor(false, { write: (t) => withoutLog.push(t), log: "off" }),
    ];
    try {
      const [a, b] = await Promise.all(floors.map((f) => answer(`http://127.0.0.1:${(f.address() as AddressInfo).port}`)));
      assert.equal(a?.status, 200);
      assert.deepEqual(b, { ...a, requestId: b?.requestId });
    } finally {
      for (const f of floors) await new Promise((r) => f.close(r));
    }
    await new Promise((r) => setImmediate(r));
    assert.match(withLog.join(""), /GET \/books\/1 200 .*acme/);
    assert.deepEqual(withoutLog, []);
  });
});
