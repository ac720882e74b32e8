/** One finished request, as the access log records it. */
export interface AccessEntry {
  requestId: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  consumer?: string;
  cache?: "hit" | "miss";
  /** Which version of a function with a canary answered. */
  version?: "stable" | "canary";
}

const RESET = "\x1b[0m";
const DIM = "\x1b[2m";
const colourOf = (status: number) => (status >= 500 ? "\x1b[31m" : status >= 400 ? "\x1b[33m" : status >= 300 ? "\x1b[36m" : "\x1b[32m");

/**
 * The access log: one line per request (method, path, status, ms, consumer, cache), coloured on a
 * TTY, plain otherwise, or one JSON object per line. Lines are batched and written once per turn
 * of the event loop, so logging costs one write per burst, not one per request.
 */
export class AccessLog {
  private pending = "";
  private scheduled = false;
  private time: string | undefined;

  constructor(
    private readonly write: (text: string) => void,
    private readonly mode: "color" | "plain" | "json" | "off",
  ) {}

  record(e: AccessEntry): void {
    if (this.mode === "off") return;
    let line: string;
    if (this.mode === "json") {
      // One timestamp per batch (the lines of one event-loop turn), not one Date per request.
      this.time ??= new Date().toISOString();
      line = JSON.stringify({ time: this.time, type: "access", ...e, ms: Math.round(e.ms * 10) / 10 });
    } else {
      // One decimal under 10 ms, as toFixed(1) gives it, without toFixed (the hot path of every request).
      const tenths = Math.round(e.ms * 10);
      const ms = tenths < 100 ? `${(tenths / 10) | 0}.${tenths % 10}` : `${Math.round(e.ms)}`;
      const tail = `${ms}ms ${e.consumer ?? "-"} ${e.cache ?? "-"}${e.version ? ` ${e.version}` : ""}`;
      line =
        this.mode === "color"
          ? `${e.method} ${e.path} ${colourOf(e.status)}${e.status}${RESET} ${DIM}${tail}${RESET}`
          : `${e.method} ${e.path} ${e.status} ${tail}`;
    }
    this.pending += `${line}\n`;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  /** A message that is not an access line (reload, errors), written at once. */
  note(text: string, fields: Record<string, unknown> = {}): void {
    if (this.mode === "off") return;
    this.flush();
    this.write(
      this.mode === "json" ? `${JSON.stringify({ time: new Date().toISOString(), type: "gateway", msg: text, ...fields })}\n` : `${text}\n`,
    );
  }

  readonly flush = (): void => {
    this.scheduled = false;
    this.time = undefined;
    if (!this.pending) return;
    const text = this.pending;
    this.pending = "";
    this.write(text);
  };
}
