import type { Api } from "../../model";
import type { CapabilityAnswer, CapabilityTable } from "../types";

type ProductionFeature = "domain" | "alerts" | "tracing" | "function.canary";

/** The GCP load balancer serving a custom domain for API Gateway is in Preview (gcp-domain.ts). */
export const LB_NEG_DOC = "https://docs.cloud.google.com/api-gateway/docs/gateway-serverless-neg";

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
      "Cloud Monitoring alert policies on the gateway's 5xx share and p99 latency and on each function's 5xx responses, " +
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
  // Interim (this commit): the domain and alarm resources are not built on this cloud yet.
  const notBuilt: CapabilityAnswer = {
    support: "unsupported",
    note: "not built in switchyard yet",
    alternatives: ["configure it outside the stack, in the cloud console or another stack"],
  };
  return { domain: notBuilt, alerts: notBuilt, tracing, "function.canary": canary };
}
