import type { HashAlgorithm } from './hash.js';
import { hmac } from './hmac.js';

/**
 * The TLS 1.2 PRF (RFC 5246 §5): PRF(secret, label, seed) = P_hash(secret, label || seed),
 * P_hash = HMAC(secret, A(1) || seed) || HMAC(secret, A(2) || seed) || …, A(i) = HMAC(secret, A(i-1)).
 */
export function tls12Prf(hash: HashAlgorithm, secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  const labelBytes = new TextEncoder().encode(label);
  const ls = new Uint8Array(labelBytes.length + seed.length);
  ls.set(labelBytes);
  ls.set(seed, labelBytes.length);
  const out = new Uint8Array(length);
  let a: Uint8Array = ls;
  for (let o = 0; o < length;) {
    a = hmac(hash, secret, a);
    const block = new Uint8Array(a.length + ls.length);
    block.set(a);
    block.set(ls, a.length);
    const chunk = hmac(hash, secret, block);
    out.set(chunk.subarray(0, Math.min(chunk.length, length - o)), o);
    o += chunk.length;
  }
  return out;
}
