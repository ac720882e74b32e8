import * as assert from "node:assert/strict";
import * as path from "node:path";
import { type Api, loadApi } from "../../../model";
import {
  API_KEY_HEADER,
  apiPolicy,
  csString,
  operationPolicy,
  operations,
  productId,
  rateWindow,
  subscriptionRequired,
} from "../../../providers/azure/policies";
import { type ApimSku, skuFeatures } from "../../../providers/azure/sku";
import { el, render } from "../../../providers/azure/xml";
import { EXAMPLE } from "../../support/models";
import { child, type Node, names, parse } from "./xml-tree";

const FIXTURE = path.resolve(__dirname, "fixtures", "api.ts");

function policyOf(api: Api, opId: string, sku: ApimSku, backend = { backendId: "functions" }): Node {
  const op = operations(api).find((o) => o.id === opId);
  assert.ok(op, `operation ${opId}`);
  return parse(operationPolicy(api, op, skuFeatures(sku), backend));
}

describe("providers/azure/policies.ts", () => {
  const example = loadApi(EXAMPLE);
  const fixture = loadApi(FIXTURE);

  describe("operations", () => {
    it("declares every {param} of the urlTemplate as a template parameter and nothing else", () => {
      for (const op of [...operations(example), ...operations(fixture)]) {
        const inTemplate = [...op.urlTemplate.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
        assert.deepEqual(op.templateParameters.map((p) => p.name).sort(), inTemplate, op.id);
        for (const p of op.templateParameters) assert.deepEqual(p, { name: p.name, type: "string", required: true });
      }
    });

    it("splits ANY into one operation per method and maps a greedy segment to the trailing wildcard", () => {
      const legacy = operations(example).filter((o) => o.route.key === "ANY /legacy/{path+}");
      assert.deepEqual(
        legacy.map((o) => o.method),
        ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
      );
      assert.deepEqual([...new Set(legacy.map((o) => o.urlTemplate))], ["/legacy/*"]);
      assert.deepEqual(legacy[0]!.templateParameters, []);
      assert.equal(operations(example).find((o) => o.id === "get-books-id")!.urlTemplate, "/books/{id}");
      assert.equal(new Set(operations(example).map((o) => o.id)).size, operations(example).length);
    });

    it("requires a subscription on the API only when every route is keyed", () => {
      assert.equal(subscriptionRequired(example), false);
      assert.equal(subscriptionRequired({ ...example, routes: example.routes.filter((r) => r.auth.kind === "apiKey") }), true);
    });
  });

  describe("API policy", () => {
    const doc = parse(apiPolicy(example));
    const inbound = child(doc, "inbound")!;

    it("keeps <base /> first in every section", () => {
      assert.deepEqual(names(doc), ["inbound", "backend", "outbound", "on-error"]);
      for (const section of doc.children) assert.equal(section.children[0]?.name, "base", section.name);
    });

    it("answers CORS with the model's exact origins, methods, headers and max age", () => {
      const cors = child(inbound, "cors")!;
      assert.equal(cors.attrs["allow-credentials"], "false");
      assert.deepEqual(
        child(cors, "allowed-origins")!.children.map((o) => o.text),
        ["https://shop.example.com"],
      );
      assert.equal(child(cors, "allowed-methods")!.attrs["preflight-result-max-age"], "600");
      assert.deepEqual(
        child(cors, "allowed-methods")!.children.map((m) => m.text),
        ["GET", "POST"],
      );
      assert.deepEqual(
        child(cors, "allowed-headers")!.children.map((h) => h.text),
        ["content-type", "authorization", "x-api-key"],
      );
    });

    it("deletes identity headers, the function key and the API key before any operation runs", () => {
      const deleted = inbound.children.filter((c) => c.name === "set-header").map((c) => [c.attrs.name, c.attrs["exists-action"]]);
      assert.deepEqual(deleted, [
        ["x-switchyard-consumer", "delete"],
        ["x-switchyard-claims", "delete"],
        ["x-functions-key", "delete"],
        [API_KEY_HEADER, "delete"],
      ]);
    });

    it("has no cors element when the model declares none", () => {
      assert.equal(child(child(parse(apiPolicy({ ...example, cors: undefined })), "inbound")!, "cors"), undefined);
    });
  });

  describe("operation policies", () => {
    it("JWT route on a classic tier: validate-jwt with discovery, audiences and issuer, scope check, claims header, by-key limits, function backend", () => {
      const inbound = child(policyOf(example, "post-orders", "Developer"), "inbound")!;
      assert.deepEqual(names(inbound), [
        "base",
        "validate-jwt",
        "choose",
        "set-header",
        "rate-limit-by-key",
        "quota-by-key",
        "set-backend-service",
      ]);
      const jwt = child(inbound, "validate-jwt")!;
      assert.equal(jwt.attrs["output-token-variable-name"], "jwt");
      assert.equal(jwt.attrs["failed-validation-httpcode"], "401");
      assert.equal(child(jwt, "openid-config")!.attrs.url, "https://login.example.com/.well-known/openid-configuration");
      assert.deepEqual(
        child(jwt, "audiences")!.children.map((a) => a.text),
        ["api://bookshop"],
      );
      assert.deepEqual(
        child(jwt, "issuers")!.children.map((a) => a.text),
        ["https://login.example.com/"],
      );
      const when = child(child(inbound, "choose")!, "when")!;
      assert.match(when.attrs.condition!, /"orders:write"/);
      assert.match(when.attrs.condition!, /"scope", "scp"/);
      assert.equal(child(child(when, "return-response")!, "set-status")!.attrs.code, "403");
      const claims = child(inbound, "set-header")!;
      assert.equal(claims.attrs.name, "x-switchyard-claims");
      assert.match(child(claims, "value")!.text, /Convert\.ToBase64String/);
      const rate = child(inbound, "rate-limit-by-key")!;
      assert.deepEqual(rate.attrs, {
        calls: "10",
        "renewal-period": "2",
        "counter-key": '@("post-orders:" + context.Variables.GetValueOrDefault<Jwt>("jwt").Subject)',
      });
      assert.deepEqual(child(inbound, "quota-by-key")!.attrs, {
        calls: "1000",
        "renewal-period": "86400",
        "counter-key": rate.attrs["counter-key"]!,
      });
      assert.equal(child(inbound, "set-backend-service")!.attrs["backend-id"], "functions");
    });

    it("JWT route: BasicV2 keeps rate-limit-by-key but has no quota-by-key; Consumption has neither", () => {
      assert.deepEqual(names(child(policyOf(example, "post-orders", "BasicV2"), "inbound")), [
        "base",
        "validate-jwt",
        "choose",
        "set-header",
        "rate-limit-by-key",
        "set-backend-service",
      ]);
      assert.deepEqual(names(child(policyOf(example, "post-orders", "Consumption"), "inbound")), [
        "base",
        "validate-jwt",
        "choose",
        "set-header",
        "set-backend-service",
      ]);
    });

    it("API-key route with cache on Developer: product-scoped key check, consumer header, by-key limit, internal cache varying by query", () => {
      const doc = policyOf(example, "get-books", "Developer");
      const inbound = child(doc, "inbound")!;
      assert.deepEqual(names(inbound), ["base", "choose", "set-header", "rate-limit-by-key", "cache-lookup", "set-backend-service"]);
      const when = child(child(inbound, "choose")!, "when")!;
      assert.equal(
        when.attrs.condition,
        `@(context.Subscription == null || context.Product == null || context.Product.Id != "${productId("partners")}")`,
      );
      assert.equal(child(child(when, "return-response")!, "set-status")!.attrs.code, "401");
      const consumer = child(inbound, "set-header")!;
      assert.deepEqual(consumer.attrs, { name: "x-switchyard-consumer", "exists-action": "override" });
      assert.equal(child(consumer, "value")!.text, "@(context.Subscription.Name)");
      assert.match(child(inbound, "rate-limit-by-key")!.attrs["counter-key"]!, /context\.Subscription\.Id/);
      const lookup = child(inbound, "cache-lookup")!;
      assert.equal(lookup.attrs["caching-type"], "internal");
      assert.deepEqual(
        lookup.children.map((c) => [c.name, c.text]),
        [["vary-by-query-parameter", "page"]],
      );
      assert.deepEqual(names(child(doc, "outbound")), ["base", "cache-store"]);
      assert.equal(child(child(doc, "outbound")!, "cache-store")!.attrs.duration, "60");
    });

    it("API-key route on Consumption: per-subscription rate-limit and no cache", () => {
      const doc = policyOf(example, "get-books", "Consumption");
      assert.deepEqual(names(child(doc, "inbound")), ["base", "choose", "set-header", "rate-limit", "set-backend-service"]);
      assert.deepEqual(child(child(doc, "inbound")!, "rate-limit")!.attrs, { calls: "100", "renewal-period": "2" });
      assert.deepEqual(names(child(doc, "outbound")), ["base"]);
    });

    it("API-key quota on a v2 tier falls back to the per-subscription quota (month = 30 days)", () => {
      const inbound = child(policyOf(fixture, "post-files-path", "StandardV2"), "inbound")!;
      assert.deepEqual(names(inbound), ["base", "choose", "set-header", "rate-limit-by-key", "quota", "set-backend-service"]);
      assert.deepEqual(child(inbound, "quota")!.attrs, { calls: "100", "renewal-period": "2592000" });
    });

    it("open route: no auth, limited per client IP on tiers with by-key limits, header vary in the cache", () => {
      const open = child(policyOf(fixture, "get-open-name", "BasicV2"), "inbound")!;
      assert.deepEqual(names(open), ["base", "rate-limit-by-key", "set-backend-service"]);
      assert.equal(child(open, "rate-limit-by-key")!.attrs["counter-key"], '@("get-open-name:" + context.Request.IpAddress)');
      const who = child(policyOf(fixture, "get-whoami", "BasicV2"), "inbound")!;
      assert.deepEqual(
        child(who, "cache-lookup")!.children.map((c) => [c.name, c.text]),
        [["vary-by-header", "accept"]],
      );
    });

    it("upstream routes: a single URL as base-url, weighted targets through the pool backend", () => {
      const legacy = child(
        policyOf(example, "get-legacy-path", "Developer", { baseUrl: "https://legacy.example.com" } as never),
        "inbound",
      )!;
      // Keyed, but the consumer header is for our functions only, not for a third-party upstream.
      assert.deepEqual(names(legacy), ["base", "choose", "rate-limit-by-key", "set-backend-service"]);
      assert.equal(child(legacy, "set-backend-service")!.attrs["base-url"], "https://legacy.example.com");
      const search = child(policyOf(example, "get-search", "Consumption", { backendId: "search-pool" }), "inbound")!;
      assert.deepEqual(names(search), ["base", "set-backend-service"]);
      assert.equal(child(search, "set-backend-service")!.attrs["backend-id"], "search-pool");
    });
  });

  describe("escaping", () => {
    it("escapes attribute values and text so model values cannot break the document", () => {
      const hostile = `a"b'c<d>&e</x><y z="`;
      const doc = parse(render(el("policies", { v: hostile }, [el("inbound", {}, [hostile])])));
      // fast-xml-parser decodes the entities back: the values round-trip unchanged.
      assert.equal(doc.attrs.v, hostile);
      assert.equal(child(doc, "inbound")!.text, hostile);
      assert.deepEqual(names(doc), ["inbound"]);
    });

    it("quotes model values inside C# expressions", () => {
      assert.equal(csString('say "hi" \\ bye'), '"say \\"hi\\" \\\\ bye"');
      const api: Api = {
        ...example,
        auth: {
          ...example.auth,
          users: { name: "users", type: "jwt", issuer: "https://login.example.com/", audiences: ["api://bookshop"] },
        },
        routes: example.routes.map((r) =>
          r.key === "POST /orders" ? { ...r, auth: { kind: "jwt", scheme: "users", scopes: ['x"); return false; //'] } } : r,
        ),
      };
      const when = child(child(child(policyOf(api, "post-orders", "Developer"), "inbound")!, "choose")!, "when")!;
      assert.ok(when.attrs.condition!.includes('"x\\"); return false; //"'));
    });
  });

  it("approximates a token bucket as burst calls per refill window", () => {
    assert.deepEqual(rateWindow({ ratePerSecond: 50, burst: 100 }), { calls: 100, renewalPeriod: 2 });
    assert.deepEqual(rateWindow({ ratePerSecond: 5, burst: 1 }), { calls: 5, renewalPeriod: 1 });
    assert.deepEqual(rateWindow({ ratePerSecond: 0.5, burst: 3 }), { calls: 3, renewalPeriod: 6 });
  });
});
