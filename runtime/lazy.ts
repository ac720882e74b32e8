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
 *
 * Every bundle carries this file (each function is deployed alone; issue #9 goal 3 allows 10 KB per
 * function), so it is written for size as well as speed: one path per behaviour, short messages,
 * repeated strings held once (esbuild does not merge equal literals), internal helpers as module
 * functions (their names are minified; method names are not).
 */

declare global {
  interface String {
    /** ES2024 (Node 20+); not in the ES2023 lib this project compiles against. */
    toWellFormed(): string;
  }
}

const TOKEN = /^[!#$%&'*+\-.^`|~\w]+$/;
const TEXT_PLAIN = "text/plain;charset=UTF-8";
const CONTENT_TYPE = "content-type";
const SET_COOKIE = "set-cookie";

/** A header value as `Headers` stores it: leading/trailing HTTP whitespace (tab, LF, CR, space) removed. */
function trim(value: string): string {
  const v = String(value);
  // Fast path: nothing to remove.
  return v.charCodeAt(0) > 32 && v.charCodeAt(v.length - 1) > 32 ? v : v.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
}

/** Throws the TypeError the fetch classes throw (one helper: every bundle carries this file). */
function typeError(message: string): never {
  throw new TypeError(message);
}

/** A lower-cased valid header name, as `Headers` checks it. */
function checkName(name: string): string {
  const n = String(name);
  if (!TOKEN.test(n)) typeError(`bad header name ${n}`);
  return n.toLowerCase();
}

/** A trimmed valid header value, as `Headers` checks it. */
function checkValue(value: string): string {
  const v = trim(value);
  if (/[\0\r\n]/.test(v)) typeError(`bad header value ${v}`);
  return v;
}

/** The real fetch classes (`globalThis`, which the bundle inject does not rewrite), read only when needed. */
const web = globalThis as unknown as Pick<typeof globalThis, "Request" | "Response" | "fetch"> & Record<string, new () => object>;

type HeadersSource = Iterable<readonly [string, string]> | Iterable<readonly string[]> | Record<string, string> | undefined | null;

/** Sets `content-type` to one of our own types when it is absent (set in LightHeaders' static block). */
let defaultType: (h: LightHeaders, type: string) => void;

/**
 * A `Headers`-compatible map: lower-cased names, values trimmed and validated as `Headers` does,
 * repeated values joined with ", ", iteration sorted by name with each `set-cookie` apart.
 */
export class LightHeaders {
  #map = new Map<string, string>();
  #cookies: string[] = [];

  /** Takes what `Headers` takes: a record, name/value pairs, or any headers object (real or light). */
  constructor(init?: HeadersSource | LightHeaders) {
    if (init == null) return;
    if (typeof (init as Iterable<unknown>)[Symbol.iterator] === "function")
      for (const pair of init as Iterable<readonly string[]>) {
        if (pair.length !== 2) typeError("bad header pair");
        this.append(pair[0] as string, pair[1] as string);
      }
    else for (const k in init) this.append(k, (init as Record<string, string>)[k] as string);
  }

  static {
    defaultType = (h, type) => {
      if (!h.#map.has(CONTENT_TYPE)) h.#map.set(CONTENT_TYPE, type);
    };
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
      if (n !== skip) for (const x of [v ?? []].flat()) h.#add(n, trim(x));
    }
    return h;
  }

  #add(name: string, value: string): void {
    if (name === SET_COOKIE) this.#cookies.push(value);
    else {
      const prior = this.#map.get(name);
      this.#map.set(name, prior === undefined ? value : `${prior}, ${value}`);
    }
  }

  append(name: string, value: string): void {
    this.#add(checkName(name), checkValue(value));
  }

  set(name: string, value: string): void {
    const v = checkValue(value);
    this.delete(name);
    this.#add(checkName(name), v);
  }

  delete(name: string): void {
    const n = checkName(name);
    if (n === SET_COOKIE) this.#cookies = [];
    else this.#map.delete(n);
  }

  get(name: string): string | null {
    const n = checkName(name);
    return n === SET_COOKIE ? (this.#cookies.length ? this.#cookies.join(", ") : null) : (this.#map.get(n) ?? null);
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  getSetCookie(): string[] {
    return this.#cookies.slice();
  }

  /** The entries as `Headers` iterates them: sorted by name, each `set-cookie` apart (a fresh array). */
  #list(): [string, string][] {
    const out: [string, string][] = [...this.#map];
    for (const c of this.#cookies) out.push([SET_COOKIE, c]);
    // A stable sort keeps the cookies in their order.
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  forEach(cb: (value: string, key: string, parent: LightHeaders) => void, thisArg?: unknown): void {
    for (const [k, v] of this.#list()) cb.call(thisArg, v, k, this);
  }

  entries(): IterableIterator<[string, string]> {
    return this.#list().values();
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
}

/**
 * True when `x` is a real fetch object of that class. Checks the cheap `Symbol.toStringTag` first,
 * so a non-fetch value never loads Node's fetch implementation.
 */
function isReal(x: unknown, name: "Headers" | "Request" | "Response"): boolean {
  return (x as { [Symbol.toStringTag]?: unknown } | null | undefined)?.[Symbol.toStringTag] === name && (x as object) instanceof web[name]!;
}

type Source = string | Uint8Array | null;

// Readers of LightBody's private state, set in its static block (module functions: minified names).
/** The unread source of a light body (undefined when only a stream can give it). */
let peekSource: (b: LightBody) => Source | undefined;
/** The source as given, read or not. */
let sourceOf: (b: LightBody) => Source;
/** The real `Request` / `Response` carrying the body, built on first need. */
let realOf: (b: LightBody) => Request | Response;

/**
 * The body half shared by LazyRequest and LightResponse: a string / bytes source read directly,
 * or a real `Request` / `Response` (built by `make` on first need) once only a stream will do.
 */
abstract class LightBody {
  #src: Source;
  #used = false;
  #real: Request | Response | undefined;

  constructor(src: Source, real?: Request | Response) {
    this.#src = src;
    this.#real = real;
  }

  static {
    peekSource = (b) => (b.#real || b.#used ? undefined : b.#src);
    sourceOf = (b) => b.#src;
    realOf = (b) => {
      if (!b.#real) {
        b.#real = b.make(b.#src);
        // A body already read stays read.
        if (b.#used && b.#real.body) void b.#real.arrayBuffer().catch(() => undefined);
      }
      return b.#real;
    };
  }

  /** Builds the real object carrying this body (only when needed). */
  protected abstract make(src: Source): Request | Response;

  get bodyUsed(): boolean {
    return this.#real ? this.#real.bodyUsed : this.#used;
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.#src === null && !this.#real ? null : realOf(this).body;
  }

  #take(): Source {
    if (this.#used) typeError("Body is unusable: Body has already been read");
    this.#used = this.#src !== null;
    return this.#src;
  }

  async text(): Promise<string> {
    if (this.#real) return this.#real.text();
    const s = this.#take();
    if (typeof s !== "string") return new TextDecoder().decode(s ?? undefined); // WHATWG decode: BOM dropped, bad bytes U+FFFD
    // It travels as UTF-8, so lone surrogates become U+FFFD (V8 returns a well-formed string itself, no copy).
    const w = s.toWellFormed();
    return w.charCodeAt(0) === 0xfeff ? w.slice(1) : w;
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#real) return this.#real.arrayBuffer();
    const s = this.#take();
    // A copy: never a view of a shared pool or of the source.
    return new Uint8Array(typeof s === "string" ? Buffer.from(s) : (s ?? [])).buffer;
  }

  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await this.arrayBuffer());
  }

  // Served by the real object (see `delegate` below).
  declare readonly blob: () => Promise<Blob>;
  declare readonly formData: () => Promise<FormData>;
}

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
 * `text()`, `json()`, `arrayBuffer()`, `bytes()`, `signal` and the body state are served from
 * plain values with exactly what a real `Request` would give; `body`, `blob()`, `formData()`,
 * `clone()` and the constant attributes use a real `Request` built on first use (`toRequest()`).
 *
 * It is not `instanceof` the global `Request` (nothing public allows that without loading
 * Node's fetch implementation): bundles substitute `RequestShim` and `fetchShim` for the handler's
 * `Request` and `fetch` (runtime/light-inject.ts), which accept it; elsewhere use `toRequest()`.
 */
export class LazyRequest extends LightBody {
  readonly method: string;
  #url: string | (() => string);
  #href: string | undefined;
  #headers: LightHeaders | (() => LightHeaders) | undefined;
  #signal: AbortSignal | undefined;

  /** `url` may be a function building the raw URL on first read (e.g. re-encoding a REST path). */
  constructor(url: string | (() => string), init: LazyRequestInit) {
    const m = init.method;
    let method = m.toUpperCase();
    // Request upper-cases only these methods, and forbids CONNECT, TRACE and TRACK.
    if (!/^(DELETE|GET|HEAD|OPTIONS|POST|PUT)$/.test(method)) {
      if (!TOKEN.test(m) || /^(CONNECT|TRACE|TRACK)$/.test(method)) typeError(`bad method ${m}`);
      method = m;
    }
    super(method === "GET" || method === "HEAD" ? null : (init.body ?? null));
    this.method = method;
    this.#url = url;
    this.#headers = init.headers;
  }

  /** The URL serialised as `Request` does (WHATWG URL parser), computed on first read. */
  get url(): string {
    const raw = this.#url;
    // biome-ignore lint/suspicious/noAssignInExpressions: a memoising getter; this form is the smaller bundle (issue #9 goal 3).
    return (this.#href ??= new URL(typeof raw === "string" ? raw : raw()).href);
  }

  get headers(): LightHeaders {
    let h = this.#headers;
    if (!(h instanceof LightHeaders)) {
      this.#headers = h = h ? h() : new LightHeaders();
      // A string body makes `Request` add this content type when none is given.
      if (typeof sourceOf(this) === "string") defaultType(h, TEXT_PLAIN);
    }
    return h;
  }

  get signal(): AbortSignal {
    // biome-ignore lint/suspicious/noAssignInExpressions: a memoising getter; this form is the smaller bundle (issue #9 goal 3).
    return (this.#signal ??= new AbortController().signal);
  }

  // Served by the real Request (see `delegate` below): rarely read, they are not worth carrying here.
  declare readonly clone: () => Request;
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

  protected override make(src: Source): Request {
    return new web.Request(this.url, { method: this.method, headers: [...this.headers], body: src as BodyInit | null });
  }

  /** A real `Request` with the same method, URL, headers and body (built once). */
  toRequest(): Request {
    return realOf(this) as Request;
  }
}

/**
 * A real `Request` for a LazyRequest (`toRequest()`), anything else as it is. The prototype tells a
 * LazyRequest apart (`instanceof LazyRequest` is true for real Requests too); a module function, not
 * a static, so that only the bundles that use the shims below carry it.
 */
const realRequest = <T>(x: T | LazyRequest): T | Request =>
  // biome-ignore lint/suspicious/noPrototypeBuiltins: the prototypes are ours (they inherit Object.prototype).
  LazyRequest.prototype.isPrototypeOf(x as object) ? (x as LazyRequest).toRequest() : (x as T);

/**
 * A `Response`-compatible class that keeps its source. Strings, `JSON` and byte arrays are held as
 * is (a `Response` built from them gives exactly the same status, headers and bytes); any other
 * body (`URLSearchParams`, stream, `Blob`, `FormData`), a body with a null-body status,
 * and `error()` / `redirect()` are delegated to a real `Response`. `instanceof LightResponse` is
 * true for real `Response`s too, so it can stand in for the global `Response` in handler code.
 */
export class LightResponse extends LightBody {
  readonly status: number;
  readonly statusText: string;
  readonly headers: LightHeaders;

  /** `textType` (internal, for `json`): the content type a string body gets when none is given. */
  constructor(body?: BodyInit | null, init?: ResponseInit, textType = TEXT_PLAIN) {
    const status = init?.status ?? 200;
    let source: Source = null;
    let type: string | undefined;
    if (typeof body === "string") {
      source = body;
      type = textType;
    }
    // A Response copies the bytes it is given.
    else if (body instanceof Uint8Array || body instanceof ArrayBuffer) source = new Uint8Array(body);
    // A null-body status with a body is for the real class to reject (101 and 103 are out of range below).
    if (body != null && (source === null || [204, 205, 304].includes(status))) {
      // Rare: let the real class build (or reject) it.
      const real = new web.Response(body, init);
      super(null, real);
      this.status = real.status;
      this.statusText = real.statusText;
      this.headers = new LightHeaders(real.headers);
      return;
    }
    if (!Number.isInteger(status) || status < 200 || status > 599) throw new RangeError(`status ${status} not in 200-599`);
    const headers = new LightHeaders(init?.headers as HeadersSource);
    if (type) defaultType(headers, type);
    super(source);
    this.status = status;
    this.statusText = init?.statusText ?? "";
    this.headers = headers;
  }

  static json(data: unknown, init?: ResponseInit): LightResponse {
    const text = JSON.stringify(data);
    if (text === undefined) typeError("not JSON serializable");
    return new LightResponse(text, init, "application/json");
  }

  static error(): Response {
    return web.Response.error();
  }

  static redirect(url: string | URL, status?: number): Response {
    return web.Response.redirect(url, status);
  }

  get ok(): boolean {
    return this.status > 199 && this.status < 300;
  }
  // Served by the real Response (see `delegate` below).
  declare readonly clone: () => Response;
  declare readonly type: ResponseType;
  declare readonly url: string;
  declare readonly redirected: boolean;

  protected override make(src: Source): Response {
    return new web.Response(src as BodyInit | null, {
      status: this.status,
      statusText: this.statusText,
      headers: [...this.headers],
    });
  }

  /**
   * True only for LightResponse (not for real `Response`s, which `instanceof` also accepts): its
   * prototype, which only the constructor gives (no brand field: every bundle carries this class).
   */
  static isLight(x: unknown): x is LightResponse {
    // biome-ignore lint/suspicious/noPrototypeBuiltins: the prototypes are ours (they inherit Object.prototype).
    return LightResponse.prototype.isPrototypeOf(x as object);
  }
}

/**
 * What makes each class stand in for its fetch counterpart:
 * - `Symbol.toStringTag` as the real class has it;
 * - `x instanceof Cls` is true for its own instances and for real objects of the fetch class;
 * - members a handler rarely reads are served by the real object, built (and Node's fetch loaded) on
 *   first use: `clone()`, `blob()`, `formData()` and the constant attributes. Once it exists, every
 *   body read goes through it too, so the two never disagree.
 */
function delegate(cls: { prototype: object }, tag: "Headers" | "Request" | "Response", names = ""): void {
  const define = Object.defineProperty;
  define(cls.prototype, Symbol.toStringTag, { value: tag });
  // biome-ignore lint/suspicious/noPrototypeBuiltins: the prototypes are ours (they inherit Object.prototype).
  define(cls, Symbol.hasInstance, { value: (x: unknown) => cls.prototype.isPrototypeOf(x as object) || isReal(x, tag) });
  for (const k of names.match(/\w+/g) ?? [])
    define(cls.prototype, k, {
      get(this: LightBody) {
        const real = realOf(this) as unknown as Record<string, unknown>;
        const v = real[k];
        return typeof v === "function" ? v.bind(real) : v;
      },
    });
}
delegate(LightHeaders, "Headers");
delegate(
  LazyRequest,
  "Request",
  "blob formData clone cache credentials destination integrity keepalive mode redirect referrer referrerPolicy duplex",
);
delegate(LightResponse, "Response", "blob formData clone type url redirected");

/**
 * Stands in for the global `Request` in handler code (bundle inject, with `fetchShim` for `fetch`):
 * `x instanceof Request` is true for a LazyRequest and for real Requests, and `new Request(req, init)`
 * gives a real Request, turning a LazyRequest into one first. Nothing is loaded until it is used.
 */
export class RequestShim {
  constructor(input: RequestInfo | URL | LazyRequest, init?: RequestInit) {
    // biome-ignore lint/correctness/noConstructorReturn: on purpose, the caller gets a real Request (a constructor may return another object).
    return new web.Request(realRequest(input), init) as unknown as RequestShim;
  }

  static [Symbol.hasInstance](x: unknown): boolean {
    return x instanceof LazyRequest;
  }
}

/** Stands in for the global `fetch` in handler code: a LazyRequest input is sent as the real Request it stands for. */
export function fetchShim(input: RequestInfo | URL | LazyRequest, init?: RequestInit): Promise<Response> {
  return web.fetch(realRequest(input), init);
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
  const src = LightResponse.isLight(res) ? peekSource(res) : undefined;
  if (src === undefined) return readReal(res);
  // Named fields, not a spread: one literal of a fixed shape (the hot path of every adapter).
  const { headers, cookies } = (res as LightResponse).headers.toRecord();
  return { status: res.status, headers, cookies, body: typeof src === "string" ? src.toWellFormed() : (src ?? "") };
}

/** True when `res` is a `LightResponse` that `readResponse` reads synchronously (its unread source). */
export function readsNow(res: unknown): res is LightResponse {
  return LightResponse.isLight(res) && peekSource(res) !== undefined;
}

async function readReal(res: Response | LightResponse): Promise<ReadResponse> {
  return { status: res.status, ...new LightHeaders(res.headers).toRecord(), body: new Uint8Array(await res.arrayBuffer()) };
}
