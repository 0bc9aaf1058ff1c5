import { unsafe } from '@noble/ciphers/aes.js';
import { aesEncryptWords, loadLE, storeLE } from './aes-block.js';

/**
 * Raw AES-CBC over whole blocks (no padding: TLS 1.2 pads inside the record
 * layer, RFC 5246 §6.2.3.2), keyed once per traffic key on noble's AES block
 * functions.
 */
const aesDecryptWords: (xk: Uint32Array, s0: number, s1: number, s2: number, s3: number) => { s0: number; s1: number; s2: number; s3: number } = unsafe.decrypt;

export class AesCbc {
  private readonly enc: Uint32Array;
  private readonly dec: Uint32Array;
  constructor(key: Uint8Array) {
    if (key.length !== 16 && key.length !== 24 && key.length !== 32) throw new RangeError(`AES-CBC key of ${key.length} bytes`);
    this.enc = unsafe.expandKeyLE(key.slice());
    this.dec = unsafe.expandKeyDecLE(key.slice());
  }

  /** Encrypts `data` (a multiple of 16 bytes) in place after `iv`. */
  encryptInPlace(iv: Uint8Array, data: Uint8Array): void {
    if (data.length % 16 !== 0) throw new RangeError('CBC input must be whole blocks');
    let c0 = loadLE(iv, 0), c1 = loadLE(iv, 4), c2 = loadLE(iv, 8), c3 = loadLE(iv, 12);
    for (let p = 0; p < data.length; p += 16) {
      const r = aesEncryptWords(this.enc, c0 ^ loadLE(data, p), c1 ^ loadLE(data, p + 4), c2 ^ loadLE(data, p + 8), c3 ^ loadLE(data, p + 12));
      c0 = r.s0; c1 = r.s1; c2 = r.s2; c3 = r.s3;
      storeLE(data, p, c0); storeLE(data, p + 4, c1); storeLE(data, p + 8, c2); storeLE(data, p + 12, c3);
    }
  }

  /** Decrypts `data` (a multiple of 16 bytes) in place, with `iv` as the previous block. */
  decryptInPlace(iv: Uint8Array, data: Uint8Array): void {
    if (data.length % 16 !== 0) throw new RangeError('CBC input must be whole blocks');
    let p0 = loadLE(iv, 0), p1 = loadLE(iv, 4), p2 = loadLE(iv, 8), p3 = loadLE(iv, 12);
    for (let p = 0; p < data.length; p += 16) {
      const c0 = loadLE(data, p), c1 = loadLE(data, p + 4), c2 = loadLE(data, p + 8), c3 = loadLE(data, p + 12);
      const r = aesDecryptWords(this.dec, c0, c1, c2, c3);
      storeLE(data, p, r.s0 ^ p0); storeLE(data, p + 4, r.s1 ^ p1); storeLE(data, p + 8, r.s2 ^ p2); storeLE(data, p + 12, r.s3 ^ p3);
      p0 = c0; p1 = c1; p2 = c2; p3 = c3;
    }
  }
}
