/** A small xorshift32 generator: fuzzing is reproducible from its seed (no Math.random). */
export function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

/** One mutation of `seed`: flipped bytes, a truncation, trailing bytes, or a boundary value written somewhere. */
export function mutate(seed: Uint8Array, next: () => number): Uint8Array {
  const kind = next() % 5;
  if (seed.length === 0) return new Uint8Array([next() & 0xff]);
  if (kind === 0) { const m = seed.slice(); const n = 1 + (next() % 4); for (let j = 0; j < n; j++) m[next() % m.length] = next() & 0xff; return m; }
  if (kind === 1) return seed.slice(0, next() % seed.length);
  if (kind === 2) { const m = new Uint8Array(seed.length + 1 + (next() % 8)); m.set(seed); for (let j = seed.length; j < m.length; j++) m[j] = next() & 0xff; return m; }
  if (kind === 3) { const m = seed.slice(); m[next() % m.length] = [0, 0xff, 0x80, 0x7f, 0x01][next() % 5]!; return m; }
  // splice: a run of the input copied over another place (lengths and tags end up where contents were)
  const m = seed.slice(); const len = 1 + (next() % Math.min(16, m.length)); const from = next() % (m.length - len + 1); const to = next() % (m.length - len + 1);
  m.copyWithin(to, from, from + len); return m;
}

/** `count` mutations of `seed`, reproducible from `rngSeed`. */
export function* mutations(seed: Uint8Array, count: number, rngSeed: number): Generator<Uint8Array> {
  const next = xorshift(rngSeed);
  for (let i = 0; i < count; i++) yield mutate(seed, next);
}
