import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";

/** The gateway test model (test/fixtures/models/local). */
export const GATEWAY_MODEL = path.resolve(__dirname, "..", "fixtures", "models", "local", "api.ts");
export const ISSUER = "https://issuer.test/";
export const AUDIENCE = "api://test";
export const KEYS = { alice: "alice-key-123", bob: "bob-key-456" };

/** A loopback HTTP server; `handler` answers every request. */
export async function serve(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A test signing key whose public half is served as a JWKS on loopback. */
export async function jwksIssuer() {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "test-1", alg: "RS256", use: "sig" };
  const other = await generateKeyPair("RS256");
  const port = () => new URL(server.url).port;
  const server: Awaited<ReturnType<typeof serve>> = await serve((req, res) => {
    if (req.url === "/.well-known/openid-configuration") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ issuer: `http://127.0.0.1:${port()}/`, jwks_uri: `http://127.0.0.1:${port()}/jwks.json` }));
    } else if (req.url === "/jwks.json") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  const sign = (claims: JWTPayload, opts: { exp?: number | string; key?: CryptoKey; aud?: string; iss?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: "test-1" })
      .setIssuer(opts.iss ?? ISSUER)
      .setAudience(opts.aud ?? AUDIENCE)
      .setSubject((claims.sub as string | undefined) ?? "user-1")
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? "5m")
      .sign(opts.key ?? privateKey);
  return { url: `${server.url}/`, jwksUri: `${server.url}/jwks.json`, sign, otherKey: other.privateKey, close: server.close };
}

/** fetch with a timeout, returning status, headers and the parsed JSON (or text). */
export async function call(url: string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json ?? {} };
}
