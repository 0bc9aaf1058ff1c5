/**
 * Finite-field Diffie-Hellman groups, derived from their defining formulas
 * rather than pasted as kilobytes of hex (tests compare them with RFC 7919's
 * published primes and with OpenSSL's RFC 3526 group):
 *   RFC 7919 §A: p = 2^b − 2^(b−64) + (⌊2^(b−130)·e⌋ + X)·2^64 − 1, g = 2
 *   RFC 3526 §3: p = 2^2048 − 2^1984 − 1 + 2^64·(⌊2^1918·π⌋ + 124476), g = 2
 * Each prime is computed once, on first use.
 */
export interface DhGroup { name: string; p: bigint; g: bigint; bits: number; codepoint?: number }

/** ⌊2^n·e⌋ by summing 2^(n+guard)/k! */
function scaledE(n: number): bigint {
  const guard = 64n;
  const one = 1n << (BigInt(n) + guard);
  let sum = 0n, term = one;
  for (let k = 1n; term > 0n; k++) { sum += term; term /= k; }
  return sum >> guard;
}

/** ⌊2^n·atan(1/x)⌋ scaled by 2^guard, by the alternating series. */
function atanInv(x: bigint, scale: bigint): bigint {
  let sum = 0n, power = scale / x, k = 1n, sign = 1n;
  const x2 = x * x;
  while (power > 0n) { sum += sign * (power / k); power /= x2; k += 2n; sign = -sign; }
  return sum;
}

/** ⌊2^n·π⌋ by Machin's formula π = 16·atan(1/5) − 4·atan(1/239). */
function scaledPi(n: number): bigint {
  const guard = 64n;
  const scale = 1n << (BigInt(n) + guard);
  return (16n * atanInv(5n, scale) - 4n * atanInv(239n, scale)) >> guard;
}

function ffdhe(name: string, bits: number, x: bigint, codepoint: number): () => DhGroup {
  let cached: DhGroup | undefined;
  return () => {
    if (!cached) {
      const b = BigInt(bits);
      const p = (1n << b) - (1n << (b - 64n)) + ((scaledE(bits - 130) + x) << 64n) - 1n;
      cached = { name, p, g: 2n, bits, codepoint };
    }
    return cached;
  };
}

export const FFDHE2048 = ffdhe('ffdhe2048', 2048, 560316n, 0x0100);
export const FFDHE3072 = ffdhe('ffdhe3072', 3072, 2625351n, 0x0101);
export const FFDHE4096 = ffdhe('ffdhe4096', 4096, 5736041n, 0x0102);
export const FFDHE6144 = ffdhe('ffdhe6144', 6144, 15705020n, 0x0103);
export const FFDHE8192 = ffdhe('ffdhe8192', 8192, 10965728n, 0x0104);

let modp2048: DhGroup | undefined;
export function MODP2048(): DhGroup {
  modp2048 ??= { name: 'modp2048 (RFC 3526 group 14)', p: (1n << 2048n) - (1n << 1984n) - 1n + ((scaledPi(1918) + 124476n) << 64n), g: 2n, bits: 2048 };
  return modp2048;
}

/** The groups a DHE server may use without a warning: RFC 7919 and RFC 3526 2048-bit. */
export function knownDhGroups(): DhGroup[] {
  return [FFDHE2048(), FFDHE3072(), FFDHE4096(), FFDHE6144(), FFDHE8192(), MODP2048()];
}
