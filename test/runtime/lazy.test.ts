import * as assert from "node:assert/strict";
import { fetchShim, LazyRequest, LightHeaders, LightResponse, RequestShim, readResponse } from "../../runtime/lazy";

/** Everything a handler can observe of a request, read through the public Request API. */
async function observe(r: Request | LazyRequest, read: "text" | "json" | "arrayBuffer" | "bytes" = "text") {
  const headers = [...r.headers];
  const seen: Record<string, unknown> = {
    method: r.method,
    url: r.url,
    headers,
    contentType: r.headers.get("content-type"),
    cache: r.cache,
    credentials: r.credentials,
    destination: r.destination,
    integrity: r.integrity,
    keepalive: r.keepalive,
    mode: r.mode,
    redirect: r.redirect,
    referrer: r.referrer,
    referrerPolicy: r.referrerPolicy,
    tag: Object.prototype.toString.call(r),
    bodyNull: r.body === null,
    aborted: r.signal.aborted,
    usedBefore: r.bodyUsed,
  };
  const clone = r.clone();
  if (read === "json") seen.body = await r.json().catch((e: Error) => `${e.name}`);
  else if (read === "arrayBuffer") seen.body = [...new Uint8Array(await r.arrayBuffer())];
  else if (read === "bytes") seen.body = [...(await r.bytes())];
  else seen.body = await r.text();
  seen.cloneText = await clone.text();
  seen.usedAfter = r.bodyUsed;
  seen.second = await r.text().then(
    () => "read twice",
    (e: Error) => `${e.name}: ${e.message}`,
  );
  return seen;
}

type Case = { name: string; url: string; method: string; headers: [string, string][]; body?: string | Uint8Array };

const CASES: Case[] = [
  {
    name: "GET with query and odd URL",
    url: "https://API.example.com:443/a/./b/../c d?x=1&y=é#frag",
    method: "get",
    headers: [["X-Trace", "  t1 "]],
  },
  {
    name: "POST JSON",
    url: "https://h.example.com/orders",
    method: "post",
    headers: [
      ["Content-Type", "application/json"],
      ["Accept", "a"],
      ["accept", "b"],
    ],
    body: '{"bookId":"1","quantity":2}',
  },
  { name: "POST text, no content type", url: "https://h/x", method: "POST", headers: [], body: "\uFEFFhé\uD800llo" },
  {
    name: "PUT binary",
    url: "https://h/bin",
    method: "PUT",
    headers: [["content-type", "image/png"]],
    body: new Uint8Array([0, 255, 0xef, 0xbb, 0xbf, 10]),
  },
  { name: "PATCH stays as written", url: "https://h/p", method: "patch", headers: [["cookie", "a=1; b=2"]], body: "x" },
  { name: "DELETE, no body", url: "https://h/d", method: "delete", headers: [] },
  { name: "POST invalid JSON", url: "https://h/j", method: "POST", headers: [], body: "{nope" },
];

function both(c: Case): [Request, LazyRequest] {
  const real = new Request(c.url, { method: c.method, headers: c.headers, ...(c.body !== undefined ? { body: c.body as BodyInit } : {}) });
  const lazy = new LazyRequest(c.url, {
    method: c.method,
    headers: () => {
      const h = new LightHeaders();
      for (const [k, v] of c.headers) h.append(k, v);
      return h;
    },
    body: c.body ?? null,
  });
  return [real, lazy];
}

describe("runtime/lazy.ts LazyRequest", () => {
  for (const c of CASES) {
    for (const read of ["text", "json", "arrayBuffer", "bytes"] as const) {
      it(`${c.name}: a handler sees exactly what a real Request gives (${read})`, async () => {
        const [real, lazy] = both(c);
        assert.deepEqual(await observe(lazy, read), await observe(real, read));
      });
    }
  }

  it("gives the same blob and stream as a real Request (built on demand)", async () => {
    const [real, lazy] = both(CASES[3] as Case);
    const [rb, lb] = [await real.clone().blob(), await lazy.clone().blob()];
    assert.equal(lb.type, rb.type);
    assert.deepEqual(new Uint8Array(await lb.arrayBuffer()), new Uint8Array(await rb.arrayBuffer()));
    const chunks: number[] = [];
    for await (const chunk of lazy.body as unknown as AsyncIterable<Uint8Array>) chunks.push(...chunk);
    assert.deepEqual(chunks, [0, 255, 0xef, 0xbb, 0xbf, 10]);
    assert.equal(lazy.bodyUsed, true);
    await assert.rejects(lazy.text(), TypeError);
  });

  it("hands a real Request to fetch-style code with toRequest()", async () => {
    const [, lazy] = both(CASES[1] as Case);
    const real = lazy.toRequest();
    assert.ok(real instanceof Request);
    assert.equal(real.method, "POST");
    assert.equal(real.headers.get("accept"), "a, b");
    assert.deepEqual(await real.json(), { bookId: "1", quantity: 2 });
  });

  it("drops a GET body and rejects methods a Request rejects", () => {
    const r = new LazyRequest("https://h/", { method: "GET", body: "ignored" });
    assert.equal(r.body, null);
    assert.throws(() => new LazyRequest("https://h/", { method: "CONNECT" }), TypeError);
    assert.throws(() => new Request("https://h/", { method: "CONNECT" }), TypeError);
    assert.throws(() => new LazyRequest("https://h/", { method: "BAD METHOD" }), TypeError);
  });

  it("builds its headers and URL only when read", () => {
    let built = 0;
    let urls = 0;
    const r = new LazyRequest(
      () => {
        urls++;
        return "https://h/x";
      },
      {
        method: "POST",
        headers: () => {
          built++;
          return new LightHeaders([["a", "1"]]);
        },
      },
    );
    assert.equal(built + urls, 0);
    assert.equal(r.headers.get("a"), "1");
    assert.equal(r.url, "https://h/x");
    assert.equal(r.url, "https://h/x");
    assert.deepEqual([built, urls], [1, 1]);
  });

  it("is instanceof LazyRequest, and the class also recognises real Requests", () => {
    const [real, lazy] = both(CASES[0] as Case);
    assert.ok(lazy instanceof LazyRequest);
    assert.ok(real instanceof LazyRequest);
    assert.ok(!({} instanceof LazyRequest));
  });
});

describe("runtime/lazy.ts LightHeaders", () => {
  const ops: [string, string, string][] = [
    ["append", "Set-Cookie", "a=1"],
    ["append", "X-B", " two "],
    ["append", "x-b", "three"],
    ["append", "set-cookie", "b=2"],
    ["set", "A", "z"],
    ["append", "c", "\tq\t"],
    ["delete", "c", ""],
    ["append", "d", "v1"],
    ["set", "d", "v2"],
  ];

  it("behaves as Headers for append/set/delete, get, has, iteration and getSetCookie", () => {
    const real = new Headers();
    const light = new LightHeaders();
    for (const [op, k, v] of ops) {
      if (op === "delete") {
        real.delete(k);
        light.delete(k);
      } else {
        (real as unknown as Record<string, (k: string, v: string) => void>)[op]?.(k, v);
        (light as unknown as Record<string, (k: string, v: string) => void>)[op]?.(k, v);
      }
      assert.deepEqual([...light], [...real], `after ${op} ${k}`);
    }
    for (const k of ["set-cookie", "x-b", "X-B", "missing", "a"]) {
      assert.equal(light.get(k), real.get(k));
      assert.equal(light.has(k), real.has(k));
    }
    assert.deepEqual(light.getSetCookie(), real.getSetCookie());
    assert.deepEqual([...light.keys()], [...real.keys()]);
    assert.deepEqual([...light.values()], [...real.values()]);
    const seen: string[] = [];
    light.forEach((v, k) => {
      seen.push(`${k}=${v}`);
    });
    const want: string[] = [];
    real.forEach((v, k) => {
      want.push(`${k}=${v}`);
    });
    assert.deepEqual(seen, want);
  });

  it("rejects invalid names and values as Headers does", () => {
    for (const [k, v] of [
      ["bad name", "x"],
      ["ok", "a\nb"],
      ["ok", "a\0b"],
      ["", "x"],
    ] as const) {
      assert.throws(() => new Headers().append(k, v), TypeError);
      assert.throws(() => new LightHeaders().append(k, v), TypeError);
    }
  });

  it("takes the same initialisers as Headers (record, pairs, Headers)", () => {
    const rec = { B: "1", a: "2" };
    assert.deepEqual([...new LightHeaders(rec)], [...new Headers(rec)]);
    assert.deepEqual([...new LightHeaders([["x", "1"]])], [...new Headers([["x", "1"]])]);
    assert.deepEqual([...new LightHeaders(new Headers(rec))], [...new Headers(rec)]);
    assert.throws(() => new LightHeaders([["x", "1", "2"]] as unknown as [string, string][]), TypeError);
  });

  it("has trusted fast paths for host records", () => {
    const h = LightHeaders.fromRecord({ Host: "h", "X-A": " 1 ", skip: undefined });
    assert.deepEqual([...h], [...new Headers({ Host: "h", "X-A": " 1 " })]);
    const m = LightHeaders.fromRecord({ Accept: ["a", "b"], "Set-Cookie": ["c=1", "d=2"] });
    const r = new Headers();
    for (const [k, vs] of [
      ["Accept", ["a", "b"]],
      ["Set-Cookie", ["c=1", "d=2"]],
    ] as const)
      for (const v of vs) r.append(k, v);
    assert.deepEqual([...m], [...r]);
    assert.deepEqual(m.toRecord(), { headers: { accept: "a, b" }, cookies: ["c=1", "d=2"] });
  });
});

describe("runtime/lazy.ts LightResponse", () => {
  const builds: [string, (R: typeof Response | typeof LightResponse) => Response | LightResponse][] = [
    ["json", (R) => R.json({ a: 1, s: "é" }, { status: 201, headers: { location: "/x" } })],
    ["json with own content type", (R) => R.json([1], { headers: { "Content-Type": "application/problem+json" } })],
    ["text", (R) => new R("hello\uD800", { status: 404, statusText: "Nope" })],
    ["bytes", (R) => new R(new Uint8Array([1, 2, 3]), { headers: [["content-type", "application/octet-stream"]] })],
    ["ArrayBuffer", (R) => new R(new Uint8Array([0xef, 0xbb, 0xbf, 65]).buffer)],
    ["form", (R) => new R(new URLSearchParams({ a: "1 2" }))],
    ["empty", (R) => new R(null, { status: 204 })],
    [
      "cookies",
      (R) =>
        new R("x", {
          headers: [
            ["set-cookie", "a=1"],
            ["Set-Cookie", "b=2"],
            ["x-y", "z"],
          ],
        }),
    ],
    ["blob (delegated)", (R) => new R(new Blob(["blob!"], { type: "text/x-b" }))],
  ];

  for (const [name, make] of builds) {
    it(`${name}: status, headers and body read as from a real Response`, async () => {
      const real = make(Response) as Response;
      const light = make(LightResponse) as LightResponse;
      const snap = async (r: Response | LightResponse) => ({
        status: r.status,
        statusText: r.statusText,
        ok: r.ok,
        type: r.type,
        url: r.url,
        redirected: r.redirected,
        headers: [...r.headers],
        cookies: r.headers.getSetCookie(),
        tag: Object.prototype.toString.call(r),
        clone: [...new Uint8Array(await r.clone().arrayBuffer())],
        text: await r.text(),
        used: r.bodyUsed,
      });
      assert.deepEqual(await snap(light), await snap(real));
      const read = await readResponse(make(LightResponse) as LightResponse);
      const readReal = await readResponse(make(Response) as Response);
      const bytes = (b: string | Uint8Array) => [...(typeof b === "string" ? Buffer.from(b, "utf8") : b)];
      assert.deepEqual({ ...read, body: bytes(read.body) }, { ...readReal, body: bytes(readReal.body) });
    });
  }

  it("is read synchronously from its source (no stream) and leaves real Responses to arrayBuffer()", async () => {
    const read = readResponse(LightResponse.json({ ok: true }));
    assert.ok(!(read instanceof Promise));
    assert.deepEqual(read, { status: 200, headers: { "content-type": "application/json" }, cookies: [], body: '{"ok":true}' });
    const real = readResponse(Response.json({ ok: true }));
    assert.ok(real instanceof Promise);
    assert.deepEqual([...((await real).body as Uint8Array)], [...Buffer.from('{"ok":true}')]);
  });

  it("rejects what Response rejects", () => {
    for (const R of [Response, LightResponse]) {
      assert.throws(() => R.json(undefined), TypeError);
      assert.throws(() => new R("x", { status: 99 }), RangeError);
      assert.throws(() => new R("x", { status: 204 }), TypeError);
    }
  });

  it("stands in for the global Response: instanceof accepts both and rejects others; isLight only its own", () => {
    assert.ok(new Response("x") instanceof LightResponse);
    assert.ok(LightResponse.json(1) instanceof LightResponse);
    assert.ok(!({ status: 200 } instanceof LightResponse) && !(("x" as unknown as object) instanceof LightResponse));
    assert.ok(!((null as unknown as object) instanceof LightResponse));
    assert.ok(LightResponse.isLight(LightResponse.json(1)) && !LightResponse.isLight(new Response("x")));
    assert.ok(!LightResponse.isLight({ status: 200 }) && !LightResponse.isLight(null) && !LightResponse.isLight("x"));
  });
});

describe("runtime/lazy.ts RequestShim and fetchShim (the handler's Request and fetch in a bundle)", () => {
  it("new Request(lazy, init) gives a real Request carrying the lazy one's method, URL, headers and body", async () => {
    const [, lazy] = both(CASES[1] as Case);
    const real = new RequestShim(lazy, { headers: { "x-extra": "1" } }) as unknown as Request;
    assert.ok(real instanceof Request);
    assert.equal(real.method, "POST");
    assert.equal(real.url, "https://h.example.com/orders");
    assert.equal(real.headers.get("x-extra"), "1");
    assert.deepEqual(await real.json(), { bookId: "1", quantity: 2 });
    const plain = new RequestShim("https://h/x", { method: "PUT", body: "b" }) as unknown as Request;
    assert.deepEqual([plain.method, await plain.text()], ["PUT", "b"]);
    // A real Request is passed through as it is (not taken for a lazy one).
    const copy = new RequestShim(new Request("https://h/y", { method: "PATCH", body: "c" })) as unknown as Request;
    assert.deepEqual([copy.method, copy.url, await copy.text()], ["PATCH", "https://h/y", "c"]);
  });

  it("instanceof accepts lazy and real Requests only", () => {
    const [real, lazy] = both(CASES[0] as Case);
    assert.ok(lazy instanceof RequestShim && real instanceof RequestShim);
    assert.ok(!({ url: "x" } instanceof RequestShim) && !(("x" as unknown as object) instanceof RequestShim));
  });

  it("fetch(lazy) sends the request the lazy one stands for (a data: URL, no network)", async () => {
    const res = await fetchShim(new LazyRequest("data:text/plain,hello%20lazy", { method: "GET" }));
    assert.equal(await res.text(), "hello lazy");
    assert.equal(await (await fetchShim("data:,plain")).text(), "plain");
  });
});
