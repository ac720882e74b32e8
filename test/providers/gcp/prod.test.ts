import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { type Api, formatIssue, loadApi, ModelError } from "../../../model";
import type { PlanDocument, PlanResource } from "../../../plan/run";
import { checkCapabilities } from "../../../providers/capabilities";
import { provider } from "../../../providers/gcp";
import { gcpLimits } from "../../../providers/gcp/capabilities";
import { alertConditionCount, DOMAIN_FORWARDING_RULES } from "../../../providers/gcp/pricing";
import type { DnsRecord, StackConfig } from "../../../providers/types";
import { traceIdOf } from "../../../runtime/shared";
import { EXAMPLE } from "../../support/models";
import { planJson } from "../../support/plan";

// biome-ignore lint/suspicious/noExplicitAny: plan inputs are untyped JSON
type Json = Record<string, any>;
const inp = (r: PlanResource | undefined) => (r?.inputs ?? {}) as Json;

describe("providers/gcp: production features in the example plan (gcp-dev)", () => {
  let plan: PlanDocument;
  const byName = (n: string) => plan.resources.find((r) => r.name === n);
  const ofType = (t: string) => plan.resources.filter((r) => r.type === `gcp:${t}`);
  before(async function () {
    this.timeout(120_000);
    plan = await planJson("gcp-dev");
  });

  it("custom domain: load balancer + serverless NEG on the gateway (Preview), managed certificate, TLS 1.2, the A record as output", () => {
    const neg = inp(byName("bookshop-domain-neg"));
    const gateway = inp(byName("bookshop-gateway"));
    assert.deepEqual(neg.serverlessDeployment, { platform: "apigateway.googleapis.com", resource: gateway.gatewayId });
    assert.equal(neg.region, gateway.region);
    assert.equal(neg.networkEndpointType, "SERVERLESS");
    assert.deepEqual(inp(byName("bookshop-domain-backend")).backends, [{ group: "bookshop-domain-neg-id" }]);
    assert.deepEqual(inp(byName("bookshop-domain-certificate")).managed, { domains: ["api.bookshop.example.com"] });
    assert.equal(inp(byName("bookshop-domain-tls")).minTlsVersion, "TLS_1_2");
    const proxy = inp(byName("bookshop-domain-proxy"));
    assert.deepEqual(proxy.sslCertificates, ["bookshop-domain-certificate-id"]);
    assert.equal(proxy.sslPolicy, "bookshop-domain-tls-id");
    const rule = inp(byName("bookshop-domain-https"));
    assert.equal(rule.portRange, "443");
    assert.equal(rule.ipAddress, "203.0.113.10");
    assert.equal(rule.labels.app, "bookshop");
    assert.deepEqual(plan.outputs.dnsRecords as DnsRecord[], [
      {
        name: "api.bookshop.example.com",
        type: "A",
        value: "203.0.113.10",
        purpose: "routes the domain to the load balancer in front of API Gateway",
        managed: false,
      },
    ]);
    assert.ok(ofType("projects/service:Service").some((s) => inp(s).service === "compute.googleapis.com"));
    const row = plan.capabilities.find((c) => c.feature === "domain");
    assert.equal(row?.support, "substitute");
    assert.match(row?.note ?? "", /Preview/);
  });

  it("the cost estimate's counts are what the plan declares: alert conditions, forwarding rules", () => {
    const conditions = ofType("monitoring/alertPolicy:AlertPolicy").reduce((n, r) => n + (inp(r).conditions as Json[]).length, 0);
    assert.equal(conditions, alertConditionCount(loadApi(EXAMPLE)));
    assert.equal(ofType("compute/globalForwardingRule:GlobalForwardingRule").length, DOMAIN_FORWARDING_RULES);
  });

  it("alerts: email and webhook_tokenauth channels; ratio and p99 thresholds from the model; a 5xx policy per function; labelled", () => {
    const api = loadApi(EXAMPLE);
    const channels = ofType("monitoring/notificationChannel:NotificationChannel").map(inp);
    assert.deepEqual(
      channels.map((c) => [c.type, c.labels]),
      [
        ["email", { email_address: "ops@example.com" }],
        ["webhook_tokenauth", { url: "https://hooks.example.com/switchyard" }],
      ],
    );
    const rate = inp(byName("bookshop-alert-error-rate")).conditions[0].conditionThreshold;
    assert.equal(rate.thresholdValue, (api.alerts?.errorRatePercent ?? 0) / 100);
    assert.match(rate.filter, /response_code_class = "5xx"/);
    assert.match(rate.denominatorFilter, /apigateway\.googleapis\.com\/proxy\/request_count/);
    const p99 = inp(byName("bookshop-alert-latency-p99")).conditions[0].conditionThreshold;
    assert.equal(p99.thresholdValue, api.alerts?.p99LatencyMs);
    assert.equal(p99.aggregations[0].crossSeriesReducer, "REDUCE_PERCENTILE_99");
    const fnPolicies = ofType("monitoring/alertPolicy:AlertPolicy").filter((p) => /-alert-fn-/.test(p.name));
    assert.equal(fnPolicies.length, Object.keys(api.functions).length);
    const fnNames = ofType("cloudfunctionsv2/function:Function").map((f) => inp(f).name);
    for (const p of fnPolicies) {
      const service = /service_name = "([^"]+)"/.exec(inp(p).conditions[0].conditionThreshold.filter)?.[1];
      assert.ok(fnNames.includes(service), `${p.name}: ${service}`);
    }
    for (const p of [...ofType("monitoring/alertPolicy:AlertPolicy"), ...ofType("monitoring/notificationChannel:NotificationChannel")]) {
      assert.equal(inp(p).userLabels.app, "bookshop", p.name);
    }
    for (const p of ofType("monitoring/alertPolicy:AlertPolicy")) {
      assert.deepEqual(inp(p).notificationChannels, ["bookshop-notify-0-id", "bookshop-notify-1-id"], p.name);
    }
  });

  it("tracing is a substitute (Cloud Trace is automatic); the canary is accepted as unsupported on this stack", () => {
    const row = (f: string) => plan.capabilities.find((c) => c.feature === f);
    assert.equal(row("tracing")?.support, "substitute");
    assert.equal(row("function.canary")?.support, "unsupported");
    assert.ok(
      plan.warnings.some(
        (w) => w.startsWith("functions.getBook.canary: ") && w.endsWith("Accepted by switchyard:allowUnsupported; not deployed."),
      ),
    );
  });
});

describe("providers/gcp: production capabilities and limits", () => {
  const stackConfig = (project: Record<string, unknown>): StackConfig => ({
    stack: "test",
    get: (k) => (typeof project[k] === "string" ? (project[k] as string) : undefined),
    getObject: <T>(k: string) => project[k] as T | undefined,
    getSecret: () => pulumi.output("[secret]"),
  });
  before(() => pulumi.runtime.setAllConfig({ "gcp:project": "p", "gcp:region": "europe-west1" }));
  after(() => pulumi.runtime.setAllConfig({}));
  const example = () => loadApi(path.resolve(EXAMPLE));

  it("fails a canary with the error text and the alternatives unless accepted", () => {
    const accepted = ["cache", "cache.varyBy", "rateLimit", "rateLimit.perConsumer", "rateLimit.quota", "route.upstream.weighted"];
    assert.throws(
      () => checkCapabilities(provider, example(), stackConfig({ allowUnsupported: accepted })),
      (e: unknown) => {
        assert.ok(e instanceof ModelError);
        assert.deepEqual(e.issues.map(formatIssue), [
          'functions.getBook.canary: canary release: a share of traffic to the new function version (function.canary) is unsupported on gcp: cloudfunctionsv2.Function exposes no revision traffic split: only serviceConfig.allTrafficOnLatestRevision (a boolean; false keeps the underlying Cloud Run service\'s traffic as set outside the function, node_modules/@pulumi/gcp/types/input.d.ts FunctionServiceConfig). Alternatives: deploy the functions as Cloud Run services (cloudrunv2.Service traffics[] with percent per revision) and route the gateway to them; deploy the new version as a second stack and split at a load balancer with weighted backend services. Or accept it on this stack: add "function.canary" to switchyard:allowUnsupported.',
        ]);
        return true;
      },
    );
  });

  it("accepts a certificate name or self-link, rejects anything else", () => {
    const withCert = (certificate: string): Api => ({ ...example(), domain: { name: "api.example.com", certificate } });
    const domainIssues = (api: Api) =>
      gcpLimits(api, stackConfig({}))
        .filter((i) => i.path === "domain.certificate")
        .map((i) => i.message);
    assert.deepEqual(domainIssues(withCert("api-cert")), []);
    assert.deepEqual(domainIssues(withCert("projects/p/global/sslCertificates/api-cert")), []);
    assert.deepEqual(domainIssues(withCert("arn:aws:acm:eu-west-1:1:certificate/x")), [
      '"arn:aws:acm:eu-west-1:1:certificate/x" is not a Compute Engine SSL certificate. Use "managed", a certificate name in the project, or projects/<project>/global/sslCertificates/<name>.',
    ]);
  });

  it("ctx.traceId on GCP comes from x-cloud-trace-context, else traceparent", () => {
    const h = (m: Record<string, string>) => (n: string) => m[n];
    assert.equal(
      traceIdOf("gcp", h({ "x-cloud-trace-context": "105445aa7843bc8bf206b12000100000/1;o=1" })),
      "105445aa7843bc8bf206b12000100000",
    );
    assert.equal(
      traceIdOf("gcp", h({ traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" })),
      "4bf92f3577b34da6a3ce929d0e0e4736",
    );
    assert.equal(
      traceIdOf("aws", h({ "x-amzn-trace-id": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1" })),
      "1-5759e988-bd862e3fe1be46a994272793",
    );
  });
});
