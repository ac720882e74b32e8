import type { IncomingMessage } from "node:http";
import { type AuthInfo, type CloudName, type Context, createLogger, type Logger } from "./index";
import { LazyRequest, LightHeaders } from "./lazy";

/**
 * The local gateway's adapter: a `node:http` request becomes a `LazyRequest` (runtime/lazy.ts):
 * headers as node parsed them (repeated ones joined) plus the profile's `extra` ones, built only
 * when the handler reads them; the body already read and bounded by the gateway. The handler's
 * `Response` is read back with `readResponse`.
 */
export function toRequest(
  req: IncomingMessage,
  origin: string,
  body: Buffer | undefined,
  extra: (() => Record<string, string>) | undefined,
): LazyRequest {
  const rawUrl = req.url ?? "/";
  const url = origin + rawUrl;
  // A Request rejects an unparsable URL; with the gateway's own origin only an odd request target can be one.
  if (rawUrl[0] !== "/" && !URL.canParse(url)) throw new TypeError("invalid URL");
  return new LazyRequest(url, {
    method: req.method ?? "GET",
    headers: () => {
      // node has already joined repeated request headers (", ", or "; " for Cookie), as the Fetch standard does.
      const h = LightHeaders.fromRecord(req.headers as Record<string, string | string[] | undefined>);
      if (extra) {
        const more = extra();
        for (const k in more) h.set(k, more[k] as string);
      }
      return h;
    },
    body: body && body.length > 0 ? body : null,
  });
}

/**
 * The handler context. The logger is made on first use (most handlers never log), writing JSON
 * lines through `write`. A class, so the lazy getter lives on the prototype and each request's
 * context is a plain, fast object.
 */
class LocalContext implements Context {
  private logger: Logger | undefined;
  constructor(
    readonly cloud: CloudName,
    readonly functionName: string,
    readonly requestId: string,
    readonly params: Record<string, string>,
    readonly auth: AuthInfo,
    private readonly write: (level: string, line: string) => void,
    private trace?: string | (() => string),
  ) {}
  /** The trace id; the gateway passes a function so that the id is only made when read. */
  get traceId(): string | undefined {
    if (typeof this.trace === "function") this.trace = this.trace();
    return this.trace;
  }
  get log(): Logger {
    this.logger ??= createLogger(
      { requestId: this.requestId, function: this.functionName, cloud: this.cloud, ...(this.traceId ? { traceId: this.traceId } : {}) },
      this.write,
    );
    return this.logger;
  }
}

export function localContext(
  cloud: CloudName,
  functionName: string,
  requestId: string,
  params: Record<string, string>,
  auth: AuthInfo,
  write: (level: string, line: string) => void,
  traceId?: string | (() => string),
): Context {
  return new LocalContext(cloud, functionName, requestId, params, auth, write, traceId);
}
