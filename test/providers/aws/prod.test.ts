import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { type Api, loadApi, validate } from "../../../model";
import type { PlanDocument, PlanResource } from "../../../plan/run";
import { alarmMetricCount } from "../../../providers/aws/pricing";
import { checkCapabilities } from "../../../providers/capabilities";
import type { DnsRecord, StackConfig } from "../../../providers/types";
import { EXAMPLE, MINI_FILE, validRaw } from "../../support/models";
import { planJson } from "../../support/plan";

// biome-ignore lint/suspicious/noExplicitAny: plan inputs are untyped JSON
type Json = Record<string, any>;
const ofType = (plan: PlanDocument, type: string) => plan.resources.filter((r) => r.type === `aws:${type}`);
const inp = (r: PlanResource | undefined) => (r?.inputs ?? {}) as Json;
const named = (plan: PlanDocument, name: string) => plan.resources.find((r) => r.name === name);

describe("providers/aws: production features in the example plan (aws-dev)", () => {
  let plan: PlanDocument;
  before(async function () {
    this.timeout(120_000);
    plan = await planJson("aws-dev");
  });

  it("answers domain, alerts, tracing and canary natively, the canary's first deploy as a warning", () => {
    const row = (f: string) => plan.capabilities.find((c) => c.feature === f);
    for (const f of ["domain", "alerts", "tracing", "function.canary"]) assert.equal(row(f)?.support, "native", f);
    assert.match(row("domain")?.note ?? "", /apigateway\.DomainName \+ BasePathMapping .*TLS 1\.2/);
    assert.ok(plan.warnings.some((w) => /^functions\.getBook\.canary: no stable version .* 100% of traffic/.test(w)));
  });

  it("custom domain: ACM certificate with DNS validation, REGIONAL TLS 1.2 domain mapped to the stage, records as outputs", () => {
    const cert = inp(named(plan, "bookshop-certificate"));
    assert.equal(cert.domainName, "api.bookshop.example.com");
    assert.equal(cert.validationMethod, "DNS");
    const validation = inp(named(plan, "bookshop-certificate-validation"));
    assert.match(validation.certificateArn, /^arn:aws:acm:eu-west-1:123456789012:certificate\//);
    assert.equal(validation.validationRecordFqdns, undefined, "no hosted zone: the user creates the record");
    const dn = inp(named(plan, "bookshop-domain"));
    assert.equal(named(plan, "bookshop-domain")?.type, "aws:apigateway/domainName:DomainName");
    assert.equal(dn.securityPolicy, "TLS_1_2");
    assert.deepEqual(dn.endpointConfiguration, { types: "REGIONAL" });
    assert.equal(dn.regionalCertificateArn, validation.certificateArn);
    const mapping = inp(named(plan, "bookshop-domain-mapping"));
    const stage = inp(ofType(plan, "apigateway/stage:Stage")[0]);
    assert.equal(mapping.restApi, stage.restApi);
    assert.equal(mapping.stageName, stage.stageName);
    assert.equal(ofType(plan, "route53/record:Record").length, 0);
    const records = plan.outputs.dnsRecords as DnsRecord[];
    assert.equal(records.length, 2);
    assert.match(records[0]?.name ?? "", /^_[0-9a-f]+\.api\.bookshop\.example\.com$/);
    assert.equal(records[0]?.type, "CNAME");
    assert.match(records[0]?.value ?? "", /\.acm-validations\.aws$/);
    assert.deepEqual(
      { ...records[1], value: undefined },
      { name: "api.bookshop.example.com", type: "CNAME", value: undefined, purpose: records[1]?.purpose, managed: false },
    );
    assert.match(records[1]?.value ?? "", /^d-\w+\.execute-api\.eu-west-1\.amazonaws\.com$/);
  });

  it("the cost estimate's alarm-metric count is what the plan declares (a metric-math alarm counts each metric)", () => {
    const alarms = ofType(plan, "cloudwatch/metricAlarm:MetricAlarm").map(inp);
    const metrics = alarms.reduce((n, a) => n + (a.metricQueries ? (a.metricQueries as Json[]).filter((q) => q.metric).length : 1), 0);
    assert.equal(alarms.length, 2 + 2 * Object.keys(loadApi(EXAMPLE).functions).length);
    assert.equal(metrics, alarmMetricCount(loadApi(EXAMPLE)));
  });

  it("alarms: SNS topic with email and https subscriptions; 5xx rate and p99 thresholds from the model; Errors and Throttles per function", () => {
    const topic = named(plan, "bookshop-alerts");
    assert.equal(topic?.type, "aws:sns/topic:Topic");
    const subs = ofType(plan, "sns/topicSubscription:TopicSubscription").map((s) => [inp(s).protocol, inp(s).endpoint]);
    assert.deepEqual(subs, [
      ["email", "ops@example.com"],
      ["https", "https://hooks.example.com/switchyard"],
    ]);
    const api = loadApi(EXAMPLE);
    const rate = inp(named(plan, "bookshop-alarm-error-rate"));
    assert.equal(rate.threshold, api.alerts?.errorRatePercent);
    assert.equal(rate.comparisonOperator, "GreaterThanThreshold");
    const queries = rate.metricQueries as Json[];
    assert.deepEqual(
      queries.map((q) => [q.id, q.metric?.metricName ?? q.expression]),
      [
        ["errors", "5XXError"],
        ["requests", "Count"],
        ["rate", "IF(requests > 0, 100 * errors / requests, 0)"],
      ],
    );
    assert.deepEqual(queries[0]?.metric.dimensions, { ApiName: "bookshop-aws-dev", Stage: "api" });
    const p99 = inp(named(plan, "bookshop-alarm-latency-p99"));
    assert.equal(p99.threshold, api.alerts?.p99LatencyMs);
    assert.equal(p99.extendedStatistic, "p99");
    assert.equal(p99.metricName, "Latency");
    const perFn = ofType(plan, "cloudwatch/metricAlarm:MetricAlarm")
      .filter((a) => inp(a).namespace === "AWS/Lambda")
      .map((a) => `${inp(a).dimensions.FunctionName}:${inp(a).metricName}`)
      .sort();
    const expected = Object.keys(api.functions).flatMap((f) => [`bookshop-aws-dev-${f}:Errors`, `bookshop-aws-dev-${f}:Throttles`]);
    assert.deepEqual(perFn, expected.sort());
    const topicArn = "arn:aws:sns:eu-west-1:123456789012:bookshop-aws-dev-alerts";
    for (const a of ofType(plan, "cloudwatch/metricAlarm:MetricAlarm")) {
      assert.deepEqual(inp(a).alarmActions, [topicArn], a.name);
      assert.equal(inp(a).tags.app, "bookshop", a.name);
    }
    assert.equal(inp(topic).tags.stack, "aws-dev");
  });

  it("tracing: X-Ray active on every Lambda and on the REST stage; the role may write traces", () => {
    for (const f of ofType(plan, "lambda/function:Function")) assert.deepEqual(inp(f).tracingConfig, { mode: "Active" }, f.name);
    assert.equal(inp(ofType(plan, "apigateway/stage:Stage")[0]).xrayTracingEnabled, true);
    const policy = JSON.parse(inp(named(plan, "bookshop-getBook-policy")).policy);
    assert.ok(policy.Statement.some((s: Json) => s.Resource === "*" && JSON.stringify(s.Action) === '["xray:PutTraceSegments"]'));
  });

  it("canary, first deploy: getBook is published and invoked through its `live` alias at the new version", () => {
    const fn = inp(named(plan, "bookshop-getBook"));
    assert.equal(fn.publish, true);
    const alias = inp(named(plan, "bookshop-getBook-alias"));
    assert.equal(alias.name, "live");
    assert.equal(alias.functionVersion, "1");
    assert.equal(alias.routingConfig, undefined);
    assert.equal(inp(named(plan, "bookshop-getBook-permission")).qualifier, "live");
    const integ = ofType(plan, "apigateway/integration:Integration").filter((i) => /getBook/.test(inp(i).uri ?? ""));
    assert.equal(integ.length, 1);
    assert.match(inp(integ[0]).uri, /function:bookshop-aws-dev-getBook:live\/invocations$/);
    assert.equal(inp(named(plan, "bookshop-listBooks")).publish, undefined, "no canary, no scaling.min: not published");
  });
});

/** In-process mocks: the pieces with stack settings the example stack does not set. */
describe("providers/aws: domain with a hosted zone, HTTP alarms, canary weights (mocked program)", () => {
  const created: { type: string; name: string; inputs: Json }[] = [];
  let mod: {
    awsDomain: typeof import("../../../providers/aws/domain").awsDomain;
    awsAlarms: typeof import("../../../providers/aws/alarms").awsAlarms;
    canaryRouting: typeof import("../../../providers/aws/function").canaryRouting;
  };
  before(async () => {
    const { awsMockState } = await import("../../../providers/aws/mocks");
    await pulumi.runtime.setMocks(
      {
        newResource: (a) => {
          created.push({ type: a.type, name: a.name, inputs: a.inputs });
          const s = awsMockState(a.type, a.name, a.inputs);
          return { id: (s.id as string) ?? `${a.name}-id`, state: { ...a.inputs, ...s } };
        },
        call: (a) => a.inputs,
      },
      "switchyard",
      "prod",
      false,
    );
    const { awsDomain } = await import("../../../providers/aws/domain");
    const { awsAlarms } = await import("../../../providers/aws/alarms");
    const { canaryRouting } = await import("../../../providers/aws/function");
    mod = { awsDomain, awsAlarms, canaryRouting };
  });
  const wait = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
  const settle = () => new Promise((r) => setTimeout(r, 50));
  const model = (mutate: (m: Json) => void): Api => {
    const m = structuredClone(validRaw()) as Json;
    mutate(m);
    return validate(m, MINI_FILE);
  };

  it("HTTP flavour with switchyard:aws.hostedZoneId: Route 53 validation and alias records, ApiMapping to the stage", async () => {
    const api = model((m) => (m.domain = { name: "api.shop.example.com" }));
    const parent = new pulumi.ComponentResource("switchyard:test:Parent", "zone", {});
    const records = await wait(
      mod.awsDomain({
        name: "zone",
        api,
        hostedZoneId: "Z0123456789ABC",
        target: { flavour: "http", apiId: "abc123", stageId: "$default" },
        tags: { app: "shop" },
        parent,
      }),
    );
    await settle();
    const of = (t: string) => created.filter((c) => c.name.startsWith("zone-") && c.type === t);
    const dn = of("aws:apigatewayv2/domainName:DomainName")[0]?.inputs;
    assert.equal(dn?.domainNameConfiguration.endpointType, "REGIONAL");
    assert.equal(dn?.domainNameConfiguration.securityPolicy, "TLS_1_2");
    assert.match(dn?.domainNameConfiguration.certificateArn, /^arn:aws:acm:[a-z0-9-]+:123456789012:certificate\//);
    assert.deepEqual(of("aws:apigatewayv2/apiMapping:ApiMapping")[0]?.inputs, {
      apiId: "abc123",
      domainName: "api.shop.example.com",
      stage: "$default",
    });
    const r53 = of("aws:route53/record:Record").map((r) => r.inputs);
    assert.equal(r53.length, 2);
    assert.equal(r53[0]?.type, "CNAME");
    assert.equal(r53[0]?.zoneId, "Z0123456789ABC");
    assert.deepEqual(r53[1]?.aliases, [{ name: records[1]?.value, zoneId: "ZMOCKREGIONAL", evaluateTargetHealth: false }]);
    assert.equal(r53[1]?.type, "A");
    assert.deepEqual(of("aws:acm/certificateValidation:CertificateValidation")[0]?.inputs.validationRecordFqdns, [
      String(r53[0]?.name).replace(/\.$/, ""),
    ]);
    assert.deepEqual(
      records.map((r) => [r.type, r.managed]),
      [
        ["CNAME", true],
        ["ALIAS", true],
      ],
    );
  });

  it("a certificate ARN in the model: no ACM certificate is created, the domain uses the ARN", async () => {
    const arn = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
    const api = model((m) => (m.domain = { name: "api.shop.example.com", certificate: arn }));
    const parent = new pulumi.ComponentResource("switchyard:test:Parent", "byo", {});
    const records = await wait(
      mod.awsDomain({ name: "byo", api, target: { flavour: "rest", restApiId: "r1", stageName: "api" }, tags: {}, parent }),
    );
    await settle();
    const mine = created.filter((c) => c.name.startsWith("byo-"));
    assert.deepEqual(
      mine.map((c) => c.type),
      ["aws:apigateway/domainName:DomainName", "aws:apigateway/basePathMapping:BasePathMapping"],
    );
    assert.equal(mine[0]?.inputs.regionalCertificateArn, arn);
    assert.deepEqual(
      records.map((r) => r.type),
      ["CNAME"],
    );
  });

  it("HTTP alarms: 5xx and Count with ApiId/Stage, thresholds from the model", async () => {
    const api = model((m) => (m.alerts = { errorRatePercent: 2.5, p99LatencyMs: 800, notify: ["https://hooks.example.com/a"] }));
    const parent = new pulumi.ComponentResource("switchyard:test:Parent", "alarms", {});
    mod.awsAlarms({
      name: "alarms",
      api,
      stack: "s",
      target: { flavour: "http", apiId: "abc123" },
      functions: { hello: "shop-s-hello" },
      tags: (extra = {}) => ({ app: "shop", ...extra }),
      parent,
    });
    await settle();
    const alarm = (n: string) => created.find((c) => c.name === n)?.inputs ?? {};
    const rate = alarm("alarms-alarm-error-rate");
    assert.equal(rate.threshold, 2.5);
    assert.deepEqual(rate.metricQueries[0].metric.dimensions, { ApiId: "abc123", Stage: "$default" });
    assert.equal(rate.metricQueries[0].metric.metricName, "5xx");
    assert.equal(alarm("alarms-alarm-latency-p99").threshold, 800);
    assert.deepEqual(alarm("alarms-hello-alarm-throttles").dimensions, { FunctionName: "shop-s-hello" });
    assert.equal(alarm("alarms-hello-alarm-errors").tags.function, "hello");
    const sub = created.find((c) => c.name === "alarms-alerts-notify-0")?.inputs;
    assert.equal(sub?.protocol, "https");
  });

  it("canary weights: the stable version keeps the alias, the new one gets weight/100; none while both are the same", async () => {
    const r = mod.canaryRouting(pulumi.output("8"), 10, "7");
    assert.equal(r.functionVersion, "7");
    assert.deepEqual(await wait(pulumi.output(r.routingConfig)), { additionalVersionWeights: { "8": 0.1 } });
    const same = mod.canaryRouting(pulumi.output("7"), 25, "7");
    assert.deepEqual(await wait(pulumi.output(same.routingConfig)), { additionalVersionWeights: {} });
    const first = mod.canaryRouting(pulumi.output("1"), 10, undefined);
    assert.equal(await wait(pulumi.output(first.functionVersion)), "1");
    assert.equal(first.routingConfig, undefined);
  });
});

describe("providers/aws: production limits and warnings", () => {
  const config = (values: Record<string, string>): StackConfig => ({
    stack: "t",
    get: (k) => values[k],
    getObject: <T>(k: string) => (values[k] === undefined ? undefined : (JSON.parse(values[k]) as T)),
    getSecret: () => "[secret]" as unknown as pulumi.Output<string>,
  });
  const example = () => loadApi(EXAMPLE);
  let provider: typeof import("../../../providers/aws").provider;
  before(async () => {
    ({ provider } = await import("../../../providers/aws"));
  });

  it("rejects a certificate that is not an ACM ARN, a bad zone id and bad stable versions, with paths", () => {
    const api = example();
    const bad: Api = { ...api, domain: { name: "api.example.com", certificate: "https://v.vault.azure.net/secrets/x" } };
    const issues = provider
      .limits(bad, config({ "aws.hostedZoneId": "zone-1", "aws.stableVersions": '{"getBook":"$LATEST","health":"3"}' }))
      .map((i) => `${i.path}: ${i.message}`);
    assert.ok(issues.some((i) => i.startsWith('domain.certificate: "https://v.vault.azure.net/secrets/x" is not an ACM certificate ARN.')));
    assert.ok(issues.some((i) => i.startsWith('switchyard:aws.hostedZoneId: "zone-1" is not a Route 53 hosted zone id')));
    assert.ok(
      issues.some((i) => i.startsWith('switchyard:aws.stableVersions.getBook: "$LATEST" is not a published Lambda version number')),
    );
    assert.ok(issues.some((i) => i.startsWith('switchyard:aws.stableVersions.health: no function "health" with a canary')));
  });

  it("tracing on an HTTP API is a substitute (no gateway tracing), native on REST", async () => {
    const { awsProductionCapabilities } = await import("../../../providers/aws/production-capabilities");
    const api = example();
    assert.equal(awsProductionCapabilities(api, config({}), "http").tracing.support, "substitute");
    assert.match(awsProductionCapabilities(api, config({}), "http").tracing.note, /HTTP APIs cannot trace/);
    assert.equal(awsProductionCapabilities(api, config({}), "rest").tracing.support, "native");
  });

  it("warns about a canary's first deploy only while it has no stable version", () => {
    assert.equal(provider.warnings?.(example(), config({})).length, 1);
    assert.deepEqual(provider.warnings?.(example(), config({ "aws.stableVersions": '{"getBook":"4"}' })), []);
    const table = checkCapabilities(
      provider,
      example(),
      config({ "aws.stableVersions": '{"getBook":"4"}', allowUnsupported: '["rateLimit.quota","route.upstream.weighted"]' }),
    );
    assert.doesNotMatch(table.rows.find((r) => r.feature === "function.canary")?.note ?? "", /first deploy/);
  });
});
