import * as assert from "node:assert/strict";
import { AccessLog } from "../../local/access-log";

describe("local/access-log.ts", () => {
  const lines = (mode: "plain" | "json", ms: number[]) => {
    const out: string[] = [];
    const log = new AccessLog((t) => out.push(t), mode);
    for (const m of ms)
      log.record({ requestId: "r", method: "GET", path: "/books/1", status: 200, ms: m, consumer: "acme", cache: "miss" });
    log.flush();
    return out.join("").trimEnd().split("\n");
  };

  it("plain lines: method, path, status, ms (one decimal under 10 ms, whole above), consumer, cache; one write per batch", () => {
    assert.deepEqual(lines("plain", [0.04, 3.25, 9.94, 9.96, 12.4, 250.6]), [
      "GET /books/1 200 0.0ms acme miss",
      "GET /books/1 200 3.3ms acme miss",
      "GET /books/1 200 9.9ms acme miss",
      "GET /books/1 200 10ms acme miss",
      "GET /books/1 200 12ms acme miss",
      "GET /books/1 200 251ms acme miss",
    ]);
    const writes: string[] = [];
    const log = new AccessLog((t) => writes.push(t), "plain");
    log.record({ requestId: "a", method: "GET", path: "/", status: 404, ms: 1 });
    log.record({ requestId: "b", method: "GET", path: "/", status: 404, ms: 1 });
    assert.equal(writes.length, 0);
    log.flush();
    assert.deepEqual(writes, ["GET / 404 1.0ms - -\nGET / 404 1.0ms - -\n"]);
  });

  it("json lines keep the request id and ms rounded to 0.1", () => {
    const [line] = lines("json", [3.25]);
    const e = JSON.parse(line as string);
    assert.deepEqual([e.type, e.requestId, e.status, e.ms, e.consumer], ["access", "r", 200, 3.3, "acme"]);
  });
});
