import type { Api, ModelIssue } from "../../model";
import type { CapabilityAnswer, CapabilityTable } from "../types";

type ProductionFeature = "domain" | "alerts" | "tracing" | "function.canary";

/** The GCP load balancer serving a custom domain for API Gateway is in Preview (gcp-domain.ts). */
export const LB_NEG_DOC = "https://docs.cloud.google.com/api-gateway/docs/gateway-serverless-neg";

/** What a GCP domain certificate reference may look like (checked in limits). */
export const CERT_REF =
  /^([a-z]([-a-z0-9]{0,61}[a-z0-9])?|(https:\/\/www\.googleapis\.com\/compute\/v1\/)?projects\/[a-z0-9-]+\/global\/sslCertificates\/[a-z]([-a-z0-9]{0,61}[a-z0-9])?)$/;

/** What GCP does with the production features (issue #11). */
export function gcpProductionCapabilities(api: Api): Pick<CapabilityTable, ProductionFeature> {
  const managed = (api.domain?.certificate ?? "managed") === "managed";
  const domain: CapabilityAnswer = {
    support: "substitute",
    note:
      "API Gateway has no custom domains; a global external Application Load Balancer with a serverless NEG " +
      `(platform apigateway.googleapis.com, Preview: ${LB_NEG_DOC}) serves the domain with ` +
      `${managed ? "a Google-managed certificate" : "the certificate named in domain.certificate"} and a TLS 1.2 SSL policy; ` +
      "the A record to the load balancer's address is listed in the stack output dnsRecords",
  };
  const alerts: CapabilityAnswer = {
    support: "native",
    note:
      "Cloud Monitoring alert policies on the gateway's 5xx share (ratio condition) and p99 latency and on each function's 5xx responses, " +
      "to notification channels (email, webhook_tokenauth), labelled",
  };
  const tracing: CapabilityAnswer = {
    support: "substitute",
    note:
      "Cloud Trace records Cloud Run functions requests automatically (no setting to turn it on or off); " +
      "the handler's ctx.traceId comes from x-cloud-trace-context / traceparent",
  };
  const canary: CapabilityAnswer = {
    support: "unsupported",
    note:
      "cloudfunctionsv2.Function exposes no revision traffic split: only serviceConfig.allTrafficOnLatestRevision (a boolean; false keeps the " +
      "underlying Cloud Run service's traffic as set outside the function, node_modules/@pulumi/gcp/types/input.d.ts FunctionServiceConfig)",
    alternatives: [
      "deploy the functions as Cloud Run services (cloudrunv2.Service traffics[] with percent per revision) and route the gateway to them",
      "deploy the new version as a second stack and split at a load balancer with weighted backend services",
    ],
  };
  return { domain, alerts, tracing, "function.canary": canary };
}

/** Domain settings GCP cannot take, with paths and fixes. */
export function gcpProductionLimits(api: Api): ModelIssue[] {
  const cert = api.domain?.certificate;
  if (!cert || cert === "managed" || CERT_REF.test(cert)) return [];
  return [
    {
      path: "domain.certificate",
      message: `"${cert}" is not a Compute Engine SSL certificate. Use "managed", a certificate name in the project, or projects/<project>/global/sslCertificates/<name>.`,
    },
  ];
}
