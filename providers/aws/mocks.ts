import { createHash } from "node:crypto";
import { awsRegion } from "./component";
import { SECRETS_EXTENSION_PARAMETER } from "./function";

/** The account id the offline plan pretends to deploy to. */
export const MOCK_ACCOUNT = "123456789012";

const short = (s: string, n = 10) => createHash("sha256").update(s).digest("hex").slice(0, n);

/**
 * Realistic outputs for the offline plan (ARNs in the stack's region, execution ARNs, invoke URLs,
 * generated API key values), so inputs that depend on them render as they would on AWS.
 */
export function awsMockState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const region = awsRegion();
  const acct = MOCK_ACCOUNT;
  const physical = typeof inputs.name === "string" ? inputs.name : name;
  const id = short(`${type}/${name}`);
  switch (type) {
    case "aws:lambda/function:Function": {
      const arn = `arn:aws:lambda:${region}:${acct}:function:${physical}`;
      return {
        id: physical,
        arn,
        qualifiedArn: `${arn}:${inputs.publish ? "1" : "$LATEST"}`,
        version: inputs.publish ? "1" : "$LATEST",
        invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
      };
    }
    case "aws:lambda/alias:Alias": {
      const arn = `arn:aws:lambda:${region}:${acct}:function:${inputs.functionName}:${inputs.name}`;
      return { id: arn, arn, invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations` };
    }
    case "aws:iam/role:Role":
      return { id: physical, arn: `arn:aws:iam::${acct}:role/${physical}`, uniqueId: `AROA${short(name, 17).toUpperCase()}` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { id: physical, arn: `arn:aws:logs:${region}:${acct}:log-group:${physical}` };
    case "aws:secretsmanager/secret:Secret": {
      // AWS appends "-" and 6 random characters to the name; namePrefix adds its own suffix first.
      const base = typeof inputs.namePrefix === "string" ? `${inputs.namePrefix}${short(`${name}/prefix`, 8)}` : physical;
      const arn = `arn:aws:secretsmanager:${region}:${acct}:secret:${base}-${short(name, 6)}`;
      return { id: arn, arn };
    }
    case "aws:apigatewayv2/api:Api":
      return {
        id,
        arn: `arn:aws:apigateway:${region}::/apis/${id}`,
        apiEndpoint: `https://${id}.execute-api.${region}.amazonaws.com`,
        executionArn: `arn:aws:execute-api:${region}:${acct}:${id}`,
      };
    case "aws:apigatewayv2/stage:Stage":
      return { id: String(inputs.name ?? id), arn: `arn:aws:apigateway:${region}::/apis/${inputs.apiId}/stages/${inputs.name}` };
    case "aws:apigateway/restApi:RestApi":
      return {
        id,
        rootResourceId: short(`${name}/root`),
        arn: `arn:aws:apigateway:${region}::/restapis/${id}`,
        executionArn: `arn:aws:execute-api:${region}:${acct}:${id}`,
      };
    case "aws:apigateway/stage:Stage":
      return {
        id: `ags-${inputs.restApi}-${inputs.stageName}`,
        arn: `arn:aws:apigateway:${region}::/restapis/${inputs.restApi}/stages/${inputs.stageName}`,
        invokeUrl: `https://${inputs.restApi}.execute-api.${region}.amazonaws.com/${inputs.stageName}`,
        executionArn: `arn:aws:execute-api:${region}:${acct}:${inputs.restApi}/${inputs.stageName}`,
      };
    case "aws:apigateway/apiKey:ApiKey":
      // What AWS generates when no value is given: 40 alphanumeric characters.
      return { id, arn: `arn:aws:apigateway:${region}::/apikeys/${id}`, value: short(`key/${name}`, 40) };
    case "aws:acm/certificate:Certificate": {
      const domain = String(inputs.domainName);
      return {
        id: `arn:aws:acm:${region}:${acct}:certificate/${short(name, 36)}`,
        arn: `arn:aws:acm:${region}:${acct}:certificate/${short(name, 36)}`,
        // What ACM returns for DNS validation: a CNAME under the domain to acm-validations.aws.
        domainValidationOptions: [
          {
            domainName: domain,
            resourceRecordName: `_${short(`${domain}/name`, 32)}.${domain}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: `_${short(`${domain}/value`, 32)}.${short(domain, 10)}.acm-validations.aws.`,
          },
        ],
      };
    }
    case "aws:acm/certificateValidation:CertificateValidation":
      return { id: String(inputs.certificateArn), certificateArn: inputs.certificateArn };
    case "aws:apigatewayv2/domainName:DomainName": {
      const config = (inputs.domainNameConfiguration ?? {}) as Record<string, unknown>;
      return {
        id: String(inputs.domainName),
        arn: `arn:aws:apigateway:${region}::/domainnames/${inputs.domainName}`,
        domainNameConfiguration: {
          ...config,
          targetDomainName: `d-${id}.execute-api.${region}.amazonaws.com`,
          hostedZoneId: "ZMOCKREGIONAL",
        },
      };
    }
    case "aws:apigateway/domainName:DomainName":
      return {
        id: String(inputs.domainName),
        arn: `arn:aws:apigateway:${region}::/domainnames/${inputs.domainName}`,
        regionalDomainName: `d-${id}.execute-api.${region}.amazonaws.com`,
        regionalZoneId: "ZMOCKREGIONAL",
      };
    case "aws:route53/record:Record":
      return { id: `${inputs.zoneId}_${inputs.name}_${inputs.type}`, fqdn: String(inputs.name).replace(/\.$/, "") };
    case "aws:sns/topic:Topic":
      return { id: `arn:aws:sns:${region}:${acct}:${physical}`, arn: `arn:aws:sns:${region}:${acct}:${physical}` };
    case "aws:apigateway/usagePlan:UsagePlan":
      return { id, arn: `arn:aws:apigateway:${region}::/usageplans/${id}` };
    default:
      return {
        id,
        ...(type.startsWith("aws:") ? { arn: `arn:aws:${type.split(":")[1]?.split("/")[0]}:${region}:${acct}:${physical}` } : {}),
      };
  }
}

/**
 * Data source results for the offline plan. The Parameters and Secrets Extension parameter
 * (providers/aws/function.ts) holds a layer ARN in AWS's own account for the region; the plan shows
 * one of that form (the real account and version are read at deploy).
 */
export function awsMockCall(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  if (token === "aws:ssm/getParameter:getParameter" && inputs.name === SECRETS_EXTENSION_PARAMETER) {
    const value = `arn:aws:lambda:${awsRegion()}:${MOCK_ACCOUNT}:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:1`;
    return { id: inputs.name, name: inputs.name, type: "String", value, insecureValue: value, version: 1 };
  }
  return {};
}
