import type { Aead, AeadAlgorithm } from './aead.js';
import { aesEncryptWords, bswap32, expandAesKey, loadLE, storeLE, type ExpandedKey } from './aes-block.js';
import { equalConstantTime } from '../bytes/encoding.js';
import { Ghash } from './ghash.js';

/**
 * AES-GCM (NIST SP 800-38D) with 12-byte nonces and 16-byte tags, keyed once:
 * the AES key schedule and the GHASH tables live as long as the traffic key.
 */
class AesGcm implements Aead {
  readonly tagLength = 16;
  private readonly xk: ExpandedKey;
  private readonly ghash: Ghash;

  constructor(key: Uint8Array) {
    this.xk = expandAesKey(key);
    const h = aesEncryptWords(this.xk, 0, 0, 0, 0);
    const hb = new Uint8Array(16);
    storeLE(hb, 0, h.s0); storeLE(hb, 4, h.s1); storeLE(hb, 8, h.s2); storeLE(hb, 12, h.s3);
    this.ghash = new Ghash(hb);
  }

  /** XORs the keystream starting at counter value `ctr` into dst. */
  private ctr(nonce: Uint8Array, ctr: number, src: Uint8Array, srcAt: number, len: number, dst: Uint8Array): void {
    const xk = this.xk;
    const n0 = loadLE(nonce, 0), n1 = loadLE(nonce, 4), n2 = loadLE(nonce, 8);
    let p = 0;
    for (; p + 16 <= len; p += 16, ctr++) {
      const k = aesEncryptWords(xk, n0, n1, n2, bswap32(ctr));
      const s = srcAt + p;
      storeLE(dst, p, loadLE(src, s) ^ k.s0);
      storeLE(dst, p + 4, loadLE(src, s + 4) ^ k.s1);
      storeLE(dst, p + 8, loadLE(src, s + 8) ^ k.s2);
      storeLE(dst, p + 12, loadLE(src, s + 12) ^ k.s3);
    }
    if (p < len) {
      const k = aesEncryptWords(xk, n0, n1, n2, bswap32(ctr));
      const ks = new Uint8Array(16);
      storeLE(ks, 0, k.s0); storeLE(ks, 4, k.s1); storeLE(ks, 8, k.s2); storeLE(ks, 12, k.s3);
      for (let i = 0; p < len; p++, i++) dst[p] = src[srcAt + p]! ^ ks[i]!;
    }
  }

  private tag(nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array, ctEnd: number, out: Uint8Array, at: number): void {
    const g = this.ghash.reset().update(aad).update(ct, 0, ctEnd).lengths(aad.length, ctEnd);
    g.digestInto(out, at);
    // tag = GHASH ^ E(J0), J0 = nonce || 0^31 || 1
    const j = aesEncryptWords(this.xk, loadLE(nonce, 0), loadLE(nonce, 4), loadLE(nonce, 8), bswap32(1));
    storeLE(out, at, loadLE(out, at) ^ j.s0);
    storeLE(out, at + 4, loadLE(out, at + 4) ^ j.s1);
    storeLE(out, at + 8, loadLE(out, at + 8) ^ j.s2);
    storeLE(out, at + 12, loadLE(out, at + 12) ^ j.s3);
  }

  seal(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, out = new Uint8Array(plaintext.length + 16)): Uint8Array {
    if (nonce.length !== 12) throw new RangeError('AES-GCM nonce must be 12 bytes');
    if (out.length !== plaintext.length + 16) throw new RangeError('AES-GCM output buffer has the wrong length');
    this.ctr(nonce, 2, plaintext, 0, plaintext.length, out);
    this.tag(nonce, aad, out, plaintext.length, out, plaintext.length);
    return out;
  }

  open(nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, out?: Uint8Array): Uint8Array | null {
    if (nonce.length !== 12 || ciphertext.length < 16) return null;
    const len = ciphertext.length - 16;
    const expected = new Uint8Array(16);
    this.tag(nonce, aad, ciphertext, len, expected, 0);
    // the tag is checked before any plaintext is produced
    if (!equalConstantTime(expected, ciphertext.subarray(len))) return null;
    out ??= new Uint8Array(len);
    this.ctr(nonce, 2, ciphertext, 0, len, out);
    return out;
  }
}

export const AES_128_GCM: AeadAlgorithm = { name: 'AES-128-GCM', keyLength: 16, nonceLength: 12, tagLength: 16, create: (k) => new AesGcm(k) };
export const AES_256_GCM: AeadAlgorithm = { name: 'AES-256-GCM', keyLength: 32, nonceLength: 12, tagLength: 16, create: (k) => new AesGcm(k) };
