import { randomBytes, timingSafeEqual } from "node:crypto";
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from "jose";
import { type Api, type AuthScheme, type RouteAuth, userError } from "../model";
import { type AuthInfo, scopesOf } from "../runtime";

/** Where a JWT scheme's keys and issuer come from; tests point them at a loopback JWKS. */
export interface JwtOverride {
  jwksUri?: string;
  issuer?: string;
}

/** The outcome of an auth check: the caller, or the gateway's refusal (status + cloud-like body). */
export type AuthResult = { ok: true; info: AuthInfo; identity?: string } | { ok: false; status: 401 | 403; message: string };

/**
 * Local API keys, one per consumer of every apiKey scheme: from `SWITCHYARD_API_KEYS`
 * (`name=value,name=value`), else generated (24 random bytes, base64url).
 */
export function parseKeyList(spec: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!spec) return out;
  for (const part of spec.split(",")) {
    const item = part.trim();
    if (!item) continue;
    const eq = item.indexOf("=");
    if (eq <= 0 || eq === item.length - 1) {
      throw userError(`SWITCHYARD_API_KEYS: "${item}" is not name=value. Write e.g. SWITCHYARD_API_KEYS=acme=key1,globex=key2`);
    }
    out[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return out;
}

/** Every consumer named by the model's apiKey schemes, in name order. */
export function consumersOf(api: Api): string[] {
  const names = new Set<string>();
  for (const s of Object.values(api.auth)) if (s.type === "apiKey") for (const c of s.consumers) names.add(c);
  return [...names].sort();
}

/** The key of every consumer: the given ones, and a generated one for each consumer left. */
export function resolveKeys(api: Api, given: Record<string, string>): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const c of consumersOf(api)) keys[c] = given[c] ?? randomBytes(24).toString("base64url");
  return keys;
}

/**
 * Asymmetric algorithms only: `none` and the HMAC family are refused (a JWKS publishes public keys,
 * and the clouds' JWT authorizers verify with those). jose refuses `alg: none` with a key getter too.
 */
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"];
/** Clock skew allowed on `exp`/`nbf`/`iat`; small, like the clouds' authorizers. */
const CLOCK_TOLERANCE_SECONDS = 5;

/** Verifies API keys and JWTs for the routes of one model. */
export class Authenticator {
  /** key value -> consumer name */
  private readonly byKey = new Map<string, string>();
  private readonly jwks = new Map<string, Promise<JWTVerifyGetKey>>();

  constructor(
    private readonly api: Api,
    readonly keys: Record<string, string>,
    private readonly overrides: Record<string, JwtOverride> = {},
    private readonly fetchTimeoutMs = 5000,
  ) {
    for (const [consumer, key] of Object.entries(keys)) this.byKey.set(key, consumer);
  }

  /** Checks the caller of a route. Headers are the request's lower-cased headers. */
  async check(auth: RouteAuth, headers: Record<string, string | string[] | undefined>): Promise<AuthResult> {
    if (auth.kind === "none") return NONE;
    const scheme = this.api.auth[auth.scheme] as AuthScheme;
    if (auth.kind === "apiKey") return this.checkKey(auth, headers);
    if (auth.kind === "jwt" && scheme.type === "jwt") {
      const header = headers.authorization;
      const m = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
      if (!m) return { ok: false, status: 401, message: "Unauthorized" };
      let payload: JWTPayload;
      try {
        const keys = await this.keySet(scheme);
        const issuer = this.overrides[scheme.name]?.issuer ?? scheme.issuer;
        ({ payload } = await jwtVerify(m[1] as string, keys, {
          issuer,
          audience: scheme.audiences,
          algorithms: ALGORITHMS,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ["exp"],
        }));
      } catch (e) {
        // Fail closed: an unreachable issuer or JWKS is a refusal, never an open door.
        if (!(e instanceof joseErrors.JOSEError)) this.jwks.delete(scheme.name);
        return { ok: false, status: 401, message: "Unauthorized" };
      }
      const claims = payload as Record<string, unknown>;
      const scopes = scopesOf(claims);
      for (const need of auth.scopes) {
        if (!scopes.includes(need)) return { ok: false, status: 403, message: "Forbidden: insufficient scope" };
      }
      const subject = typeof payload.sub === "string" ? payload.sub : undefined;
      return { ok: true, info: { kind: "jwt", subject, claims, scopes }, identity: subject ? `sub:${subject}` : undefined };
    }
    return { ok: false, status: 401, message: "Unauthorized" };
  }

  /**
   * The API-key check (synchronous, the hot path): 401 when `x-api-key` is missing, 403 when it is
   * not a key of one of the scheme's consumers.
   */
  checkKey(auth: Extract<RouteAuth, { kind: "apiKey" }>, headers: Record<string, string | string[] | undefined>): AuthResult {
    const scheme = this.api.auth[auth.scheme];
    const key = headers["x-api-key"];
    if (typeof key !== "string" || key === "") return { ok: false, status: 401, message: "Unauthorized: missing API key (x-api-key)" };
    const consumer = this.lookup(key);
    if (consumer === undefined || scheme?.type !== "apiKey" || !scheme.consumers.includes(consumer)) {
      return { ok: false, status: 403, message: "Forbidden" };
    }
    return { ok: true, info: { kind: "apiKey", consumer }, identity: `key:${consumer}` };
  }

  /** Constant-time comparison of the presented key against every local key. */
  private lookup(key: string): string | undefined {
    const direct = this.byKey.get(key);
    if (direct !== undefined) return direct;
    // Compare against each key in constant time per key so a miss leaks no prefix timing.
    const presented = Buffer.from(key);
    for (const [k, consumer] of this.byKey) {
      const b = Buffer.from(k);
      if (b.length === presented.length && timingSafeEqual(b, presented)) return consumer;
    }
    return undefined;
  }

  /** The scheme's JWKS (its `jwksUri`, else the issuer's OpenID discovery document), cached. */
  private keySet(scheme: Extract<AuthScheme, { type: "jwt" }>): Promise<JWTVerifyGetKey> {
    let p = this.jwks.get(scheme.name);
    if (!p) {
      p = this.resolveJwksUri(scheme).then((uri) => createRemoteJWKSet(new URL(uri), { timeoutDuration: this.fetchTimeoutMs }));
      this.jwks.set(scheme.name, p);
    }
    return p;
  }

  private async resolveJwksUri(scheme: Extract<AuthScheme, { type: "jwt" }>): Promise<string> {
    const o = this.overrides[scheme.name];
    if (o?.jwksUri) return o.jwksUri;
    if (scheme.jwksUri) return scheme.jwksUri;
    const issuer = o?.issuer ?? scheme.issuer;
    const url = `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
    const res = await fetch(url, { signal: AbortSignal.timeout(this.fetchTimeoutMs), redirect: "error" });
    if (!res.ok) throw new Error(`OpenID discovery ${url}: HTTP ${res.status}`);
    const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
    // OpenID Connect Discovery 1.0 §4.3: the document's issuer must be the one it was fetched for.
    if (doc.issuer !== issuer) throw new Error(`OpenID discovery ${url}: issuer ${String(doc.issuer)} is not ${issuer}`);
    if (typeof doc.jwks_uri !== "string") throw new Error(`OpenID discovery ${url}: no jwks_uri`);
    return doc.jwks_uri;
  }
}

const NONE: AuthResult = { ok: true, info: { kind: "none" } };
