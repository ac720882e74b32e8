import * as assert from "node:assert/strict";
import * as path from "node:path";
import type { PlanDocument, PlanResource } from "../../plan/run";
import type { CloudName } from "../../providers/types";
import { audit, findingText, renderAudit, runInvariant } from "../../security/audit";
import { auditContext } from "../../security/context";
import { type AuditContext, azureRegistrations, INVARIANTS, type Invariant, invariantsFor, label } from "../../security/invariants";
import type { In } from "../../security/plan-view";
import { plainSecretSetting, secretValueKinds } from "../../security/secrets";
import { WAIVERS } from "../../security/waivers";
import { planJson } from "../support/plan";

const ROOT = path.resolve(__dirname, "..", "..");
const STACKS: Record<string, CloudName> = { "aws-dev": "aws", "azure-dev": "azure", "gcp-dev": "gcp" };
/** The example needs REST on AWS; this model (shared with test/providers/aws) plans the HTTP API flavour. */
const AWS_HTTP = path.join(ROOT, "test", "providers", "aws", "fixtures", "http", "api.ts");
const RULES = ["X1", "X2", "X3/X4", "X5", "X6", "X7", "X9", "X10"];

/** One plan per stack per mocha process (test/support/plan.ts caches the child process). */
const plans: Record<string, Promise<PlanDocument>> = {};
const plan = (stack: string) => {
  plans[stack] ??= planJson(stack);
  return plans[stack];
};
const ctxOf = (stack: string): AuditContext => auditContext(ROOT, stack);

function inv(cloud: CloudName, id: string): Invariant {
  const found = INVARIANTS.find((i) => i.cloud === cloud && i.id === id);
  assert.ok(found, `invariant ${id} on ${cloud}`);
  return found;
}

/** A deep copy of a stack's plan, to break. */
async function copy(stack: string): Promise<PlanDocument> {
  return structuredClone(await plan(stack));
}

function res(p: PlanDocument, name: string): PlanResource & { inputs: In } {
  const r = p.resources.find((x) => x.name === name);
  assert.ok(r, `resource ${name} in the plan`);
  return r as PlanResource & { inputs: In };
}

function add(p: PlanDocument, type: string, name: string, inputs: In): void {
  p.resources.push({ type, name, parent: null, inputs, options: {} });
}

/** The findings of an invariant on a (broken) plan, as `<resource>: <message>` lines. */
function findings(i: Invariant, p: PlanDocument, ctx: AuditContext = {}): string[] {
  return i.check(p, ctx).map(findingText);
}

function assertFinds(i: Invariant, p: PlanDocument, re: RegExp, ctx: AuditContext = {}): void {
  const f = findings(i, p, ctx);
  assert.ok(
    f.some((x) => re.test(x)),
    `${label(i)} should find ${re} but found:\n${f.join("\n") || "(nothing)"}`,
  );
}

describe("security invariants (SECURITY.md) on each cloud's plan of the example api.ts", () => {
  it("every cloud has one invariant per rule", () => {
    for (const cloud of Object.values(STACKS)) {
      assert.deepEqual(
        invariantsFor(cloud)
          .map((i) => i.id)
          .sort(),
        [...RULES].sort(),
        cloud,
      );
    }
  });

  for (const [stack, cloud] of Object.entries(STACKS)) {
    describe(`stack ${stack}`, () => {
      for (const i of invariantsFor(cloud)) {
        it(`${label(i)} ${stack}: ${i.title}`, async () => {
          const r = runInvariant(i, await plan(stack), ctxOf(stack));
          assert.deepEqual(r.findings.map(findingText), [], `unwaived findings of ${label(i)} on ${stack}`);
        });
      }
    });
  }

  describe("stack aws-dev, HTTP API flavour (test/providers/aws/fixtures/http)", () => {
    let http: Promise<PlanDocument>;
    before(() => {
      http = planJson("aws-dev", AWS_HTTP);
    });
    it("plans an HTTP API (the REST checks above do not cover it)", async () => {
      const p = await http;
      assert.ok(p.resources.some((r) => r.type === "aws:apigatewayv2/api:Api"));
      assert.ok(p.resources.some((r) => r.type === "aws:apigatewayv2/authorizer:Authorizer"));
    });
    for (const i of invariantsFor("aws")) {
      it(`${label(i)} aws-dev (HTTP API): ${i.title}`, async () => {
        const r = runInvariant(i, await http, ctxOf("aws-dev"));
        assert.deepEqual(r.findings.map(findingText), [], `unwaived findings of ${label(i)}`);
      });
    }
    it("X7 and X9 fail on the HTTP API's own resources: CORS * with credentials, a JWT authorizer without issuer", async () => {
      const p = structuredClone(await http);
      res(p, "plain-api").inputs.corsConfiguration.allowOrigins = ["*"];
      res(p, "plain-users-authorizer").inputs.jwtConfiguration.issuer = "http://login.example.com/";
      delete res(p, "plain-stage").inputs.defaultRouteSettings;
      assertFinds(inv("aws", "X7"), p, /^plain-api: origin "\*" is a wildcard with credentials allowed/);
      assertFinds(inv("aws", "X9"), p, /^plain-users-authorizer: jwtConfiguration: issuer "http:\/\/login.example.com\/" is not pinned/);
      assertFinds(inv("aws", "X10"), p, /^plain-stage: defaultRouteSettings has no throttling/);
      const a = res(p, "plain-stage").inputs.accessLogSettings;
      a.format = a.format.replace("}", ',"email":"$context.authorizer.claims.email","auth":"$request.header.Authorization"}');
      assertFinds(inv("aws", "X5"), p, /^plain-stage: access log format records authorizer claims/);
      assertFinds(inv("aws", "X5"), p, /^plain-stage: access log format records the Authorization header/);
    });
  });

  it("every waiver is reviewed (reason, link) and still matches a real finding on its stack", async () => {
    for (const w of WAIVERS) {
      const cloud = STACKS[w.stack];
      assert.ok(cloud, `waiver ${w.id} names a known stack (${w.stack})`);
      assert.ok(w.reason.length > 40 && /#10|issues?/.test(w.link), `waiver ${w.id}/${w.stack} has a reason and an issue link`);
      const r = runInvariant(inv(cloud, w.id), await plan(w.stack), ctxOf(w.stack));
      assert.ok(
        r.waived.some((x) => x.waiver === w),
        `waiver ${w.id}/${w.stack} ${w.matches} no longer matches a finding: the gap is fixed, remove the waiver`,
      );
    }
  });

  it("a waiver covers only the findings it matches; other findings still fail the audit", async () => {
    const p = await copy("gcp-dev");
    const r = audit(p, ctxOf("gcp-dev"));
    assert.equal(r.ok, true);
    assert.equal(r.results.find((x) => x.id === "X10")?.status, "waived");
    // An API-key route losing its quota is not covered by the waiver.
    const config = res(p, "bookshop-config");
    const doc = JSON.parse(Buffer.from(config.inputs.openapiDocuments[0].document.contents, "base64").toString());
    delete doc.paths["/books"].get["x-google-quota"];
    config.inputs.openapiDocuments[0].document.contents = Buffer.from(JSON.stringify(doc)).toString("base64");
    const broken = audit(p, ctxOf("gcp-dev"));
    assert.equal(broken.ok, false);
    assert.deepEqual(broken.results.find((x) => x.id === "X10")?.findings.map(findingText), ["bookshop-config: GET /books has no quota"]);
  });
});

describe("security invariants fail on bad plans", () => {
  describe("AWS", () => {
    it("X6/AWS-12: a Lambda function URL", async () => {
      const p = await copy("aws-dev");
      add(p, "aws:lambda/functionUrl:FunctionUrl", "bookshop-health-url", {
        functionName: "bookshop-aws-dev-health",
        authorizationType: "NONE",
      });
      assertFinds(inv("aws", "X6"), p, /^bookshop-health-url: a Lambda function URL/);
    });

    it("X6/AWS-11: a permission for any principal, or not scoped to this API", async () => {
      const p = await copy("aws-dev");
      res(p, "bookshop-health-permission").inputs.principal = "*";
      delete res(p, "bookshop-getBook-permission").inputs.sourceArn;
      res(p, "bookshop-listBooks-permission").inputs.sourceArn = "arn:aws:execute-api:eu-west-1:123456789012:otherapi/*/*";
      const i = inv("aws", "X6");
      assertFinds(i, p, /^bookshop-health-permission: principal "\*"/);
      assertFinds(i, p, /^bookshop-getBook-permission: sourceArn null is not scoped/);
      assertFinds(i, p, /^bookshop-listBooks-permission: sourceArn names API otherapi/);
    });

    it("X2/AWS-17: a * action, a service:* action, a * resource, an admin policy, a shared role, a wildcard trust", async () => {
      const p = await copy("aws-dev");
      const policy = (Statement: In[]) => JSON.stringify({ Version: "2012-10-17", Statement });
      res(p, "bookshop-health-policy").inputs.policy = policy([{ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b" }]);
      res(p, "bookshop-getBook-policy").inputs.policy = policy([{ Effect: "Allow", Action: ["s3:*"], Resource: "arn:aws:s3:::b" }]);
      res(p, "bookshop-listBooks-policy").inputs.policy = policy([{ Effect: "Allow", Action: ["ssm:GetParameters"], Resource: "*" }]);
      add(p, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "bookshop-admin", {
        role: "r",
        policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
      });
      res(p, "bookshop-getBook").inputs.role = res(p, "bookshop-health").inputs.role;
      res(p, "bookshop-health-role").inputs.assumeRolePolicy = policy([{ Effect: "Allow", Action: "sts:AssumeRole", Principal: "*" }]);
      const i = inv("aws", "X2");
      assertFinds(i, p, /^bookshop-health-policy: .*Action "\*"/);
      assertFinds(i, p, /^bookshop-getBook-policy: .*"s3:\*" grants a whole service/);
      assertFinds(i, p, /^bookshop-listBooks-policy: .*Resource "\*" for ssm:GetParameters/);
      assertFinds(i, p, /^bookshop-admin: attaches .*AdministratorAccess/);
      assertFinds(i, p, /role .*-health-fn is shared by/);
      assertFinds(i, p, /^bookshop-health-role: trusts "\*"/);
    });

    it("X1: a secret config value read as plain config (unmasked in the plan)", async () => {
      const p = await copy("aws-dev");
      res(p, "bookshop-health").inputs.description = "switchyard-offline-secret-value:switchyard:PAYMENT_KEY";
      assertFinds(inv("aws", "X1"), p, /^bookshop-health: inputs\.description holds a secret config value unmasked/);
    });

    it("X2/AWS-17: allows Resource * only for the allow-listed X-Ray actions", async () => {
      const p = await copy("aws-dev");
      res(p, "bookshop-health-policy").inputs.policy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" }],
      });
      assert.deepEqual(findings(inv("aws", "X2"), p), [
        'bookshop-health-policy: policy statement 0: Resource "*" for xray:PutTelemetryRecords',
      ]);
    });

    it("X1/AWS-15: a plain-text secret in a Lambda environment, a secret env, an AKIA key, an embedded secret, the stack ciphertext", async () => {
      const p = await copy("aws-dev");
      const vars = res(p, "bookshop-createOrder").inputs.environment.variables;
      vars.PAYMENT_API_KEY = "sk_live_0123456789abcdef";
      vars.UPSTREAM = "https://admin:hunter22@legacy.example.com";
      res(p, "bookshop-health").inputs.environment = "[secret]";
      res(p, "bookshop-getBook").inputs.description = "key AKIAIOSFODNN7EXAMPLE";
      res(p, "bookshop-listBooks").inputs.description = "token=[secret]";
      res(p, "bookshop-api").inputs.description = "v1:placeholder-set-with-pulumi-config-set-secret";
      const i = inv("aws", "X1");
      const ctx = ctxOf("aws-dev");
      assertFinds(i, p, /^bookshop-createOrder: environment: "PAYMENT_API_KEY" looks like a secret/, ctx);
      assertFinds(i, p, /^bookshop-createOrder: .*UPSTREAM holds a URL with credentials/, ctx);
      assertFinds(i, p, /^bookshop-health: environment is a Pulumi secret stored as plain-text/, ctx);
      assertFinds(i, p, /^bookshop-getBook: inputs.description holds a AWS access key id/, ctx);
      assertFinds(i, p, /^bookshop-listBooks: inputs.description embeds a secret config value/, ctx);
      assertFinds(i, p, /^bookshop-api: inputs.description contains the stack's encrypted config value/, ctx);
    });

    it("X1: secret material (secret versions, API key values, secret outputs) not held as Pulumi secrets", async () => {
      const p = await copy("aws-dev");
      res(p, "bookshop-createOrder-secret-PAYMENT_KEY-version").inputs.secretString = "plain-payment-key";
      res(p, "bookshop-partners-acme-key").inputs.value = "0123456789abcdefghij";
      p.outputs.apiKeys = { acme: "0123456789abcdefghij" };
      const i = inv("aws", "X1");
      assertFinds(i, p, /^bookshop-createOrder-secret-PAYMENT_KEY-version: inputs.secretString is not a Pulumi secret/);
      assertFinds(i, p, /^bookshop-partners-acme-key: inputs.value is not a Pulumi secret/);
      assertFinds(i, p, /^plan: output apiKeys is not a Pulumi secret/);
    });

    it("X5/AWS-3/16: access logging off, a log group without retention, an unmanaged function log group, payload logging", async () => {
      const p = await copy("aws-dev");
      delete res(p, "bookshop-stage").inputs.accessLogSettings;
      delete res(p, "bookshop-health-logs").inputs.retentionInDays;
      res(p, "bookshop-getBook").inputs.loggingConfig.logGroup = "/aws/lambda/elsewhere";
      res(p, "bookshop-settings-all").inputs.settings.dataTraceEnabled = true;
      const i = inv("aws", "X5");
      assertFinds(i, p, /^bookshop-stage: access logging is off/);
      assertFinds(i, p, /^bookshop-health-logs: .* never expires/);
      assertFinds(i, p, /^bookshop-getBook: function logs go to \/aws\/lambda\/elsewhere/);
      assertFinds(i, p, /^bookshop-settings-all: dataTraceEnabled/);
      assertFinds(inv("aws", "X5"), await copy("aws-dev"), /keeps 14 days, below the 365-day floor/, { retentionFloorDays: 365 });
    });

    it("X5/AWS-3: an access log format that records the Authorization header or claims", async () => {
      const p = await copy("aws-dev");
      const a = res(p, "bookshop-stage").inputs.accessLogSettings;
      a.format = a.format.replace("}", ',"auth":"$context.authorizer.claims.email"}');
      assertFinds(inv("aws", "X5"), p, /^bookshop-stage: access log format records/);
    });

    it("X9/AWS-2: an HTTP API JWT authorizer without audience; the REST substitute without issuer", async () => {
      const p = await copy("aws-dev");
      add(p, "aws:apigatewayv2/authorizer:Authorizer", "bookshop-v2-jwt", {
        authorizerType: "JWT",
        name: "users",
        jwtConfiguration: { issuer: "https://login.example.com/", audiences: [] },
      });
      const env = res(p, "bookshop-jwt-users").inputs.environment.variables;
      env.SWITCHYARD_JWT = JSON.stringify({ ...JSON.parse(env.SWITCHYARD_JWT), issuer: "" });
      const i = inv("aws", "X9");
      assertFinds(i, p, /^bookshop-v2-jwt: jwtConfiguration: no audience is pinned/);
      assertFinds(i, p, /^bookshop-users-authorizer: function .* SWITCHYARD_JWT: issuer "" is not pinned/);
    });

    it("X9/AWS-2: a JWT scheme without an authorizer", async () => {
      const p = await copy("aws-dev");
      p.resources = p.resources.filter((r) => r.type !== "aws:apigateway/authorizer:Authorizer");
      assertFinds(inv("aws", "X9"), p, /^api.auth: JWT scheme "users" has no JWT authorizer/);
    });

    it("X7: CORS * on a REST response, * with credentials on an HTTP API, in the adapter config", async () => {
      const p = await copy("aws-dev");
      res(p, "bookshop-cors-default-4xx").inputs.responseParameters["gatewayresponse.header.Access-Control-Allow-Origin"] = "'*'";
      add(p, "aws:apigatewayv2/api:Api", "bookshop-http", { corsConfiguration: { allowOrigins: ["*"], allowCredentials: true } });
      const env = res(p, "bookshop-health").inputs.environment.variables;
      env.SWITCHYARD_CORS = JSON.stringify({ ...JSON.parse(env.SWITCHYARD_CORS), allowOrigins: ["http://shop.example.com"] });
      const i = inv("aws", "X7");
      assertFinds(i, p, /^bookshop-cors-default-4xx: origin "\*" is a wildcard$/);
      assertFinds(i, p, /^bookshop-http: origin "\*" is a wildcard with credentials allowed/);
      assertFinds(i, p, /^bookshop-health: SWITCHYARD_CORS: origin "http:\/\/shop.example.com" is not an explicit https origin/);
    });

    it("X3/X4: an http upstream; an HTTP API domain with TLS 1.0", async () => {
      const p = await copy("aws-dev");
      res(p, "bookshop-any-legacy-path-upstream").inputs.uri = "http://legacy.example.com/legacy/{path}";
      add(p, "aws:apigatewayv2/domainName:DomainName", "bookshop-domain", { domainNameConfiguration: { securityPolicy: "TLS_1_0" } });
      const i = inv("aws", "X3/X4");
      assertFinds(i, p, /^bookshop-any-legacy-path-upstream: upstream "http:/);
      assertFinds(i, p, /^bookshop-domain: security policy "TLS_1_0"/);
    });

    it("X10/AWS-5: no stage-wide throttling", async () => {
      const p = await copy("aws-dev");
      delete res(p, "bookshop-settings-all").inputs.settings.throttlingRateLimit;
      add(p, "aws:apigatewayv2/stage:Stage", "bookshop-http-stage", { defaultRouteSettings: { throttlingBurstLimit: 10 } });
      const i = inv("aws", "X10");
      assertFinds(i, p, /^bookshop-stage: no "\*\/\*" method settings with a throttling rate and burst/);
      assertFinds(i, p, /^bookshop-http-stage: defaultRouteSettings has no throttling/);
    });
  });

  describe("Azure", () => {
    it("X6/AZ-4: an anonymous function in the bundle, a function without registration, an unreadable bundle", async () => {
      const p = await plan("azure-dev");
      const ctx = ctxOf("azure-dev");
      const source = ctx.readBuildFile?.(".build/azure/bookshop/index.js");
      assert.ok(source, "the plan built the Azure bundle");
      const regs = azureRegistrations(source);
      assert.deepEqual(regs.map((r) => r.name).sort(), ["createOrder", "getBook", "health", "listBooks"]);
      const anonymous = source.replace(/(\.http\(\s*"health"[^)]*?authLevel\s*:\s*)"function"/, '$1"anonymous"');
      assert.notEqual(anonymous, source);
      const i = inv("azure", "X6");
      assertFinds(i, p, /function health is registered with authLevel anonymous/, { readBuildFile: () => anonymous });
      const dropped = source.replace(/\.http\(\s*"getBook"/, '.nothttp("getBook"');
      assertFinds(i, p, /function getBook has no registration in the bundle/, { readBuildFile: () => dropped });
      assertFinds(i, p, /cannot read the built bundle/, {});
    });

    it("X6/AZ-4: a backend to the function app without the function key", async () => {
      const p = await copy("azure-dev");
      const backend = res(p, "bookshop-functions-backend").inputs;
      delete backend.credentials;
      assertFinds(inv("azure", "X6"), p, /^bookshop-functions-backend: calls the function app without a credential/, ctxOf("azure-dev"));
      // Also when the backend names the app only by its resource id.
      backend.url = "https://api.internal.example.com";
      assertFinds(inv("azure", "X6"), p, /^bookshop-functions-backend: calls the function app without a credential/, ctxOf("azure-dev"));
    });

    it("X3/X4: storage TLS 1.0 and HTTP, function app without httpsOnly, an http API protocol, an http backend", async () => {
      const p = await copy("azure-dev");
      Object.assign(res(p, "bookshop-storage").inputs, { minimumTlsVersion: "TLS1_0", enableHttpsTrafficOnly: false });
      res(p, "bookshop-app").inputs.httpsOnly = false;
      res(p, "bookshop-api").inputs.protocols = ["http", "https"];
      res(p, "bookshop-upstream-search-1").inputs.url = "http://search-a.example.com";
      const i = inv("azure", "X3/X4");
      assertFinds(i, p, /^bookshop-storage: minimumTlsVersion "TLS1_0"/);
      assertFinds(i, p, /^bookshop-storage: accepts plain HTTP/);
      assertFinds(i, p, /^bookshop-app: httpsOnly is not true/);
      assertFinds(i, p, /^bookshop-api: protocols \["http","https"\]/);
      assertFinds(i, p, /^bookshop-upstream-search-1: backend url "http:/);
    });

    it("X2/AZ-23: Owner, an unknown role, a resource-group scope", async () => {
      const p = await copy("azure-dev");
      const ra = res(p, "bookshop-storage-role").inputs;
      ra.roleDefinitionId = ra.roleDefinitionId.replace(/[^/]+$/, "8e3af657-a8ff-443c-a75c-2fe8c4bcb635");
      const tel = res(p, "bookshop-telemetry-role").inputs;
      tel.roleDefinitionId = tel.roleDefinitionId.replace(/[^/]+$/, "acdd72a7-3385-48ef-bd42-f606fba81ae7");
      res(p, "bookshop-vault-role").inputs.scope =
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/bookshop-azure-dev-rg";
      const i = inv("azure", "X2");
      assertFinds(i, p, /^bookshop-storage-role: assigns Owner/);
      assertFinds(i, p, /^bookshop-telemetry-role: assigns role acdd72a7.* not on the reviewed list/);
      assertFinds(i, p, /^bookshop-vault-role: scope .* is not a single resource/);
    });

    it("X1/AZ-5: a literal secret app setting, an account key, a secret named value not marked secret", async () => {
      const p = await copy("azure-dev");
      const props = res(p, "bookshop-settings").inputs.properties;
      props.PAYMENT_KEY = "sk_live_0123456789abcdef";
      props.AzureWebJobsStorage = "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=c2VjcmV0LWtleS12YWx1ZQ==";
      res(p, "bookshop-function-key").inputs.secret = false;
      const i = inv("azure", "X1");
      assertFinds(i, p, /^bookshop-settings: .*AzureWebJobsStorage holds a Azure account key/);
      assertFinds(i, p, /^bookshop-settings: AzureWebJobsStorage connection string instead of an identity/);
      assertFinds(i, p, /^bookshop-function-key: a secret named value is not marked secret/);
      res(p, "bookshop-secret-payment-key").inputs.properties.value = "plain";
      res(p, "bookshop-deploy").inputs.properties.parameters.packageUri.value = "https://x.blob.core.windows.net/p/a.zip";
      res(p, "bookshop-insights-connection").inputs.value = "InstrumentationKey=0";
      assertFinds(i, p, /^bookshop-secret-payment-key: inputs.properties.value is not a Pulumi secret/);
      assertFinds(i, p, /^bookshop-deploy: ARM parameter packageUri is a securestring but not a Pulumi secret/);
      assertFinds(i, p, /^bookshop-insights-connection: inputs.value of a secret named value is not a Pulumi secret/);
      // PAYMENT_KEY does not match the secret-name pattern (…KEY alone is too broad), but a SAS or
      // JWT value is caught by the value detectors:
      props.PAYMENT_KEY = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
      assertFinds(i, p, /^bookshop-settings: .*PAYMENT_KEY holds a JWT/);
    });

    it("X5/AZ-9/22: a diagnostic logging bodies, Authorization or the API key unmasked; a workspace below the floor", async () => {
      const p = await copy("azure-dev");
      const d = res(p, "bookshop-apim-diagnostic").inputs;
      d.frontend.request.body.bytes = 8192;
      d.frontend.request.dataMasking.headers = [];
      d.backend.request.dataMasking.queryParams = [];
      const i = inv("azure", "X5");
      assertFinds(i, p, /^bookshop-apim-diagnostic: backend.request.dataMasking does not mask the API key query parameter "x-api-key"/);
      assertFinds(i, p, /^bookshop-apim-diagnostic: frontend.request.dataMasking does not mask the API key header "x-api-key"/);
      assertFinds(i, p, /^bookshop-apim-diagnostic: frontend.request logs 8192 body bytes/);
      assertFinds(i, p, /^bookshop-apim-diagnostic: frontend.request.dataMasking does not mask Authorization/);
      assertFinds(i, p, /^bookshop-logs: keeps 30 days, below the 365-day floor/, { retentionFloorDays: 365 });
      p.resources = p.resources.filter((r) => r.type !== "azure-native:apimanagement:Diagnostic");
      assertFinds(i, p, /^plan: no API Management diagnostic/);
    });

    it("X9: validate-jwt without audiences or issuers; a JWT route without validate-jwt", async () => {
      const p = await copy("azure-dev");
      const pol = res(p, "bookshop-policy-post-orders").inputs;
      pol.value = pol.value.replace(/<audiences>[\s\S]*?<\/audiences>/, "").replace(/<issuers>[\s\S]*?<\/issuers>/, "");
      const i = inv("azure", "X9");
      assertFinds(i, p, /^bookshop-policy-post-orders: validate-jwt pins no <audiences>/);
      assertFinds(i, p, /^bookshop-policy-post-orders: validate-jwt pins no https <issuers>/);
      pol.value = pol.value.replace(/<validate-jwt[\s\S]*?<\/validate-jwt>/, "");
      assertFinds(i, p, /^bookshop-op-post-orders: JWT route POST \/orders is not behind validate-jwt/);
    });

    it("X7: APIM CORS * with credentials", async () => {
      const p = await copy("azure-dev");
      const pol = res(p, "bookshop-api-policy").inputs;
      pol.value = pol.value
        .replace('allow-credentials="false"', 'allow-credentials="true"')
        .replace("<origin>https://shop.example.com</origin>", "<origin>*</origin>");
      assertFinds(inv("azure", "X7"), p, /^bookshop-api-policy: origin "\*" is a wildcard with credentials allowed/);
    });

    it("X10: an operation without a rate limit", async () => {
      const p = await copy("azure-dev");
      const pol = res(p, "bookshop-policy-get-health").inputs;
      pol.value = pol.value.replace(/<rate-limit-by-key[^>]*\/>/, "");
      assertFinds(inv("azure", "X10"), p, /^bookshop-op-get-health: GET \/health has no rate limit/);
    });
  });

  describe("GCP", () => {
    const editDoc = (p: PlanDocument, edit: (doc: In) => void) => {
      const config = res(p, "bookshop-config");
      const d = config.inputs.openapiDocuments[0].document;
      const doc = JSON.parse(Buffer.from(d.contents, "base64").toString());
      edit(doc);
      d.contents = Buffer.from(JSON.stringify(doc)).toString("base64");
    };

    it("X6/GCP-1/2: an allUsers invoker, an invoker for another SA, no gateway SA, a function called without the ID token", async () => {
      const p = await copy("gcp-dev");
      res(p, "bookshop-fn-health-invoker").inputs.member = "allUsers";
      res(p, "bookshop-fn-get-book-invoker").inputs.member = "serviceAccount:other@my-switchyard-project.iam.gserviceaccount.com";
      add(p, "gcp:cloudfunctionsv2/functionIamBinding:FunctionIamBinding", "bookshop-public", {
        role: "roles/cloudfunctions.invoker",
        members: ["allAuthenticatedUsers"],
      });
      editDoc(p, (doc) => {
        doc.paths["/books"].get["x-google-backend"].disable_auth = true;
      });
      const i = inv("gcp", "X6");
      assertFinds(i, p, /^bookshop-fn-health-invoker: inputs.member grants to allUsers/);
      add(p, "gcp:projects/iAMMember:IAMMember", "bookshop-project-invoker", {
        role: "roles/run.invoker",
        member: "serviceAccount:bookshop-gcp-dev-gateway@my-switchyard-project.iam.gserviceaccount.com",
      });
      assertFinds(i, p, /^bookshop-project-invoker: roles\/run.invoker on the whole project/);
      assertFinds(i, p, /^bookshop-public: inputs.members\[0\] grants to allAuthenticatedUsers/);
      assertFinds(i, p, /^bookshop-fn-get-book-invoker: roles\/run.invoker granted to serviceAccount:other@/);
      assertFinds(i, p, /^bookshop-config: GET \/books: calls a function without the gateway's ID token/);
      delete res(p, "bookshop-config").inputs.gatewayConfig;
      assertFinds(i, p, /^bookshop-config: no gateway service account/);
    });

    it("X3/X4/GCP-7: an http scheme and an http backend", async () => {
      const p = await copy("gcp-dev");
      editDoc(p, (doc) => {
        doc.schemes = ["http", "https"];
        doc.paths["/health"].get["x-google-backend"].address = "http://health.example.com";
      });
      const i = inv("gcp", "X3/X4");
      assertFinds(i, p, /^bookshop-config: schemes \["http","https"\]/);
      assertFinds(i, p, /^bookshop-config: GET \/health: backend http:\/\/health.example.com is not https/);
    });

    it("X2/GCP-8/9/10/11: roles/editor, an admin role, project-wide serviceAccountUser, the default SA, an SA key", async () => {
      const p = await copy("gcp-dev");
      res(p, "bookshop-build-logging").inputs.role = "roles/editor";
      res(p, "bookshop-build-artifactregistry").inputs.role = "roles/artifactregistry.admin";
      add(p, "gcp:projects/iAMMember:IAMMember", "bookshop-actas", {
        role: "roles/iam.serviceAccountUser",
        member: "serviceAccount:x@p.iam.gserviceaccount.com",
      });
      res(p, "bookshop-fn-health").inputs.serviceConfig.serviceAccountEmail = "123-compute@developer.gserviceaccount.com";
      add(p, "gcp:serviceaccount/key:Key", "bookshop-sa-key", { serviceAccountId: "x" });
      const i = inv("gcp", "X2");
      assertFinds(i, p, /^bookshop-build-logging: grants the basic role roles\/editor/);
      assertFinds(i, p, /^bookshop-build-artifactregistry: grants the admin role/);
      assertFinds(i, p, /^bookshop-actas: grants roles\/iam.serviceAccountUser project-wide/);
      assertFinds(i, p, /^bookshop-fn-health: runs as the default service account/);
      assertFinds(i, p, /^bookshop-sa-key: a user-managed service account key/);
    });

    it("X1/GCP-15: a PEM key in env, a literal password, an unpinned secret version", async () => {
      const p = await copy("gcp-dev");
      const sc = res(p, "bookshop-fn-create-order").inputs.serviceConfig;
      sc.environmentVariables.SIGNING = "-----BEGIN RSA PRIVATE KEY-----\nMIIB...";
      sc.environmentVariables.DB_PASSWORD = "correct-horse-battery";
      sc.secretEnvironmentVariables[0].version = "latest";
      res(p, "bookshop-fn-create-order-payment-key-version").inputs.secretData = "plain";
      const i = inv("gcp", "X1");
      assertFinds(i, p, /^bookshop-fn-create-order: .*SIGNING holds a PEM private key/);
      assertFinds(i, p, /^bookshop-fn-create-order: serviceConfig.environmentVariables: "DB_PASSWORD" looks like a secret/);
      assertFinds(i, p, /^bookshop-fn-create-order: secret PAYMENT_KEY is not pinned to a version \(latest\)/);
      assertFinds(i, p, /^bookshop-fn-create-order-payment-key-version: inputs.secretData is not a Pulumi secret/);
    });

    it("X5: logging not enabled; retention below the floor", async () => {
      const p = await copy("gcp-dev");
      p.resources = p.resources.filter((r) => r.inputs.service !== "logging.googleapis.com");
      const i = inv("gcp", "X5");
      assertFinds(i, p, /^plan: the Cloud Logging API/);
      assertFinds(i, await copy("gcp-dev"), /^plan: logs are kept 30 days, below the 365-day floor/, { retentionFloorDays: 365 });
    });

    it("X9/GCP-5: a JWT security definition without audiences or JWKS", async () => {
      const p = await copy("gcp-dev");
      editDoc(p, (doc) => {
        delete doc.securityDefinitions.users["x-google-audiences"];
        delete doc.securityDefinitions.users["x-google-jwks_uri"];
      });
      const i = inv("gcp", "X9");
      assertFinds(i, p, /^bookshop-config: securityDefinitions.users: no audience is pinned/);
      assertFinds(i, p, /^bookshop-config: securityDefinitions.users: no https x-google-jwks_uri/);
    });

    it("X7: model CORS * with credentials", async () => {
      const p = await copy("gcp-dev");
      Object.assign(p.api?.cors ?? {}, { allowOrigins: ["*"], allowCredentials: true });
      assertFinds(inv("gcp", "X7"), p, /^api.cors: origin "\*" is a wildcard with credentials allowed/);
    });
  });

  describe("detectors", () => {
    it("flag secret-looking values and keys, and accept references", () => {
      assert.deepEqual(secretValueKinds("https://u:p4ss@db.example.com/x"), ["URL with credentials"]);
      assert.deepEqual(secretValueKinds("https://a.blob.core.windows.net/c/b?sv=2024&sig=abcdefghijklmnop1234%3D"), ["SAS signature"]);
      assert.deepEqual(secretValueKinds("https://login.example.com/.well-known/jwks.json"), []);
      assert.match(plainSecretSetting("DB_PASSWORD", "hunter2hunter2", "[secret]") ?? "", /looks like a secret/);
      assert.equal(
        plainSecretSetting("DB_PASSWORD", "@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/x)", "[secret]"),
        undefined,
      );
      assert.equal(plainSecretSetting("API_KEY_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x", "[secret]"), undefined);
      assert.equal(
        plainSecretSetting(
          "APPLICATIONINSIGHTS_CONNECTION_STRING",
          "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://x/",
          "[secret]",
        ),
        undefined,
      );
      assert.match(
        plainSecretSetting("APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=0;SharedAccessKey=abc12345678", "[secret]") ?? "",
        /Azure account key/,
      );
    });

    it("read the Azure registrations from minified and formatted bundles", () => {
      assert.deepEqual(azureRegistrations('e.app.http("a",{route:"x/{id}",methods:["GET"],authLevel:"function",handler:t});'), [
        { name: "a", authLevel: "function" },
      ]);
      assert.deepEqual(azureRegistrations("app.http('b', { route: 'y', handler: h })"), [{ name: "b", authLevel: undefined }]);
    });
  });
});

describe("audit report (what npm run audit prints)", () => {
  it("lists each invariant as PASS / FAIL / WAIVED with findings, and fails on an unwaived finding", async () => {
    const ok = audit(await plan("gcp-dev"), ctxOf("gcp-dev"));
    const text = renderAudit(ok);
    assert.match(text, /^PASS {3}X6\/GCP-1,GCP-2,GCP-3: /m);
    assert.match(text, /^WAIVED X10\/.*\n(.*\n)*? {7}~ waived: bookshop-config: GET \/health has no quota/m);
    assert.match(text, /all invariants hold \(1 with reviewed waivers, listed above\)\./);
    const p = await copy("aws-dev");
    add(p, "aws:lambda/functionUrl:FunctionUrl", "bookshop-url", {});
    const bad = audit(p, ctxOf("aws-dev"));
    assert.equal(bad.ok, false);
    assert.match(renderAudit(bad), /^FAIL {3}X6\/AWS-11,AWS-12: .*\n {7}- bookshop-url: a Lambda function URL/m);
  });
});
