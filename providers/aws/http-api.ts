import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Api } from "../../model";
import { physicalName, retentionDays, tagsFor } from "./config";
import { accessLogFormat, apiInvokePermission, type FnRef, routeSlugs, stageThrottle } from "./shared";

export interface HttpApiArgs {
  name: string;
  api: Api;
  stack: string;
  functions: Record<string, FnRef>;
  parent: pulumi.Resource;
}

/**
 * The HTTP API flavour (aws.md §2.2): one Lambda integration per function (AWS_PROXY, POST, payload
 * 2.0), one HTTP_PROXY integration per upstream route, a JWT authorizer per JWT scheme, one route per
 * model route, one invoke permission per function scoped to this API, and the `$default` stage with
 * autoDeploy, access logs and throttling.
 */
export function httpApi(a: HttpApiArgs): {
  url: pulumi.Output<string>;
  executionArn: pulumi.Output<string>;
  apiId: pulumi.Output<string>;
  stageId: pulumi.Output<string>;
} {
  const { name, api, stack } = a;
  const opts = { parent: a.parent };
  const tags = tagsFor(api, stack);
  const cors = api.cors;
  const gw = new aws.apigatewayv2.Api(
    `${name}-api`,
    {
      name: physicalName([api.name, stack], 128),
      protocolType: "HTTP",
      ...(api.description ? { description: api.description } : {}),
      // API Gateway answers preflight itself and ignores backend CORS headers (aws.md §5 gotcha 16).
      ...(cors
        ? {
            corsConfiguration: {
              allowOrigins: cors.allowOrigins,
              allowMethods: cors.allowMethods,
              allowHeaders: cors.allowHeaders,
              exposeHeaders: cors.exposeHeaders,
              allowCredentials: cors.allowCredentials,
              maxAge: cors.maxAgeSeconds,
            },
          }
        : {}),
      tags,
    },
    opts,
  );

  const integrations: Record<string, aws.apigatewayv2.Integration> = {};
  for (const [fn, ref] of Object.entries(a.functions)) {
    integrations[fn] = new aws.apigatewayv2.Integration(
      `${name}-${fn}-integration`,
      {
        apiId: gw.id,
        integrationType: "AWS_PROXY",
        integrationUri: ref.invokeArn,
        integrationMethod: "POST",
        // Must be explicit: the provider default is "1.0" (apigatewayv2/integration.d.ts; aws.md §5 gotcha 10).
        payloadFormatVersion: "2.0",
        // HTTP API integration timeout: 30 s, not raisable (aws.md §1.3).
        timeoutMilliseconds: 30000,
      },
      opts,
    );
    apiInvokePermission(name, fn, ref, gw.executionArn, opts);
  }

  const authorizers: Record<string, aws.apigatewayv2.Authorizer> = {};
  for (const scheme of Object.values(api.auth)) {
    if (scheme.type !== "jwt" || !api.routes.some((r) => r.auth.kind === "jwt" && r.auth.scheme === scheme.name)) continue;
    // identitySources format and jwtConfiguration: aws.md §2.2 and §5 gotcha 15.
    authorizers[scheme.name] = new aws.apigatewayv2.Authorizer(
      `${name}-${scheme.name}-authorizer`,
      {
        apiId: gw.id,
        name: scheme.name,
        authorizerType: "JWT",
        identitySources: ["$request.header.Authorization"],
        jwtConfiguration: { issuer: scheme.issuer, audiences: scheme.audiences },
      },
      opts,
    );
  }

  const routes: aws.apigatewayv2.Route[] = [];
  const slugs = routeSlugs(api);
  for (const r of api.routes) {
    const slug = slugs(r.key);
    let target: pulumi.Output<string>;
    if (r.target.kind === "function") {
      target = pulumi.interpolate`integrations/${(integrations[r.target.function] as aws.apigatewayv2.Integration).id}`;
    } else {
      const upstream = r.target.targets[0];
      if (!upstream || r.target.targets.length > 1) continue; // weighted targets: unsupported (capabilities)
      const integ = new aws.apigatewayv2.Integration(
        `${name}-${slug}-upstream`,
        {
          apiId: gw.id,
          integrationType: "HTTP_PROXY",
          integrationMethod: r.method,
          integrationUri: upstream.url,
          // Forward the caller's full path to the upstream (HTTP API parameter mapping).
          requestParameters: { "overwrite:path": "$request.path" },
          timeoutMilliseconds: 30000,
        },
        opts,
      );
      target = pulumi.interpolate`integrations/${integ.id}`;
    }
    const auth = r.auth;
    // An authorized ANY route also catches the CORS preflight, which then gets 401: add an open
    // OPTIONS route to the same target (aws.md §5 gotcha 16). The Lambda adapter answers preflight
    // with 204 and API Gateway adds the configured CORS headers.
    if (cors && r.method === "ANY" && auth.kind !== "none" && !api.routes.some((o) => o.method === "OPTIONS" && o.path === r.path)) {
      routes.push(
        new aws.apigatewayv2.Route(
          `${name}-${slugs(`OPTIONS ${r.path}`)}-route`,
          { apiId: gw.id, routeKey: `OPTIONS ${r.path}`, target, authorizationType: "NONE" },
          opts,
        ),
      );
    }
    routes.push(
      new aws.apigatewayv2.Route(
        `${name}-${slug}-route`,
        {
          apiId: gw.id,
          routeKey: `${r.method} ${r.path}`,
          target,
          ...(auth.kind === "jwt"
            ? {
                authorizationType: "JWT",
                authorizerId: (authorizers[auth.scheme] as aws.apigatewayv2.Authorizer).id,
                ...(auth.scopes.length ? { authorizationScopes: auth.scopes } : {}),
              }
            : { authorizationType: "NONE" }),
        },
        opts,
      ),
    );
  }

  // vendedlogs prefix: CloudWatch resource-policy size (aws.md §5 gotcha 18).
  const accessLogs = api.logging.access
    ? new aws.cloudwatch.LogGroup(
        `${name}-access-logs`,
        {
          name: `/aws/vendedlogs/apigateway/${physicalName([api.name, stack], 200)}`,
          retentionInDays: retentionDays(api.logging.retentionDays),
          tags,
        },
        opts,
      )
    : undefined;
  const throttle = stageThrottle(api);
  const stage = new aws.apigatewayv2.Stage(
    `${name}-stage`,
    {
      apiId: gw.id,
      // Explicit "$default": an unset name is auto-named and lands in the URL (aws.md §2.2 "Stage").
      name: "$default",
      autoDeploy: true,
      ...(accessLogs ? { accessLogSettings: { destinationArn: accessLogs.arn, format: accessLogFormat("http") } } : {}),
      // Both throttling values, always (aws.md §5 gotcha 11). No loggingLevel: HTTP APIs reject it (gotcha 13).
      defaultRouteSettings: { throttlingRateLimit: throttle.ratePerSecond, throttlingBurstLimit: throttle.burst },
      routeSettings: api.routes
        .filter((r) => r.rateLimit && !(r.target.kind === "upstream" && r.target.targets.length > 1))
        .map((r) => ({
          routeKey: `${r.method} ${r.path}`,
          throttlingRateLimit: r.rateLimit?.ratePerSecond,
          throttlingBurstLimit: r.rateLimit?.burst,
        })),
      tags,
    },
    // routeSettings name routes that must exist first (aws.md §5 gotcha 12).
    { parent: a.parent, dependsOn: routes },
  );
  return { url: gw.apiEndpoint, executionArn: gw.executionArn, apiId: gw.id, stageId: stage.id };
}
