import { randomFillSync } from "node:crypto";

/** W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header). */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

/**
 * The gateway's hop of a trace: keeps the caller's trace id when its `traceparent` is valid, else
 * starts a trace, and gives this hop its own span id. Returns the header to forward and the trace id
 * handlers see as `ctx.traceId`.
 */
export function nextTraceparent(incoming: string | string[] | undefined): { traceparent: string; traceId: string } {
  const m = typeof incoming === "string" ? TRACEPARENT.exec(incoming.trim()) : null;
  const valid = m && m[1] !== ZERO_TRACE && m[2] !== ZERO_SPAN;
  const traceId = valid ? (m[1] as string) : randomHex(16);
  const flags = valid ? (m[3] as string) : "01";
  return { traceparent: `00-${traceId}-${randomHex(8)}-${flags}`, traceId };
}

/**
 * Random ids from a pool filled 4 KB at a time (one `randomFillSync` per ~170 requests instead of
 * two `randomBytes` calls per request: this was 8% of the gateway's CPU per request). The bytes are
 * still from the CSPRNG and each is used once. An all-zero id (invalid in traceparent) is redrawn.
 */
const POOL = Buffer.alloc(4096);
let poolAt = POOL.length;
function randomHex(bytes: number): string {
  for (;;) {
    if (poolAt + bytes > POOL.length) {
      randomFillSync(POOL);
      poolAt = 0;
    }
    const hex = POOL.toString("hex", poolAt, poolAt + bytes);
    poolAt += bytes;
    if (!/^0+$/.test(hex)) return hex;
  }
}
