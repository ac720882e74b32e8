/**
 * Realistic outputs for the offline plan (plan/run.ts mocks): ARM ids, host names, identities and the
 * results of the invokes the provider uses. Never real values: the subscription is all zeros.
 */
export const MOCK_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
export const MOCK_TENANT = "72f988bf-0000-0000-0000-000000000000";
export const MOCK_PRINCIPAL = "11111111-1111-1111-1111-111111111111";

type Inputs = Record<string, unknown>;
const str = (v: unknown, fallback: string) => (typeof v === "string" && v ? v : fallback);

/** type token → ARM provider path and the input holding the resource's own name. */
const ARM: Record<string, { path: string; key: string }> = {
  "azure-native:storage:StorageAccount": { path: "Microsoft.Storage/storageAccounts", key: "accountName" },
  "azure-native:operationalinsights:Workspace": { path: "Microsoft.OperationalInsights/workspaces", key: "workspaceName" },
  "azure-native:applicationinsights:Component": { path: "Microsoft.Insights/components", key: "resourceName" },
  "azure-native:web:AppServicePlan": { path: "Microsoft.Web/serverfarms", key: "name" },
  "azure-native:web:WebApp": { path: "Microsoft.Web/sites", key: "name" },
  "azure-native:keyvault:Vault": { path: "Microsoft.KeyVault/vaults", key: "vaultName" },
  "azure-native:resources:Deployment": { path: "Microsoft.Resources/deployments", key: "deploymentName" },
  "azure-native:apimanagement:ApiManagementService": { path: "Microsoft.ApiManagement/service", key: "serviceName" },
};

/** APIM child collections and their id inputs. */
const APIM: Record<string, { coll: string; key: string }> = {
  Api: { coll: "apis", key: "apiId" },
  NamedValue: { coll: "namedValues", key: "namedValueId" },
  Backend: { coll: "backends", key: "backendId" },
  Product: { coll: "products", key: "productId" },
  Subscription: { coll: "subscriptions", key: "sid" },
  Logger: { coll: "loggers", key: "loggerId" },
  Diagnostic: { coll: "diagnostics", key: "diagnosticId" },
};

export function mockState(type: string, name: string, inputs: Inputs): Record<string, unknown> {
  const rg = str(inputs.resourceGroupName, "rg");
  const rgId = `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${rg}`;
  if (type === "azure-native:resources:ResourceGroup") return { id: rgId, name: rg };
  const arm = ARM[type];
  if (arm) {
    const own = str(inputs[arm.key], name);
    const id = `${rgId}/providers/${arm.path}/${own}`;
    switch (type) {
      case "azure-native:storage:StorageAccount":
        return {
          id,
          name: own,
          primaryEndpoints: {
            blob: `https://${own}.blob.core.windows.net/`,
            queue: `https://${own}.queue.core.windows.net/`,
            table: `https://${own}.table.core.windows.net/`,
          },
        };
      case "azure-native:applicationinsights:Component":
        return {
          id,
          name: own,
          instrumentationKey: "22222222-2222-2222-2222-222222222222",
          connectionString:
            "InstrumentationKey=22222222-2222-2222-2222-222222222222;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/",
        };
      case "azure-native:operationalinsights:Workspace":
        return { id, name: own, customerId: "33333333-3333-3333-3333-333333333333" };
      case "azure-native:web:WebApp":
        return {
          id,
          name: own,
          defaultHostName: `${own}.azurewebsites.net`,
          identity: { type: "SystemAssigned", principalId: MOCK_PRINCIPAL, tenantId: MOCK_TENANT },
        };
      case "azure-native:keyvault:Vault":
        return { id, name: own, properties: { ...(inputs.properties as Inputs), vaultUri: `https://${own}.vault.azure.net/` } };
      case "azure-native:apimanagement:ApiManagementService":
        return {
          id,
          name: own,
          gatewayUrl: `https://${own}.azure-api.net`,
          identity: { type: "SystemAssigned", principalId: "44444444-4444-4444-4444-444444444444", tenantId: MOCK_TENANT },
        };
      default:
        return { id, name: own };
    }
  }
  if (type === "azure-native:storage:BlobContainer") {
    const own = str(inputs.containerName, name);
    return {
      id: `${rgId}/providers/Microsoft.Storage/storageAccounts/${str(inputs.accountName, "acct")}/blobServices/default/containers/${own}`,
      name: own,
    };
  }
  if (type === "azure-native:storage:Blob") {
    const own = str(inputs.blobName, name);
    return {
      id: own,
      name: own,
      url: `https://${str(inputs.accountName, "acct")}.blob.core.windows.net/${str(inputs.containerName, "c")}/${own}`,
    };
  }
  if (type === "azure-native:keyvault:Secret") {
    const own = str(inputs.secretName, name);
    const vault = str(inputs.vaultName, "vault");
    const uri = `https://${vault}.vault.azure.net/secrets/${own}`;
    return {
      id: `${rgId}/providers/Microsoft.KeyVault/vaults/${vault}/secrets/${own}`,
      name: own,
      properties: { secretUri: uri, secretUriWithVersion: `${uri}/0123456789abcdef0123456789abcdef` },
    };
  }
  if (type.startsWith("azure-native:web:WebApp")) {
    const site = `${rgId}/providers/Microsoft.Web/sites/${str(inputs.name, "site")}`;
    const leaf: Record<string, string> = {
      "azure-native:web:WebAppApplicationSettings": "config/appsettings",
      "azure-native:web:WebAppFtpAllowed": "basicPublishingCredentialsPolicies/ftp",
      "azure-native:web:WebAppScmAllowed": "basicPublishingCredentialsPolicies/scm",
    };
    return { id: `${site}/${leaf[type] ?? name}`, name: str(inputs.name, name) };
  }
  if (type === "azure-native:authorization:RoleAssignment") {
    return { id: `${str(inputs.scope, rgId)}/providers/Microsoft.Authorization/roleAssignments/${guid(name)}`, name: guid(name) };
  }
  if (type.startsWith("azure-native:apimanagement:")) {
    const service = `${rgId}/providers/Microsoft.ApiManagement/service/${str(inputs.serviceName, "apim")}`;
    const kind = type.split(":")[2] ?? "";
    const apim = APIM[kind];
    if (apim) {
      const own = str(inputs[apim.key], name);
      return { id: `${service}/${apim.coll}/${own}`, name: own };
    }
    const api = `${service}/apis/${str(inputs.apiId, "api")}`;
    if (kind === "ApiOperation") return { id: `${api}/operations/${str(inputs.operationId, name)}`, name: str(inputs.operationId, name) };
    if (kind === "ApiPolicy") return { id: `${api}/policies/policy`, name: "policy" };
    if (kind === "ApiOperationPolicy") return { id: `${api}/operations/${str(inputs.operationId, "op")}/policies/policy`, name: "policy" };
    if (kind === "ProductApi")
      return { id: `${service}/products/${str(inputs.productId, "p")}/apis/${str(inputs.apiId, "api")}`, name: str(inputs.apiId, name) };
  }
  return {};
}

export function mockCall(token: string, inputs: Inputs): Record<string, unknown> {
  switch (token) {
    case "azure-native:authorization:getClientConfig":
      return {
        clientId: "55555555-5555-5555-5555-555555555555",
        objectId: "66666666-6666-6666-6666-666666666666",
        subscriptionId: MOCK_SUBSCRIPTION,
        tenantId: MOCK_TENANT,
      };
    case "azure-native:web:listWebAppHostKeys":
      return { masterKey: "mock-master-key", functionKeys: { default: `mock-function-key-${str(inputs.name, "app")}` }, systemKeys: {} };
    case "azure-native:apimanagement:listSubscriptionSecrets":
      return { primaryKey: `mock-primary-key-${str(inputs.sid, "sid")}`, secondaryKey: `mock-secondary-key-${str(inputs.sid, "sid")}` };
    case "azure-native:apimanagement:getApiManagementServiceDomainOwnershipIdentifier":
      return { domainOwnershipIdentifier: "mock-ownership-identifier=" };
    case "azure-native:storage:listStorageAccountServiceSAS":
      return { serviceSasToken: "sv=2024-01-01&sr=b&sp=r&spr=https&sig=mock-signature" };
    default:
      return {};
  }
}

/** A deterministic GUID-shaped string from a name (mock role-assignment names). */
function guid(seed: string): string {
  let h = 0x811c9dc5;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const ch of `${round}:${seed}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    hex.push(h.toString(16).padStart(8, "0"));
  }
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}
