import { shortHash } from "./names";

/**
 * Plausible outputs for the offline plan, shaped like the real API's: run.app and cloudfunctions.net
 * URLs, full resource names as ids, service-account emails, a managed service name, a gateway
 * hostname (`{gatewayId}-{hash}.{region code}.gateway.dev`, gcp.md §2.1).
 */
export function mockState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const project = typeof inputs.project === "string" ? inputs.project : "mock-project";
  const str = (k: string) => (typeof inputs[k] === "string" ? (inputs[k] as string) : undefined);
  switch (type) {
    case "gcp:compute/globalAddress:GlobalAddress":
      // An address from the documentation range (RFC 5737), as Google would reserve one.
      return { id: `projects/${project}/global/addresses/${str("name") ?? name}`, address: "203.0.113.10" };
    case "gcp:projects/service:Service":
      return { id: `${project}/${str("service") ?? name}` };
    case "gcp:serviceaccount/account:Account": {
      const email = `${str("accountId") ?? name}@${project}.iam.gserviceaccount.com`;
      const full = `projects/${project}/serviceAccounts/${email}`;
      return { id: full, name: full, email, member: `serviceAccount:${email}`, uniqueId: BigInt(`0x${shortHash(email, 12)}`).toString() };
    }
    case "gcp:storage/bucket:Bucket":
      return {
        id: str("name") ?? name,
        url: `gs://${str("name") ?? name}`,
        selfLink: `https://www.googleapis.com/storage/v1/b/${str("name") ?? name}`,
      };
    case "gcp:storage/bucketObject:BucketObject":
      return {
        id: `${str("bucket")}-${str("name")}`,
        generation: 1,
        md5hash: "bW9jaw==",
        mediaLink: `https://storage.googleapis.com/${str("bucket")}/${str("name")}`,
      };
    case "gcp:cloudfunctionsv2/function:Function": {
      const fn = str("name") ?? name;
      const location = str("location") ?? "us-central1";
      const serviceConfig = (inputs.serviceConfig ?? {}) as Record<string, unknown>;
      return {
        id: `projects/${project}/locations/${location}/functions/${fn}`,
        url: `https://${location}-${project}.cloudfunctions.net/${fn}`,
        state: "ACTIVE",
        environment: "GEN_2",
        serviceConfig: {
          ...serviceConfig,
          service: `projects/${project}/locations/${location}/services/${fn}`,
          uri: `https://${fn}-${shortHash(project, 10)}-${regionCode(location)}.a.run.app`,
        },
      };
    }
    case "gcp:apigateway/api:Api":
      return {
        id: `projects/${project}/locations/global/apis/${str("apiId")}`,
        name: `projects/${project}/locations/global/apis/${str("apiId")}`,
        managedService: `${str("apiId")}-${shortHash(`${project}/${str("apiId")}`, 13)}.apigateway.${project}.cloud.goog`,
      };
    case "gcp:apigateway/apiConfig:ApiConfig": {
      const full = `projects/${project}/locations/global/apis/${str("api")}/configs/${str("apiConfigId")}`;
      return { id: full, name: full, serviceConfigId: `${str("apiConfigId")}-0` };
    }
    case "gcp:apigateway/gateway:Gateway": {
      const region = str("region") ?? "us-central1";
      return {
        id: `projects/${project}/locations/${region}/gateways/${str("gatewayId")}`,
        defaultHostname: `${str("gatewayId")}-${shortHash(project, 8)}.${regionCode(region)}.gateway.dev`,
      };
    }
    case "gcp:projects/apiKey:ApiKey":
      return {
        id: `projects/${project}/locations/global/keys/${str("name")}`,
        keyString: `AIzaSyMock${shortHash(name, 29)}`,
        uid: shortHash(name, 32),
      };
    case "gcp:secretmanager/secret:Secret":
      return { id: `projects/${project}/secrets/${str("secretId")}`, name: `projects/${project}/secrets/${str("secretId")}` };
    case "gcp:secretmanager/secretVersion:SecretVersion":
      return { id: `${str("secret")}/versions/1`, name: `${str("secret")}/versions/1`, version: "1" };
    default:
      return {};
  }
}

/** The short region code Google puts in run.app and gateway.dev hostnames, e.g. europe-west1 → ew. */
function regionCode(region: string): string {
  const [geo = "", zone = ""] = region.split("-");
  return `${geo[0] ?? "x"}${zone[0] ?? "x"}`;
}
