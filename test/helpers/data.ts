import { createHash, randomBytes } from 'node:crypto';

export const sha256hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Test data from node:crypto's CSPRNG (test-only; the library itself takes randomness by injection). */
export const randomData = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

/** Random chunk sizes in [1, max], from a seeded xorshift so a failure can be replayed. */
export function chunkSizes(total: number, max: number, seed = 12345): number[] {
  let x = seed >>> 0 || 1;
  const out: number[] = [];
  for (let left = total; left > 0;) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    const n = Math.min(left, 1 + (x % max));
    out.push(n);
    left -= n;
  }
  return out;
}

/** Rejects if `p` has not settled within `ms` (so a test fails with a message instead of hanging). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout>;
  return Promise.race([p, new Promise<never>((_, rej) => { t = setTimeout(() => rej(new Error(`${what}: nothing after ${ms} ms`)), ms); })]).finally(() => clearTimeout(t));
}

/** Reads from `read` until `n` bytes arrived (or the stream ended); each read has a 10 s deadline. */
export async function readExactly(read: () => Promise<Uint8Array | null>, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const c = await within(read(), 10000, `waiting for ${n - got} of ${n} bytes`);
    if (c === null) break;
    out.set(c.subarray(0, Math.min(c.length, n - got)), got);
    got += c.length;
  }
  if (got !== n) throw new Error(`expected ${n} bytes, got ${got}`);
  return out;
}

export async function readAll(read: () => Promise<Uint8Array | null>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (let c = await read(); c !== null; c = await read()) parts.push(c);
  return Buffer.concat(parts);
}
