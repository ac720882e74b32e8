import * as pulumi from "@pulumi/pulumi";
import type { ModelIssue } from "../../model";
import type { StackConfig } from "../types";
import { APIM_SKUS, type ApimSku } from "./sku";

/** The Azure keys of the stack config (declared with their defaults in Pulumi.yaml). */
export interface AzureConfig {
  /** `switchyard:azure.apimSku`. @default "Consumption" */
  apimSku: ApimSku;
  /** `switchyard:azure.publisherEmail`: APIM's required publisher contact. */
  publisherEmail: string;
  /** `switchyard:azure.publisherName`. @default "switchyard" */
  publisherName: string;
  /** `switchyard:azure.logSamplingPercent`: APIM request telemetry sampled, 0–100. @default 100 */
  logSamplingPercent: number;
  /** `azure-native:location` (the provider's own key). */
  location?: string;
}

export const DEFAULTS = {
  apimSku: "Consumption",
  publisherEmail: "api-owner@example.com",
  publisherName: "switchyard",
  logSamplingPercent: 100,
} as const;

/**
 * Flex Consumption regions (azure.md §1.1: the Azure-Samples functions-quickstart-typescript-azd
 * `infra/main.bicep` allow-list, 2026-02-24). The live list: `az functionapp list-flexconsumption-locations`.
 */
export const FLEX_REGIONS = [
  "australiaeast",
  "australiasoutheast",
  "brazilsouth",
  "canadacentral",
  "centralindia",
  "centralus",
  "eastasia",
  "eastus",
  "eastus2",
  "francecentral",
  "germanywestcentral",
  "italynorth",
  "japaneast",
  "koreacentral",
  "northcentralus",
  "northeurope",
  "norwayeast",
  "southafricanorth",
  "southcentralus",
  "southeastasia",
  "southindia",
  "spaincentral",
  "swedencentral",
  "uaenorth",
  "uksouth",
  "ukwest",
  "westcentralus",
  "westeurope",
  "westus",
  "westus2",
  "westus3",
];

export function azureConfig(config: StackConfig): AzureConfig {
  const sku = config.get("azure.apimSku") ?? DEFAULTS.apimSku;
  const sampling = Number(config.get("azure.logSamplingPercent") ?? DEFAULTS.logSamplingPercent);
  const location = new pulumi.Config("azure-native").get("location");
  return {
    apimSku: (APIM_SKUS as readonly string[]).includes(sku) ? (sku as ApimSku) : DEFAULTS.apimSku,
    publisherEmail: config.get("azure.publisherEmail") ?? DEFAULTS.publisherEmail,
    publisherName: config.get("azure.publisherName") ?? DEFAULTS.publisherName,
    logSamplingPercent: Number.isFinite(sampling) ? sampling : DEFAULTS.logSamplingPercent,
    ...(location ? { location } : {}),
  };
}

/** Problems with the Azure keys themselves. */
export function configIssues(config: StackConfig): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const sku = config.get("azure.apimSku");
  if (sku !== undefined && !(APIM_SKUS as readonly string[]).includes(sku)) {
    issues.push({
      path: "switchyard:azure.apimSku",
      message: `"${sku}" is not an API Management tier switchyard deploys. Use one of: ${APIM_SKUS.join(", ")}.`,
    });
  }
  const sampling = config.get("azure.logSamplingPercent");
  if (sampling !== undefined && !(Number(sampling) >= 0 && Number(sampling) <= 100)) {
    issues.push({ path: "switchyard:azure.logSamplingPercent", message: `${sampling} is not a percentage. Use a number from 0 to 100.` });
  }
  const email = config.get("azure.publisherEmail");
  if (email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
    issues.push({
      path: "switchyard:azure.publisherEmail",
      message: `"${email}" is not an email address. APIM needs a publisher contact email.`,
    });
  }
  const location = new pulumi.Config("azure-native").get("location");
  if (!location) {
    issues.push({
      path: "azure-native:location",
      message: "is not set. Set a Flex Consumption region, e.g. `pulumi config set azure-native:location westeurope`.",
    });
  } else if (!FLEX_REGIONS.includes(location.toLowerCase().replace(/\s+/g, ""))) {
    issues.push({
      path: "azure-native:location",
      message: `"${location}" does not offer Flex Consumption. Use one of: ${FLEX_REGIONS.join(", ")} (check with \`az functionapp list-flexconsumption-locations\`).`,
    });
  }
  return issues;
}
