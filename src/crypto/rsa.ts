import { equalConstantTime } from '../bytes/encoding.js';
import type { HashAlgorithm } from './hash.js';

/**
 * RSA signature verification on BigInt (RFC 8017 §8.1.2 RSASSA-PSS and §8.2.2
 * RSASSA-PKCS1-v1_5). Verification uses only public values, so BigInt's
 * variable-time arithmetic leaks nothing secret here.
 */
export interface RsaPublicKey { n: bigint; e: bigint; bits: number }

export function bytesToBigInt(b: Uint8Array): bigint {
  let hex = '';
  for (let i = 0; i < b.length; i++) hex += b[i]!.toString(16).padStart(2, '0');
  return hex.length === 0 ? 0n : BigInt('0x' + hex);
}

export function bigIntToBytes(v: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
}

export function bitLength(v: bigint): number { return v === 0n ? 0 : v.toString(2).length; }

export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    exp >>= 1n;
    base = (base * base) % mod;
  }
  return result;
}

/** RSAVP1: s^e mod n as an em of k bytes, or null if the signature is out of range or of the wrong length. */
function rsavp1(key: RsaPublicKey, signature: Uint8Array): Uint8Array | null {
  const k = Math.ceil(key.bits / 8);
  if (signature.length !== k) return null;
  const s = bytesToBigInt(signature);
  if (s >= key.n) return null;
  return bigIntToBytes(modPow(s, key.e, key.n), k);
}

/** DigestInfo DER prefixes (RFC 8017 §9.2 note 1). */
const DIGEST_INFO_PREFIX: Record<string, number[]> = {
  'SHA-1': [0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14],
  'SHA-256': [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20],
  'SHA-384': [0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30],
  'SHA-512': [0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40],
};

/** EMSA-PKCS1-v1_5 encoding (RFC 8017 §9.2); the verifier compares whole encodings, never parses. */
export function emsaPkcs1v15(hash: HashAlgorithm, message: Uint8Array, k: number): Uint8Array | null {
  const t = [...DIGEST_INFO_PREFIX[hash.name]!, ...hash.digest(message)];
  if (k < t.length + 11) return null;
  const em = new Uint8Array(k);
  em[0] = 0; em[1] = 1;
  em.fill(0xff, 2, k - t.length - 1);
  em[k - t.length - 1] = 0;
  em.set(t, k - t.length);
  return em;
}

export function verifyPkcs1v15(key: RsaPublicKey, hash: HashAlgorithm, message: Uint8Array, signature: Uint8Array): boolean {
  const em = rsavp1(key, signature);
  if (!em) return false;
  const expected = emsaPkcs1v15(hash, message, em.length);
  return expected !== null && equalConstantTime(em, expected);
}

export function mgf1(hash: HashAlgorithm, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const buf = new Uint8Array(seed.length + 4);
  buf.set(seed);
  for (let counter = 0, o = 0; o < length; counter++) {
    buf[seed.length] = counter >>> 24; buf[seed.length + 1] = counter >>> 16; buf[seed.length + 2] = counter >>> 8; buf[seed.length + 3] = counter;
    const d = hash.digest(buf);
    out.set(d.subarray(0, Math.min(d.length, length - o)), o);
    o += d.length;
  }
  return out;
}

/** RSASSA-PSS verify (RFC 8017 §8.1.2, EMSA-PSS-VERIFY §9.1.2) with MGF1 over the same hash. */
export function verifyPss(key: RsaPublicKey, hash: HashAlgorithm, message: Uint8Array, signature: Uint8Array, saltLength: number, mgfHash: HashAlgorithm = hash): boolean {
  const m = rsavp1(key, signature);
  if (!m) return false;
  const emBits = key.bits - 1;
  const emLen = Math.ceil(emBits / 8);
  // when emBits is a multiple of 8, the top byte of m must be zero and is dropped
  if (m.length > emLen) { if (m[0] !== 0) return false; }
  const em = m.subarray(m.length - emLen);
  const hLen = hash.outputLen;
  if (saltLength < 0 || emLen < hLen + saltLength + 2) return false;
  if (em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topMask = 0xff >>> (8 * emLen - emBits);
  if ((maskedDb[0]! & ~topMask) !== 0) return false;
  const dbMask = mgf1(mgfHash, h, maskedDb.length);
  const db = new Uint8Array(maskedDb.length);
  for (let i = 0; i < db.length; i++) db[i] = maskedDb[i]! ^ dbMask[i]!;
  db[0] = db[0]! & topMask;
  const psLen = emLen - hLen - saltLength - 2;
  for (let i = 0; i < psLen; i++) if (db[i] !== 0) return false;
  if (db[psLen] !== 0x01) return false;
  const salt = db.subarray(db.length - saltLength);
  const mPrime = new Uint8Array(8 + hLen + saltLength);
  mPrime.set(hash.digest(message), 8);
  mPrime.set(salt, 8 + hLen);
  return equalConstantTime(hash.digest(mPrime), h);
}
