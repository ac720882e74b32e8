import type { IncomingMessage } from "node:http";
import { type AuthInfo, type CloudName, type Context, createLogger, type Logger } from "./index";

/**
 * The local gateway's adapter: a `node:http` request becomes a Web `Request` (headers as node
 * parsed them (repeated ones joined); the body already read and bounded by the gateway), and
 * the handler's `Response` is read back into status, headers and a body buffer.
 */
export function toRequest(
  req: IncomingMessage,
  origin: string,
  body: Buffer | undefined,
  extra: Record<string, string> | undefined,
): Request {
  // node has already joined repeated request headers (", ", or "; " for Cookie), as the Fetch
  // standard does; handing the object over lets Request fill its Headers in one pass.
  const headers = (extra ? Object.assign({}, req.headers, extra) : req.headers) as Record<string, string>;
  const method = req.method ?? "GET";
  const init: RequestInit = { method, headers };
  if (body && body.length > 0 && method !== "GET" && method !== "HEAD")
    init.body = new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.length);
  return new Request(origin + (req.url ?? "/"), init);
}

/** Response headers as `[name, value]` pairs, with each `Set-Cookie` kept separate. */
export function responseHeaders(res: Response): [string, string][] {
  const out: [string, string][] = [];
  res.headers.forEach((value, name) => {
    if (name !== "set-cookie") out.push([name, value]);
  });
  for (const c of res.headers.getSetCookie()) out.push(["set-cookie", c]);
  return out;
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
  ) {}
  get log(): Logger {
    this.logger ??= createLogger({ requestId: this.requestId, function: this.functionName, cloud: this.cloud }, this.write);
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
): Context {
  return new LocalContext(cloud, functionName, requestId, params, auth, write);
}
