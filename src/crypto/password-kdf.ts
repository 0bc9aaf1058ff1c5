import { md5 } from '@noble/hashes/legacy.js';
import { pbkdf2 as noblePbkdf2 } from '@noble/hashes/pbkdf2.js';
import { nobleHash, type HashAlgorithm } from './hash.js';

/** PBKDF2 (RFC 8018 §5.2), for PBES2-encrypted keys. */
export function pbkdf2(hash: HashAlgorithm, password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Uint8Array {
  return noblePbkdf2(nobleHash(hash), password, salt, { c: iterations, dkLen: length });
}

/**
 * The PKCS#12 key derivation (RFC 7292 Appendix B.2), used for the PFX
 * integrity MAC (ID = 3). `password` is the BMPString form (UTF-16BE plus two
 * zero bytes).
 */
export function pkcs12Kdf(hash: HashAlgorithm, password: Uint8Array, salt: Uint8Array, iterations: number, id: number, length: number): Uint8Array {
  const u = hash.outputLen, v = hash.blockLen;
  const fill = (src: Uint8Array) => {
    const out = new Uint8Array(src.length === 0 ? 0 : v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const D = new Uint8Array(v).fill(id);
  const I = new Uint8Array([...fill(salt), ...fill(password)]);
  const out = new Uint8Array(length);
  for (let o = 0; o < length; o += u) {
    let a = hash.digest(new Uint8Array([...D, ...I]));
    for (let r = 1; r < iterations; r++) a = hash.digest(a);
    out.set(a.subarray(0, Math.min(u, length - o)), o);
    const B = fill(a).subarray(0, v);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const x = I[j + k]! + B[k]! + carry;
        I[j + k] = x & 0xff;
        carry = x >>> 8;
      }
    }
  }
  return out;
}

/**
 * OpenSSL's EVP_BytesToKey with MD5 and one round, as traditional encrypted
 * PEM keys use it (`Proc-Type: 4,ENCRYPTED`): D1 = MD5(password || salt),
 * Di = MD5(Di-1 || password || salt), key = D1 || D2 || … cut to `length`.
 * Weak by today's standards (one MD5 round); read only, for keys users have.
 */
export function evpBytesToKeyMd5(password: Uint8Array, salt: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let prev = new Uint8Array(0);
  for (let o = 0; o < length; o += 16) {
    const input = new Uint8Array(prev.length + password.length + salt.length);
    input.set(prev); input.set(password, prev.length); input.set(salt, prev.length + password.length);
    prev = md5(input);
    out.set(prev.subarray(0, Math.min(16, length - o)), o);
  }
  return out;
}
