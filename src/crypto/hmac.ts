import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { extract, expand } from '@noble/hashes/hkdf.js';
import { nobleHash, type HashAlgorithm } from './hash.js';

export function hmac(h: HashAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array {
  return nobleHmac(nobleHash(h), key, data);
}

/** RFC 5869 §2.2. */
export function hkdfExtract(h: HashAlgorithm, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return extract(nobleHash(h), ikm, salt);
}

/** RFC 5869 §2.3. */
export function hkdfExpand(h: HashAlgorithm, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return expand(nobleHash(h), prk, info, length);
}
