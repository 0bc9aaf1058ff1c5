import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import type { Aead, AeadAlgorithm } from './aead.js';

/**
 * ChaCha20-Poly1305 (RFC 8439). ChaCha has no key schedule and Poly1305's key
 * is derived per nonce, so there is nothing to precompute per traffic key.
 */
class ChaChaPoly implements Aead {
  readonly tagLength = 16;
  private readonly key: Uint8Array;
  constructor(key: Uint8Array) { this.key = key.slice(); }
  seal(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    return chacha20poly1305(this.key, nonce, aad).encrypt(plaintext);
  }
  open(nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array | null {
    if (ciphertext.length < 16) return null;
    try { return chacha20poly1305(this.key, nonce, aad).decrypt(ciphertext); } catch { return null; }
  }
}

export const CHACHA20_POLY1305: AeadAlgorithm = { name: 'ChaCha20-Poly1305', keyLength: 32, nonceLength: 12, tagLength: 16, create: (k) => new ChaChaPoly(k) };
