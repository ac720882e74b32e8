import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import SwaggerParser from "@apidevtools/swagger-parser";
import type { PlanDocument, PlanResource } from "../../../plan/run";
import { BASE_SERVICES } from "../../../providers/gcp/api";
import { GATEWAY_REGIONS } from "../../../providers/gcp/config";
import { planJson, runPlanCli } from "../../support/plan";

const T = {
  service: "gcp:projects/service:Service",
  account: "gcp:serviceaccount/account:Account",
  fn: "gcp:cloudfunctionsv2/function:Function",
  object: "gcp:storage/bucketObject:BucketObject",
  bucket: "gcp:storage/bucket:Bucket",
  invoker: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
  api: "gcp:apigateway/api:Api",
  config: "gcp:apigateway/apiConfig:ApiConfig",
  gateway: "gcp:apigateway/gateway:Gateway",
  key: "gcp:projects/apiKey:ApiKey",
  secret: "gcp:secretmanager/secret:Secret",
  version: "gcp:secretmanager/secretVersion:SecretVersion",
  secretReader: "gcp:secretmanager/secretIamMember:SecretIamMember",
  projectIam: "gcp:projects/iAMMember:IAMMember",
};
/** Resource types that take labels (their Args have `labels`: @pulumi/gcp 9.37 .d.ts). */
const LABELLED = [T.fn, T.bucket, T.api, T.config, T.gateway, T.secret];
const FUNCTIONS = ["createOrder", "getBook", "health", "listBooks"];

// biome-ignore lint/suspicious/noExplicitAny: plan inputs are untyped JSON
type In = Record<string, any>;

describe("providers/gcp (offline plan of the example, stack gcp-dev)", () => {
  let plan: PlanDocument;
  let stdout: string;
  const ofType = (t: string) => plan.resources.filter((r) => r.type === t);
  const one = (t: string): PlanResource => {
    const rs = ofType(t);
    assert.equal(rs.length, 1, `one ${t}`);
    return rs[0] as PlanResource;
  };
  const byName = (name: string) => plan.resources.find((r) => r.name === name) as PlanResource;
  const inputs = (r: PlanResource) => r.inputs as In;
  const doc = () => JSON.parse(Buffer.from(inputs(one(T.config)).openapiDocuments[0].document.contents, "base64").toString("utf8"));

  before(async () => {
    plan = await planJson("gcp-dev");
    stdout = (await runPlanCli(["--stack", "gcp-dev", "--json"])).stdout;
  });

  it("declares one switchyard:gcp:Api with every child parented to it and named <name>-<role>", () => {
    const root = plan.resources.filter((r) => r.parent === null);
    assert.deepEqual(
      root.map((r) => [r.type, r.name]),
      [["switchyard:gcp:Api", "bookshop"]],
    );
    for (const r of plan.resources.filter((x) => x.parent !== null)) {
      assert.equal(r.parent, "bookshop", r.name);
      assert.ok(r.name.startsWith("bookshop-"), r.name);
    }
    assert.equal(plan.cloud, "gcp");
    assert.match(String(plan.outputs.url), /^https:\/\/bookshop-gcp-dev-[0-9a-f]+\.ew\.gateway\.dev$/);
  });

  it("keeps a function's resources apart from the API's own (fn-<function>)", () => {
    for (const r of ofType(T.fn)) assert.match(r.name, /^bookshop-fn-[a-z0-9-]+$/);
    for (const r of [...ofType(T.invoker), ...ofType(T.object)]) assert.match(r.name, /^bookshop-fn-/);
  });

  it("enables every API it needs (never disabled on destroy), and everything else depends on them", () => {
    const services = ofType(T.service).filter((r) => r.name !== "bookshop-managed-service");
    const names = services.map((r) => inputs(r).service).sort();
    assert.deepEqual(
      names,
      // compute: the domain's load balancer; monitoring: the alert policies (the example declares both).
      [
        ...BASE_SERVICES,
        "apikeys.googleapis.com",
        "compute.googleapis.com",
        "monitoring.googleapis.com",
        "secretmanager.googleapis.com",
      ].sort(),
    );
    for (const s of ofType(T.service)) assert.equal(inputs(s).disableOnDestroy, false, s.name);
    const serviceNames = services.map((r) => r.name);
    for (const r of plan.resources) {
      if (r.type === T.service || r.type === "switchyard:gcp:Api") continue;
      const deps = (r.options.dependsOn as string[] | undefined) ?? [];
      for (const s of serviceNames) assert.ok(deps.includes(s), `${r.name} does not depend on ${s}`);
    }
  });

  it("one function per model function: nodejs22, entry point handler, dedicated runtime and build accounts", () => {
    const fns = ofType(T.fn);
    assert.equal(fns.length, FUNCTIONS.length);
    const build = byName("bookshop-build-sa");
    const gateway = byName("bookshop-gateway-sa");
    const emails = new Set<string>();
    for (const f of fns) {
      const i = inputs(f);
      assert.ok(["nodejs22", "nodejs24"].includes(i.buildConfig.runtime));
      assert.equal(i.buildConfig.entryPoint, "handler");
      assert.match(i.name, /^[a-z][a-z0-9-]{0,61}[a-z0-9]$/);
      assert.equal(i.location, "europe-west1");
      assert.equal(
        i.buildConfig.serviceAccount,
        `projects/my-switchyard-project/serviceAccounts/${inputs(build).accountId}@my-switchyard-project.iam.gserviceaccount.com`,
      );
      const email = i.serviceConfig.serviceAccountEmail as string;
      assert.ok(!/-compute@developer\.gserviceaccount\.com$|@appspot\.gserviceaccount\.com$/.test(email), email);
      assert.notEqual(email.split("@")[0], inputs(gateway).accountId);
      emails.add(email);
    }
    assert.equal(emails.size, FUNCTIONS.length, "one runtime account per function");
    for (const a of ofType(T.account)) assert.match(inputs(a).accountId, /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
  });

  it("maps memory, timeout, scaling and concurrency; concurrency > 1 gets 1 vCPU", () => {
    const order = inputs(byName("bookshop-fn-create-order")).serviceConfig;
    assert.equal(order.availableMemory, "256Mi");
    assert.equal(order.timeoutSeconds, 20);
    assert.equal(order.minInstanceCount, 0);
    assert.equal(order.maxInstanceCount, 20);
    assert.equal(order.maxInstanceRequestConcurrency, 10);
    assert.equal(order.availableCpu, "1");
    assert.deepEqual(order.environmentVariables, { CURRENCY: "EUR" });
    const list = inputs(byName("bookshop-fn-list-books")).serviceConfig;
    assert.equal(list.availableMemory, "512Mi");
    assert.equal(list.maxInstanceRequestConcurrency, 1);
    assert.equal(list.availableCpu, undefined);
  });

  it("the deployer (switchyard:gcpDeployers) may act as each of the stack's accounts, granted on the account only", () => {
    const grants = plan.resources.filter((r) => r.type === "gcp:serviceaccount/iAMMember:IAMMember");
    const accounts = ofType(T.account).map(
      (a) => `projects/my-switchyard-project/serviceAccounts/${inputs(a).accountId}@my-switchyard-project.iam.gserviceaccount.com`,
    );
    assert.deepEqual(grants.map((g) => inputs(g).serviceAccountId).sort(), accounts.sort());
    for (const g of grants) {
      assert.equal(inputs(g).role, "roles/iam.serviceAccountUser");
      assert.equal(inputs(g).member, "serviceAccount:deployer@my-switchyard-project.iam.gserviceaccount.com");
    }
    assert.ok(!ofType(T.projectIam).some((r) => inputs(r).role === "roles/iam.serviceAccountUser"), "no project-wide actAs");
  });

  it("source zips: private bucket, object name carries the bundle's content hash", () => {
    const bucket = inputs(one(T.bucket));
    assert.equal(bucket.uniformBucketLevelAccess, true);
    assert.equal(bucket.publicAccessPrevention, "enforced");
    assert.match(bucket.name, /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
    const objects = ofType(T.object);
    assert.equal(objects.length, FUNCTIONS.length);
    for (const o of objects) {
      const i = inputs(o);
      assert.match(i.source.archive, /^\.build\/gcp\/[A-Za-z]+$/);
      assert.ok(i.name.endsWith(`/${i.source.sha256}.zip`), `${i.name} lacks the content hash ${i.source.sha256}`);
    }
    const fn = inputs(byName("bookshop-fn-get-book"));
    assert.equal(fn.buildConfig.source.storageSource.object, inputs(byName("bookshop-fn-get-book-source")).name);
    assert.equal(fn.buildConfig.source.storageSource.bucket, bucket.name);
  });

  it("only the gateway's account may invoke: run.invoker on each Cloud Run service (cloudrunv2.ServiceIamMember)", () => {
    const gatewayMember = `serviceAccount:${inputs(byName("bookshop-gateway-sa")).accountId}@my-switchyard-project.iam.gserviceaccount.com`;
    const invokers = ofType(T.invoker);
    assert.equal(invokers.length, FUNCTIONS.length);
    const services = ofType(T.fn).map((f) => `projects/my-switchyard-project/locations/europe-west1/services/${inputs(f).name}`);
    assert.deepEqual(invokers.map((r) => inputs(r).name).sort(), services.sort());
    for (const r of invokers) {
      assert.equal(inputs(r).role, "roles/run.invoker");
      assert.equal(inputs(r).member, gatewayMember);
    }
    assert.equal(plan.resources.filter((r) => r.type.startsWith("gcp:cloudfunctionsv2/functionIam")).length, 0);
    assert.ok(!JSON.stringify(plan.resources).includes("allUsers"));
    assert.ok(!JSON.stringify(plan.resources).includes("allAuthenticatedUsers"));
    for (const f of ofType(T.fn)) assert.equal(inputs(f).serviceConfig.ingressSettings, "ALLOW_ALL");
  });

  it("build account: log writer and image writer on the project, object viewer on the source bucket only", () => {
    const member = `serviceAccount:${inputs(byName("bookshop-build-sa")).accountId}@my-switchyard-project.iam.gserviceaccount.com`;
    assert.deepEqual(
      ofType(T.projectIam)
        .map((r) => [inputs(r).role, inputs(r).member])
        .sort(),
      [
        ["roles/artifactregistry.writer", member],
        ["roles/logging.logWriter", member],
      ],
    );
    const reader = inputs(byName("bookshop-build-source-reader"));
    assert.deepEqual([reader.role, reader.member, reader.bucket], ["roles/storage.objectViewer", member, inputs(one(T.bucket)).name]);
    for (const r of ofType(T.projectIam)) assert.ok(!/roles\/(owner|editor|viewer)$|admin$/i.test(inputs(r).role));
  });

  it("secrets: Secret Manager secret + version, a pinned secretEnvironmentVariable, accessor for that function only", () => {
    const secret = inputs(one(T.secret));
    const version = inputs(one(T.version));
    assert.equal(version.secretData, "[secret]");
    const fn = inputs(byName("bookshop-fn-create-order")).serviceConfig;
    assert.deepEqual(fn.secretEnvironmentVariables, [
      { key: "PAYMENT_KEY", projectId: "my-switchyard-project", secret: secret.secretId, version: "1" },
    ]);
    assert.equal(fn.environmentVariables.PAYMENT_KEY, undefined);
    const reader = inputs(one(T.secretReader));
    assert.equal(reader.role, "roles/secretmanager.secretAccessor");
    assert.equal(reader.secretId, secret.secretId);
    assert.equal(reader.member, `serviceAccount:${fn.serviceAccountEmail}`);
    // The function is deployed only after its account may read the secret.
    assert.ok((byName("bookshop-fn-create-order").options.dependsOn as string[]).includes("bookshop-fn-create-order-payment-key-reader"));
  });

  it("no secret in plain text: secret config, key strings and the apiKeys output are masked", () => {
    assert.ok(!stdout.includes("v1:placeholder"), "the stack's secret ciphertext leaked");
    assert.ok(!stdout.includes("AIzaSy"), "an API key string leaked");
    assert.equal(plan.outputs.apiKeys, "[secret]");
  });

  it("labels (app, stack, model tags; function on functions) on every resource that takes labels", () => {
    for (const t of LABELLED) {
      for (const r of ofType(t)) {
        const labels = inputs(r).labels as Record<string, string>;
        assert.equal(labels?.app, "bookshop", r.name);
        assert.equal(labels?.stack, "gcp-dev", r.name);
        assert.equal(labels?.team, "books", r.name);
        for (const [k, v] of Object.entries(labels)) {
          assert.match(k, /^[a-z][a-z0-9_-]{0,62}$/);
          assert.match(v, /^[a-z0-9_-]{0,63}$/);
        }
      }
    }
    assert.equal(inputs(byName("bookshop-fn-list-books")).labels.function, "list-books");
  });

  it("API config: api = apiId, base64 OpenAPI document that validates, content-derived id, gateway account, no delete-before-replace", async () => {
    const config = one(T.config);
    const i = inputs(config);
    assert.equal(i.api, inputs(one(T.api)).apiId);
    const contents = i.openapiDocuments[0].document.contents as string;
    assert.match(contents, /^[A-Za-z0-9+/]+=*$/);
    const text = Buffer.from(contents, "base64").toString("utf8");
    assert.equal(i.apiConfigId, `bookshop-gcp-dev-${createHash("sha256").update(text).digest("hex").slice(0, 12)}`);
    assert.ok(i.apiConfigId.length <= 63);
    assert.equal(
      i.gatewayConfig.backendConfig.googleServiceAccount,
      `${inputs(byName("bookshop-gateway-sa")).accountId}@my-switchyard-project.iam.gserviceaccount.com`,
    );
    assert.equal(config.options.deleteBeforeReplace, undefined);
    assert.equal(config.options.replaceOnChanges, undefined);
    for (const inv of ofType(T.invoker)) assert.ok((config.options.dependsOn as string[]).includes(inv.name));
    const d = doc();
    d.paths = Object.fromEntries(Object.entries(d.paths).map(([p, v]) => [p.replace(/\{([^}=]+)=\*\*\}/g, "{$1}"), v]));
    await SwaggerParser.validate(d);
    // Backends are the functions' Cloud Run URLs from the plan.
    const uris = new Set(
      Object.values(doc().paths).flatMap((ops) => Object.values(ops as In).map((op: In) => op["x-google-backend"].address)),
    );
    assert.ok(uris.has("https://legacy.example.com"));
    assert.equal([...uris].filter((u) => /\.a\.run\.app$/.test(u)).length, FUNCTIONS.length);
  });

  it("gateway: in a supported region (gcp:region), id ≤ 49, serving the config", () => {
    const g = inputs(one(T.gateway));
    assert.ok((GATEWAY_REGIONS as readonly string[]).includes(g.region));
    assert.equal(g.region, "europe-west1");
    assert.ok(g.gatewayId.length <= 49);
    assert.match(
      g.apiConfig,
      /^projects\/my-switchyard-project\/locations\/global\/apis\/bookshop-gcp-dev\/configs\/bookshop-gcp-dev-[0-9a-f]{12}$/,
    );
  });

  it("API keys: the managed service enabled after the gateway, one key per consumer restricted to it", () => {
    const managed = byName("bookshop-managed-service");
    assert.match(inputs(managed).service, /^bookshop-gcp-dev-[0-9a-f]+\.apigateway\.my-switchyard-project\.cloud\.goog$/);
    assert.ok((managed.options.dependsOn as string[]).includes("bookshop-gateway"));
    const keys = ofType(T.key);
    assert.deepEqual(keys.map((k) => k.name).sort(), ["bookshop-key-acme", "bookshop-key-globex"]);
    for (const k of keys) {
      assert.deepEqual(inputs(k).restrictions.apiTargets, [{ service: inputs(managed).service }]);
      assert.match(inputs(k).name, /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/);
      assert.ok((k.options.dependsOn as string[]).includes("bookshop-managed-service"));
    }
  });

  it("capabilities: what API Gateway lacks is reported, and accepted on this stack only through allowUnsupported", () => {
    const support = Object.fromEntries(plan.capabilities.map((c) => [c.feature, c.support]));
    for (const f of ["cache", "cache.varyBy", "route.upstream.weighted", "rateLimit.perConsumer"])
      assert.equal(support[f], "unsupported", f);
    assert.equal(support.cors, "substitute");
    assert.equal(support["logging.access"], "substitute");
    assert.equal(support["function.secrets"], "native");
    assert.equal(plan.warnings.length, 7, "six gateway gaps and getBook's canary");
    assert.ok(plan.warnings.some((w) => w.includes("route.upstream.weighted")));
  });
});
