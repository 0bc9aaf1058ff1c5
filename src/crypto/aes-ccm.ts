import type { Aead, AeadAlgorithm } from './aead.js';
import { aesEncryptWords, expandAesKey, loadLE, storeLE, type ExpandedKey } from './aes-block.js';
import { equalConstantTime } from '../bytes/encoding.js';

/**
 * AES-CCM (RFC 3610, NIST SP 800-38C) for TLS: 12-byte nonce, so the length
 * field L is 3 bytes; tag of 16 bytes (CCM) or 8 bytes (CCM_8, RFC 6655).
 * @noble/ciphers has no CCM, so it is built here on noble's AES block
 * function, with the key schedule expanded once per traffic key. CBC-MAC and
 * CTR run in one pass over the data.
 */
const L = 3;
const MAX_MESSAGE = (1 << (8 * L)) - 1;

class AesCcm implements Aead {
  private readonly xk: ExpandedKey;
  constructor(key: Uint8Array, readonly tagLength: 8 | 16) { this.xk = expandAesKey(key); }

  /** CBC-MAC over B0 and the encoded AAD; returns the state words (LE). */
  private macHeader(nonce: Uint8Array, aad: Uint8Array, msgLen: number): [number, number, number, number] {
    const xk = this.xk;
    // RFC 3610 §2.2: Flags = 64*Adata + 8*M' + L', M' = (M-2)/2, L' = L-1
    const b0 = new Uint8Array(16);
    b0[0] = (aad.length > 0 ? 0x40 : 0) | (((this.tagLength - 2) / 2) << 3) | (L - 1);
    b0.set(nonce, 1);
    b0[13] = msgLen >>> 16; b0[14] = msgLen >>> 8; b0[15] = msgLen;
    let r = aesEncryptWords(xk, loadLE(b0, 0), loadLE(b0, 4), loadLE(b0, 8), loadLE(b0, 12));
    let x0 = r.s0, x1 = r.s1, x2 = r.s2, x3 = r.s3;
    if (aad.length > 0) {
      // 0 < l(a) < 2^16 - 2^8: two-byte length prefix (TLS AAD is 5 or 13 bytes)
      if (aad.length >= 0xff00) throw new RangeError('CCM AAD too long for this implementation');
      const enc = new Uint8Array(Math.ceil((aad.length + 2) / 16) * 16);
      enc[0] = aad.length >>> 8; enc[1] = aad.length; enc.set(aad, 2);
      for (let p = 0; p < enc.length; p += 16) {
        r = aesEncryptWords(xk, x0 ^ loadLE(enc, p), x1 ^ loadLE(enc, p + 4), x2 ^ loadLE(enc, p + 8), x3 ^ loadLE(enc, p + 12));
        x0 = r.s0; x1 = r.s1; x2 = r.s2; x3 = r.s3;
      }
    }
    return [x0, x1, x2, x3];
  }

  /**
   * One pass: counter blocks A_i = flags' || nonce || i, i from 1. When
   * `encrypting`, the MAC absorbs src (plaintext); otherwise it absorbs dst.
   */
  private run(nonce: Uint8Array, aad: Uint8Array, src: Uint8Array, len: number, dst: Uint8Array, encrypting: boolean): Uint8Array {
    const xk = this.xk;
    let [x0, x1, x2, x3] = this.macHeader(nonce, aad, len);
    const a = new Uint8Array(16);
    a[0] = L - 1; a.set(nonce, 1);
    const a0 = loadLE(a, 0), a1 = loadLE(a, 4), a2 = loadLE(a, 8);
    const nonceLast = nonce[11]!;
    const block = new Uint8Array(16);
    let i = 1, p = 0;
    for (; p + 16 <= len; p += 16, i++) {
      const k = aesEncryptWords(xk, a0, a1, a2, nonceLast | ((i >>> 16) & 0xff) << 8 | ((i >>> 8) & 0xff) << 16 | (i & 0xff) << 24);
      const s0 = loadLE(src, p), s1 = loadLE(src, p + 4), s2 = loadLE(src, p + 8), s3 = loadLE(src, p + 12);
      const d0 = s0 ^ k.s0, d1 = s1 ^ k.s1, d2 = s2 ^ k.s2, d3 = s3 ^ k.s3;
      storeLE(dst, p, d0); storeLE(dst, p + 4, d1); storeLE(dst, p + 8, d2); storeLE(dst, p + 12, d3);
      const m = encrypting
        ? aesEncryptWords(xk, x0 ^ s0, x1 ^ s1, x2 ^ s2, x3 ^ s3)
        : aesEncryptWords(xk, x0 ^ d0, x1 ^ d1, x2 ^ d2, x3 ^ d3);
      x0 = m.s0; x1 = m.s1; x2 = m.s2; x3 = m.s3;
    }
    if (p < len) {
      const k = aesEncryptWords(xk, a0, a1, a2, nonceLast | ((i >>> 16) & 0xff) << 8 | ((i >>> 8) & 0xff) << 16 | (i & 0xff) << 24);
      const ks = new Uint8Array(16);
      storeLE(ks, 0, k.s0); storeLE(ks, 4, k.s1); storeLE(ks, 8, k.s2); storeLE(ks, 12, k.s3);
      block.fill(0);
      for (let j = 0; p + j < len; j++) {
        const s = src[p + j]!, d = s ^ ks[j]!;
        dst[p + j] = d;
        block[j] = encrypting ? s : d;
      }
      const m = aesEncryptWords(xk, x0 ^ loadLE(block, 0), x1 ^ loadLE(block, 4), x2 ^ loadLE(block, 8), x3 ^ loadLE(block, 12));
      x0 = m.s0; x1 = m.s1; x2 = m.s2; x3 = m.s3;
    }
    // U = T xor first-M-bytes(S_0), S_0 = E(A_0)
    const s0 = aesEncryptWords(xk, a0, a1, a2, nonceLast);
    const tag = new Uint8Array(16);
    storeLE(tag, 0, x0 ^ s0.s0); storeLE(tag, 4, x1 ^ s0.s1); storeLE(tag, 8, x2 ^ s0.s2); storeLE(tag, 12, x3 ^ s0.s3);
    return tag.subarray(0, this.tagLength);
  }

  seal(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, out = new Uint8Array(plaintext.length + this.tagLength)): Uint8Array {
    if (nonce.length !== 12) throw new RangeError('AES-CCM nonce must be 12 bytes');
    if (plaintext.length > MAX_MESSAGE) throw new RangeError('AES-CCM message too long');
    if (out.length !== plaintext.length + this.tagLength) throw new RangeError('AES-CCM output buffer has the wrong length');
    const tag = this.run(nonce, aad, plaintext, plaintext.length, out, true);
    out.set(tag, plaintext.length);
    return out;
  }

  open(nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, out?: Uint8Array): Uint8Array | null {
    if (nonce.length !== 12 || ciphertext.length < this.tagLength) return null;
    const len = ciphertext.length - this.tagLength;
    out ??= new Uint8Array(len);
    // CCM's MAC covers the plaintext, so decryption comes first; on failure the output is wiped
    const received = ciphertext.slice(len);
    const tag = this.run(nonce, aad, ciphertext, len, out, false);
    if (!equalConstantTime(tag, received)) { out.fill(0); return null; }
    return out;
  }
}

export const AES_128_CCM: AeadAlgorithm = { name: 'AES-128-CCM', keyLength: 16, nonceLength: 12, tagLength: 16, create: (k) => new AesCcm(k, 16) };
export const AES_256_CCM: AeadAlgorithm = { name: 'AES-256-CCM', keyLength: 32, nonceLength: 12, tagLength: 16, create: (k) => new AesCcm(k, 16) };
export const AES_128_CCM_8: AeadAlgorithm = { name: 'AES-128-CCM-8', keyLength: 16, nonceLength: 12, tagLength: 8, create: (k) => new AesCcm(k, 8) };
export const AES_256_CCM_8: AeadAlgorithm = { name: 'AES-256-CCM-8', keyLength: 32, nonceLength: 12, tagLength: 8, create: (k) => new AesCcm(k, 8) };
