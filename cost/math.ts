import type { Tier } from "./types";

/** Rounds to the cent (half away from zero, after removing floating-point noise). */
export function cents(usd: number): number {
  return Math.round(Number((usd * 100).toFixed(6))) / 100;
}

/** One formatter: `toLocaleString` with options builds a new `Intl.NumberFormat` on every call. */
const NUMBER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });

/** `1234567.5` → `"1,234,567.5"` (up to 4 decimals). */
export function num(n: number): string {
  return NUMBER.format(n);
}

/** A price for the calculation text: `$0.0000133334`, `$3.50`, `$0.025` (never rounded away). */
export function usd(n: number): string {
  if (n === 0) return "$0.00";
  if (n < 0.01) return `$${n.toPrecision(6).replace(/0+$/, "")}`;
  const cents = n.toFixed(2);
  return Number(cents) === n ? `$${cents}` : `$${String(Number(n.toFixed(6)))}`;
}

/**
 * Cost of `quantity` units over volume tiers whose prices are per `per` units (1 for per-unit,
 * 1e6 for per-million), with the calculation written out.
 */
export function tiered(quantity: number, tiers: Tier[], per: number): { usd: number; calc: string } {
  let prev = 0;
  let total = 0;
  const parts: string[] = [];
  for (const t of tiers) {
    if (quantity <= prev) break;
    const inTier = Math.min(quantity, t.upTo) - prev;
    total += (inTier / per) * t.price.usd;
    parts.push(per === 1e6 ? `${num(inTier / per)}M × ${usd(t.price.usd)}/M` : `${num(inTier)} × ${usd(t.price.usd)}`);
    prev = t.upTo;
  }
  return { usd: total, calc: parts.length ? parts.join(" + ") : "0" };
}

/** The tiers `quantity` reaches (always the first). */
export function touched(quantity: number, tiers: Tier[]): Tier[] {
  return tiers.filter((_, i) => i === 0 || quantity > (tiers[i - 1] as Tier).upTo);
}

/** `(total - free free)` or `total within free free` for a calculation text. */
export function lessFree(total: number, free: number): string {
  return total <= free ? `${num(total)} within the ${num(free)} free` : `(${num(total)} - ${num(free)} free)`;
}
