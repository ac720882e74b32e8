import * as pulumi from "@pulumi/pulumi";
import type { BuildResult } from "../../bundle";
import type { Api } from "../../model";
import type { CloudProvider, DeployedApi, DnsRecord, StackConfig } from "../types";
import { azureAlerts } from "./alerts";
import { apiManagement } from "./api-management";
import { azureCapabilities, azureLimits } from "./capabilities";
import { azureConfig } from "./config";
import { azureDnsRecords } from "./domain";
import { functionApp } from "./function-app";
import { mockCall, mockState } from "./mocks";
import { azureNames } from "./names";

/**
 * `switchyard:azure:Api`: the model on Azure Functions (Flex Consumption) behind API Management.
 * Every child is parented here and named `${name}-<role>`.
 */
export class AzureApi extends pulumi.ComponentResource implements DeployedApi {
  readonly url: pulumi.Output<string>;
  readonly apiKeys: pulumi.Output<Record<string, string>>;
  readonly functions: pulumi.Output<Record<string, string>>;
  readonly cloud = "azure" as const;
  readonly dnsRecords?: pulumi.Output<DnsRecord[]>;

  constructor(name: string, api: Api, config: StackConfig, build: BuildResult, opts?: pulumi.ComponentResourceOptions) {
    super("switchyard:azure:Api", name, {}, opts);
    const unit = build.units[0];
    if (!unit || build.units.length !== 1)
      throw new Error(`the Azure build must have exactly one unit (the app), got ${build.units.length}`);
    const cfg = azureConfig(config);
    if (!cfg.location) throw new Error("azure-native:location is not set; limits() must have refused the stack");
    const names = azureNames(name, config.stack);
    const tags = { ...api.tags, app: api.name, stack: config.stack };
    const fn = functionApp({ name, api, config, unit, names, location: cfg.location, tags, parent: this });
    const gateway = apiManagement({
      name,
      api,
      cfg,
      names,
      location: cfg.location,
      tags,
      resourceGroup: fn.resourceGroup,
      app: fn.app,
      insights: fn.insights,
      functionKey: fn.functionKey,
      roleDefinitionId: fn.roleDefinitionId,
      parent: this,
    });
    this.url = gateway.url;
    if (api.domain) this.dnsRecords = azureDnsRecords(api.domain, gateway.service, this);
    if (api.alerts) {
      azureAlerts({
        name,
        api,
        stack: config.stack,
        resourceGroupName: fn.resourceGroup.name,
        insightsId: fn.insights.id,
        appId: fn.app.id,
        location: cfg.location,
        tags,
        parent: this,
      });
    }
    this.apiKeys = gateway.apiKeys;
    this.functions = fn.app.id.apply((id) => Object.fromEntries(Object.keys(api.functions).map((f) => [f, `${id}/functions/${f}`])));
    this.registerOutputs({
      url: this.url,
      apiKeys: this.apiKeys,
      functions: this.functions,
      ...(this.dnsRecords ? { dnsRecords: this.dnsRecords } : {}),
    });
  }
}

export const provider: CloudProvider = {
  cloud: "azure",
  capabilities: azureCapabilities,
  limits: azureLimits,
  deploy: (name, api, config, build, opts) => new AzureApi(name, api, config, build, opts),
  mockState,
  mockCall,
};
