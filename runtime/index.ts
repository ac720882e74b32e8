/**
 * The portable handler contract. A handler is a Web-standard function exported from a file under
 * `functions/`; one thin adapter per host (AWS Lambda, Azure Functions, GCP Functions Framework, the
 * local gateway) turns the host's event into a `Request` and the `Response` back.
 *
 * @example
 * import type { Handler } from "../runtime";
 * export const get: Handler = async (request, ctx) => {
 *   ctx.log.info("fetching book", { id: ctx.params.id });
 *   return Response.json({ id: ctx.params.id });
 * };
 *
 * @example
 * // default export, reading the caller's identity
 * export default (async (_req, ctx) =>
 *   new Response(`hello ${ctx.auth.consumer ?? ctx.auth.subject ?? "anonymous"}`)) satisfies Handler;
 */

/** Where the handler runs. */
export type CloudName = "aws" | "azure" | "gcp" | "local";

/** Who called, as established by the gateway. */
export interface AuthInfo {
  /** `"none"` on open routes. */
  kind: "none" | "apiKey" | "jwt";
  /** API-key consumer name (the model's `consumers` entry), when the host reports it. */
  consumer?: string;
  /** JWT `sub`. */
  subject?: string;
  /** Verified JWT claims. */
  claims?: Record<string, unknown>;
  /** JWT scopes (from `scope` or `scp`). */
  scopes?: string[];
}

/** Structured logger: one JSON line per call, with the request id. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The second argument of every handler. */
export interface Context {
  /** The gateway's or host's request id. */
  requestId: string;
  /** Path parameters by name; a greedy `{path+}` gives `"a/b/c"`. */
  params: Record<string, string>;
  auth: AuthInfo;
  /**
   * JSON-line logger carrying the request id, function, cloud and trace id. Made on first read (a
   * getter, on every host), so a copy made with `{ ...ctx }` has the data fields but not `log`.
   */
  log: Logger;
  cloud: CloudName;
  /** The model's function name. */
  functionName: string;
  /**
   * The distributed-trace id of this request, when the host sent one: the X-Ray `Root` of
   * `x-amzn-trace-id` (AWS), the trace id of W3C `traceparent` (Azure, and any caller), the trace
   * id of `x-cloud-trace-context` (GCP).
   */
  traceId?: string;
}

/** A portable handler. */
export type Handler = (request: Request, ctx: Context) => Response | Promise<Response>;

type Level = "debug" | "info" | "warn" | "error";

/**
 * A logger writing JSON lines (`{"level","msg","requestId",...fields}`) to `write`
 * (stdout/stderr by level when omitted); what every cloud's log pipeline parses.
 */
export function createLogger(base: Record<string, unknown>, write?: (level: Level, line: string) => void): Logger {
  // One literal of four closures (cheaper to build than adding the levels in a loop).
  const at = (level: Level) => (msg: string, fields?: Record<string, unknown>) => {
    const line = JSON.stringify({ level, msg, ...base, ...fields });
    if (write) write(level, line);
    else (level === "error" || level === "warn" ? process.stderr : process.stdout).write(`${line}\n`);
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** Scopes from a verified JWT payload (`scope` space-separated, or `scp` list or string). */
export function scopesOf(claims: Record<string, unknown>): string[] {
  const raw = claims.scope ?? claims.scp;
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw === "string") return raw.split(" ").filter(Boolean);
  return [];
}
