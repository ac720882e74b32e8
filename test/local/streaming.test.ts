import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { type Gateway, STREAM_AFTER_BYTES, startGateway } from "../../local/gateway";
import { call } from "./support";

// Handlers of the streaming model: they report to the test through globalThis (same process).
const FUNCTIONS = `
const g = globalThis as unknown as { syStream: Record<string, unknown> };
g.syStream = {};
const chunk = (n: number, c: number) => new Uint8Array(n).fill(c);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 2 MB in 64 KiB chunks; the second half only after a pause. */
export const big = () => {
  let i = 0;
  return new Response(
    new ReadableStream<Uint8Array>({
      async pull(c) {
        if (i === 16) await sleep(800);
        c.enqueue(chunk(64 * 1024, 97 + (i % 26)));
        if (++i === 32) c.close();
      },
    }),
    { headers: { "content-type": "application/octet-stream", "x-kind": "big" } },
  );
};

/** Endless: records how far it got and whether it was cancelled. */
export const endless = () => {
  g.syStream.pulls = 0;
  return new Response(
    new ReadableStream<Uint8Array>({
      async pull(c) {
        g.syStream.pulls = (g.syStream.pulls as number) + 1;
        await sleep(5);
        c.enqueue(chunk(64 * 1024, 120));
      },
      cancel() {
        g.syStream.cancelled = true;
      },
    }),
  );
};

/** 128 KiB, then nothing: past the function timeout (1 s). */
export const stuck = () =>
  new Response(
    new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(chunk(128 * 1024, 121));
      },
      pull() {
        return new Promise(() => undefined);
      },
    }),
  );

/** A few bytes, then nothing: still under the streaming threshold, so the gateway can answer 504. */
export const small = () =>
  new Response(
    new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(chunk(10, 122));
      },
      pull() {
        return new Promise(() => undefined);
      },
      cancel() {
        g.syStream.smallCancelled = true;
      },
    }),
  );
`;

const MODEL = `export default {
  name: "streaming",
  defaults: { auth: "none", function: { timeoutSeconds: 1 } },
  functions: {
    big: { handler: "fn.ts#big", timeoutSeconds: 10 },
    endless: { handler: "fn.ts#endless", timeoutSeconds: 10 },
    stuck: { handler: "fn.ts#stuck" },
    small: { handler: "fn.ts#small" },
  },
  routes: { "GET /big": { function: "big" }, "GET /endless": { function: "endless" }, "GET /stuck": { function: "stuck" }, "GET /small": { function: "small" } },
};
`;

const state = () => (globalThis as unknown as { syStream: Record<string, unknown> }).syStream;

/** GET over node:http: status, headers, body size, and when the first and last bytes came. */
function get(url: string, opts: { abortAfterFirst?: boolean } = {}) {
  return new Promise<{
    status: number;
    headers: http.IncomingHttpHeaders;
    size: number;
    first: number;
    end: number;
    error?: string;
    body: Buffer;
  }>((resolve) => {
    const t0 = Date.now();
    let first = -1;
    const chunks: Buffer[] = [];
    const req = http.get(url, (res) => {
      res.on("data", (d: Buffer) => {
        if (first < 0) first = Date.now() - t0;
        chunks.push(d);
        if (opts.abortAfterFirst) req.destroy();
      });
      const done = (error?: string) => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, size: body.length, first, end: Date.now() - t0, error, body });
      };
      res.on("end", () => done());
      res.on("error", (e) => done(e.message));
      res.on("close", () => done(res.complete ? undefined : "closed before the end"));
    });
    req.on("error", () => undefined);
  });
}

describe("local gateway: streamed answers (issue #10)", function () {
  this.timeout(30_000);
  let dir: string;
  let gw: Gateway;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-stream-"));
    fs.writeFileSync(path.join(dir, "api.ts"), MODEL);
    fs.writeFileSync(path.join(dir, "fn.ts"), FUNCTIONS);
    gw = await startGateway({ apiFile: path.join(dir, "api.ts"), log: "off", watch: false });
  });
  after(async () => {
    await gw.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("streams a large stream body as it comes (chunked), whole and in order", async () => {
    const r = await get(`${gw.url}/big`);
    assert.equal(r.status, 200);
    assert.equal(r.error, undefined);
    assert.equal(r.size, 32 * 64 * 1024);
    assert.equal(r.headers["transfer-encoding"], "chunked");
    assert.equal(r.headers["content-length"], undefined);
    assert.equal(r.headers["x-kind"], "big");
    assert.ok(r.headers["x-request-id"]);
    for (let i = 0; i < 32; i++) assert.equal(r.body[i * 64 * 1024], 97 + (i % 26), `chunk ${i}`);
    // The first half reached the client before the handler's pause ended, not after the whole body.
    assert.ok(r.end - r.first >= 500, `first bytes at ${r.first} ms, end at ${r.end} ms`);
  });

  it("cancels the handler's stream when the client goes away", async () => {
    const r = await get(`${gw.url}/endless`, { abortAfterFirst: true });
    assert.equal(r.status, 200);
    for (let i = 0; i < 50 && !state().cancelled; i++) await new Promise((res) => setTimeout(res, 20));
    assert.equal(state().cancelled, true);
    const pulls = state().pulls as number;
    await new Promise((res) => setTimeout(res, 200));
    assert.equal(state().pulls, pulls, "the stream is no longer read");
  });

  it("cuts a streamed body that does not finish within the function timeout, and lives on", async () => {
    const r = await get(`${gw.url}/stuck`);
    assert.equal(r.status, 200);
    assert.ok(r.size > STREAM_AFTER_BYTES && r.size < 256 * 1024, String(r.size));
    assert.ok(r.error, "the connection is cut, not ended");
    assert.ok(r.end >= 900, `${r.end} ms`);
    assert.equal((await call(`${gw.url}/big`)).status, 200);
  });

  it("still answers 504 when a small stream body stalls before the threshold, and cancels that stream", async () => {
    const r = await call(`${gw.url}/small`);
    assert.equal(r.status, 504);
    assert.equal(r.json.message, "Endpoint request timed out");
    for (let i = 0; i < 50 && !state().smallCancelled; i++) await new Promise((res) => setTimeout(res, 20));
    assert.equal(state().smallCancelled, true);
  });
});
