/**
 * Building blocks for cheap adapters (issue #9): a handler still gets a Web-standard
 * `Request`-compatible object and may return any `Response`, but the adapter does not pay for
 * constructing a fetch `Request`, parsing its URL, copying its headers or streaming a `Response`
 * body it could have read from its source.
 *
 * Two costs are avoided:
 * - per invocation: `new Headers` + `new Request` (URL parse, header validation, body stream) and
 *   `await response.arrayBuffer()` (a web stream) for the usual string / JSON answer;
 * - at cold start: Node 22 loads its fetch implementation (undici) the first time anything touches
 *   `globalThis.Request`, `Response` or `Headers` (tens of ms, measured by bench/cold-start.ts).
 *   Nothing here touches those globals unless the handler asks for something only they can give
 *   (a body stream, `blob()`, `formData()`, a `Blob` / `FormData` / stream body).
 *
 * - `LightHeaders`: a `Headers`-compatible class (same normalisation, validation, ordering,
 *   `getSetCookie`).
 * - `LazyRequest`: a `Request`-compatible object built from plain strings; the URL is normalised,
 *   the headers built and the body decoded only when the handler reads them. `toRequest()` gives a
 *   real `Request` (and is used internally for `body`, `blob()` and `formData()`).
 * - `LightResponse`: a `Response`-compatible class that keeps its string / bytes source; a bundle
 *   can substitute it for the global `Response` in handler code (esbuild `inject`), so
 *   `Response.json(...)` costs a `JSON.stringify` and the adapter reads the source directly.
 *   `x instanceof LightResponse` is also true for real `Response`s.
 * - `readResponse`: reads any `Response` (light or real) into status, headers, cookies and body,
 *   with a synchronous-source fast path.
 */

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[\0\r\n]/;
const HTTP_WS = /^[\t\n\r ]+|[\t\n\r ]+$/g;
const TEXT_PLAIN = "text/plain;charset=UTF-8";

function normaliseValue(value: string): string {
  const v = String(value);
  const first = v.charCodeAt(0);
  const last = v.charCodeAt(v.length - 1);
  // Fast path: no leading/trailing HTTP whitespace (tab, LF, CR, space).
  if (first > 32 && last > 32) return v;
  return v.replace(HTTP_WS, "");
}

function checkName(name: string, op: string): string {
  const n = String(name);
  if (!TOKEN.test(n)) throw new TypeError(`Headers.${op}: "${n}" is an invalid header name.`);
  return n.toLowerCase();
}

function checkValue(value: string, op: string): string {
  const v = normaliseValue(value);
  if (BAD_VALUE.test(v)) throw new TypeError(`Headers.${op}: "${v}" is an invalid header value.`);
  return v;
}

type HeadersSource = Iterable<readonly [string, string]> | Iterable<readonly string[]> | Record<string, string> | undefined | null;

/**
 * A `Headers`-compatible map: lower-cased names, values trimmed and validated as `Headers` does,
 * repeated values joined with ", ", iteration sorted by name with each `set-cookie` apart.
 */
export class LightHeaders {
  #map = new Map<string, string>();
  #cookies: string[] = [];
  #sorted: [string, string][] | undefined;

  constructor(init?: HeadersSource | LightHeaders) {
    if (init == null) return;
    if (LightHeaders.isLight(init)) {
      for (const [k, v] of init.#map) this.#map.set(k, v);
      this.#cookies = init.#cookies.slice();
    } else if (typeof (init as Iterable<unknown>)[Symbol.iterator] === "function") {
      for (const pair of init as Iterable<readonly string[]>) {
        if (pair.length !== 2) throw new TypeError("Headers constructor: expected name/value pair to be length 2.");
        this.append(pair[0] as string, pair[1] as string);
      }
    } else {
      for (const k of Object.keys(init)) this.append(k, (init as Record<string, string>)[k] as string);
    }
  }

  /**
   * Trusted fast path for hosts whose header values are already valid HTTP (API Gateway, Azure,
   * the Functions Framework): lower-cases names and trims values; a list value (API Gateway REST
   * `multiValueHeaders`) adds each; undefined values and the header named `skip` (lower case) are skipped.
   */
  static fromRecord(record: Record<string, string | string[] | undefined> | null | undefined, skip?: string): LightHeaders {
    const h = new LightHeaders();
    for (const k in record) {
      const v = record[k];
      const n = k.toLowerCase();
      if (n === skip) continue;
      if (typeof v === "string") h.#add(n, normaliseValue(v));
      else if (v) for (const x of v) h.#add(n, normaliseValue(x));
    }
    return h;
  }

  #add(name: string, value: string): void {
    this.#sorted = undefined;
    if (name === "set-cookie") {
      this.#cookies.push(value);
      return;
    }
    const prior = this.#map.get(name);
    this.#map.set(name, prior === undefined ? value : `${prior}, ${value}`);
  }

  append(name: string, value: string): void {
    this.#add(checkName(name, "append"), checkValue(value, "append"));
  }

  set(name: string, value: string): void {
    const n = checkName(name, "set");
    const v = checkValue(value, "set");
    this.#sorted = undefined;
    if (n === "set-cookie") this.#cookies = [v];
    else this.#map.set(n, v);
  }

  delete(name: string): void {
    const n = checkName(name, "delete");
    this.#sorted = undefined;
    if (n === "set-cookie") this.#cookies = [];
    else this.#map.delete(n);
  }

  get(name: string): string | null {
    const n = checkName(name, "get");
    if (n === "set-cookie") return this.#cookies.length ? this.#cookies.join(", ") : null;
    return this.#map.get(n) ?? null;
  }

  has(name: string): boolean {
    const n = checkName(name, "has");
    return n === "set-cookie" ? this.#cookies.length > 0 : this.#map.has(n);
  }

  getSetCookie(): string[] {
    return this.#cookies.slice();
  }

  /** Internal fast read (no validation): a lower-case name's combined value. */
  _get(lowerName: string): string | undefined {
    return this.#map.get(lowerName);
  }

  #list(): [string, string][] {
    if (this.#sorted) return this.#sorted;
    const names = [...this.#map.keys()];
    if (this.#cookies.length) names.push("set-cookie");
    names.sort();
    const out: [string, string][] = [];
    for (const n of names) {
      if (n === "set-cookie") for (const c of this.#cookies) out.push([n, c]);
      else out.push([n, this.#map.get(n) as string]);
    }
    this.#sorted = out;
    return out;
  }

  forEach(cb: (value: string, key: string, parent: LightHeaders) => void, thisArg?: unknown): void {
    for (const [k, v] of this.#list()) cb.call(thisArg, v, k, this);
  }

  *entries(): IterableIterator<[string, string]> {
    for (const [k, v] of this.#list()) yield [k, v];
  }

  *keys(): IterableIterator<string> {
    for (const [k] of this.#list()) yield k;
  }

  *values(): IterableIterator<string> {
    for (const [, v] of this.#list()) yield v;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /**
   * Plain record for a host response: every header but `set-cookie` (combined as `get` gives
   * them), plus the cookies apart. No sorting, no validation: the cheapest read.
   */
  toRecord(): { headers: Record<string, string>; cookies: string[] } {
    const headers: Record<string, string> = {};
    for (const [k, v] of this.#map) headers[k] = v;
    return { headers, cookies: this.#cookies.slice() };
  }

  get [Symbol.toStringTag](): string {
    return "Headers";
  }

  /** True only for LightHeaders (not for real `Headers`). */
  static isLight(x: unknown): x is LightHeaders {
    return typeof x === "object" && x !== null && #map in x;
  }

  static [Symbol.hasInstance](x: unknown): boolean {
    return LightHeaders.isLight(x) || isRealInstance(x, "Headers");
  }
}

/**
 * True when `x` is a real fetch object of that class. Checks the cheap `Symbol.toStringTag` first,
 * so a non-fetch value never loads Node's fetch implementation.
 */
function isRealInstance(x: unknown, name: "Headers" | "Request" | "Response"): boolean {
  if (typeof x !== "object" || x === null || Object.prototype.toString.call(x) !== `[object ${name}]`) return false;
  const ctor = (globalThis as unknown as Record<string, { prototype: object }>)[name];
  return ctor !== undefined && Object.prototype.isPrototypeOf.call(ctor.prototype, x);
}

/** Body bytes for a byte source: a fresh ArrayBuffer, never a view of a shared pool. */
function freshArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const ab = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(ab).set(bytes);
  return ab;
}

let decoder: TextDecoder | undefined;

/** UTF-8 decode as fetch's `text()` does (WHATWG decoder: a leading BOM is dropped, bad bytes become U+FFFD). */
function decodeUtf8(bytes: Uint8Array): string {
  decoder ??= new TextDecoder();
  return decoder.decode(bytes);
}

/** The string a UTF-8 round trip gives (lone surrogates become U+FFFD). */
function wellFormed(s: string): string {
  const x = s as unknown as { isWellFormed(): boolean; toWellFormed(): string };
  return x.isWellFormed() ? s : x.toWellFormed();
}

/** What `text()` gives for a string source: it travels as UTF-8, so lone surrogates become U+FFFD and a BOM is dropped. */
function textOfString(s: string): string {
  const w = wellFormed(s);
  return w.charCodeAt(0) === 0xfeff ? w.slice(1) : w;
}

function unusable(): TypeError {
  return new TypeError("Body is unusable: Body has already been read");
}

type Source = string | Uint8Array | null;

/**
 * The body half shared by LazyRequest and LightResponse: a string / bytes source read directly,
 * or a real `Request` / `Response` (built by `make` on first need) once only a stream will do.
 */
abstract class LightBody {
  #source: Source;
  #used = false;
  #real: Request | Response | undefined;

  constructor(source: Source) {
    this.#source = source;
  }

  /** Builds the real object carrying this body (only when needed). */
  protected abstract make(source: Source): Request | Response;

  protected real(): Request | Response {
    if (this.#real) return this.#real;
    const real = this.make(this.#source);
    if (this.#used && real.body) void real.arrayBuffer().catch(() => undefined);
    this.#real = real;
    return real;
  }

  protected adopt(real: Request | Response): void {
    this.#real = real;
  }

  /** Gives `copy` this body (a clone of the real one when there is one). */
  protected copyBodyTo(copy: LightBody, what: string): void {
    if (this.bodyUsed) throw new TypeError(`${what}.clone: Body has already been consumed.`);
    if (this.#real) copy.#real = this.#real.clone();
    else copy.#source = this.#source;
  }

  protected hasSource(): boolean {
    return typeof this.#source === "string";
  }

  get bodyUsed(): boolean {
    return this.#real ? this.#real.bodyUsed : this.#used;
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#source === null && !this.#real) return null;
    return this.real().body;
  }

  /**
   * The unread source (string or bytes, or null for no body) without consuming it, or undefined
   * when only a stream can give the body. For adapters; handlers use `text()` and friends.
   */
  peekSource(): Source | undefined {
    return this.#real || this.#used ? undefined : this.#source;
  }

  #take(): Source {
    if (this.#used) throw unusable();
    if (this.#source !== null) this.#used = true;
    return this.#source;
  }

  async text(): Promise<string> {
    if (this.#real) return this.#real.text();
    const s = this.#take();
    return s === null ? "" : typeof s === "string" ? textOfString(s) : decodeUtf8(s);
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#real) return this.#real.arrayBuffer();
    const s = this.#take();
    return s === null ? new ArrayBuffer(0) : freshArrayBuffer(typeof s === "string" ? Buffer.from(s, "utf8") : s);
  }

  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await this.arrayBuffer());
  }

  async blob(): Promise<Blob> {
    if (this.#used && !this.#real) throw unusable();
    return this.real().blob();
  }

  async formData(): Promise<FormData> {
    if (this.#used && !this.#real) throw unusable();
    return this.real().formData();
  }
}

const NORMAL_METHODS: Record<string, string> = {
  delete: "DELETE",
  get: "GET",
  head: "HEAD",
  options: "OPTIONS",
  post: "POST",
  put: "PUT",
};

export interface LazyRequestInit {
  /** As the host gives it; normalised as `Request` does (`post` → `POST`, `patch` stays). */
  method: string;
  /** Headers, or a function building them on first use (the cheap path). */
  headers?: LightHeaders | (() => LightHeaders);
  /** A text body, raw bytes (e.g. decoded base64), or none. Ignored for GET and HEAD. */
  body?: string | Uint8Array | null;
}

/**
 * A `Request`-compatible object that builds nothing until it is read: `method`, `url`, `headers`,
 * `text()`, `json()`, `arrayBuffer()`, `bytes()`, `clone()`, `signal` and the constant
 * attributes are served from plain values with exactly what a real `Request` would give; `body`,
 * `blob()` and `formData()` use a real `Request` built on first use (`toRequest()`).
 *
 * It is not `instanceof` the global `Request` (nothing public allows that without loading
 * Node's fetch implementation): bundles substitute `RequestShim` and `fetchShim` for the handler's
 * `Request` and `fetch` (runtime/light-inject.ts), which accept it; elsewhere use `toRequest()`.
 */
export class LazyRequest extends LightBody {
  readonly method: string;
  #rawUrl: string | (() => string);
  #url: string | undefined;
  #headers: LightHeaders | (() => LightHeaders) | undefined;
  #signal: AbortSignal | undefined;

  /** `url` may be a function building the raw URL on first read (e.g. re-encoding a REST path). */
  constructor(url: string | (() => string), init: LazyRequestInit) {
    const m = init.method;
    let method = NORMAL_METHODS[m.toLowerCase()];
    if (!method) {
      if (!TOKEN.test(m) || /^(connect|trace|track)$/i.test(m)) throw new TypeError(`'${m}' is not a valid HTTP method.`);
      method = m;
    }
    super(method === "GET" || method === "HEAD" ? null : (init.body ?? null));
    this.method = method;
    this.#rawUrl = url;
    this.#headers = init.headers;
  }

  /** The URL serialised as `Request` does (WHATWG URL parser), computed on first read. */
  get url(): string {
    if (this.#url === undefined) {
      const raw = this.#rawUrl;
      this.#url = new URL(typeof raw === "string" ? raw : raw()).href;
      this.#rawUrl = this.#url;
    }
    return this.#url;
  }

  get headers(): LightHeaders {
    let h = this.#headers;
    if (LightHeaders.isLight(h)) return h;
    h = typeof h === "function" ? h() : new LightHeaders();
    // A string body makes `Request` add this content type when none is given.
    if (this.hasSource() && h._get("content-type") === undefined) h.append("content-type", TEXT_PLAIN);
    this.#headers = h;
    return h;
  }

  get signal(): AbortSignal {
    this.#signal ??= new AbortController().signal;
    return this.#signal;
  }

  // Constant attributes (what a Request built from a URL and init gives), on the prototype below.
  declare readonly cache: RequestCache;
  declare readonly credentials: RequestCredentials;
  declare readonly destination: RequestDestination;
  declare readonly integrity: string;
  declare readonly keepalive: boolean;
  declare readonly mode: RequestMode;
  declare readonly redirect: RequestRedirect;
  declare readonly referrer: string;
  declare readonly referrerPolicy: ReferrerPolicy;
  declare readonly duplex: "half";

  get [Symbol.toStringTag](): string {
    return "Request";
  }

  protected override make(src: Source): Request {
    return new globalThis.Request(this.url, {
      method: this.method,
      headers: [...this.headers],
      ...(src !== null ? { body: src as BodyInit } : {}),
    });
  }

  /** A real `Request` with the same method, URL, headers and body (built once). */
  toRequest(): Request {
    return this.real() as Request;
  }

  clone(): LazyRequest {
    const copy = new LazyRequest(this.#rawUrl, { method: this.method, headers: new LightHeaders(this.headers) });
    this.copyBodyTo(copy, "Request");
    return copy;
  }

  /** True only for LazyRequest (not for real `Request`s). */
  static isLazy(x: unknown): x is LazyRequest {
    return typeof x === "object" && x !== null && #rawUrl in x;
  }

  static override [Symbol.hasInstance](x: unknown): boolean {
    return LazyRequest.isLazy(x) || isRealInstance(x, "Request");
  }
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/**
 * A `Response`-compatible class that keeps its source. Strings, `JSON`, byte arrays and
 * `URLSearchParams` are held as is (a `Response` built from them gives exactly the same status,
 * headers and bytes); any other body (stream, `Blob`, `FormData`) and `error()` / `redirect()` are
 * delegated to a real `Response`. `instanceof LightResponse` is true for real `Response`s too, so
 * it can stand in for the global `Response` in handler code.
 */
export class LightResponse extends LightBody {
  readonly status: number;
  readonly statusText: string;
  readonly headers: LightHeaders;
  #light = true;

  constructor(body?: BodyInit | null, init?: ResponseInit) {
    const status = init?.status ?? 200;
    const plain =
      body == null ||
      typeof body === "string" ||
      body instanceof Uint8Array ||
      body instanceof ArrayBuffer ||
      body instanceof URLSearchParams;
    if (!plain || (body != null && NULL_BODY_STATUS.has(status))) {
      // Rare: let the real class build (or reject) it.
      const real = new globalThis.Response(body, init);
      super(null);
      this.adopt(real);
      this.status = real.status;
      this.statusText = real.statusText;
      this.headers = new LightHeaders(real.headers);
      return;
    }
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw new RangeError('init["status"] must be in the range of 200 to 599, inclusive.');
    }
    const headers = new LightHeaders(init?.headers as HeadersSource);
    let type: string | undefined;
    let source: Source = null;
    if (typeof body === "string") {
      source = body;
      type = TEXT_PLAIN;
    } else if (body instanceof URLSearchParams) {
      source = body.toString();
      type = "application/x-www-form-urlencoded;charset=UTF-8";
    } else if (body != null) {
      // A Response copies the bytes it is given.
      source = new Uint8Array(body instanceof ArrayBuffer ? body : (body as Uint8Array));
    }
    if (type && headers._get("content-type") === undefined) headers.append("content-type", type);
    super(source);
    this.status = status;
    this.statusText = init?.statusText ?? "";
    this.headers = headers;
  }

  static json(data: unknown, init?: ResponseInit): LightResponse {
    const text = JSON.stringify(data);
    if (text === undefined) throw new TypeError("Value is not JSON serializable");
    const headers = new LightHeaders(init?.headers as HeadersSource);
    if (headers._get("content-type") === undefined) headers.append("content-type", "application/json");
    return new LightResponse(text, { ...init, headers });
  }

  static error(): Response {
    return globalThis.Response.error();
  }

  static redirect(url: string | URL, status?: number): Response {
    return globalThis.Response.redirect(url, status);
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }
  // Constant attributes of a constructed Response, on the prototype below.
  declare readonly type: ResponseType;
  declare readonly url: string;
  declare readonly redirected: boolean;

  get [Symbol.toStringTag](): string {
    return "Response";
  }

  protected override make(src: Source): Response {
    return new globalThis.Response(src as BodyInit | null, {
      status: this.status,
      statusText: this.statusText,
      headers: [...this.headers],
    });
  }

  /** A real `Response` with the same status, headers and body (built once). */
  toResponse(): Response {
    return this.real() as Response;
  }

  clone(): LightResponse {
    const copy = new LightResponse(null, { status: this.status, statusText: this.statusText, headers: this.headers });
    this.copyBodyTo(copy, "Response");
    return copy;
  }

  /** True only for LightResponse (not for real `Response`s). */
  static isLight(x: unknown): x is LightResponse {
    return typeof x === "object" && x !== null && #light in x;
  }

  static override [Symbol.hasInstance](x: unknown): boolean {
    return LightResponse.isLight(x) || isRealInstance(x, "Response");
  }
}

function constants(proto: object, values: Record<string, unknown>): void {
  for (const [k, value] of Object.entries(values)) Object.defineProperty(proto, k, { get: () => value, configurable: true });
}
constants(LazyRequest.prototype, {
  cache: "default",
  credentials: "same-origin",
  destination: "",
  integrity: "",
  keepalive: false,
  mode: "cors",
  redirect: "follow",
  referrer: "about:client",
  referrerPolicy: "",
  duplex: "half",
});
constants(LightResponse.prototype, { type: "default", url: "", redirected: false });

/**
 * Stands in for the global `Request` in handler code (bundle inject, with `fetchShim` for `fetch`):
 * `x instanceof Request` is true for a LazyRequest and for real Requests, and `new Request(req, init)`
 * gives a real Request, turning a LazyRequest into one first. Nothing is loaded until it is used.
 */
export class RequestShim {
  constructor(input: RequestInfo | URL | LazyRequest, init?: RequestInit) {
    // biome-ignore lint/correctness/noConstructorReturn: on purpose, the caller gets a real Request (a constructor may return another object).
    return new globalThis.Request(LazyRequest.isLazy(input) ? input.toRequest() : input, init) as unknown as RequestShim;
  }

  static [Symbol.hasInstance](x: unknown): boolean {
    return LazyRequest.isLazy(x) || isRealInstance(x, "Request");
  }
}

/** Stands in for the global `fetch` in handler code: a LazyRequest input is sent as the real Request it stands for. */
export function fetchShim(input: RequestInfo | URL | LazyRequest, init?: RequestInit): Promise<Response> {
  return globalThis.fetch(LazyRequest.isLazy(input) ? input.toRequest() : input, init);
}

/** A response as a host wants it: status, headers (set-cookie apart) and the body bytes or text. */
export interface ReadResponse {
  status: number;
  headers: Record<string, string>;
  cookies: string[];
  /** Text when the source was text, else bytes. */
  body: string | Uint8Array;
}

/**
 * Reads any `Response` (a `LightResponse` or a real one) for a host. A `LightResponse` built from
 * a string / JSON / bytes is read synchronously from its source (no stream, no copy); a real
 * `Response` is read with its public `arrayBuffer()`.
 */
export function readResponse(res: LightResponse | Response): ReadResponse | Promise<ReadResponse> {
  if (LightResponse.isLight(res)) {
    const src = res.peekSource();
    if (src !== undefined) {
      const { headers, cookies } = res.headers.toRecord();
      return { status: res.status, headers, cookies, body: src === null ? "" : typeof src === "string" ? wellFormed(src) : src };
    }
  }
  return readReal(res as Response);
}

async function readReal(res: Response | LightResponse): Promise<ReadResponse> {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    if (key !== "set-cookie") headers[key] = value;
  });
  const cookies = res.headers.getSetCookie();
  // bytes() (Node ≥ 22.3) skips the ArrayBuffer copy arrayBuffer() makes.
  const body = typeof res.bytes === "function" ? await res.bytes() : new Uint8Array(await res.arrayBuffer());
  return { status: res.status, headers, cookies, body };
}

/** A value a handler may return: a `LightResponse` or a real `Response` (without loading fetch otherwise). */
export function isResponse(x: unknown): x is LightResponse | Response {
  return x instanceof LightResponse;
}
