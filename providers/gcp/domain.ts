import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { Domain } from "../../model";
import type { DnsRecord } from "../types";
import { LB_NEG_DOC } from "./production-capabilities";

export interface GcpDomainArgs {
  name: string;
  domain: Domain;
  project: string;
  region: string;
  /** The gateway's id (`gatewayId`), which the serverless NEG points at. */
  gatewayId: pulumi.Input<string>;
  /** Physical-name prefix (≤ 40 characters, lowercase, a letter first). */
  prefix: string;
  labels: Record<string, string>;
  opts: pulumi.CustomResourceOptions;
}

/** A Compute Engine SSL certificate reference: a bare name in this project, or a self-link / relative path. */
export function certificateRef(cert: string, project: string): string {
  return /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(cert) ? `projects/${project}/global/sslCertificates/${cert}` : cert;
}

/**
 * API Gateway has no custom domains; the documented path (Preview: LB_NEG_DOC) is a global external
 * Application Load Balancer whose backend is a serverless NEG on platform `apigateway.googleapis.com`
 * naming the gateway (compute/regionNetworkEndpointGroup.d.ts `serverlessDeployment`; the NEG is in
 * the gateway's region). HTTPS only on 443 with a TLS 1.2 MODERN SSL policy; the certificate is a
 * Google-managed one for the domain (`"managed"`: issued once the A record points at the address) or
 * the named Compute SSL certificate. The A record is returned for the user to create.
 */
export function gcpDomain(a: GcpDomainArgs): { records: pulumi.Output<DnsRecord[]>; url: pulumi.Output<string> } {
  const { name, domain, project, opts } = a;
  const neg = new gcp.compute.RegionNetworkEndpointGroup(
    `${name}-domain-neg`,
    {
      project,
      region: a.region,
      name: `${a.prefix}-neg`,
      networkEndpointType: "SERVERLESS",
      serverlessDeployment: { platform: "apigateway.googleapis.com", resource: a.gatewayId },
    },
    opts,
  );
  const backend = new gcp.compute.BackendService(
    `${name}-domain-backend`,
    {
      project,
      name: `${a.prefix}-backend`,
      loadBalancingScheme: "EXTERNAL_MANAGED",
      protocol: "HTTPS",
      backends: [{ group: neg.id }],
      description: `switchyard: ${domain.name} → API Gateway (serverless NEG, Preview: ${LB_NEG_DOC})`,
    },
    opts,
  );
  const urlMap = new gcp.compute.URLMap(`${name}-domain-urlmap`, { project, name: `${a.prefix}-urlmap`, defaultService: backend.id }, opts);
  const certificate: pulumi.Input<string> =
    domain.certificate === "managed"
      ? new gcp.compute.ManagedSslCertificate(
          `${name}-domain-certificate`,
          { project, name: `${a.prefix}-cert`, managed: { domains: [domain.name] } },
          opts,
        ).id
      : certificateRef(domain.certificate, project);
  // No TLS 1.0/1.1 (SECURITY.md X3): compute/sslpolicy.d.ts minTlsVersion, profile.
  const tls = new gcp.compute.SSLPolicy(
    `${name}-domain-tls`,
    { project, name: `${a.prefix}-tls`, minTlsVersion: "TLS_1_2", profile: "MODERN" },
    opts,
  );
  const proxy = new gcp.compute.TargetHttpsProxy(
    `${name}-domain-proxy`,
    { project, name: `${a.prefix}-proxy`, urlMap: urlMap.id, sslCertificates: [certificate], sslPolicy: tls.id },
    opts,
  );
  const address = new gcp.compute.GlobalAddress(`${name}-domain-address`, { project, name: `${a.prefix}-ip`, labels: a.labels }, opts);
  new gcp.compute.GlobalForwardingRule(
    `${name}-domain-https`,
    {
      project,
      name: `${a.prefix}-https`,
      loadBalancingScheme: "EXTERNAL_MANAGED",
      target: proxy.id,
      ipAddress: address.address,
      portRange: "443",
      labels: a.labels,
    },
    opts,
  );
  const records = address.address.apply((ip) => [
    {
      name: domain.name,
      type: "A" as const,
      value: ip,
      purpose: "routes the domain to the load balancer in front of API Gateway",
      managed: false,
    },
  ]);
  return { records, url: pulumi.output(`https://${domain.name}`) };
}
