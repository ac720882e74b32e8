/**
 * The long run of issue #10's "generated valid models plan on every cloud" property
 * (test/support/plan-property.ts): `npm run bench:fuzz -- [runs] [seed]` plans `runs` generated models
 * (default 1,000) on each stack in this process and prints, per cloud, how many planned, how many
 * were refused with a ModelError (and the most common reasons), and the time per case. A failing case stops the run with
 * fast-check's shrunk counterexample and exit 1. Not part of `npm run bench` (it takes minutes).
 */
import { planProperty } from "../test/support/plan-property";

async function fuzzMain(): Promise<void> {
  const runs = Number(process.argv[2] ?? 1000);
  const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
  console.log(`fuzz-plan: ${runs} generated models per cloud, seed ${seed} (rerun with: npm run bench:fuzz -- ${runs} ${seed})`);
  const rows: string[] = [
    "| stack | cases | planned | refused | ms/case p50 | ms/case p99 | wall |",
    "|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const stack of ["aws-dev", "azure-dev", "gcp-dev"]) {
    const started = Date.now();
    const r = await planProperty([stack], runs, seed);
    const t = [...r.times].sort((a, b) => a - b);
    const q = (p: number) => (t[Math.min(t.length - 1, Math.floor(p * t.length))] ?? 0).toFixed(0);
    const c = r.byStack[stack] ?? { planned: 0, refused: 0 };
    const row = `| ${stack} | ${r.times.length} | ${c.planned} | ${c.refused} | ${q(0.5)} | ${q(0.99)} | ${((Date.now() - started) / 1000).toFixed(0)} s |`;
    rows.push(row);
    console.log(row);
    // Why models were refused: each should be a limit or gap of that cloud, not a bug.
    const top = [...(r.reasons[stack] ?? new Map<string, number>()).entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
    for (const [reason, n] of top) console.log(`    ${String(n).padStart(4)} × ${reason}`);
  }
  console.log(`\n${rows.join("\n")}`);
}

fuzzMain().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
