import * as assert from "node:assert/strict";
import type { ApiManagementService } from "@pulumi/azure-native/apimanagement";
import * as pulumi from "@pulumi/pulumi";
import { type Api, formatIssue, loadApi, ModelError } from "../../../model";
import type { PlanDocument, PlanResource } from "../../../plan/run";
import { provider } from "../../../providers/azure";
import { azureCapabilities, azureLimits } from "../../../providers/azure/capabilities";
import { azureDnsRecords } from "../../../providers/azure/domain";
import { alertRuleCounts } from "../../../providers/azure/pricing";
import { checkCapabilities } from "../../../providers/capabilities";
import type { DnsRecord } from "../../../providers/types";
import { traceIdOf } from "../../../runtime/shared";
import { fakeStack } from "../../support/config";
import { EXAMPLE } from "../../support/models";
import { planJson } from "../../support/plan";

// biome-ignore lint/suspicious/noExplicitAny: plan inputs are untyped JSON
type Json = Record<string, any>;
const inp = (r: PlanResource | undefined) => (r?.inputs ?? {}) as Json;

const stack = fakeStack;

describe("providers/azure: production features in the example plan (azure-dev)", () => {
  let plan: PlanDocument;
  const byName = (n: string) => plan.resources.find((r) => r.name === n);
  const ofType = (t: string) => plan.resources.filter((r) => r.type === `azure-native:${t}`);
  before(async function () {
    this.timeout(120_000);
    plan = await planJson("azure-dev");
  });

  it("custom domain: a Proxy hostname with a managed certificate on the service; CNAME and apimuid TXT as outputs", () => {
    assert.deepEqual(inp(byName("bookshop-apim")).hostnameConfigurations, [
      { type: "Proxy", hostName: "api.bookshop.example.com", certificateSource: "Managed" },
    ]);
    const records = plan.outputs.dnsRecords as DnsRecord[];
    const service = inp(byName("bookshop-apim")).serviceName;
    assert.deepEqual(
      records.map((r) => [r.name, r.type, r.managed]),
      [
        ["api.bookshop.example.com", "CNAME", false],
        ["apimuid.api.bookshop.example.com", "TXT", false],
      ],
    );
    assert.equal(records[0]?.value, `${service}.azure-api.net`);
  });

  it("the cost estimate's rule counts are what the plan declares: log search rules, metric alert series", () => {
    const counts = alertRuleCounts(loadApi(EXAMPLE));
    assert.equal(ofType("monitor:ScheduledQueryRule").length, counts.logSearchRules);
    const metricAlerts = ofType("monitor:MetricAlert").map(inp);
    assert.equal(metricAlerts.length, counts.metricSeries);
    // One resource in scope, one criterion, no dimensions: one time series.
    const first = metricAlerts[0] as Json;
    assert.equal((first.scopes as unknown[]).length, 1);
    assert.equal(first.criteria.allOf.length, 1);
    assert.equal(first.criteria.allOf[0].dimensions, undefined);
  });

  it("alerts: one action group with the email and webhook; thresholds from the model; the function app's Http5xx", () => {
    const api = loadApi(EXAMPLE);
    const group = inp(byName("bookshop-action-group"));
    assert.deepEqual(
      group.emailReceivers.map((r: Json) => r.emailAddress),
      ["ops@example.com"],
    );
    assert.deepEqual(
      group.webhookReceivers.map((r: Json) => r.serviceUri),
      ["https://hooks.example.com/switchyard"],
    );
    assert.ok(group.groupShortName.length <= 12);
    const rules = ofType("monitor:ScheduledQueryRule").map(inp);
    const rate = rules.find((r) => r.ruleName.endsWith("-error-rate"));
    const p99 = rules.find((r) => r.ruleName.endsWith("-latency-p99"));
    assert.equal(rate?.criteria.allOf[0].threshold, api.alerts?.errorRatePercent);
    assert.match(rate?.criteria.allOf[0].query, /countif\(toint\(resultCode\) >= 500\)/);
    assert.equal(p99?.criteria.allOf[0].threshold, api.alerts?.p99LatencyMs);
    assert.match(p99?.criteria.allOf[0].query, /percentile\(duration, 99\)/);
    const insights = byName("bookshop-insights");
    assert.ok(insights);
    for (const r of [rate, p99]) {
      assert.match(r?.scopes[0], /\/providers\/Microsoft\.Insights\/components\//);
      assert.deepEqual(r?.actions.actionGroups, ["bookshop-action-group-id"]);
    }
    const metric = inp(byName("bookshop-alert-function-5xx"));
    assert.equal(metric.criteria.allOf[0].metricName, "Http5xx");
    assert.match(metric.scopes[0], /\/providers\/Microsoft\.Web\/sites\//);
    for (const r of [...ofType("monitor:ScheduledQueryRule"), ...ofType("monitor:MetricAlert"), byName("bookshop-action-group")]) {
      assert.equal(inp(r).tags.app, "bookshop", r?.name);
    }
  });

  it("tracing: Application Insights with W3C correlation on the APIM diagnostic, sampled per the stack", () => {
    const diag = inp(byName("bookshop-apim-diagnostic"));
    assert.equal(diag.httpCorrelationProtocol, "W3C");
    assert.deepEqual(diag.sampling, { samplingType: "fixed", percentage: 100 });
    assert.equal(plan.capabilities.find((c) => c.feature === "tracing")?.support, "native");
  });
});

describe("providers/azure: production capabilities and limits", () => {
  const example = () => loadApi(EXAMPLE);
  before(() => pulumi.runtime.setAllConfig({ "azure-native:location": "westeurope" }));

  it("canary is unsupported on every tier, with the error text and the alternatives", () => {
    const api = example();
    assert.throws(
      () => checkCapabilities(provider, api, stack({ "azure.apimSku": "Developer" })),
      (e: unknown) => {
        assert.ok(e instanceof ModelError);
        const text = e.issues.map(formatIssue);
        assert.deepEqual(
          text.filter((t) => t.startsWith("functions.getBook.canary")),
          [
            'functions.getBook.canary: canary release: a share of traffic to the new function version (function.canary) is unsupported on azure: Flex Consumption function apps have no deployment slots to split traffic between two code versions (https://learn.microsoft.com/azure/azure-functions/functions-deployment-slots: Flex Consumption "Not currently supported"). Alternatives: deploy the new version as a second stack and split traffic in front of both with Azure Front Door or Traffic Manager weighted routing; roll out behind a feature flag (Azure App Configuration) read by the handler. Or accept it on this stack: add "function.canary" to switchyard:allowUnsupported.',
          ],
        );
        return true;
      },
    );
  });

  it("a managed certificate is unsupported on the v2 tiers (error text), native on Consumption and the classic tiers; Key Vault everywhere", () => {
    const api = example();
    for (const sku of ["BasicV2", "StandardV2"]) {
      const row = azureCapabilities(api, stack({ "azure.apimSku": sku })).domain;
      assert.equal(row.support, "unsupported", sku);
      assert.equal(row.note, `API Management ${sku} (a v2 tier) offers no free managed certificate for a custom hostname`);
      assert.match(row.alternatives?.join("; ") ?? "", /Key Vault/);
    }
    for (const sku of ["Consumption", "Developer", "Basic", "Standard", "Premium"]) {
      const row = azureCapabilities(api, stack({ "azure.apimSku": sku })).domain;
      assert.equal(row.support, "native", sku);
      assert.match(row.note, /certificateSource Managed.*apimuid TXT.*deploy without domain first/);
    }
    const kv: Api = {
      ...api,
      domain: { name: "api.bookshop.example.com", certificate: "https://shopvault.vault.azure.net/secrets/api-cert" },
    };
    const kvRow = azureCapabilities(kv, stack({ "azure.apimSku": "StandardV2" })).domain;
    assert.equal(kvRow.support, "native");
    assert.match(kvRow.note, /certificateSource KeyVault/);
    assert.doesNotMatch(kvRow.note, /apimuid/);
  });

  it("a Key Vault certificate needs only the CNAME: the apimuid TXT record is for managed certificates", async () => {
    const service = { gatewayUrl: pulumi.output("https://bookshop-test.azure-api.net") } as unknown as ApiManagementService;
    const records = await new Promise<DnsRecord[]>((done) =>
      azureDnsRecords(
        { name: "api.bookshop.example.com", certificate: "https://shopvault.vault.azure.net/secrets/api-cert" },
        service,
        service as unknown as pulumi.Resource,
      ).apply(done),
    );
    assert.deepEqual(records, [
      {
        name: "api.bookshop.example.com",
        type: "CNAME",
        value: "bookshop-test.azure-api.net",
        purpose: "routes the domain to the API Management gateway",
        managed: false,
      },
    ]);
  });

  it("rejects a certificate that is not a Key Vault secret id", () => {
    const api: Api = { ...example(), domain: { name: "a.example.com", certificate: "arn:aws:acm:eu-west-1:1:certificate/x" } };
    const issues = azureLimits(api, stack({ "azure.apimSku": "Developer" })).map((i) => `${i.path}: ${i.message}`);
    assert.deepEqual(
      issues.filter((i) => i.startsWith("domain")),
      [
        'domain.certificate: "arn:aws:acm:eu-west-1:1:certificate/x" is not a Key Vault secret id. Use "managed", or https://<vault>.vault.azure.net/secrets/<name> (the certificate imported into Key Vault).',
      ],
    );
  });

  it("ctx.traceId on Azure comes from traceparent", () => {
    const headers: Record<string, string> = { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" };
    assert.equal(
      traceIdOf("azure", (h) => headers[h]),
      "4bf92f3577b34da6a3ce929d0e0e4736",
    );
    assert.equal(
      traceIdOf("azure", () => "00-00000000000000000000000000000000-00f067aa0ba902b7-01"),
      undefined,
      "an all-zero trace id is invalid",
    );
    assert.equal(
      traceIdOf("azure", () => undefined),
      undefined,
    );
  });
});
