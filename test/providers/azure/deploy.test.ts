import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { build } from "../../../bundle";
import { loadApi } from "../../../model";
import { sasWindow } from "../../../providers/azure/function-app";
import type { DeployedApi, StackConfig } from "../../../providers/types";
import { EXAMPLE } from "../../support/models";

const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** Runs the provider's deploy in this process under Pulumi mocks, recording registrations and invokes in order. */
describe("providers/azure/index.ts (deploy under mocks)", () => {
  const events: string[] = [];
  const calls: { token: string; inputs: Record<string, unknown> }[] = [];
  const registered: Registered[] = [];
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-azure-deploy-"));
  let deployed: DeployedApi;

  before(async () => {
    pulumi.runtime.setAllConfig({ "azure-native:location": "westeurope" });
    const { mockCall, mockState } = await import("../../../providers/azure/mocks");
    await pulumi.runtime.setMocks(
      {
        newResource: (a) => {
          events.push(`resource ${a.type}`);
          registered.push({ type: a.type, name: a.name, inputs: a.inputs });
          const extra = mockState(a.type, a.name, a.inputs);
          return { id: (extra.id as string | undefined) ?? `${a.name}-id`, state: { ...a.inputs, ...extra } };
        },
        call: (c) => {
          events.push(`call ${c.token}`);
          calls.push({ token: c.token, inputs: c.inputs });
          return mockCall(c.token, c.inputs);
        },
      },
      "switchyard",
      "unit",
      false,
    );
    const { provider } = await import("../../../providers/azure");
    const api = loadApi(EXAMPLE);
    const config: StackConfig = {
      stack: "unit",
      // The other tier than the azure-dev plan's Developer: deploy is called without the capability
      // check here, so the features Consumption lacks are simply left out of the policies.
      get: (k) => ({ "azure.apimSku": "Consumption" })[k],
      getObject: () => undefined,
      getSecret: (k) => (k === "PAYMENT_KEY" ? pulumi.secret("pay-s3cr3t") : undefined),
    };
    deployed = provider.deploy(api.name, api, config, await build(api, "azure", out));
    await new Promise((resolve) => pulumi.all([deployed.url, deployed.apiKeys, deployed.functions]).apply(resolve));
    // Registrations that wait on invokes finish after the outputs: wait for every outstanding RPC.
    await (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }).waitForRPCs();
  });
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  const find = (type: string, name: string) => registered.find((r) => r.type === `azure-native:${type}` && r.name === name);
  const unwrap = (v: unknown) =>
    v && typeof v === "object" && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG ? (v as { value: unknown }).value : v;

  it("reads the host keys only after the OneDeploy deployment is registered", () => {
    const deploy = events.indexOf("resource azure-native:resources:Deployment");
    const keys = events.indexOf("call azure-native:web:listWebAppHostKeys");
    assert.ok(deploy >= 0 && keys >= 0, events.join("\n"));
    assert.ok(keys > deploy, `listWebAppHostKeys (#${keys}) ran before the Deployment (#${deploy})`);
  });

  it("feeds the default host function key into the secret named value", () => {
    const nv = find("apimanagement:NamedValue", "bookshop-function-key");
    assert.ok(nv);
    const app = find("web:WebApp", "bookshop-app")!.inputs.name as string;
    assert.equal((nv.inputs.value as Record<string, unknown>)[SIG_KEY], SECRET_SIG);
    assert.equal(unwrap(nv.inputs.value), `mock-function-key-${app}`);
  });

  it("returns the consumers' subscription keys as a secret, read with listSubscriptionSecrets", async () => {
    assert.equal(await pulumi.isSecret(deployed.apiKeys), true);
    const keys = await new Promise((resolve) => deployed.apiKeys.apply(resolve));
    assert.deepEqual(keys, { acme: "mock-primary-key-partners-acme", globex: "mock-primary-key-partners-globex" });
  });

  it("stores the function secret in Key Vault as a secret and never in the app settings", () => {
    const secret = find("keyvault:Secret", "bookshop-secret-payment-key")!;
    // Mocks hoist secretness to the top-level property.
    assert.equal((secret.inputs.properties as Record<string, unknown>)[SIG_KEY], SECRET_SIG);
    assert.deepEqual(unwrap(secret.inputs.properties), { value: "pay-s3cr3t" });
    const settings = JSON.stringify(find("web:WebAppApplicationSettings", "bookshop-settings")!.inputs);
    assert.ok(!settings.includes("pay-s3cr3t"));
    assert.match(settings, /@Microsoft\.KeyVault\(SecretUri=https:\/\/kvbookshop[0-9a-f]{8}\.vault\.azure\.net\/secrets\/PAYMENT-KEY\)/);
  });

  it("passes OneDeploy a secret package URI: the content-hashed blob with a read-only HTTPS SAS", () => {
    const d = find("resources:Deployment", "bookshop-deploy")!;
    assert.equal((d.inputs.properties as Record<string, unknown>)[SIG_KEY], SECRET_SIG);
    const params = (unwrap(d.inputs.properties) as Record<string, Record<string, { value: unknown }>>).parameters!;
    const blob = find("storage:Blob", "bookshop-package")!.inputs.blobName as string;
    const uri = params.packageUri!.value as string;
    assert.match(uri, new RegExp(`^https://bookshopfn[0-9a-f]{8}\\.blob\\.core\\.windows\\.net/packages/${blob}\\?sv=.*sp=r`));
  });

  it("sizes APIM Consumption with capacity 0 and leaves the cache and by-key limits out of its policies", () => {
    const service = find("apimanagement:ApiManagementService", "bookshop-apim")!.inputs;
    assert.deepEqual(service.sku, { name: "Consumption", capacity: 0 });
    assert.equal(service.enableClientCertificate, false);
    const books = find("apimanagement:ApiOperationPolicy", "bookshop-policy-get-books")!.inputs.value as string;
    assert.match(books, /<rate-limit calls="100" renewal-period="2" \/>/);
    assert.doesNotMatch(books, /cache-lookup|cache-store|rate-limit-by-key/);
    const orders = find("apimanagement:ApiOperationPolicy", "bookshop-policy-post-orders")!.inputs.value as string;
    assert.doesNotMatch(orders, /quota|rate-limit/);
  });

  it("signs the package with a read-only, HTTPS-only blob SAS over fixed timestamps", () => {
    const sas = calls.filter((c) => c.token === "azure-native:storage:listStorageAccountServiceSAS");
    assert.equal(sas.length, 1);
    const account = find("storage:StorageAccount", "bookshop-storage")!.inputs.accountName as string;
    const blob = find("storage:Blob", "bookshop-package")!.inputs.blobName as string;
    const window = sasWindow();
    assert.deepEqual(sas[0]!.inputs, {
      accountName: account,
      resourceGroupName: "bookshop-unit-rg",
      canonicalizedResource: `/blob/${account}/packages/${blob}`,
      resource: "b",
      permissions: "r",
      protocols: "https",
      sharedAccessStartTime: window.start,
      sharedAccessExpiryTime: window.expiry,
    });
    assert.deepEqual(sasWindow(new Date("2026-11-27T07:00:00Z")), { start: "2026-01-01T00:00:00Z", expiry: "2028-01-01T00:00:00Z" });
  });

  it("names each function by its resource id under the app", async () => {
    const fns = (await new Promise((resolve) => deployed.functions.apply(resolve))) as Record<string, string>;
    assert.deepEqual(Object.keys(fns).sort(), ["createOrder", "getBook", "health", "listBooks"]);
    assert.match(
      fns.getBook!,
      /^\/subscriptions\/0{8}-0{4}-0{4}-0{4}-0{12}\/resourceGroups\/bookshop-unit-rg\/providers\/Microsoft\.Web\/sites\/bookshop-unit-[0-9a-f]{8}\/functions\/getBook$/,
    );
  });
});
