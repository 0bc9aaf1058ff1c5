import { unsafe } from '@noble/ciphers/aes.js';

/**
 * The AES block function from @noble/ciphers, on 32-bit words in the
 * little-endian layout noble uses (word i = bytes 4i..4i+3, least significant
 * byte first). We build GCM and CCM on this so the key schedule is expanded
 * once per traffic key.
 */
export type ExpandedKey = Uint32Array;

export function expandAesKey(key: Uint8Array): ExpandedKey {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) throw new RangeError(`AES key of ${key.length} bytes`);
  return unsafe.expandKeyLE(key.slice());
}

export const aesEncryptWords: (xk: ExpandedKey, s0: number, s1: number, s2: number, s3: number) => { s0: number; s1: number; s2: number; s3: number } = unsafe.encrypt;

/** Little-endian word at `p` (bytes past the end read as zero). */
export function loadLE(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) | 0;
}

export function storeLE(b: Uint8Array, p: number, v: number): void {
  b[p] = v; b[p + 1] = v >>> 8; b[p + 2] = v >>> 16; b[p + 3] = v >>> 24;
}

export function bswap32(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}
