/**
 * esbuild `inject` file for handler bundles (issue #9): every free reference to the global
 * `Response` in the bundled handler code becomes `LightResponse`, which keeps its source so the
 * adapter reads it without a stream, and which never loads Node's fetch implementation unless the
 * handler needs a real one (stream, Blob or FormData bodies). `x instanceof Response` stays true for
 * real `Response`s (from `fetch`). runtime/lazy.ts itself uses `globalThis.Response`, which inject
 * does not rewrite.
 */
export { LightResponse as Response } from "../runtime/lazy";
