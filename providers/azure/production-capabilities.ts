import type { Api, ModelIssue } from "../../model";
import type { CapabilityAnswer, CapabilityTable } from "../types";
import type { ApimSku } from "./sku";

type ProductionFeature = "domain" | "alerts" | "tracing" | "function.canary";

/** A Key Vault secret id: `https://<vault>.vault.azure.net/secrets/<name>[/<version>]`. */
export const KEY_VAULT_SECRET_ID = /^https:\/\/[a-z0-9-]{3,24}\.vault\.azure\.net\/secrets\/[A-Za-z0-9-]{1,127}(\/[0-9a-f]{32})?$/;

/**
 * Free managed certificates for an APIM custom hostname are "Not supported in the v2 tiers"
 * (https://learn.microsoft.com/azure/api-management/configure-custom-domain, Managed tab, Limitations;
 * also the v2 overview's Gateway limitations: "Free, managed TLS certificate",
 * https://learn.microsoft.com/azure/api-management/v2-service-tiers-overview). The classic tiers and
 * Consumption offer them (certificateSource "Managed" in @pulumi/azure-native types/enums/apimanagement).
 */
const NO_MANAGED_CERTIFICATE: readonly ApimSku[] = ["BasicV2", "StandardV2"];

export function managedCertificateProblem(api: Api, sku: ApimSku): string | undefined {
  if (api.domain?.certificate !== "managed" || !NO_MANAGED_CERTIFICATE.includes(sku)) return undefined;
  return `API Management ${sku} (a v2 tier) offers no free managed certificate for a custom hostname`;
}

/** What Azure does with the production features (issue #11). */
export function azureProductionCapabilities(api: Api, sku: ApimSku): Pick<CapabilityTable, ProductionFeature> {
  const managedProblem = managedCertificateProblem(api, sku);
  const domain: CapabilityAnswer = managedProblem
    ? {
        support: "unsupported",
        note: managedProblem,
        alternatives: [
          "import a certificate into Key Vault and set domain.certificate to its secret id https://<vault>.vault.azure.net/secrets/<name>",
          "use a classic tier or Consumption (switchyard:azure.apimSku), which offer managed certificates",
        ],
      }
    : {
        support: "native",
        note:
          `API Management custom gateway hostname (hostnameConfigurations, ${api.domain?.certificate === "managed" ? "certificateSource Managed" : "certificateSource KeyVault, read by the service's managed identity"}); ` +
          (api.domain?.certificate === "managed"
            ? "the CNAME to <service>.azure-api.net and the apimuid TXT record are listed in the stack output dnsRecords; " +
              'a managed certificate "can only be configured when updating an existing API Management instance, not when creating an instance" ' +
              "(configure-custom-domain, Limitations): on a new stack, deploy without domain first"
            : "the CNAME to <service>.azure-api.net is listed in the stack output dnsRecords"),
      };
  const alerts: CapabilityAnswer = {
    support: "native",
    note:
      "Azure Monitor alerts to an action group with email and webhook receivers: the API's 5xx share and p99 latency as log alerts " +
      "(monitor.ScheduledQueryRule over Application Insights requests: API Management metrics have no percentage or percentile aggregation), " +
      "and the function app's Http5xx as a metric alert (monitor.MetricAlert)",
  };
  const tracing: CapabilityAnswer = {
    support: "native",
    note: api.logging.access
      ? "Application Insights distributed tracing, already connected: the APIM diagnostic correlates with W3C traceparent (sampling switchyard:azure.logSamplingPercent) and the Functions host reports to the same component; ctx.traceId comes from traceparent"
      : "Application Insights on the Functions host (already connected); APIM request telemetry is off with logging.access false, so traces start at the function; ctx.traceId comes from traceparent",
  };
  const canary: CapabilityAnswer = {
    support: "unsupported",
    note: 'Flex Consumption function apps have no deployment slots to split traffic between two code versions (https://learn.microsoft.com/azure/azure-functions/functions-deployment-slots: Flex Consumption "Not currently supported")',
    alternatives: [
      "deploy the new version as a second stack and split traffic in front of both with Azure Front Door or Traffic Manager weighted routing",
      "roll out behind a feature flag (Azure App Configuration) read by the handler",
    ],
  };
  return { domain, alerts, tracing, "function.canary": canary };
}

/** The domain settings Azure cannot take, with paths and fixes. */
export function azureProductionLimits(api: Api): ModelIssue[] {
  const cert = api.domain?.certificate;
  if (!cert || cert === "managed" || KEY_VAULT_SECRET_ID.test(cert)) return [];
  return [
    {
      path: "domain.certificate",
      message: `"${cert}" is not a Key Vault secret id. Use "managed", or https://<vault>.vault.azure.net/secrets/<name> (the certificate imported into Key Vault).`,
    },
  ];
}
