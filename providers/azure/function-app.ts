import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import * as web from "@pulumi/azure-native/web";
import * as pulumi from "@pulumi/pulumi";
import type { BuiltUnit } from "../../bundle";
import type { Api } from "../../model";
import type { StackConfig } from "../types";
import { flexScale, retentionDays } from "./capabilities";
import type { AzureNames } from "./names";

/** Built-in role definition GUIDs (azure.md §1.2, from Azure-Samples `IaC/bicep/rbac.bicep`). */
export const ROLES = {
  storageBlobDataOwner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  /** https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/security#key-vault-secrets-user */
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  /** Telemetry with Entra auth when App Insights local auth is off (azure.md §1.2 RBAC table). */
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
} as const;

/** Runtime for `functionAppConfig.runtime`: "22", not "22.x" (azure.md §1.2 and G5; Node 22 is LTS to Apr 2027). */
export const NODE_RUNTIME = { name: "node", version: "22" } as const;
/** The Flex deployment container (`functionAppConfig.deployment.storage`); OneDeploy writes released-package.zip there. */
export const DEPLOYMENT_CONTAINER = "app-package";
/** Where the uploaded packages live: not the deployment container (azure.md G7). */
export const PACKAGE_CONTAINER = "packages";
/**
 * The SAS for OneDeploy's packageUri. Fixed per calendar year so plans stay stable (azure.md G11):
 * it changes (and redeploys the same package) once a year; OneDeploy copies the package into the
 * deployment container, so the SAS only has to be valid while the deployment runs.
 */
export function sasWindow(now = new Date()): { start: string; expiry: string } {
  const y = now.getUTCFullYear();
  return { start: `${y}-01-01T00:00:00Z`, expiry: `${y + 2}-01-01T00:00:00Z` };
}

export interface FunctionAppArgs {
  name: string;
  api: Api;
  config: StackConfig;
  unit: BuiltUnit;
  names: AzureNames;
  location: string;
  tags: Record<string, string>;
  parent: pulumi.Resource;
}

export interface FunctionApp {
  resourceGroup: resources.ResourceGroup;
  app: web.WebApp;
  insights: applicationinsights.Component;
  deploy: resources.Deployment;
  /** The host's default function key (a secret), read only after the code is deployed. */
  functionKey: pulumi.Output<string>;
  /** Full subscription-scoped role definition id of a built-in role GUID. */
  roleDefinitionId: (guid: string) => pulumi.Output<string>;
}

/**
 * The Flex Consumption function app and everything it needs: storage, logs, identity, settings,
 * Key Vault for the model's secrets, and the package deployed with OneDeploy (azure.md §1.2–1.3).
 */
export function functionApp(a: FunctionAppArgs): FunctionApp {
  const { name, api, names, location, tags } = a;
  const opts = { parent: a.parent };
  const client = authorization.getClientConfigOutput(opts);
  const role = (guid: string) =>
    pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

  const rg = new resources.ResourceGroup(`${name}-rg`, { resourceGroupName: names.resourceGroup, location, tags }, opts);
  const resourceGroupName = rg.name;

  const account = new storage.StorageAccount(
    `${name}-storage`,
    {
      accountName: names.storage,
      resourceGroupName,
      location,
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
      minimumTlsVersion: "TLS1_2",
      enableHttpsTrafficOnly: true,
      allowBlobPublicAccess: false,
      allowCrossTenantReplication: false,
      // storage.Blob uploads and the OneDeploy SAS are signed with the account key (azure.md G6);
      // the app itself reaches storage with its identity only.
      allowSharedKeyAccess: true,
      defaultToOAuthAuthentication: true,
      tags,
    },
    opts,
  );
  const container = (role: string, containerName: string) =>
    new storage.BlobContainer(
      `${name}-${role}`,
      { accountName: account.name, resourceGroupName, containerName, publicAccess: "None" },
      opts,
    );
  container("deployment-container", DEPLOYMENT_CONTAINER);
  const packages = container("package-container", PACKAGE_CONTAINER);

  // Content-addressed, and named released-package.zip as OneDeploy expects (azure.md corrections 2, G7).
  const blobName = `${a.unit.hash.slice(0, 16)}/released-package.zip`;
  const blob = new storage.Blob(
    `${name}-package`,
    {
      accountName: account.name,
      resourceGroupName,
      containerName: packages.name,
      blobName,
      type: "Block",
      contentType: "application/zip",
      source: new pulumi.asset.FileArchive(a.unit.dir),
    },
    opts,
  );

  const workspace = new operationalinsights.Workspace(
    `${name}-logs`,
    { workspaceName: names.workspace, resourceGroupName, location, sku: { name: "PerGB2018" }, retentionInDays: retentionDays(api), tags },
    opts,
  );
  const insights = new applicationinsights.Component(
    `${name}-insights`,
    {
      resourceName: names.insights,
      resourceGroupName,
      location,
      kind: "web",
      applicationType: "web",
      ingestionMode: "LogAnalytics",
      workspaceResourceId: workspace.id,
      // Entra-only ingestion: the connection string alone cannot send telemetry (SECURITY.md AZ-22).
      disableLocalAuth: true,
      tags,
    },
    opts,
  );

  const plan = new web.AppServicePlan(
    `${name}-plan`,
    {
      name: names.plan,
      resourceGroupName,
      location,
      kind: "functionapp",
      reserved: true,
      sku: { name: "FC1", tier: "FlexConsumption" },
      tags,
    },
    opts,
  );
  const scale = flexScale(api);
  // No siteConfig: on Flex the SDK would inject netFrameworkVersion, which newer stamps reject (azure.md G1).
  // Without it minTlsVersion stays the platform default for new apps, 1.2 (SECURITY.md AZ-11).
  const app = new web.WebApp(
    `${name}-app`,
    {
      name: names.app,
      resourceGroupName,
      location,
      kind: "functionapp,linux",
      serverFarmId: plan.id,
      httpsOnly: true,
      identity: { type: "SystemAssigned" },
      functionAppConfig: {
        deployment: {
          storage: {
            type: "blobContainer",
            value: pulumi.interpolate`${account.primaryEndpoints.blob}${DEPLOYMENT_CONTAINER}`,
            authentication: { type: "SystemAssignedIdentity" },
          },
        },
        runtime: NODE_RUNTIME,
        scaleAndConcurrency: {
          instanceMemoryMB: scale.instanceMemoryMB,
          ...(scale.maximumInstanceCount !== undefined ? { maximumInstanceCount: scale.maximumInstanceCount } : {}),
          ...(scale.perInstanceConcurrency !== undefined
            ? { triggers: { http: { perInstanceConcurrency: scale.perInstanceConcurrency } } }
            : {}),
          ...(scale.alwaysReady > 0 ? { alwaysReady: [{ name: "http", instanceCount: scale.alwaysReady }] } : {}),
        },
      },
      tags: { ...tags, functions: Object.keys(api.functions).join(" ").slice(0, 256) },
    },
    opts,
  );
  const principalId = app.identity.apply((i) => i?.principalId ?? "");

  // Basic-auth publishing off: code arrives through ARM OneDeploy only (SECURITY.md AZ-12).
  new web.WebAppFtpAllowed(`${name}-ftp-publishing`, { name: app.name, resourceGroupName, allow: false }, opts);
  new web.WebAppScmAllowed(`${name}-scm-publishing`, { name: app.name, resourceGroupName, allow: false }, opts);

  const storageRole = new authorization.RoleAssignment(
    `${name}-storage-role`,
    { scope: account.id, principalId, principalType: "ServicePrincipal", roleDefinitionId: role(ROLES.storageBlobDataOwner) },
    opts,
  );

  const telemetryRole = new authorization.RoleAssignment(
    `${name}-telemetry-role`,
    { scope: insights.id, principalId, principalType: "ServicePrincipal", roleDefinitionId: role(ROLES.monitoringMetricsPublisher) },
    opts,
  );

  const secretRefs = secretsVault(a, rg, client.tenantId, principalId, role(ROLES.keyVaultSecretsUser));
  const environment = Object.assign({}, ...Object.values(api.functions).map((f) => f.environment)) as Record<string, string>;
  const settings = new web.WebAppApplicationSettings(
    `${name}-settings`,
    {
      name: app.name,
      resourceGroupName,
      properties: {
        ...environment,
        ...secretRefs.settings,
        // Identity-based host storage (azure.md §1.2): no connection string, no key.
        AzureWebJobsStorage__accountName: account.name,
        APPLICATIONINSIGHTS_CONNECTION_STRING: insights.connectionString,
        // The system-assigned identity sends telemetry (local auth is off on the component).
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: "Authorization=AAD",
      },
    },
    opts,
  );

  const sas = sasWindow();
  const token = storage.listStorageAccountServiceSASOutput(
    {
      accountName: account.name,
      resourceGroupName,
      canonicalizedResource: pulumi.interpolate`/blob/${account.name}/${PACKAGE_CONTAINER}/${blobName}`,
      resource: "b",
      permissions: "r",
      protocols: "https",
      sharedAccessStartTime: sas.start,
      sharedAccessExpiryTime: sas.expiry,
    },
    opts,
  );
  const packageUri = pulumi.secret(
    pulumi.interpolate`${account.primaryEndpoints.blob}${PACKAGE_CONTAINER}/${blobName}?${token.serviceSasToken}`,
  );
  // OneDeploy through ARM (azure.md §1.3 B): azure-native has no sites/extensions resource. It reruns
  // whenever packageUri changes, i.e. with every new package hash (G9). Never mode "Complete".
  const deploy = new resources.Deployment(
    `${name}-deploy`,
    {
      deploymentName: names.deployment,
      resourceGroupName,
      properties: {
        mode: "Incremental",
        template: ONEDEPLOY_TEMPLATE,
        parameters: { siteName: { value: app.name }, packageUri: { value: packageUri } },
      },
      tags,
    },
    { ...opts, dependsOn: [storageRole, telemetryRole, settings, blob, ...secretRefs.roles] },
  );

  // Keys exist only once the host runs the deployed package (azure.md G10).
  const hostKeys = web.listWebAppHostKeysOutput({ name: app.name, resourceGroupName }, { parent: a.parent, dependsOn: [deploy] });
  const functionKey = pulumi.secret(hostKeys.apply((k) => k.functionKeys?.["default"] ?? ""));
  return { resourceGroup: rg, app, insights, deploy, functionKey, roleDefinitionId: role };
}

/** The ARM template that runs OneDeploy (learn.microsoft.com/azure/templates/microsoft.web/sites/extensions-onedeploy). */
export const ONEDEPLOY_TEMPLATE = {
  $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  contentVersion: "1.0.0.0",
  parameters: { siteName: { type: "string" }, packageUri: { type: "securestring" } },
  resources: [
    {
      type: "Microsoft.Web/sites/extensions",
      apiVersion: "2024-11-01",
      name: "[concat(parameters('siteName'), '/onedeploy')]",
      // The package already holds the bundle and host.json; nothing to build remotely.
      properties: { packageUri: "[parameters('packageUri')]", remoteBuild: false },
    },
  ],
};

/** Key Vault name for a model secret: `[0-9a-zA-Z-]` (env names' '_' become '-'). */
export function vaultSecretName(secret: string): string {
  return secret.replace(/_/g, "-");
}

/**
 * The model's secrets in a Key Vault (RBAC mode), read by the app's identity as Key Vault
 * references: the value never appears in the app's settings (SECURITY.md X1).
 * https://learn.microsoft.com/azure/app-service/app-service-key-vault-references
 */
function secretsVault(
  a: FunctionAppArgs,
  rg: resources.ResourceGroup,
  tenantId: pulumi.Output<string>,
  principalId: pulumi.Output<string>,
  roleDefinitionId: pulumi.Output<string>,
): { settings: Record<string, pulumi.Output<string>>; roles: pulumi.Resource[] } {
  const { name, api, tags } = a;
  const opts = { parent: a.parent };
  const owners = new Map<string, string[]>();
  for (const f of Object.values(api.functions)) for (const s of f.secrets) owners.set(s, [...(owners.get(s) ?? []), f.name]);
  if (owners.size === 0) return { settings: {}, roles: [] };
  const vault = new keyvault.Vault(
    `${name}-vault`,
    {
      vaultName: a.names.vault,
      resourceGroupName: rg.name,
      location: a.location,
      properties: { tenantId, sku: { family: "A", name: "standard" }, enableRbacAuthorization: true, softDeleteRetentionInDays: 7 },
      tags,
    },
    opts,
  );
  const settings: Record<string, pulumi.Output<string>> = {};
  for (const [secret, fns] of [...owners].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const value = a.config.getSecret(secret);
    if (!value) continue; // program/run.ts has already refused a missing secret
    const s = new keyvault.Secret(
      `${name}-secret-${vaultSecretName(secret).toLowerCase()}`,
      {
        vaultName: vault.name,
        resourceGroupName: rg.name,
        secretName: vaultSecretName(secret),
        properties: { value },
        tags: { ...tags, functions: fns.join(" ") },
      },
      opts,
    );
    settings[secret] = pulumi.interpolate`@Microsoft.KeyVault(SecretUri=${s.properties.secretUri})`;
  }
  const role = new authorization.RoleAssignment(
    `${name}-vault-role`,
    { scope: vault.id, principalId, principalType: "ServicePrincipal", roleDefinitionId },
    opts,
  );
  return { settings, roles: [role] };
}
