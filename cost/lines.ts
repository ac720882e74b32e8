import type { CloudName } from "../providers/types";
import { cents, lessFree, num, usd } from "./math";
import { CATEGORIES, type CloudEstimate, type CostCategory, type CostLine, type FreeTier, type Price } from "./types";

/** Collects an estimate's lines and notes; every unverified price or free tier used becomes a note. */
export class EstimateBuilder {
  private readonly lines: CostLine[] = [];
  private readonly notes: string[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly cloud: CloudName,
    private readonly choices: Record<string, string>,
  ) {}

  /** Adds a line; `usd` is rounded to the cent. */
  add(category: CostCategory, item: string, quantity: number, unit: string, usd: number, calc: string): void {
    this.lines.push({ category, item, quantity, unit, usd: cents(usd), calc });
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /** Records that `what` used this price or free tier; unverified ones are listed in the notes. */
  uses(what: string, ...figures: (Price | FreeTier)[]): void {
    for (const f of figures) {
      const key = `${what}|${JSON.stringify(f)}`;
      if (f.verified || this.seen.has(key)) continue;
      this.seen.add(key);
      const value = "usd" in f ? `$${f.usd} ${f.unit}` : `${f.quantity} ${f.unit} free`;
      this.note(`unverified: ${what} ${value} (${f.note ?? "not confirmed"}; ${f.source})`);
    }
  }

  build(): CloudEstimate {
    const totals = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<CostCategory, number>;
    for (const l of this.lines) totals[l.category] = cents(totals[l.category] + l.usd);
    const total = cents(CATEGORIES.reduce((s, c) => s + totals[c], 0));
    return { cloud: this.cloud, choices: this.choices, lines: this.lines, totals: { ...totals, total }, notes: this.notes };
  }
}

/**
 * Log lines shared by Azure and GCP: ingestion above a free allowance, and storage for the days of
 * retention beyond those included (one month = 30 days).
 */
export function addLogLines(
  b: EstimateBuilder,
  o: {
    service: string;
    ingestLabel: string;
    unit: string;
    volume: number;
    free: FreeTier;
    ingest: Price;
    freeDays: number;
    retentionDays: number;
    storage: Price;
  },
): void {
  const billable = Math.max(0, o.volume - o.free.quantity);
  b.add(
    "logs",
    o.ingestLabel,
    billable,
    o.unit,
    billable * o.ingest.usd,
    `${lessFree(o.volume, o.free.quantity)} ${o.unit} × ${usd(o.ingest.usd)}`,
  );
  const extraDays = Math.max(0, o.retentionDays - o.freeDays);
  if (extraDays > 0) {
    const stored = o.volume * (extraDays / 30);
    b.add(
      "logs",
      `${o.service} retention beyond ${o.freeDays} days`,
      stored,
      `${o.unit}-month`,
      stored * o.storage.usd,
      `${num(o.volume)} ${o.unit} × ${extraDays}/30 × ${usd(o.storage.usd)}`,
    );
  }
}

/**
 * A notification delivery line: `count` deliveries a month to `targets` targets, priced per `per`
 * deliveries. Zero usage still shows the unit price in the calculation.
 */
export function addDeliveryLine(
  b: EstimateBuilder,
  item: string,
  count: number,
  targets: number,
  alertsPerMonth: number,
  price: Price,
  per: number,
): void {
  b.add(
    "monitoring",
    item,
    count,
    "deliveries",
    (count / per) * price.usd,
    `${num(alertsPerMonth)} alerts × 2 × ${targets} target${targets === 1 ? "" : "s"} = ${num(count)} / ${num(per)} × ${usd(price.usd)}`,
  );
  b.uses(item, price);
}
