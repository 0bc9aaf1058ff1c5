/**
 * Randomness that makes a NIST group of any provider pick `secret` as its
 * private scalar: the groups reduce a seed modulo n-1 and add 1 (noble's
 * randomSecretKey, shared through crypto/key-exchange.ts nistSecret), so the
 * seed is secret - 1, left-padded to the length asked for.
 */
export function seedFor(secret: Uint8Array): (n: number) => Uint8Array {
  let v = 0n;
  for (const b of secret) v = (v << 8n) | BigInt(b);
  v -= 1n;
  return (n) => { const out = new Uint8Array(n); let x = v; for (let i = n - 1; i >= 0; i--) { out[i] = Number(x & 0xffn); x >>= 8n; } return out; };
}
