import * as apimanagement from "@pulumi/azure-native/apimanagement";
import type * as azureTypes from "@pulumi/azure-native/types/input";
import * as pulumi from "@pulumi/pulumi";
import type { Domain } from "../../model";
import type { DnsRecord } from "../types";

/**
 * The model's domain as an API Management gateway hostname (`hostnameConfigurations` on the service,
 * node_modules/@pulumi/azure-native/types/input.d.ts HostnameConfigurationArgs): type `Proxy`;
 * `certificateSource: "Managed"` (a free certificate API Management issues and renews; not on
 * Consumption, see production-capabilities.ts) or `"KeyVault"` with `keyVaultId` = the model's Key
 * Vault secret id, read by the service's system-assigned identity (which needs the Key Vault Secrets
 * User role on that vault: granted outside the stack, as the vault is not the stack's). TLS: the
 * gateway's default minimum is 1.2 (SECURITY.md AZ-6).
 */
export function hostnameConfiguration(domain: Domain): azureTypes.apimanagement.HostnameConfigurationArgs {
  return domain.certificate === "managed"
    ? { type: "Proxy", hostName: domain.name, certificateSource: "Managed" }
    : { type: "Proxy", hostName: domain.name, certificateSource: "KeyVault", keyVaultId: domain.certificate };
}

/**
 * The DNS records the custom hostname needs (https://learn.microsoft.com/azure/api-management/configure-custom-domain,
 * "DNS configuration"): a CNAME from the domain to the service's `<name>.azure-api.net` host; with the
 * free managed certificate only, also the `apimuid.<domain>` TXT record holding the domain ownership
 * identifier ("When enabling the free, managed certificate for API Management, also configure a TXT
 * record"; apimanagement.getApiManagementServiceDomainOwnershipIdentifier). Azure DNS zones are not
 * managed by the stack: the user creates them.
 */
export function azureDnsRecords(
  domain: Domain,
  service: apimanagement.ApiManagementService,
  parent: pulumi.Resource,
): pulumi.Output<DnsRecord[]> {
  const cname = service.gatewayUrl.apply(
    (url): DnsRecord => ({
      name: domain.name,
      type: "CNAME",
      value: new URL(url).hostname,
      purpose: "routes the domain to the API Management gateway",
      managed: false,
    }),
  );
  if (domain.certificate !== "managed") return pulumi.all([cname]);
  const ownership = apimanagement.getApiManagementServiceDomainOwnershipIdentifierOutput({ parent });
  return pulumi.all([
    cname,
    ownership.domainOwnershipIdentifier.apply(
      (id): DnsRecord => ({
        name: `apimuid.${domain.name}`,
        type: "TXT",
        value: id,
        purpose: "proves domain ownership to API Management (managed certificate)",
        managed: false,
      }),
    ),
  ]);
}
