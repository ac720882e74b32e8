import * as apimanagement from "@pulumi/azure-native/apimanagement";
import type * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as authorization from "@pulumi/azure-native/authorization";
import type * as resources from "@pulumi/azure-native/resources";
import type * as web from "@pulumi/azure-native/web";
import * as pulumi from "@pulumi/pulumi";
import type { Api } from "../../model";
import { FUNCTION_KEY_HEADER, ROUTE_PREFIX } from "../../runtime/azure-functions";
import type { AzureConfig } from "./config";
import { hostnameConfiguration } from "./domain";
import { ROLES } from "./function-app";
import type { AzureNames } from "./names";
import { API_KEY_HEADER, apiPolicy, type BackendRef, operationPolicy, operations, productId, subscriptionRequired } from "./policies";
import { skuFeatures } from "./sku";

export interface ApiManagementArgs {
  name: string;
  api: Api;
  cfg: AzureConfig;
  names: AzureNames;
  location: string;
  tags: Record<string, string>;
  resourceGroup: resources.ResourceGroup;
  app: web.WebApp;
  insights: applicationinsights.Component;
  functionKey: pulumi.Output<string>;
  /** Full role definition id of a built-in role GUID. */
  roleDefinitionId: (guid: string) => pulumi.Output<string>;
  parent: pulumi.Resource;
}

/** Named values referenced as `{{display-name}}` (display name = id, azure.md §3.5). */
const FUNCTION_KEY_NV = "function-key";
const INSIGHTS_NV = "insights-connection";
const FUNCTIONS_BACKEND = "functions";

/**
 * API Management in front of the function app (azure.md §3): the service, one API with an
 * operation per route and method, generated policies, a function-key backend, a product and an
 * active subscription per API-key consumer, and App Insights request logging.
 */
export function apiManagement(a: ApiManagementArgs): {
  url: pulumi.Output<string>;
  apiKeys: pulumi.Output<Record<string, string>>;
  service: apimanagement.ApiManagementService;
} {
  const { name, api, cfg, tags } = a;
  const opts = { parent: a.parent };
  const tier = skuFeatures(cfg.apimSku);
  const resourceGroupName = a.resourceGroup.name;

  const service = new apimanagement.ApiManagementService(
    `${name}-apim`,
    {
      serviceName: a.names.apim,
      resourceGroupName,
      location: a.location,
      publisherEmail: cfg.publisherEmail,
      publisherName: cfg.publisherName,
      sku: { name: cfg.apimSku, capacity: tier.capacity },
      identity: { type: "SystemAssigned" },
      // The SDK sends enableClientCertificate: false unless given a value, and Developer rejects
      // that flag (azure.md G17; pulumi-azure-native#1865). It is a Consumption-only setting: on the
      // other tiers an Output resolving to undefined keeps it out of the request.
      enableClientCertificate: tier.sku === "Consumption" ? false : pulumi.output<boolean | undefined>(undefined),
      // The model's custom domain as a gateway (Proxy) hostname (domain.ts).
      ...(api.domain ? { hostnameConfigurations: [hostnameConfiguration(api.domain)] } : {}),
      tags,
    },
    // Classic tiers take 30–75 min to create (azure.md G15).
    { ...opts, customTimeouts: { create: "90m", update: "90m", delete: "60m" } },
  );
  const serviceName = service.name;
  const child = { resourceGroupName, serviceName };

  const functionKey = new apimanagement.NamedValue(
    `${name}-function-key`,
    { ...child, namedValueId: FUNCTION_KEY_NV, displayName: FUNCTION_KEY_NV, secret: true, value: a.functionKey },
    opts,
  );
  // The backend URL ends with the Functions route prefix; APIM appends the operation path (azure.md §3.3).
  const functionsBackend = new apimanagement.Backend(
    `${name}-functions-backend`,
    {
      ...child,
      backendId: FUNCTIONS_BACKEND,
      title: "function app",
      url: pulumi.interpolate`https://${a.app.defaultHostName}/${ROUTE_PREFIX}`,
      protocol: "http",
      resourceId: pulumi.interpolate`https://management.azure.com${a.app.id}`,
      credentials: { header: { [FUNCTION_KEY_HEADER]: [`{{${FUNCTION_KEY_NV}}}`] } },
      tls: { validateCertificateChain: true, validateCertificateName: true },
    },
    { ...opts, dependsOn: [functionKey] },
  );

  const apiResource = new apimanagement.Api(
    `${name}-api`,
    {
      ...child,
      apiId: api.name,
      path: api.name,
      displayName: api.name,
      ...(api.description ? { description: api.description } : {}),
      apiType: "http",
      protocols: ["https"],
      subscriptionRequired: subscriptionRequired(api),
      // The same header as on every cloud; the query name is set to it too so no second name exists.
      subscriptionKeyParameterNames: { header: API_KEY_HEADER, query: API_KEY_HEADER },
    },
    opts,
  );
  const apiId = apiResource.name;
  new apimanagement.ApiPolicy(`${name}-api-policy`, { ...child, apiId, policyId: "policy", format: "rawxml", value: apiPolicy(api) }, opts);

  const pools = new Map<string, { ref: BackendRef; deps: pulumi.Resource[] }>();
  for (const route of api.routes) {
    if (route.target.kind !== "upstream" || route.target.targets.length < 2) continue;
    const slug = operations({ ...api, routes: [route] })[0]!.id.replace(/^[a-z]+-/, "");
    const members = route.target.targets.map(
      (t, i) =>
        new apimanagement.Backend(
          `${name}-upstream-${slug}-${i + 1}`,
          {
            ...child,
            backendId: `${slug}-${i + 1}`,
            url: t.url,
            protocol: "http",
            tls: { validateCertificateChain: true, validateCertificateName: true },
          },
          opts,
        ),
    );
    // A pool takes neither url nor protocol (azure.md G21); members are single backends by full id.
    const pool = new apimanagement.Backend(
      `${name}-pool-${slug}`,
      {
        ...child,
        backendId: `${slug}-pool`,
        type: "Pool",
        pool: {
          services: members.map((m, i) => ({ id: m.id, weight: route.target.kind === "upstream" ? route.target.targets[i]!.weight : 1 })),
        },
      },
      opts,
    );
    pools.set(route.key, { ref: { backendId: `${slug}-pool` }, deps: [pool] });
  }

  for (const op of operations(api)) {
    const operation = new apimanagement.ApiOperation(
      `${name}-op-${op.id}`,
      {
        ...child,
        apiId,
        operationId: op.id,
        displayName: `${op.method} ${op.route.path}`,
        method: op.method,
        urlTemplate: op.urlTemplate,
        templateParameters: op.templateParameters,
        ...(op.route.description ? { description: op.route.description } : {}),
      },
      opts,
    );
    const target = op.route.target;
    const backend =
      target.kind === "function"
        ? { ref: { backendId: FUNCTIONS_BACKEND }, deps: [functionsBackend] }
        : (pools.get(op.route.key) ?? { ref: { baseUrl: target.targets[0]!.url }, deps: [] });
    new apimanagement.ApiOperationPolicy(
      `${name}-policy-${op.id}`,
      {
        ...child,
        apiId,
        operationId: operation.name,
        policyId: "policy",
        format: "rawxml",
        value: operationPolicy(api, op, tier, backend.ref),
      },
      { ...opts, dependsOn: backend.deps },
    );
  }

  const apiKeys = consumerKeys(a, child, apiId);

  if (api.logging.access) {
    const insightsKey = new apimanagement.NamedValue(
      `${name}-insights-connection`,
      { ...child, namedValueId: INSIGHTS_NV, displayName: INSIGHTS_NV, secret: true, value: pulumi.secret(a.insights.connectionString) },
      opts,
    );
    // App Insights takes Entra-authenticated telemetry only: APIM's identity needs Monitoring Metrics
    // Publisher (https://learn.microsoft.com/azure/api-management/api-management-howto-app-insights).
    const telemetryRole = new authorization.RoleAssignment(
      `${name}-apim-telemetry-role`,
      {
        scope: a.insights.id,
        principalId: service.identity.apply((i) => i?.principalId ?? ""),
        principalType: "ServicePrincipal",
        roleDefinitionId: a.roleDefinitionId(ROLES.monitoringMetricsPublisher),
      },
      opts,
    );
    const logger = new apimanagement.Logger(
      `${name}-apim-logger`,
      {
        ...child,
        loggerId: "app-insights",
        loggerType: "applicationInsights",
        resourceId: a.insights.id,
        credentials: { connectionString: `{{${INSIGHTS_NV}}}`, identityClientId: "SystemAssigned" },
      },
      { ...opts, dependsOn: [insightsKey, telemetryRole] },
    );
    // No bodies, keys and tokens masked (SECURITY.md AZ-9). The key is also accepted as a query
    // parameter (subscriptionKeyParameterNames above), and the query string is part of the logged
    // URL, so it is hidden there too (DataMaskingArgs.queryParams: azure-native types/input.d.ts).
    const keyQuery = [{ value: API_KEY_HEADER, mode: "Hide" }];
    const masked = {
      headers: [],
      body: { bytes: 0 },
      dataMasking: {
        headers: [
          { value: "Authorization", mode: "Mask" },
          { value: API_KEY_HEADER, mode: "Hide" },
        ],
        queryParams: keyQuery,
      },
    };
    new apimanagement.Diagnostic(
      `${name}-apim-diagnostic`,
      {
        ...child,
        diagnosticId: "applicationinsights",
        loggerId: logger.id,
        alwaysLog: "allErrors",
        httpCorrelationProtocol: "W3C",
        verbosity: "information",
        logClientIp: true,
        sampling: { samplingType: "fixed", percentage: cfg.logSamplingPercent },
        frontend: { request: masked, response: { headers: [], body: { bytes: 0 } } },
        backend: {
          request: { headers: [], body: { bytes: 0 }, dataMasking: { queryParams: keyQuery } },
          response: { headers: [], body: { bytes: 0 } },
        },
      },
      opts,
    );
  }

  return { url: pulumi.interpolate`${service.gatewayUrl}/${api.name}`, apiKeys, service };
}

/**
 * One published product per API-key scheme, linked to the API, and one active subscription per
 * consumer (azure.md G20); keys read with listSubscriptionSecrets, as secrets (§3.4).
 */
function consumerKeys(
  a: ApiManagementArgs,
  child: { resourceGroupName: pulumi.Output<string>; serviceName: pulumi.Output<string> },
  apiId: pulumi.Output<string>,
): pulumi.Output<Record<string, string>> {
  const { name, api } = a;
  const opts = { parent: a.parent };
  const keys: pulumi.Output<[string, string]>[] = [];
  const schemes = Object.values(api.auth).filter((s) => s.type === "apiKey");
  const counts = new Map<string, number>();
  for (const s of schemes) for (const c of s.consumers) counts.set(c, (counts.get(c) ?? 0) + 1);
  for (const scheme of schemes) {
    const product = new apimanagement.Product(
      `${name}-product-${scheme.name}`,
      {
        ...child,
        productId: productId(scheme.name),
        displayName: `${api.name} ${scheme.name}`,
        state: "published",
        subscriptionRequired: true,
        approvalRequired: false,
      },
      opts,
    );
    new apimanagement.ProductApi(`${name}-product-api-${scheme.name}`, { ...child, productId: product.name, apiId }, opts);
    for (const consumer of scheme.consumers) {
      const sub = new apimanagement.Subscription(
        `${name}-key-${scheme.name}-${consumer}`,
        {
          ...child,
          sid: `${scheme.name}-${consumer}`,
          displayName: consumer,
          scope: pulumi.interpolate`/products/${product.name}`,
          state: "active",
        },
        opts,
      );
      const secrets = apimanagement.listSubscriptionSecretsOutput({ ...child, sid: sub.name }, opts);
      const label = (counts.get(consumer) ?? 0) > 1 ? `${scheme.name}/${consumer}` : consumer;
      keys.push(secrets.apply((s) => [label, s.primaryKey ?? ""] as [string, string]));
    }
  }
  return pulumi.secret(pulumi.all(keys).apply((pairs) => Object.fromEntries(pairs.sort(([x], [y]) => (x < y ? -1 : 1)))));
}
