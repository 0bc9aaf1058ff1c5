/**
 * Bench timing: contenders are interleaved (each round runs every contender,
 * the order reversed on alternate rounds, ABBA…), so drift in machine speed
 * hits all of them alike; results are the median rate and, for a pair, the
 * median and min–max of the per-round ratios.
 */

/** Runs `fn` repeatedly for about `ms` milliseconds; returns operations per second. */
export async function rate(fn: () => unknown, ms: number): Promise<number> {
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) { await fn(); n++; now = performance.now(); }
  return n / ((now - start) / 1000);
}

export type Contender = [name: string, fn: () => unknown];

/** Per-round rates of every contender, interleaved. */
export async function interleaved(contenders: Contender[], { rounds = 7, ms = 150, warmup = 10 } = {}): Promise<Map<string, number[]>> {
  for (const [, f] of contenders) for (let i = 0; i < warmup; i++) await f();
  const out = new Map<string, number[]>(contenders.map(([n]) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? contenders : [...contenders].reverse();
    for (const [name, f] of order) out.get(name)!.push(await rate(f, ms));
  }
  return out;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface RatioStats { median: number; min: number; max: number }

/** Median and range of a[i] / b[i] over the rounds. */
export function ratios(a: number[], b: number[]): RatioStats {
  const rs = a.map((x, i) => x / b[i]!);
  return { median: median(rs), min: Math.min(...rs), max: Math.max(...rs) };
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits).padStart(9);
export const fmtRatio = (r: RatioStats) => `${r.median.toFixed(2)} (${r.min.toFixed(2)}–${r.max.toFixed(2)})`;
