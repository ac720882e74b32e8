import * as http from "node:http";
import * as https from "node:https";
import type { UpstreamTarget } from "../model";

/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection and are never forwarded. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** Copies headers without the hop-by-hop ones (and any the `Connection` header names). */
export function dropHopByHop(headers: http.IncomingHttpHeaders | http.OutgoingHttpHeaders): http.OutgoingHttpHeaders {
  const named = new Set<string>();
  const conn = headers.connection;
  if (typeof conn === "string") for (const n of conn.split(",")) named.add(n.trim().toLowerCase());
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || HOP_BY_HOP.has(k) || named.has(k)) continue;
    out[k] = v;
  }
  return out;
}

/** Picks a target by weight (weights sum to 100); `random` is in [0, 1). */
export function pickTarget(targets: readonly UpstreamTarget[], random: number): UpstreamTarget {
  let x = random * 100;
  for (const t of targets) {
    if (x < t.weight) return t;
    x -= t.weight;
  }
  return targets[targets.length - 1] as UpstreamTarget;
}

/**
 * The URL a request goes to: for a greedy route the target URL plus the greedy remainder
 * (`ANY /legacy/{path+}` → `<url>/<path>`, the `{proxy}` mapping of an API Gateway HTTP proxy
 * integration); otherwise the target URL itself. The query string is passed on.
 */
export function upstreamUrl(base: string, greedy: string | undefined, search: string): URL {
  const u = new URL(base);
  if (greedy !== undefined) u.pathname = `${u.pathname.replace(/\/$/, "")}/${greedy.split("/").map(encodeURIComponent).join("/")}`;
  if (search) u.search = search;
  return u;
}

/**
 * Sends the request upstream and streams the answer back to `res`. Returns the status, or
 * 502/504 when the upstream fails or is too slow (the response is then written here too).
 */
export function proxy(
  req: http.IncomingMessage,
  body: Buffer | undefined,
  res: http.ServerResponse,
  target: URL,
  extraHeaders: Record<string, string>,
  timeoutMs: number,
  onHead: (status: number, set: (name: string, value: string) => void, get: (name: string) => string | undefined) => void,
): Promise<number> {
  return new Promise((resolve) => {
    const headers = dropHopByHop(req.headers);
    headers.host = target.host;
    Object.assign(headers, extraHeaders);
    if (body) headers["content-length"] = String(body.length);
    else delete headers["content-length"];
    const lib = target.protocol === "https:" ? https : http;
    const out = lib.request(target, { method: req.method, headers, timeout: timeoutMs });
    let done = false;
    const fail = (status: number, message: string) => {
      if (done) return;
      done = true;
      out.destroy();
      if (res.headersSent) {
        res.destroy();
      } else {
        const payload = JSON.stringify({ message });
        res.statusCode = status;
        res.setHeader("content-type", "application/json");
        onHead(
          status,
          (n, v) => res.setHeader(n, v),
          () => undefined,
        );
        res.end(payload);
      }
      resolve(status);
    };
    // A client that goes away takes the upstream request with it.
    res.on("close", () => {
      if (res.writableFinished) return;
      out.destroy();
      if (!done) {
        done = true;
        resolve(res.statusCode);
      }
    });
    out.on("timeout", () => fail(504, "Endpoint request timed out"));
    out.on("error", () => fail(502, "Bad Gateway"));
    out.on("response", (up) => {
      if (done) return;
      const h = dropHopByHop(up.headers);
      res.statusCode = up.statusCode ?? 502;
      for (const [k, v] of Object.entries(h)) if (v !== undefined) res.setHeader(k, v);
      onHead(
        res.statusCode,
        (n, v) => res.setHeader(n, v),
        (n) => {
          const v = res.getHeader(n);
          return v === undefined ? undefined : String(v);
        },
      );
      up.pipe(res);
      up.on("end", () => {
        done = true;
        resolve(res.statusCode);
      });
      up.on("error", () => fail(502, "Bad Gateway"));
    });
    out.end(body);
  });
}
