import * as assert from "node:assert/strict";
import { type Gateway, startGateway } from "../../local/gateway";
import { loadApi } from "../../model";
import { report, runConformance } from "../../tools/conformance";
import { EXAMPLE } from "../support/models";
import { GATEWAY_MODEL, jwksIssuer, KEYS, serve } from "./support";

describe("conformance suite against the local gateway", () => {
  let issuer: Awaited<ReturnType<typeof jwksIssuer>>;
  let upstream: Awaited<ReturnType<typeof serve>>;
  const gateways: Gateway[] = [];

  before(async () => {
    issuer = await jwksIssuer();
    upstream = await serve((_req, res) => res.end("upstream"));
  });
  after(async () => {
    for (const g of gateways) await g.close();
    await issuer.close();
    await upstream.close();
  });

  it("passes on the test model, with every kind of check run", async function () {
    this.timeout(20_000);
    const gw = await startGateway({
      apiFile: GATEWAY_MODEL,
      keys: KEYS,
      log: "off",
      watch: false,
      // One token for both JWT schemes: the discovery scheme is pointed at the same key and issuer.
      jwt: { users: { jwksUri: issuer.jwksUri }, oidc: { jwksUri: issuer.jwksUri, issuer: "https://issuer.test/" } },
      upstreams: { "https://upstream-a.test": upstream.url, "https://upstream-b.test": upstream.url },
    });
    gateways.push(gw);
    const token = await issuer.sign({ scope: "orders:write" });
    const checks = await runConformance({ url: gw.url, api: loadApi(GATEWAY_MODEL), keys: KEYS, token });
    const text = report(checks);
    assert.deepEqual(
      checks.filter((c) => c.status === "fail"),
      [],
      text,
    );
    const names = checks.map((c) => c.name);
    for (const expected of [
      "GET /keyed: refused without credentials (401/403)",
      "GET /keyed: refused with a wrong key (401/403)",
      "POST /orders: accepted with valid credentials",
      "GET /open: DELETE not served (404/405, AWS REST 403)",
      "GET /cached: cached repeat is a hit (x-cache)",
      "GET /limited: 429 within 11 requests (burst 3)",
      "GET /quota: 429 within 11 requests (burst 100, quota 3/minute)",
      "ANY /proxy/{path+} (GET /proxy/a/b/c): accepted with valid credentials",
    ]) {
      assert.ok(names.includes(expected), `missing check "${expected}" in:\n${text}`);
    }
    assert.match(text, /\n\d+ passed, 0 failed$/);
  });

  it("passes on the example api.ts; unreachable upstreams are skipped, not failed", async function () {
    this.timeout(20_000);
    const gw = await startGateway({
      apiFile: EXAMPLE,
      keys: { acme: "acme-key", globex: "globex-key" },
      log: "off",
      watch: false,
      jwt: { users: { jwksUri: issuer.jwksUri } },
      upstreams: { "https://legacy.example.com": "http://127.0.0.1:9" },
      jwksTimeoutMs: 1000,
    });
    gateways.push(gw);
    const token = await issuer.sign({ scope: "orders:write" }, { iss: "https://login.example.com/", aud: "api://bookshop" });
    const checks = await runConformance({ url: gw.url, api: loadApi(EXAMPLE), keys: { acme: "acme-key" }, token, timeoutMs: 3000 });
    const text = report(checks);
    assert.deepEqual(
      checks.filter((c) => c.status === "fail"),
      [],
      text,
    );
    const legacy = checks.find((c) => c.name.startsWith("ANY /legacy/{path+}") && c.name.endsWith("accepted with valid credentials"));
    assert.equal(legacy?.status, "skip", text);
    assert.ok(
      checks.some((c) => c.name.startsWith("POST /orders") && c.name.includes("429") && c.status === "pass"),
      text,
    );
  });

  it("fails, and says so, when the gateway does not behave as the model says", async () => {
    const gw = await startGateway({ apiFile: GATEWAY_MODEL, keys: KEYS, log: "off", watch: false });
    gateways.push(gw);
    // A wrong key for the consumers: the "accepted with valid credentials" checks must fail.
    const checks = await runConformance({ url: gw.url, api: loadApi(GATEWAY_MODEL), keys: { alice: "not-alice" }, maxHammer: 0 });
    const failed = checks.filter((c) => c.status === "fail").map((c) => c.name);
    assert.ok(failed.includes("GET /keyed: accepted with valid credentials"), failed.join("\n"));
    assert.match(report(checks), new RegExp(`\\n\\d+ passed, ${failed.length} failed$`));
  });
});
