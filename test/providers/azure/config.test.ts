import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { DEFAULTS, FLEX_REGIONS } from "../../../providers/azure/config";
import { azureNames } from "../../../providers/azure/names";
import { APIM_SKUS } from "../../../providers/azure/sku";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const yaml = (file: string) => YAML.parse(fs.readFileSync(path.join(ROOT, file), "utf8"));

describe("providers/azure/config.ts and names.ts", () => {
  it("declares every Azure key the provider reads in Pulumi.yaml, typed, with the code's defaults", () => {
    const config = yaml("Pulumi.yaml").config as Record<string, { type: string; default: unknown }>;
    assert.deepEqual(config["azure.apimSku"], { ...config["azure.apimSku"], type: "string", default: DEFAULTS.apimSku });
    assert.deepEqual(config["azure.publisherEmail"], {
      ...config["azure.publisherEmail"],
      type: "string",
      default: DEFAULTS.publisherEmail,
    });
    assert.deepEqual(config["azure.publisherName"], { ...config["azure.publisherName"], type: "string", default: DEFAULTS.publisherName });
    assert.deepEqual(config["azure.logSamplingPercent"], {
      ...config["azure.logSamplingPercent"],
      type: "integer",
      default: DEFAULTS.logSamplingPercent,
    });
  });

  it("azure-dev picks a tier switchyard deploys and a Flex Consumption region", () => {
    const stack = yaml("stacks/Pulumi.azure-dev.yaml").config as Record<string, string>;
    assert.ok((APIM_SKUS as readonly string[]).includes(stack["switchyard:azure.apimSku"]!));
    assert.ok(FLEX_REGIONS.includes(stack["azure-native:location"]!));
  });

  it("gives valid, deterministic, stack-specific physical names", () => {
    for (const [api, stack] of [
      ["bookshop", "azure-dev"],
      ["a-very-long-api-name-xyz", "Feature_Branch.Preview-1234567890"],
      ["9lives", "dev"],
    ] as const) {
      const n = azureNames(api, stack);
      assert.deepEqual(azureNames(api, stack), n);
      assert.match(n.storage, /^[a-z0-9]{3,24}$/, n.storage);
      assert.match(n.vault, /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/, n.vault);
      assert.ok(!n.vault.includes("--"));
      assert.match(n.apim, /^[a-z][a-z0-9-]{0,48}[a-z0-9]$/, n.apim);
      assert.match(n.app, /^[a-z0-9][a-z0-9-]{0,58}[a-z0-9]$/, n.app);
      assert.ok(n.workspace.length >= 4 && n.workspace.length <= 63);
    }
    assert.notEqual(azureNames("bookshop", "azure-dev").storage, azureNames("bookshop", "azure-prod").storage);
  });
});
