import * as assert from "node:assert/strict";
import { createLogger, scopesOf } from "../../runtime";
import { callHandler, HostContext, isTextType } from "../../runtime/shared";

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
  it("gives the handler a context whose logger is made once, on first use, with the request's fields", () => {
    const out: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => out.push(s) > 0) as typeof write;
    try {
      const traced = new HostContext("gcp", "getBook", "r1", { id: "1" }, { kind: "none" }, "t1");
      assert.deepEqual(
        { ...traced },
        { cloud: "gcp", functionName: "getBook", requestId: "r1", params: { id: "1" }, auth: { kind: "none" }, traceId: "t1" },
      );
      assert.equal(traced.log, traced.log);
      traced.log.info("hi", { n: 1 });
      new HostContext("aws", "f", "r2", {}, { kind: "none" }).log.info("no trace");
    } finally {
      process.stdout.write = write;
    }
    assert.deepEqual(out, [
      '{"level":"info","msg":"hi","requestId":"r1","function":"getBook","cloud":"gcp","traceId":"t1","n":1}\n',
      '{"level":"info","msg":"no trace","requestId":"r2","function":"f","cloud":"aws"}\n',
    ]);
  });

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
    const errors: string[] = [];
    const base = new HostContext("local", "f", "req-9", {}, { kind: "none" });
    const ctx = { ...base, log: { ...base.log, error: (m: string) => errors.push(m) } };
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
    const base = new HostContext("local", "f", "req-8", {}, { kind: "none" });
    const ctx = { ...base, log: { ...base.log, error: () => {} } };
    const res = await callHandler((() => "oops") as never, new Request("http://x/"), ctx);
    assert.equal(res.status, 500);
  });
});
