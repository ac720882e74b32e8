import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PlanDocument, PlanResource } from "../../../plan/run";
import { FLEX_REGIONS } from "../../../providers/azure/config";
import { planJson } from "../../support/plan";
import { child, names, parse } from "./xml-tree";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
// biome-ignore lint/suspicious/noExplicitAny: plan inputs are untyped JSON, read by path
type Inputs = Record<string, any>;

/** Does the SDK's Args for this type token take a `tags` map (i.e. is the resource taggable)? */
function taggable(type: string): boolean {
  const [, mod, kind] = type.split(":");
  const file = path.join(ROOT, "node_modules", "@pulumi", "azure-native", mod!, `${kind![0]!.toLowerCase()}${kind!.slice(1)}.d.ts`);
  if (!fs.existsSync(file)) return false;
  const args = /export interface \w+Args \{[\s\S]*?\n\}/.exec(fs.readFileSync(file, "utf8"))?.[0] ?? "";
  return /\btags\?: pulumi\.Input<\{/.test(args);
}

describe("providers/azure (plan of stack azure-dev)", function () {
  this.timeout(120000);
  let plan: PlanDocument;
  const all = (type: string) => plan.resources.filter((r) => r.type === `azure-native:${type}`);
  const one = (type: string, name?: string): PlanResource => {
    const found = all(type).filter((r) => name === undefined || r.name === name);
    assert.equal(found.length, 1, `one ${type} ${name ?? ""}`);
    return found[0]!;
  };
  const inputs = (type: string, name?: string) => one(type, name).inputs as Inputs;

  before(async () => {
    plan = await planJson("azure-dev");
  });

  it("declares one switchyard:azure:Api component and parents and names every child after it", () => {
    const components = plan.resources.filter((r) => r.type === "switchyard:azure:Api");
    assert.deepEqual(
      components.map((c) => [c.name, c.parent]),
      [["bookshop", null]],
    );
    for (const r of plan.resources.filter((x) => x !== components[0])) {
      assert.equal(r.parent, "bookshop", r.name);
      assert.match(r.name, /^bookshop-[a-z0-9-]+$/);
    }
  });

  it("plans the example with nothing unsupported on its Developer tier but the canary (no slots on Flex)", () => {
    assert.equal(plan.cloud, "azure");
    assert.deepEqual(
      plan.capabilities.filter((c) => c.support === "unsupported").map((c) => c.feature),
      ["function.canary"],
    );
    assert.equal(plan.warnings.length, 1);
    assert.ok(plan.warnings.some((w) => /^functions\.getBook\.canary: .*Accepted by switchyard:allowUnsupported/.test(w)));
    assert.deepEqual(inputs("apimanagement:ApiManagementService").sku, { name: "Developer", capacity: 1 });
  });

  describe("function app", () => {
    it("uses a Flex Consumption plan (FC1, reserved) in a Flex region", () => {
      const p = inputs("web:AppServicePlan");
      assert.deepEqual(p.sku, { name: "FC1", tier: "FlexConsumption" });
      assert.equal(p.reserved, true);
      assert.equal(p.kind, "functionapp");
      assert.ok(FLEX_REGIONS.includes(p.location), p.location);
    });

    it("is a Linux function app with functionAppConfig, identity, HTTPS only and no siteConfig", () => {
      const app = inputs("web:WebApp");
      const account = inputs("storage:StorageAccount");
      assert.equal(app.kind, "functionapp,linux");
      assert.equal(app.siteConfig, undefined);
      assert.equal(app.httpsOnly, true);
      assert.deepEqual(app.identity, { type: "SystemAssigned" });
      assert.deepEqual(app.functionAppConfig.deployment.storage, {
        type: "blobContainer",
        value: `https://${account.accountName}.blob.core.windows.net/app-package`,
        authentication: { type: "SystemAssignedIdentity" },
      });
      assert.deepEqual(app.functionAppConfig.runtime, { name: "node", version: "22" });
      assert.deepEqual(app.functionAppConfig.scaleAndConcurrency, {
        instanceMemoryMB: 512,
        maximumInstanceCount: 20,
        triggers: { http: { perInstanceConcurrency: 10 } },
      });
      assert.equal(inputs("storage:BlobContainer", "bookshop-deployment-container").containerName, "app-package");
    });

    it("puts settings in WebAppApplicationSettings: identity-based storage, Key Vault references, no forbidden keys", () => {
      const s = inputs("web:WebAppApplicationSettings");
      assert.equal(s.name, inputs("web:WebApp").name);
      const p = s.properties as Record<string, string>;
      assert.equal(p.AzureWebJobsStorage__accountName, inputs("storage:StorageAccount").accountName);
      assert.equal(p.CURRENCY, "EUR");
      assert.equal(
        p.PAYMENT_KEY,
        `@Microsoft.KeyVault(SecretUri=https://${inputs("keyvault:Vault").vaultName}.vault.azure.net/secrets/PAYMENT-KEY)`,
      );
      const forbidden = [
        "AzureWebJobsStorage",
        "FUNCTIONS_WORKER_RUNTIME",
        "FUNCTIONS_WORKER_RUNTIME_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_CONTENTSHARE",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        "SCM_DO_BUILD_DURING_DEPLOYMENT",
        "ENABLE_ORYX_BUILD",
        "WEBSITE_NODE_DEFAULT_VERSION",
      ];
      for (const k of Object.keys(p)) {
        assert.ok(!forbidden.includes(k), k);
        assert.ok(!k.includes(":"), k);
      }
    });

    it("keeps the model's secret in Key Vault, readable by the app identity only", () => {
      assert.deepEqual(inputs("keyvault:Secret").properties, { value: "[secret]" });
      assert.equal(inputs("keyvault:Vault").properties.enableRbacAuthorization, true);
      const role = inputs("authorization:RoleAssignment", "bookshop-vault-role");
      assert.equal(role.roleDefinitionId, `${SUB}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`);
      assert.match(role.scope, /\/providers\/Microsoft\.KeyVault\/vaults\/kvbookshop[0-9a-f]{8}$/);
    });

    it("grants the identity Storage Blob Data Owner on the storage account with the full role id", () => {
      const role = inputs("authorization:RoleAssignment", "bookshop-storage-role");
      assert.equal(role.roleDefinitionId, `${SUB}/providers/Microsoft.Authorization/roleDefinitions/b7e6dc6d-f1e8-4753-8033-0f276bb0955b`);
      assert.equal(role.principalType, "ServicePrincipal");
      assert.equal(role.principalId, "11111111-1111-1111-1111-111111111111");
      assert.match(role.scope, /\/providers\/Microsoft\.Storage\/storageAccounts\/bookshopfn[0-9a-f]{8}$/);
    });

    it("hardens storage: TLS 1.2, HTTPS only, no public blobs, a valid globally unique name", () => {
      const a = inputs("storage:StorageAccount");
      assert.equal(a.minimumTlsVersion, "TLS1_2");
      assert.equal(a.enableHttpsTrafficOnly, true);
      assert.equal(a.allowBlobPublicAccess, false);
      assert.match(a.accountName, /^[a-z0-9]{3,24}$/);
      for (const c of all("storage:BlobContainer")) assert.equal((c.inputs as Inputs).publicAccess, "None");
    });

    it("disables FTP and SCM basic-auth publishing", () => {
      for (const t of ["web:WebAppFtpAllowed", "web:WebAppScmAllowed"]) {
        assert.equal(inputs(t).allow, false);
        assert.equal(inputs(t).name, inputs("web:WebApp").name);
      }
    });

    it("uploads the built app folder under a content-hashed path as released-package.zip", () => {
      const blob = inputs("storage:Blob");
      assert.equal(blob.containerName, "packages");
      assert.equal(blob.contentType, "application/zip");
      assert.equal(blob.source.archive, ".build/azure/bookshop");
      assert.equal(blob.blobName, `${blob.source.sha256.slice(0, 16)}/released-package.zip`);
    });

    it("runs OneDeploy after the role, the settings and the upload, with the SAS kept secret", () => {
      const d = one("resources:Deployment");
      assert.deepEqual(d.options.dependsOn, [
        "bookshop-package",
        "bookshop-settings",
        "bookshop-storage-role",
        "bookshop-telemetry-role",
        "bookshop-vault-role",
      ]);
      const props = (d.inputs as Inputs).properties;
      assert.equal(props.mode, "Incremental");
      assert.deepEqual(props.parameters, { packageUri: { value: "[secret]" }, siteName: { value: inputs("web:WebApp").name } });
      assert.deepEqual(props.template.parameters, { packageUri: { type: "securestring" }, siteName: { type: "string" } });
      assert.deepEqual(props.template.resources, [
        {
          type: "Microsoft.Web/sites/extensions",
          apiVersion: "2024-11-01",
          name: "[concat(parameters('siteName'), '/onedeploy')]",
          properties: { packageUri: "[parameters('packageUri')]", remoteBuild: false },
        },
      ]);
    });

    it("logs to a workspace-based Application Insights with the retention Log Analytics allows", () => {
      const w = inputs("operationalinsights:Workspace");
      assert.equal(w.retentionInDays, 30);
      assert.deepEqual(w.sku, { name: "PerGB2018" });
      const c = inputs("applicationinsights:Component");
      assert.equal(c.ingestionMode, "LogAnalytics");
      assert.equal(c.disableLocalAuth, true);
      assert.equal(inputs("web:WebAppApplicationSettings").properties.APPLICATIONINSIGHTS_AUTHENTICATION_STRING, "Authorization=AAD");
      for (const [role, principal] of [
        ["bookshop-telemetry-role", "11111111-1111-1111-1111-111111111111"],
        ["bookshop-apim-telemetry-role", "44444444-4444-4444-4444-444444444444"],
      ]) {
        const r = inputs("authorization:RoleAssignment", role);
        assert.equal(r.roleDefinitionId, `${SUB}/providers/Microsoft.Authorization/roleDefinitions/3913510d-42f4-4e42-8a64-420c390055eb`);
        assert.equal(r.principalId, principal);
        assert.match(r.scope, new RegExp(`/components/${c.resourceName}$`));
      }
      assert.match(c.workspaceResourceId, new RegExp(`/workspaces/${w.workspaceName}$`));
    });
  });

  describe("API Management", () => {
    it("creates the service with an identity and long create timeouts", () => {
      const s = one("apimanagement:ApiManagementService");
      assert.deepEqual((s.inputs as Inputs).identity, { type: "SystemAssigned" });
      assert.deepEqual(s.options.customTimeouts, { create: "90m", update: "90m", delete: "60m" });
      assert.match((s.inputs as Inputs).serviceName, /^[a-z][a-z0-9-]{0,48}[a-z0-9]$/);
      // Consumption-only flag the SDK would send as false, which Developer rejects (azure.md G17).
      assert.ok(!("enableClientCertificate" in (s.inputs as Inputs)));
    });

    it("exposes one HTTPS API at the model's path with keys in x-api-key", () => {
      const api = inputs("apimanagement:Api");
      assert.deepEqual(api.protocols, ["https"]);
      assert.equal(api.path, "bookshop");
      assert.equal(api.apiId, "bookshop");
      assert.deepEqual(api.subscriptionKeyParameterNames, { header: "x-api-key", query: "x-api-key" });
      assert.equal(api.subscriptionRequired, false);
      assert.equal(plan.outputs.url, `https://${inputs("apimanagement:ApiManagementService").serviceName}.azure-api.net/bookshop`);
    });

    it("declares an operation per route and method whose template parameters match the urlTemplate", () => {
      const ops = all("apimanagement:ApiOperation").map((o) => o.inputs as Inputs);
      assert.equal(ops.length, 12);
      for (const op of ops) {
        assert.equal(op.apiId, "bookshop");
        const inTemplate = [...String(op.urlTemplate).matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
        assert.deepEqual((op.templateParameters ?? []).map((p: Inputs) => p.name).sort(), inTemplate, op.operationId);
      }
      assert.deepEqual(ops.find((o) => o.operationId === "get-books-id")!.templateParameters, [
        { name: "id", type: "string", required: true },
      ]);
    });

    it("policies are rawxml, parse, keep <base />, and authenticate every non-public operation", () => {
      const apiPolicy = inputs("apimanagement:ApiPolicy");
      assert.equal(apiPolicy.format, "rawxml");
      assert.equal(child(parse(apiPolicy.value), "inbound")!.children[0]!.name, "base");
      const routeAuth: Record<string, string> = {
        "get-health": "none",
        "get-search": "none",
        "post-orders": "jwt",
      };
      for (const p of all("apimanagement:ApiOperationPolicy")) {
        const i = p.inputs as Inputs;
        assert.equal(i.format, "rawxml");
        const doc = parse(i.value);
        assert.deepEqual(names(doc), ["inbound", "backend", "outbound", "on-error"]);
        const inbound = names(child(doc, "inbound"));
        assert.equal(inbound[0], "base");
        const kind = routeAuth[i.operationId] ?? "apiKey";
        assert.equal(inbound.includes("validate-jwt"), kind === "jwt", i.operationId);
        assert.equal(inbound.includes("choose"), kind !== "none", i.operationId);
        assert.equal(inbound.at(-1), "set-backend-service", i.operationId);
      }
    });

    it("caches GET /books on the internal cache and counts POST /orders per JWT subject", () => {
      const books = parse(inputs("apimanagement:ApiOperationPolicy", "bookshop-policy-get-books").value);
      assert.equal(child(child(books, "inbound")!, "cache-lookup")!.attrs["caching-type"], "internal");
      assert.equal(child(child(books, "outbound")!, "cache-store")!.attrs.duration, "60");
      const orders = names(child(parse(inputs("apimanagement:ApiOperationPolicy", "bookshop-policy-post-orders").value), "inbound"));
      assert.ok(orders.includes("rate-limit-by-key") && orders.includes("quota-by-key"));
    });

    it("reaches the function app through a backend holding the function key as a secret named value", () => {
      const nv = one("apimanagement:NamedValue", "bookshop-function-key");
      assert.equal((nv.inputs as Inputs).secret, true);
      assert.equal((nv.inputs as Inputs).value, "[secret]");
      assert.equal((nv.inputs as Inputs).displayName, (nv.inputs as Inputs).namedValueId);
      const b = one("apimanagement:Backend", "bookshop-functions-backend");
      const i = b.inputs as Inputs;
      assert.equal(i.url, `https://${inputs("web:WebApp").name}.azurewebsites.net/api`);
      assert.deepEqual(i.credentials, { header: { "x-functions-key": ["{{function-key}}"] } });
      assert.deepEqual(i.tls, { validateCertificateChain: true, validateCertificateName: true });
      assert.deepEqual(b.options.dependsOn, ["bookshop-function-key"]);
    });

    it("balances the weighted upstream through a pool of single backends", () => {
      const pool = inputs("apimanagement:Backend", "bookshop-pool-search");
      assert.equal(pool.type, "Pool");
      assert.equal(pool.url, undefined);
      assert.equal(pool.protocol, undefined);
      const members = ["bookshop-upstream-search-1", "bookshop-upstream-search-2"].map((n) => inputs("apimanagement:Backend", n));
      assert.deepEqual(
        pool.pool.services.map((s: Inputs) => s.weight),
        [80, 20],
      );
      assert.deepEqual(
        pool.pool.services.map((s: Inputs) => s.id.split("/").at(-1)),
        members.map((m) => m.backendId),
      );
      assert.deepEqual(
        members.map((m) => m.url),
        ["https://search-a.example.com", "https://search-b.example.com"],
      );
    });

    it("issues API keys as active subscriptions on a published product linked to the API", () => {
      const product = inputs("apimanagement:Product");
      assert.equal(product.state, "published");
      assert.equal(product.subscriptionRequired, true);
      assert.deepEqual(
        [inputs("apimanagement:ProductApi").productId, inputs("apimanagement:ProductApi").apiId],
        [product.productId, "bookshop"],
      );
      const subs = all("apimanagement:Subscription").map((s) => s.inputs as Inputs);
      assert.deepEqual(subs.map((s) => s.displayName).sort(), ["acme", "globex"]);
      for (const s of subs) {
        assert.equal(s.state, "active");
        assert.equal(s.scope, `/products/${product.productId}`);
      }
      assert.equal(plan.outputs.apiKeys, "[secret]");
    });

    it("logs requests to Application Insights through a logger whose credential is a secret named value", () => {
      const logger = one("apimanagement:Logger");
      assert.equal((logger.inputs as Inputs).loggerType, "applicationInsights");
      assert.deepEqual((logger.inputs as Inputs).credentials, {
        connectionString: "{{insights-connection}}",
        identityClientId: "SystemAssigned",
      });
      assert.deepEqual(logger.options.dependsOn, ["bookshop-apim-telemetry-role", "bookshop-insights-connection"]);
      assert.equal(inputs("apimanagement:NamedValue", "bookshop-insights-connection").value, "[secret]");
      const d = inputs("apimanagement:Diagnostic");
      assert.equal(d.diagnosticId, "applicationinsights");
      assert.match(d.loggerId, /\/loggers\/app-insights$/);
      assert.deepEqual(d.sampling, { samplingType: "fixed", percentage: 100 });
      assert.equal(d.frontend.request.body.bytes, 0);
      // The API key (header or query parameter, same name) and bearer tokens never reach the logs.
      assert.deepEqual(d.frontend.request.dataMasking, {
        headers: [
          { mode: "Mask", value: "Authorization" },
          { mode: "Hide", value: "x-api-key" },
        ],
        queryParams: [{ mode: "Hide", value: "x-api-key" }],
      });
      assert.deepEqual(d.backend.request.dataMasking, { queryParams: [{ mode: "Hide", value: "x-api-key" }] });
      assert.deepEqual(inputs("apimanagement:Api").subscriptionKeyParameterNames, { header: "x-api-key", query: "x-api-key" });
    });
  });

  it("tags every taggable resource with app, stack and the model's tags", () => {
    const types = [...new Set(plan.resources.map((r) => r.type).filter((t) => t.startsWith("azure-native:")))];
    const withTags = types.filter(taggable);
    assert.ok(withTags.length >= 9, withTags.join());
    for (const r of plan.resources.filter((x) => withTags.includes(x.type))) {
      const tags = (r.inputs as Inputs).tags;
      assert.equal(tags?.app, "bookshop", r.name);
      assert.equal(tags?.stack, "azure-dev", r.name);
      assert.equal(tags?.team, "books", r.name);
    }
    assert.equal(inputs("web:WebApp").tags.functions, "createOrder getBook health listBooks");
  });

  it("holds no secret in plain text", () => {
    const text = JSON.stringify(plan);
    for (const leak of ["mock-function-key", "mock-primary-key", "mock-secondary-key", "sig="]) assert.ok(!text.includes(leak), leak);
  });
});
