/** Median-of-runs timing: each run repeats `fn` for at least `minMs`, reporting ops/s. */
export function measure(fn: () => void, { runs = 7, minMs = 150 } = {}): number {
  for (let i = 0; i < 20; i++) fn(); // warm-up
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    let n = 0;
    const start = performance.now();
    let now = start;
    while (now - start < minMs) { fn(); n++; if ((n & 7) === 0) now = performance.now(); }
    now = performance.now();
    rates.push(n / ((now - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)]!;
}

export async function measureAsync(fn: () => Promise<void>, { runs = 5, perRun = 20 } = {}): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    for (let i = 0; i < perRun; i++) await fn();
    rates.push(perRun / ((performance.now() - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)]!;
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits).padStart(9);
