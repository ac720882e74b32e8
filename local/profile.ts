import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { AuthInfo, CloudName } from "../runtime";

/**
 * What `--profile` changes: `ctx.cloud`, and the headers that cloud's gateway adds on the way to
 * the function or upstream. Routing, auth, limits and caching stay the same in every profile.
 */
export interface Profile {
  cloud: CloudName;
  forward(req: IncomingMessage, requestId: string, auth: AuthInfo): Record<string, string>;
}

/** `x-forwarded-*`, added by every profile (AWS HTTP API, APIM and GCP API Gateway all set them). */
function forwarded(req: IncomingMessage): Record<string, string> {
  const prior = req.headers["x-forwarded-for"];
  const ip = req.socket.remoteAddress ?? "";
  return {
    "x-forwarded-for": typeof prior === "string" && prior ? `${prior}, ${ip}` : ip,
    "x-forwarded-proto": "http",
    "x-forwarded-port": String(req.socket.localPort ?? ""),
  };
}

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

const PROFILES: Record<CloudName, Profile> = {
  local: { cloud: "local", forward: forwarded },
  aws: {
    cloud: "aws",
    // API Gateway adds an X-Ray trace header `Root=1-<epoch hex>-<24 hex>` to integration requests.
    forward: (req) => ({
      ...forwarded(req),
      "x-amzn-trace-id": `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${hex(12)}`,
    }),
  },
  azure: {
    cloud: "azure",
    // APIM forwards the client address; no other header is added here (none verified).
    forward: forwarded,
  },
  gcp: {
    cloud: "gcp",
    // GCP API Gateway: verified JWT claims arrive base64url-encoded in X-Apigateway-Api-Userinfo, and
    // with backend auth the client's Authorization moves to X-Forwarded-Authorization
    // (shared/clouds/gcp.md §"backend auth").
    forward: (req, _requestId, auth) => {
      const out: Record<string, string> = { ...forwarded(req), "x-cloud-trace-context": `${hex(16)}/1;o=1` };
      if (auth.kind === "jwt" && auth.claims)
        out["x-apigateway-api-userinfo"] = Buffer.from(JSON.stringify(auth.claims)).toString("base64url");
      const authz = req.headers.authorization;
      if (typeof authz === "string") out["x-forwarded-authorization"] = authz;
      return out;
    },
  },
};

export function profileOf(name: "aws" | "azure" | "gcp" | undefined): Profile {
  return PROFILES[name ?? "local"];
}
