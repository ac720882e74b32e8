/**
 * esbuild `inject` file for handler bundles (issue #9). In the bundled handler code:
 * - `Response` becomes `LightResponse`, which keeps its source so the adapter reads it without a
 *   stream, and never loads Node's fetch implementation unless the handler needs a real one
 *   (stream, Blob or FormData bodies); `x instanceof Response` stays true for real Responses.
 * - `Request` becomes `RequestShim`: `req instanceof Request` is true for the LazyRequest the
 *   adapter passes (and for real Requests), `new Request(req, init)` gives a real Request.
 * - `fetch` becomes `fetchShim`, which sends a LazyRequest as the real Request it stands for.
 * runtime/lazy.ts itself uses `globalThis.Request` / `globalThis.Response` / `globalThis.fetch`,
 * which inject does not rewrite.
 */
export { fetchShim as fetch, LightResponse as Response, RequestShim as Request } from "./lazy";
