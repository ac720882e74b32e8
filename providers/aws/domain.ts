import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Api } from "../../model";
import type { DnsRecord } from "../types";

/** What the custom domain maps to: the HTTP API's stage, or the REST API's stage. */
export type DomainTarget =
  | { flavour: "http"; apiId: pulumi.Input<string>; stageId: pulumi.Input<string> }
  | { flavour: "rest"; restApiId: pulumi.Input<string>; stageName: pulumi.Input<string> };

export interface DomainArgs {
  name: string;
  api: Api;
  /** `switchyard:aws.hostedZoneId`: when set, the validation and alias records are created there. */
  hostedZoneId?: string;
  target: DomainTarget;
  tags: Record<string, string>;
  parent: pulumi.Resource;
}

/**
 * TLS policy of the custom domain: TLS 1.2 minimum (SECURITY.md AWS-6, X3). `TLS_1_2` is the value
 * both flavours take (apigatewayv2/domainName.d.ts `domainNameConfiguration.securityPolicy`,
 * apigateway/domainName.d.ts `securityPolicy`; aws.md §2.5).
 */
export const SECURITY_POLICY = "TLS_1_2";

/**
 * A regional custom domain for the API (aws.md §2.5): an ACM certificate in the API's region with DNS
 * validation (`"managed"`), or the ACM certificate ARN the model names; the domain name with a TLS 1.2
 * policy; the mapping to the stage. With a hosted zone id, the validation CNAME, the certificate
 * validation wait and an A alias to the regional endpoint are created in Route 53; without one, the
 * records are returned for the user to create (the stack output `dnsRecords`).
 *
 * Without a hosted zone, `acm.CertificateValidation` waits (up to its create timeout) for the
 * validation CNAME the user adds; API Gateway only accepts an issued certificate.
 */
export function awsDomain(a: DomainArgs): pulumi.Output<DnsRecord[]> {
  const { name, api, parent, tags } = a;
  const domain = api.domain;
  if (!domain) throw new Error("awsDomain called without a domain");
  const opts = { parent };
  const zone = a.hostedZoneId || undefined;
  const records: pulumi.Output<DnsRecord>[] = [];
  let certificateArn: pulumi.Input<string>;
  const deps: pulumi.Resource[] = [];
  if (domain.certificate === "managed") {
    const cert = new aws.acm.Certificate(
      `${name}-certificate`,
      // DNS validation renews automatically while the CNAME stays (acm/certificate.d.ts validationMethod).
      { domainName: domain.name, validationMethod: "DNS", tags },
      opts,
    );
    // One name, no SANs: exactly one validation option (acm/certificate.d.ts domainValidationOptions).
    const option = cert.domainValidationOptions.apply((o) => {
      const first = o[0];
      if (!first) throw new Error(`ACM returned no DNS validation record for ${domain.name}`);
      return first;
    });
    let fqdns: pulumi.Input<string>[] | undefined;
    if (zone) {
      const rec = new aws.route53.Record(
        `${name}-certificate-validation-record`,
        {
          zoneId: zone,
          name: option.resourceRecordName,
          type: option.resourceRecordType,
          records: [option.resourceRecordValue],
          ttl: 300,
          allowOverwrite: true,
        },
        opts,
      );
      fqdns = [rec.fqdn];
    }
    const validation = new aws.acm.CertificateValidation(
      `${name}-certificate-validation`,
      { certificateArn: cert.arn, ...(fqdns ? { validationRecordFqdns: fqdns } : {}) },
      opts,
    );
    deps.push(validation);
    certificateArn = validation.certificateArn;
    records.push(
      pulumi.all([option.resourceRecordName, option.resourceRecordType, option.resourceRecordValue]).apply(([n, t, v]) => ({
        name: n.replace(/\.$/, ""),
        type: t as DnsRecord["type"],
        value: v.replace(/\.$/, ""),
        purpose: "ACM certificate DNS validation (keep it: renewals use it)",
        managed: !!zone,
      })),
    );
  } else {
    certificateArn = domain.certificate;
  }

  let targetName: pulumi.Output<string>;
  let targetZone: pulumi.Output<string>;
  if (a.target.flavour === "http") {
    const dn = new aws.apigatewayv2.DomainName(
      `${name}-domain`,
      {
        domainName: domain.name,
        // HTTP APIs: REGIONAL only (aws.md §0.1).
        domainNameConfiguration: { certificateArn, endpointType: "REGIONAL", securityPolicy: SECURITY_POLICY },
        tags,
      },
      { parent, dependsOn: deps },
    );
    new aws.apigatewayv2.ApiMapping(`${name}-domain-mapping`, { apiId: a.target.apiId, domainName: dn.id, stage: a.target.stageId }, opts);
    targetName = dn.domainNameConfiguration.apply((c) => c.targetDomainName ?? "");
    targetZone = dn.domainNameConfiguration.apply((c) => c.hostedZoneId ?? "");
  } else {
    const dn = new aws.apigateway.DomainName(
      `${name}-domain`,
      {
        domainName: domain.name,
        // REGIONAL: the certificate lives in the API's region (EDGE would need one in us-east-1; aws.md §2.5).
        endpointConfiguration: { types: "REGIONAL" },
        regionalCertificateArn: certificateArn,
        securityPolicy: SECURITY_POLICY,
        tags,
      },
      { parent, dependsOn: deps },
    );
    new aws.apigateway.BasePathMapping(
      `${name}-domain-mapping`,
      { restApi: a.target.restApiId, stageName: a.target.stageName, domainName: dn.domainName },
      opts,
    );
    targetName = dn.regionalDomainName;
    targetZone = dn.regionalZoneId;
  }
  if (zone) {
    new aws.route53.Record(
      `${name}-domain-record`,
      { zoneId: zone, name: domain.name, type: "A", aliases: [{ name: targetName, zoneId: targetZone, evaluateTargetHealth: false }] },
      opts,
    );
  }
  records.push(
    targetName.apply((t) => ({
      name: domain.name,
      type: zone ? ("ALIAS" as const) : ("CNAME" as const),
      value: t,
      purpose: zone ? "Route 53 A alias to the API Gateway regional endpoint" : "routes the domain to the API Gateway regional endpoint",
      managed: !!zone,
    })),
  );
  return pulumi.all(records);
}
