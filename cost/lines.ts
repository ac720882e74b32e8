import type { CloudName } from "../providers/types";
import { cents } from "./math";
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
