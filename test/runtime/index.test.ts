import * as assert from "node:assert/strict";
import { createLogger, scopesOf } from "../../runtime";
import { callHandler, isTextType, makeContext } from "../../runtime/shared";

describe("runtime/index.ts", () => {
  it("logs one JSON line per call with the base fields", () => {
    const lines: [string, string][] = [];
    const log = createLogger({ requestId: "r1" }, (level, line) => lines.push([level, line]));
    log.info("hello", { n: 1 });
    log.error("bad");
    assert.deepEqual(lines, [
      ["info", '{"level":"info","msg":"hello","requestId":"r1","n":1}'],
      ["error", '{"level":"error","msg":"bad","requestId":"r1"}'],
    ]);
  });

  it("reads scopes from scope (space-separated) or scp (list)", () => {
    assert.deepEqual(scopesOf({ scope: "a b  c" }), ["a", "b", "c"]);
    assert.deepEqual(scopesOf({ scp: ["x", "y"] }), ["x", "y"]);
    assert.deepEqual(scopesOf({}), []);
  });
});

describe("runtime/shared.ts", () => {
  it("treats text, JSON, XML and forms as text and everything else as binary", () => {
    for (const t of [
      "text/plain",
      "application/json; charset=utf-8",
      "application/problem+json",
      "application/xml",
      "application/x-www-form-urlencoded",
      undefined,
    ]) {
      assert.equal(isTextType(t), true, String(t));
    }
    for (const t of ["image/png", "application/octet-stream", "application/pdf"]) assert.equal(isTextType(t), false, t);
  });

  it("turns a throwing handler into a 500 carrying the request id", async () => {
    const ctx = makeContext("local", "f", "req-9", {}, { kind: "none" });
    const errors: string[] = [];
    ctx.log = { ...ctx.log, error: (m) => errors.push(m) };
    const res = await callHandler(
      () => {
        throw new Error("boom");
      },
      new Request("http://x/"),
      ctx,
    );
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { error: "internal error", requestId: "req-9" });
    assert.deepEqual(errors, ["handler threw"]);
  });

  it("turns a handler that returns no Response into a 500", async () => {
    const ctx = makeContext("local", "f", "req-8", {}, { kind: "none" });
    ctx.log = { ...ctx.log, error: () => {} };
    const res = await callHandler((() => "oops") as never, new Request("http://x/"), ctx);
    assert.equal(res.status, 500);
  });
});
