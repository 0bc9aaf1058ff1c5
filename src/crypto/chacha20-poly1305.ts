import { poly1305 } from '@noble/ciphers/_poly1305.js';
import { chacha20 } from '@noble/ciphers/chacha.js';
import { equalConstantTime } from '../bytes/encoding.js';
import type { Aead, AeadAlgorithm } from './aead.js';

/**
 * ChaCha20-Poly1305 (RFC 8439 §2.8), composed from noble's ChaCha20 stream
 * and Poly1305 so that it can run in place on the record buffer. ChaCha has no
 * key schedule and Poly1305's key is derived per nonce, so nothing else is
 * precomputed per traffic key.
 */
const ZEROS = new Uint8Array(16);
const ZEROS32 = new Uint8Array(32);

function tag(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array): Uint8Array {
  // one-time key from block counter 0 (RFC 8439 §2.6)
  const otk = chacha20(key, nonce, ZEROS32);
  const h = poly1305.create(otk);
  h.update(aad);
  if (aad.length % 16) h.update(ZEROS.subarray(0, 16 - (aad.length % 16)));
  h.update(ct);
  if (ct.length % 16) h.update(ZEROS.subarray(0, 16 - (ct.length % 16)));
  const lengths = new Uint8Array(16);
  const v = new DataView(lengths.buffer);
  v.setUint32(0, aad.length, true); v.setUint32(4, Math.floor(aad.length / 2 ** 32), true);
  v.setUint32(8, ct.length, true); v.setUint32(12, Math.floor(ct.length / 2 ** 32), true);
  h.update(lengths);
  const t = h.digest();
  otk.fill(0);
  return t;
}

class ChaChaPoly implements Aead {
  readonly tagLength = 16;
  private readonly key: Uint8Array;
  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new RangeError('ChaCha20-Poly1305 key must be 32 bytes');
    this.key = key.slice();
  }

  seal(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, out = new Uint8Array(plaintext.length + 16)): Uint8Array {
    if (nonce.length !== 12) throw new RangeError('ChaCha20-Poly1305 nonce must be 12 bytes');
    if (out.length !== plaintext.length + 16) throw new RangeError('ChaCha20-Poly1305 output buffer has the wrong length');
    const ct = out.subarray(0, plaintext.length);
    chacha20(this.key, nonce, plaintext, ct, 1); // payload starts at block counter 1
    out.set(tag(this.key, nonce, aad, ct), plaintext.length);
    return out;
  }

  open(nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, out?: Uint8Array): Uint8Array | null {
    if (nonce.length !== 12 || ciphertext.length < 16) return null;
    const len = ciphertext.length - 16;
    const ct = ciphertext.subarray(0, len);
    // authenticate before producing any plaintext
    if (!equalConstantTime(tag(this.key, nonce, aad, ct), ciphertext.subarray(len))) return null;
    out ??= new Uint8Array(len);
    return chacha20(this.key, nonce, ct, out, 1);
  }
}

export const CHACHA20_POLY1305: AeadAlgorithm = { name: 'ChaCha20-Poly1305', keyLength: 32, nonceLength: 12, tagLength: 16, create: (k) => new ChaChaPoly(k) };
