import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PlanDocument, PlanResource } from "../../../plan/run";
import { awsMockState } from "../../../providers/aws/mocks";
import { FEATURES } from "../../../providers/types";
import { planJson, runPlanCli } from "../../support/plan";

const FIXTURES = path.join(__dirname, "fixtures");
const AWS_SDK = path.resolve(__dirname, "..", "..", "..", "node_modules", "@pulumi", "aws");

const ofType = (plan: PlanDocument, type: string) => plan.resources.filter((r) => r.type === `aws:${type}`);
const one = (plan: PlanDocument, name: string): PlanResource => {
  const r = plan.resources.find((x) => x.name === name);
  assert.ok(r, `no resource ${name}`);
  return r;
};
// biome-ignore lint/suspicious/noExplicitAny: plan inputs are read by path, whatever their resource type
const inp = (r: PlanResource) => r.inputs as Record<string, any>;

/** Does the resource type's Args interface in @pulumi/aws declare `tags`? */
function taggable(type: string): boolean {
  const m = /^aws:([^/]+)\/([^:]+):(.+)$/.exec(type);
  if (!m) return false;
  const file = path.join(AWS_SDK, m[1] as string, `${m[2]}.d.ts`);
  const src = fs.readFileSync(file, "utf8");
  const start = src.indexOf(`export interface ${m[3]}Args {`);
  assert.ok(start >= 0, `no ${m[3]}Args in ${file}`);
  return /\n {4}tags\?:/.test(src.slice(start, src.indexOf("\n}", start)));
}

/** Every Allow statement of every IAM policy document in the plan. */
function statements(plan: PlanDocument): { from: string; Action: string | string[]; Resource: string | string[] }[] {
  return ofType(plan, "iam/rolePolicy:RolePolicy").flatMap((r) =>
    (JSON.parse(inp(r).policy).Statement as { Action: string | string[]; Resource: string | string[] }[]).map((s) => ({
      ...s,
      from: r.name,
    })),
  );
}

describe("providers/aws: the example API planned on aws-dev (REST flavour)", function () {
  this.timeout(120000);
  let plan: PlanDocument;
  before(async () => {
    plan = await planJson("aws-dev");
  });

  it("answers every capability row and names the flavour and the JWT substitute", () => {
    assert.deepEqual(plan.capabilities.map((c) => c.feature).sort(), Object.keys(FEATURES).sort());
    const row = (f: string) => plan.capabilities.find((c) => c.feature === f);
    assert.match(row("route.function")?.note ?? "", /^REST API flavour/);
    assert.equal(row("auth.jwt")?.support, "substitute");
    assert.equal(row("route.upstream.weighted")?.support, "unsupported");
    assert.equal(
      plan.warnings.length,
      3,
      "rateLimit.quota and route.upstream.weighted are accepted on aws-dev; getBook's canary is on its first deploy",
    );
  });

  it("declares one switchyard:aws:Api named after the api, parenting every resource", () => {
    const comp = plan.resources.filter((r) => r.type === "switchyard:aws:Api");
    assert.deepEqual(
      comp.map((c) => c.name),
      ["bookshop"],
    );
    for (const r of plan.resources) if (r !== comp[0]) assert.equal(r.parent, "bookshop", r.name);
    for (const r of plan.resources) assert.ok(r.name.startsWith("bookshop"), r.name);
  });

  it("one Lambda per model function (plus the JWT authorizer): nodejs22.x, arm64, index.handler, the bundle folder", () => {
    const fns = ofType(plan, "lambda/function:Function");
    assert.deepEqual(fns.map((f) => f.name).sort(), [
      "bookshop-createOrder",
      "bookshop-getBook",
      "bookshop-health",
      "bookshop-jwt-users",
      "bookshop-listBooks",
    ]);
    for (const f of fns) {
      assert.equal(inp(f).runtime, "nodejs22.x");
      assert.deepEqual(inp(f).architectures, ["arm64"]);
      assert.equal(inp(f).handler, "index.handler");
      assert.match(inp(f).code.archive, /^\.build\/aws\/[A-Za-z-]+$/);
      assert.match(inp(f).code.sha256, /^[0-9a-f]{64}$/);
    }
    const order = inp(one(plan, "bookshop-createOrder"));
    assert.equal(order.timeout, 20);
    assert.equal(order.memorySize, 256);
    assert.equal(order.reservedConcurrentExecutions, 20);
    assert.equal(inp(one(plan, "bookshop-listBooks")).memorySize, 512);
    assert.equal(inp(one(plan, "bookshop-listBooks")).reservedConcurrentExecutions, undefined, "no reserved concurrency unless asked");
    assert.equal(ofType(plan, "lambda/functionUrl:FunctionUrl").length, 0, "no function URL (SECURITY.md AWS-12)");
  });

  it("each function has its own log group /aws/lambda/<name> with the retention, wired into loggingConfig", () => {
    for (const f of ofType(plan, "lambda/function:Function")) {
      const lg = ofType(plan, "cloudwatch/logGroup:LogGroup").find((g) => inp(g).name === `/aws/lambda/${inp(f).name}`);
      assert.ok(lg, `log group of ${f.name}`);
      assert.equal(inp(lg).retentionInDays, 14);
      assert.equal(inp(f).loggingConfig.logGroup, inp(lg).name);
    }
    for (const g of ofType(plan, "cloudwatch/logGroup:LogGroup")) assert.equal(inp(g).retentionInDays, 14, g.name);
  });

  it("IAM: one role per function, trusted by Lambda only; literal policies without * actions or * resources (but X-Ray's)", () => {
    const fns = ofType(plan, "lambda/function:Function");
    assert.equal(new Set(fns.map((f) => inp(f).role)).size, fns.length, "no shared role");
    for (const r of ofType(plan, "iam/role:Role")) {
      const trust = JSON.parse(inp(r).assumeRolePolicy).Statement;
      assert.equal(trust.length, 1);
      assert.ok(["lambda.amazonaws.com", "apigateway.amazonaws.com"].includes(trust[0].Principal.Service), r.name);
    }
    const all = statements(plan);
    assert.ok(all.length >= 6);
    for (const s of all) {
      for (const a of [s.Action].flat()) assert.ok(a !== "*" && !a.endsWith(":*"), `${s.from}: ${a}`);
      // X-Ray's write actions have no resource type: "*" is the only resource they take (SECURITY.md AWS-17 allow-list).
      const xray = [s.Action].flat().every((a: string) => a === "xray:PutTraceSegments");
      for (const res of [s.Resource].flat()) if (!xray) assert.notEqual(res, "*", s.from);
    }
    const order = all.filter((s) => s.from === "bookshop-createOrder-policy");
    assert.deepEqual(
      order.map((s) => s.Action),
      [["logs:CreateLogStream", "logs:PutLogEvents"], ["xray:PutTraceSegments"], ["secretsmanager:GetSecretValue"]],
    );
    assert.match(
      String(order[0]?.Resource),
      /^arn:aws:logs:eu-west-1:123456789012:log-group:\/aws\/lambda\/bookshop-aws-dev-createOrder:\*$/,
    );
    assert.equal(order[1]?.Resource, "*");
    assert.deepEqual(order[2]?.Resource, [
      inp(ofType(plan, "lambda/function:Function").find((f) => f.name === "bookshop-createOrder") as PlanResource).environment.variables
        .SECRET_ARN_PAYMENT_KEY,
    ]);
    assert.ok(
      !all.some((s) => s.from !== "bookshop-createOrder-policy" && JSON.stringify(s).includes("secretsmanager")),
      "only createOrder reads secrets",
    );
  });

  it("REST CORS: each function gets the model's CORS with its header values already formatted (SWITCHYARD_CORS)", () => {
    const env = inp(one(plan, "bookshop-getBook")).environment.variables;
    assert.deepEqual(JSON.parse(env.SWITCHYARD_CORS), {
      allowOrigins: ["https://shop.example.com"],
      headers: {},
      preflight: {
        "access-control-allow-methods": "GET,POST,OPTIONS",
        "access-control-allow-headers": "content-type,authorization,x-api-key",
        "access-control-max-age": "600",
      },
    });
  });

  it("secrets: stored in Secrets Manager, the function gets the ARN only, nothing secret in plain text", async () => {
    const version = ofType(plan, "secretsmanager/secretVersion:SecretVersion");
    assert.equal(version.length, 1);
    assert.equal(inp(version[0] as PlanResource).secretString, "[secret]");
    const env = inp(one(plan, "bookshop-createOrder")).environment.variables;
    assert.equal(env.PAYMENT_KEY, undefined);
    assert.match(
      env.SECRET_ARN_PAYMENT_KEY,
      /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:switchyard\/bookshop\/aws-dev\/createOrder\/PAYMENT_KEY-/,
    );
    assert.equal(plan.outputs.apiKeys, "[secret]");
    // The value is read through the Parameters and Secrets Extension: its layer (the region's ARN from
    // AWS's public parameter, arm64 like the function) only on the function with secrets.
    assert.match(
      String(inp(one(plan, "bookshop-createOrder")).layers),
      /^arn:aws:lambda:eu-west-1:\d{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:\d+$/,
    );
    assert.deepEqual(inp(one(plan, "bookshop-createOrder")).architectures, ["arm64"]);
    for (const f of ofType(plan, "lambda/function:Function").filter((f) => f.name !== "bookshop-createOrder")) {
      assert.equal(inp(f).layers, undefined, f.name);
    }
    const text = (await runPlanCli(["--stack", "aws-dev", "--json"])).stdout;
    assert.ok(!text.includes("v1:placeholder"), "the stack's ciphertext is not printed");
    for (const key of ofType(plan, "apigateway/apiKey:ApiKey")) {
      const value = awsMockState("aws:apigateway/apiKey:ApiKey", key.name, {}).value as string;
      assert.ok(!text.includes(value), `API key value of ${key.name} appears in the plan`);
    }
  });

  it("every taggable resource has app, stack and the model's tags; functions and keys say which", () => {
    let checked = 0;
    for (const r of plan.resources.filter((x) => x.type.startsWith("aws:") && taggable(x.type))) {
      checked++;
      const tags = inp(r).tags;
      assert.ok(tags, `${r.type} ${r.name} has no tags`);
      assert.equal(tags.app, "bookshop", r.name);
      assert.equal(tags.stack, "aws-dev", r.name);
      assert.equal(tags.team, "books", r.name);
    }
    assert.ok(checked >= 20, `only ${checked} taggable resources`);
    assert.equal(inp(one(plan, "bookshop-getBook")).tags.function, "getBook");
    assert.equal(inp(one(plan, "bookshop-getBook-logs")).tags.function, "getBook");
    assert.equal(inp(one(plan, "bookshop-partners-acme-key")).tags.consumer, "acme");
  });

  it("routes: a resource per path segment and a method + integration per deployed route", () => {
    const paths = ofType(plan, "apigateway/resource:Resource")
      .map((r) => inp(r).pathPart)
      .sort();
    // No "search": GET /search (weighted upstream) is accepted as unsupported and not deployed.
    assert.deepEqual(paths, ["books", "health", "legacy", "orders", "{id}", "{path+}"].sort());
    const methods = ofType(plan, "apigateway/method:Method").filter((m) => inp(m).httpMethod !== "OPTIONS");
    assert.deepEqual(methods.map((m) => m.name).sort(), [
      "bookshop-any-legacy-path-method",
      "bookshop-get-books-id-method",
      "bookshop-get-books-method",
      "bookshop-get-health-method",
      "bookshop-post-orders-method",
    ]);
    const m = (n: string) => inp(one(plan, `bookshop-${n}-method`));
    assert.equal(m("get-books").apiKeyRequired, true);
    assert.equal(m("get-health").apiKeyRequired, false);
    assert.equal(m("get-health").authorization, "NONE");
    assert.equal(m("post-orders").authorization, "CUSTOM");
    assert.match(m("post-orders").authorizerId, /^\w+$/);
    assert.equal(m("any-legacy-path").httpMethod, "ANY");
  });

  it("Lambda integrations are AWS_PROXY POST to the function's invoke ARN; the upstream is HTTP_PROXY over https", () => {
    for (const i of ofType(plan, "apigateway/integration:Integration").filter((x) => inp(x).type === "AWS_PROXY")) {
      assert.equal(inp(i).integrationHttpMethod, "POST");
      assert.match(
        inp(i).uri,
        /^arn:aws:apigateway:eu-west-1:lambda:path\/2015-03-31\/functions\/arn:aws:lambda:eu-west-1:123456789012:function:bookshop-aws-dev-\w+(:live)?\/invocations$/,
      );
    }
    const up = inp(one(plan, "bookshop-any-legacy-path-upstream"));
    assert.equal(up.type, "HTTP_PROXY");
    assert.equal(up.uri, "https://legacy.example.com/legacy/{path}");
    assert.deepEqual(up.requestParameters, { "integration.request.path.path": "method.request.path.path" });
  });

  it("permissions: principal apigateway, sourceArn scoped to this API's execution ARN (functions) or the authorizer", () => {
    const restId = inp(one(plan, "bookshop-stage")).restApi;
    const exec = `arn:aws:execute-api:eu-west-1:123456789012:${restId}`;
    const perms = ofType(plan, "lambda/permission:Permission");
    assert.equal(perms.length, 5);
    const authzId = inp(one(plan, "bookshop-post-orders-method")).authorizerId;
    for (const p of perms) {
      assert.equal(inp(p).principal, "apigateway.amazonaws.com");
      assert.equal(inp(p).action, "lambda:InvokeFunction");
      if (p.name === "bookshop-users-authorizer-permission") {
        assert.equal(inp(p).sourceArn, `${exec}/authorizers/${authzId}`);
        assert.equal(inp(p).function, "bookshop-aws-dev-jwt-users");
      } else assert.equal(inp(p).sourceArn, `${exec}/*/*`);
    }
    const granted = perms.map((p) => inp(p).function).sort();
    const fns = ofType(plan, "lambda/function:Function")
      .map((f) => inp(f).name)
      .sort();
    assert.deepEqual(granted, fns, "one permission per function");
  });

  it("JWT routes use switchyard's REQUEST authorizer with no result cache", () => {
    const a = inp(one(plan, "bookshop-users-authorizer"));
    assert.equal(a.type, "REQUEST");
    assert.equal(a.authorizerResultTtlInSeconds, 0);
    assert.equal(a.identitySource, "method.request.header.Authorization");
    const env = JSON.parse(inp(one(plan, "bookshop-jwt-users")).environment.variables.SWITCHYARD_JWT);
    assert.deepEqual(env, {
      issuer: "https://login.example.com/",
      audiences: ["api://bookshop"],
      jwksUri: "https://login.example.com/.well-known/jwks.json",
      scopes: { "POST /orders": ["orders:write"] },
    });
  });

  it("Deployment: triggers hash, dependsOn every method/integration/authorizer/response, no stageName, create-before-delete", () => {
    const d = one(plan, "bookshop-deployment");
    assert.match(inp(d).triggers.redeployment, /^[0-9a-f]{64}$/);
    assert.equal(inp(d).stageName, undefined);
    assert.equal(d.options.deleteBeforeReplace, undefined);
    const deps = new Set(d.options.dependsOn as string[]);
    for (const t of [
      "method:Method",
      "integration:Integration",
      "authorizer:Authorizer",
      "response:Response",
      "integrationResponse:IntegrationResponse",
    ]) {
      for (const r of ofType(plan, `apigateway/${t}`)) assert.ok(deps.has(r.name), `deployment does not depend on ${r.name}`);
    }
  });

  it("Stage: explicit stage with cache cluster and JSON access logs to a pre-created log group", () => {
    const s = one(plan, "bookshop-stage");
    assert.equal(inp(s).stageName, "api");
    assert.equal(inp(s).cacheClusterEnabled, true);
    assert.equal(inp(s).cacheClusterSize, "0.5");
    const logs = one(plan, "bookshop-access-logs");
    assert.equal(inp(s).accessLogSettings.destinationArn, `arn:aws:logs:eu-west-1:123456789012:log-group:${inp(logs).name}`);
    const format = JSON.parse(inp(s).accessLogSettings.format);
    for (const k of ["requestId", "routeKey", "status", "latency", "apiKeyId", "subject"]) assert.ok(format[k], k);
    assert.ok(!JSON.stringify(format).includes("claims"), "no JWT claims in access logs");
    assert.deepEqual((s.options.dependsOn as string[]).sort(), ["bookshop-apigw-account", "bookshop-execution-logs"]);
    assert.match(inp(one(plan, "bookshop-execution-logs")).name, /^API-Gateway-Execution-Logs_\w+\/api$/);
  });

  it("account CloudWatch role: one apigateway.Account, retained on delete", () => {
    const acct = ofType(plan, "apigateway/account:Account");
    assert.equal(acct.length, 1);
    assert.equal(acct[0]?.options.retainOnDelete, true);
    assert.equal(one(plan, "bookshop-apigw-cloudwatch-role").options.retainOnDelete, true);
  });

  it("throttling: stage-wide and per-route MethodSettings always set rate AND burst; the cached route is encrypted", () => {
    const settings = ofType(plan, "apigateway/methodSettings:MethodSettings");
    // biome-ignore lint/suspicious/noExplicitAny: method settings as planned, read by field
    const byPath: Record<string, any> = Object.fromEntries(settings.map((s) => [inp(s).methodPath, inp(s).settings]));
    for (const s of Object.values(byPath)) {
      assert.ok(s.throttlingRateLimit > 0 && s.throttlingBurstLimit > 0);
      assert.equal(s.dataTraceEnabled, false);
      assert.equal(s.loggingLevel, "ERROR");
    }
    assert.deepEqual(Object.keys(byPath).sort(), ["*/*", "books/GET", "books/{id}/GET", "health/GET", "legacy/{path+}/*", "orders/POST"]);
    assert.deepEqual([byPath["orders/POST"].throttlingRateLimit, byPath["orders/POST"].throttlingBurstLimit], [5, 10]);
    assert.equal(byPath["books/GET"].cachingEnabled, true);
    assert.equal(byPath["books/GET"].cacheTtlInSeconds, 60);
    assert.equal(byPath["books/GET"].cacheDataEncrypted, true);
    assert.equal(byPath["books/{id}/GET"].cachingEnabled, undefined);
  });

  it("cache keys come from varyBy: declared on the method and listed on the integration", () => {
    assert.deepEqual(inp(one(plan, "bookshop-get-books-integration")).cacheKeyParameters, ["method.request.querystring.page"]);
    assert.deepEqual(inp(one(plan, "bookshop-get-books-method")).requestParameters, { "method.request.querystring.page": false });
  });

  it("API keys: one per consumer in the scheme's usage plan on the stage, with per-method throttles", () => {
    assert.deepEqual(
      ofType(plan, "apigateway/apiKey:ApiKey")
        .map((k) => k.name)
        .sort(),
      ["bookshop-partners-acme-key", "bookshop-partners-globex-key"],
    );
    for (const k of ofType(plan, "apigateway/apiKey:ApiKey")) assert.equal(inp(k).value, undefined, "AWS generates the value");
    assert.equal(ofType(plan, "apigateway/usagePlanKey:UsagePlanKey").length, 2);
    const planIn = inp(one(plan, "bookshop-partners-plan"));
    assert.equal(planIn.apiStages[0].stage, "api");
    assert.deepEqual(
      planIn.apiStages[0].throttles.map((t: { path: string }) => t.path),
      ["/books/GET", "/books/{id}/GET", "/legacy/{path+}/*"],
    );
    assert.equal(planIn.quotaSettings, undefined, "the example's only quota is on a JWT route (accepted as unsupported)");
    const consumers = JSON.parse(inp(one(plan, "bookshop-getBook")).environment.variables.SWITCHYARD_CONSUMERS);
    assert.deepEqual(Object.values(consumers).sort(), ["acme", "globex"]);
  });

  it("CORS on REST: an open MOCK OPTIONS per routed path and gateway responses with the origin", () => {
    const options = ofType(plan, "apigateway/method:Method").filter((m) => inp(m).httpMethod === "OPTIONS");
    assert.equal(options.length, 5);
    for (const o of options) assert.equal(inp(o).authorization, "NONE");
    const ir = inp(one(plan, "bookshop-options-books-integration-response")).responseParameters;
    assert.equal(ir["method.response.header.Access-Control-Allow-Origin"], "'https://shop.example.com'");
    assert.equal(
      inp(one(plan, "bookshop-cors-default-4xx")).responseParameters["gatewayresponse.header.Access-Control-Allow-Origin"],
      "'https://shop.example.com'",
    );
  });

  it("outputs: the stage URL, function ARNs, secret API keys", () => {
    assert.match(String(plan.outputs.url), /^https:\/\/\w+\.execute-api\.eu-west-1\.amazonaws\.com\/api$/);
    assert.deepEqual(Object.keys(plan.outputs.functions as object).sort(), ["createOrder", "getBook", "health", "listBooks"]);
    assert.equal(plan.outputs.cloud, "aws");
  });
});

describe("providers/aws: HTTP API flavour (test/providers/aws/fixtures/http)", function () {
  this.timeout(120000);
  let plan: PlanDocument;
  before(async () => {
    plan = await planJson("aws-dev", path.join(FIXTURES, "http", "api.ts"));
  });

  it("Lambda integrations: AWS_PROXY, POST, payload format 2.0; one per function", () => {
    const ints = ofType(plan, "apigatewayv2/integration:Integration").filter((i) => inp(i).integrationType === "AWS_PROXY");
    assert.deepEqual(ints.map((i) => i.name).sort(), ["plain-hello-integration", "plain-write-integration"]);
    for (const i of ints) {
      assert.equal(inp(i).payloadFormatVersion, "2.0");
      assert.equal(inp(i).integrationMethod, "POST");
    }
    const up = ofType(plan, "apigatewayv2/integration:Integration").filter((i) => inp(i).integrationType === "HTTP_PROXY");
    assert.equal(up.length, 1);
    assert.match(inp(up[0] as PlanResource).integrationUri, /^https:\/\//);
  });

  it("route keys match the model; JWT routes name the authorizer and scopes; an open OPTIONS route for the authorized ANY route", () => {
    const routes = Object.fromEntries(ofType(plan, "apigatewayv2/route:Route").map((r) => [inp(r).routeKey, inp(r)]));
    assert.deepEqual(Object.keys(routes).sort(), [
      "ANY /files/{path+}",
      "ANY /legacy/{path+}",
      "GET /hello/{name}",
      "OPTIONS /files/{path+}",
      "POST /items",
    ]);
    assert.equal(routes["POST /items"].authorizationType, "JWT");
    assert.deepEqual(routes["POST /items"].authorizationScopes, ["items:write"]);
    assert.equal(routes["GET /hello/{name}"].authorizationType, "NONE");
    assert.equal(routes["OPTIONS /files/{path+}"].authorizationType, "NONE");
    assert.equal(routes["OPTIONS /files/{path+}"].target, routes["ANY /files/{path+}"].target);
    const authz = inp(one(plan, "plain-users-authorizer"));
    assert.equal(authz.authorizerType, "JWT");
    assert.deepEqual(authz.identitySources, ["$request.header.Authorization"]);
    assert.deepEqual(authz.jwtConfiguration, { audiences: ["api://plain"], issuer: "https://login.example.com/" });
  });

  it("$default stage: autoDeploy, both throttling values stage-wide and per route, dependsOn the routes, no execution logging", () => {
    const s = one(plan, "plain-stage");
    assert.equal(inp(s).name, "$default");
    assert.equal(inp(s).autoDeploy, true);
    assert.deepEqual(inp(s).defaultRouteSettings, { throttlingBurstLimit: 40, throttlingRateLimit: 20 });
    assert.ok(!JSON.stringify(inp(s)).includes("loggingLevel"));
    for (const rs of inp(s).routeSettings) assert.ok(rs.throttlingRateLimit > 0 && rs.throttlingBurstLimit > 0, rs.routeKey);
    const post = inp(s).routeSettings.find((x: { routeKey: string }) => x.routeKey === "POST /items");
    assert.deepEqual([post.throttlingRateLimit, post.throttlingBurstLimit], [5, 10]);
    const routes = ofType(plan, "apigatewayv2/route:Route").map((r) => r.name);
    for (const r of routes) assert.ok((s.options.dependsOn as string[]).includes(r), r);
    assert.match(JSON.parse(inp(s).accessLogSettings.format).routeKey, /\$context\.routeKey/);
  });

  it("permissions are scoped to the API's execution ARN; CORS is native; retention rounded up; URL is the API endpoint", () => {
    const api = one(plan, "plain-api");
    const apiId = inp(one(plan, "plain-stage")).apiId;
    for (const p of ofType(plan, "lambda/permission:Permission")) {
      assert.equal(inp(p).sourceArn, `arn:aws:execute-api:eu-west-1:123456789012:${apiId}/*/*`);
    }
    assert.equal(ofType(plan, "lambda/permission:Permission").length, 2);
    assert.deepEqual(inp(api).corsConfiguration.allowOrigins, ["https://app.example.com"]);
    assert.equal(inp(api).corsConfiguration.allowCredentials, true);
    for (const g of ofType(plan, "cloudwatch/logGroup:LogGroup")) assert.equal(inp(g).retentionInDays, 14, "10 days rounds up to 14");
    assert.equal(plan.outputs.url, `https://${apiId}.execute-api.eu-west-1.amazonaws.com`);
    assert.equal(inp(one(plan, "plain-write")).reservedConcurrentExecutions, 5);
    assert.equal(inp(one(plan, "plain-hello")).publish, undefined);
    assert.equal(ofType(plan, "apigateway/restApi:RestApi").length, 0);
    assert.equal(ofType(plan, "lambda/function:Function").length, 2, "no JWT authorizer Lambda on HTTP APIs");
  });
});

describe("providers/aws: scaling.min (test/providers/aws/fixtures/http)", function () {
  this.timeout(120000);
  it("keeps instances warm on a live alias that API Gateway invokes and the permission names", async () => {
    const plan = await planJson("aws-dev", path.join(FIXTURES, "http", "api.ts"));
    assert.equal(inp(one(plan, "plain-write")).publish, true);
    const alias = inp(one(plan, "plain-write-alias"));
    assert.equal(alias.name, "live");
    assert.equal(alias.functionName, "plain-aws-dev-write");
    assert.equal(alias.functionVersion, "1");
    const warm = inp(one(plan, "plain-write-warm"));
    assert.deepEqual(warm, { functionName: "plain-aws-dev-write", provisionedConcurrentExecutions: 2, qualifier: "live" });
    const aliasArn = "arn:aws:lambda:eu-west-1:123456789012:function:plain-aws-dev-write:live";
    assert.equal(
      inp(one(plan, "plain-write-integration")).integrationUri,
      `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${aliasArn}/invocations`,
    );
    assert.equal(inp(one(plan, "plain-write-permission")).qualifier, "live");
    assert.equal(inp(one(plan, "plain-hello-permission")).qualifier, undefined);
  });
});

describe("providers/aws: plan determinism", function () {
  this.timeout(120000);
  it("two fresh plans of aws-dev are byte-identical", async () => {
    const first = await runPlanCli(["--stack", "aws-dev", "--json"], { fresh: true });
    const second = await runPlanCli(["--stack", "aws-dev", "--json"], { fresh: true });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(second.code, 0, second.stderr);
    assert.ok(first.stdout.length > 10000);
    assert.equal(first.stdout, second.stdout);
  });
});
