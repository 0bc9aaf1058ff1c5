import type { HashAlgorithm } from './hash.js';

/** HMAC with the provider's hash (whatever implements it). */
export function hmac(h: HashAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array {
  return h.hmac(key, data);
}

/** RFC 5869 §2.2: PRK = HMAC-Hash(salt, IKM); an empty salt is HashLen zeros. */
export function hkdfExtract(h: HashAlgorithm, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return h.hmac(salt.length ? salt : new Uint8Array(h.outputLen), ikm);
}

/** RFC 5869 §2.3: T(i) = HMAC-Hash(PRK, T(i-1) || info || i), at most 255 blocks. */
export function hkdfExpand(h: HashAlgorithm, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const n = Math.ceil(length / h.outputLen);
  if (n > 255) throw new RangeError('HKDF-Expand: length exceeds 255 hash blocks');
  const out = new Uint8Array(n * h.outputLen);
  const block = new Uint8Array(h.outputLen + info.length + 1);
  let previous = 0; // bytes of T(i-1) at the start of block
  for (let i = 1; i <= n; i++) {
    block.set(info, previous);
    block[previous + info.length] = i;
    const t = h.hmac(prk, block.subarray(0, previous + info.length + 1));
    out.set(t, (i - 1) * h.outputLen);
    block.set(t, 0);
    previous = h.outputLen;
  }
  return length === out.length ? out : out.slice(0, length);
}
