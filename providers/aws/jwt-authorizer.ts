/**
 * switchyard's JWT validator for REST APIs, which have no generic JWT authorizer (aws.md §0.1): a
 * Lambda REQUEST authorizer bundled into `.build/aws/jwt-authorizer/index.mjs` (bundle/targets/aws.ts)
 * and deployed once per JWT scheme. It checks the signature against the scheme's JWKS (or the
 * issuer's OpenID discovery document), `iss`, `aud`, `exp`/`nbf`, and the route's required scopes.
 *
 * Answers (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html):
 * no or bad token → throw "Unauthorized" (API Gateway answers 401); missing scope → a Deny policy
 * (403); valid → an Allow policy for the called method, with `sub`, `scope` and the claims (JSON) in
 * the context, which the REST event carries as `requestContext.authorizer.*` to the function.
 *
 * Runtime code: no Pulumi here.
 */
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from "jose";

/** The authorizer's settings, from `SWITCHYARD_JWT` (set by the provider). */
export interface JwtAuthorizerConfig {
  issuer: string;
  audiences: string[];
  jwksUri?: string;
  /** Route key (`POST /orders`, as the model writes it) → scopes required. */
  scopes: Record<string, string[]>;
}

/** REST REQUEST authorizer event (the fields read). */
export interface RequestAuthorizerEvent {
  type?: string;
  methodArn: string;
  resource?: string;
  httpMethod?: string;
  headers?: Record<string, string | undefined> | null;
}

export interface AuthorizerResult {
  principalId: string;
  policyDocument: { Version: "2012-10-17"; Statement: { Action: "execute-api:Invoke"; Effect: "Allow" | "Deny"; Resource: string }[] };
  context?: Record<string, string>;
}

let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

function config(): JwtAuthorizerConfig {
  return JSON.parse(process.env.SWITCHYARD_JWT ?? "{}") as JwtAuthorizerConfig;
}

async function keySet(cfg: JwtAuthorizerConfig): Promise<ReturnType<typeof createRemoteJWKSet>> {
  if (jwks) return jwks;
  let uri = cfg.jwksUri;
  if (!uri) {
    const res = await fetch(`${cfg.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
    uri = ((await res.json()) as { jwks_uri?: string }).jwks_uri;
    if (!uri) throw new Error("issuer publishes no jwks_uri");
  }
  jwks = createRemoteJWKSet(new URL(uri));
  return jwks;
}

function scopesOf(p: JWTPayload): string[] {
  const raw = (p as Record<string, unknown>).scope ?? (p as Record<string, unknown>).scp;
  if (Array.isArray(raw)) return raw.map(String);
  return typeof raw === "string" ? raw.split(" ").filter(Boolean) : [];
}

const policy = (principalId: string, effect: "Allow" | "Deny", resource: string, context?: Record<string, string>): AuthorizerResult => ({
  principalId,
  policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resource }] },
  ...(context ? { context } : {}),
});

export async function handler(event: RequestAuthorizerEvent): Promise<AuthorizerResult> {
  const cfg = config();
  const header = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === "authorization")?.[1];
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];
  if (!token) throw new Error("Unauthorized");
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, await keySet(cfg), { issuer: cfg.issuer, audience: cfg.audiences }));
  } catch {
    throw new Error("Unauthorized");
  }
  const sub = typeof payload.sub === "string" ? payload.sub : "unknown";
  const required = cfg.scopes[`${event.httpMethod} ${event.resource}`] ?? cfg.scopes[`ANY ${event.resource}`] ?? [];
  const granted = scopesOf(payload);
  if (!required.every((s) => granted.includes(s))) return policy(sub, "Deny", event.methodArn);
  return policy(sub, "Allow", event.methodArn, { sub, scope: granted.join(" "), claims: JSON.stringify(payload) });
}
