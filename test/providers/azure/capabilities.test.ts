import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { type Api, formatIssue, loadApi, ModelError } from "../../../model";
import { provider } from "../../../providers/azure";
import { azureCapabilities, azureLimits, flexScale, retentionDays } from "../../../providers/azure/capabilities";
import { checkCapabilities } from "../../../providers/capabilities";
import { FEATURES, type StackConfig } from "../../../providers/types";
import { fakeStack } from "../../support/config";
import { EXAMPLE } from "../../support/models";

const FIXTURE = path.resolve(__dirname, "fixtures", "api.ts");

const stack = fakeStack;
const sku = (s: string) => stack({ "azure.apimSku": s });
const unsupported = (api: Api, config: StackConfig) =>
  Object.entries(azureCapabilities(api, config))
    .filter(([, a]) => a.support === "unsupported")
    .map(([f]) => f)
    .sort();

describe("providers/azure/capabilities.ts", () => {
  const example = loadApi(EXAMPLE);
  const fixture = loadApi(FIXTURE);
  before(() => pulumi.runtime.setAllConfig({ "azure-native:location": "westeurope" }));

  it("answers every feature", () => {
    assert.deepEqual(Object.keys(azureCapabilities(example, sku("Consumption"))).sort(), Object.keys(FEATURES).sort());
  });

  it("Consumption cannot cache, limit per client or JWT subject, or count JWT quotas, and names the tier that can", () => {
    assert.deepEqual(unsupported(example, sku("Consumption")), [
      "cache",
      "cache.varyBy",
      "function.canary",
      "rateLimit",
      "rateLimit.perConsumer",
      "rateLimit.quota",
    ]);
    const table = azureCapabilities(example, sku("Consumption"));
    assert.match(table.cache.alternatives!.join(" "), /BasicV2 or Developer/);
    assert.match(table["rateLimit.quota"].note, /"POST \/orders"/);
    assert.match(table["rateLimit.quota"].alternatives!.join(" "), /Developer for dev\/test/);
    assert.match(table.rateLimit.note, /"GET \/health"/);
  });

  it("BasicV2 has the cache and by-key rate limits but no quota-by-key nor managed certificate; Developer has everything", () => {
    assert.deepEqual(unsupported(example, sku("BasicV2")), ["domain", "function.canary", "rateLimit.quota"]);
    assert.deepEqual(unsupported(example, sku("Developer")), ["function.canary"]);
    assert.equal(azureCapabilities(example, sku("Developer"))["rateLimit.quota"].support, "native");
    assert.equal(azureCapabilities(example, sku("Developer")).cache.support, "native");
  });

  it("Consumption limits API-key routes natively per subscription", () => {
    const keyed: Api = { ...fixture, routes: fixture.routes.filter((r) => r.auth.kind === "apiKey") };
    assert.deepEqual(
      unsupported(keyed, sku("Consumption")).filter((f) => f.startsWith("rateLimit")),
      [],
    );
    assert.match(azureCapabilities(keyed, sku("Consumption"))["rateLimit.quota"].note, /quota per subscription.*30 days/);
  });

  it("reports per-app Flex settings as substitutes with the values they take", () => {
    const t = azureCapabilities(fixture, sku("Developer"));
    assert.equal(t["function.memory"].support, "substitute");
    assert.match(t["function.memory"].note, /gives 2048 MB/);
    assert.match(t["function.concurrency"].note, /\(4\)/);
    assert.deepEqual(flexScale(fixture), { instanceMemoryMB: 2048, maximumInstanceCount: 60, perInstanceConcurrency: 4, alwaysReady: 1 });
    assert.deepEqual(flexScale(example), { instanceMemoryMB: 512, maximumInstanceCount: 20, perInstanceConcurrency: 10, alwaysReady: 0 });
    assert.match(azureCapabilities(example, sku("Developer"))["function.scaling.max"].note, /under 40 are accepted only in some regions/);
  });

  it("keeps log retention inside Log Analytics' 30–730 days", () => {
    assert.equal(retentionDays(example), 30);
    assert.equal(azureCapabilities(example, sku("Developer"))["logging.retention"].support, "substitute");
    assert.equal(retentionDays(fixture), 400);
    assert.equal(azureCapabilities(fixture, sku("Developer"))["logging.retention"].support, "native");
  });

  it("fails the example on Consumption with every unsupported use, and passes once the stack accepts them", () => {
    assert.throws(
      () => checkCapabilities(provider, example, sku("Consumption")),
      (e: unknown) => {
        assert.ok(e instanceof ModelError);
        const paths = e.issues.map((i) => i.path);
        assert.ok(paths.includes('routes["GET /books"].cache'));
        assert.ok(paths.includes('routes["POST /orders"].rateLimit.quota'));
        return true;
      },
    );
    const accepted = stack({
      "azure.apimSku": "Consumption",
      allowUnsupported: JSON.stringify([
        "rateLimit",
        "rateLimit.perConsumer",
        "rateLimit.quota",
        "cache",
        "cache.varyBy",
        "function.canary",
      ]),
    });
    assert.equal(checkCapabilities(provider, example, accepted).accepted.length, 6);
    const developer = stack({ "azure.apimSku": "Developer", allowUnsupported: JSON.stringify(["function.canary"]) });
    assert.doesNotThrow(() => checkCapabilities(provider, example, developer));
  });

  describe("limits", () => {
    it("accepts the example on a Flex region", () => {
      assert.deepEqual(azureLimits(example, sku("Developer")), []);
    });

    it("rejects memory, timeout and scale beyond Flex and HTTP triggers, and clashing app settings", () => {
      const [a, b] = Object.values(example.functions);
      const api: Api = {
        ...example,
        functions: {
          ...example.functions,
          [a!.name]: { ...a!, memoryMb: 8192, timeoutSeconds: 300, environment: { MODE: "a" } },
          [b!.name]: { ...b!, scaling: { min: 0, max: 2000 }, environment: { MODE: "b", WEBSITE_RUN_FROM_PACKAGE: "1" } },
        },
      };
      assert.deepEqual(azureLimits(api, sku("Developer")).map(formatIssue), [
        `functions.${a!.name}.memoryMb: 8192 MB is more than a Flex Consumption instance has (4096 MB). Use ≤ 4096.`,
        `functions.${a!.name}.timeoutSeconds: 300 s is longer than an HTTP-triggered Azure Function may take to answer (230 s). Use ≤ 230.`,
        `functions.${b!.name}.scaling.max: Flex Consumption scales to at most 1000 instances. Use ≤ 1000.`,
        `functions.${b!.name}.environment.MODE: differs from functions.${a!.name}.environment.MODE; on Azure all functions share one app's settings. Use one value or different names.`,
        `functions.${b!.name}.environment.WEBSITE_RUN_FROM_PACKAGE: "WEBSITE_RUN_FROM_PACKAGE" is an app setting the Functions platform owns or Flex rejects. Rename it.`,
      ]);
    });

    it("rejects an unknown APIM tier and a region without Flex Consumption", () => {
      pulumi.runtime.setAllConfig({ "azure-native:location": "chinaeast" });
      try {
        assert.deepEqual(
          azureLimits(example, sku("PremiumV2")).map((i) => i.path),
          ["switchyard:azure.apimSku", "azure-native:location"],
        );
      } finally {
        pulumi.runtime.setAllConfig({ "azure-native:location": "westeurope" });
      }
    });
  });
});
