import * as assert from "node:assert/strict";
import { isMatch, Router } from "../../local/router";
import type { Route } from "../../model";
import { parseRouteKey } from "../../model";

function routes(...keys: string[]): Route[] {
  return keys.map((key) => {
    const p = parseRouteKey(key);
    if ("problems" in p) throw new Error(p.problems.join("; "));
    return { ...p, target: { kind: "function", function: key }, auth: { kind: "none" } };
  });
}

function match(router: Router, method: string, path: string) {
  const m = router.match(method, path);
  return isMatch(m) ? { key: m.route.key, params: m.params } : m;
}

describe("local/router.ts", () => {
  const router = new Router(
    routes(
      "GET /",
      "GET /a/{x}/c",
      "GET /a/b/{y}",
      "GET /a/{id}",
      "GET /a/static",
      "ANY /a/{id}/files/{rest+}",
      "DELETE /a/{id}/files/{rest+}",
      "POST /p/{one}/{two}",
    ),
  );
  it("prefers static over param over greedy, backtracking when a branch fails", () => {
    assert.deepEqual(match(router, "GET", "/a/static"), { key: "GET /a/static", params: {} });
    assert.deepEqual(match(router, "GET", "/a/b/d"), { key: "GET /a/b/{y}", params: { y: "d" } });
    assert.deepEqual(match(router, "GET", "/a/b/c"), { key: "GET /a/b/{y}", params: { y: "c" } });
    assert.deepEqual(match(router, "GET", "/a/z/c"), { key: "GET /a/{x}/c", params: { x: "z" } });
    assert.deepEqual(match(router, "GET", "/"), { key: "GET /", params: {} });
  });
  it("names parameters per route even where routes share a level", () => {
    assert.deepEqual(match(router, "GET", "/a/7"), { key: "GET /a/{id}", params: { id: "7" } });
    assert.deepEqual(match(router, "POST", "/p/1/2"), { key: "POST /p/{one}/{two}", params: { one: "1", two: "2" } });
  });
  it("gives greedy parameters the decoded rest; an explicit method beats ANY", () => {
    assert.deepEqual(match(router, "PUT", "/a/7/files/x/y%20z"), { key: "ANY /a/{id}/files/{rest+}", params: { id: "7", rest: "x/y z" } });
    assert.deepEqual(match(router, "DELETE", "/a/7/files/x"), { key: "DELETE /a/{id}/files/{rest+}", params: { id: "7", rest: "x" } });
    assert.equal(match(router, "GET", "/a/7/files"), undefined);
    assert.equal(match(router, "GET", "/a/7/files/x/"), undefined);
  });
  it("reports the allowed methods of a known path, and nothing for an unknown one", () => {
    assert.deepEqual(match(router, "DELETE", "/a/static"), { allow: ["GET", "HEAD"] });
    assert.deepEqual(match(router, "GET", "/p/1/2"), { allow: ["POST"] });
    assert.equal(match(router, "GET", "/nope"), undefined);
    assert.equal(match(router, "GET", "/a/static/"), undefined);
  });
});
