import type { AeadAlgorithm } from './aead.js';
import { AES_128_CCM, AES_128_CCM_8, AES_256_CCM, AES_256_CCM_8 } from './aes-ccm.js';
import { AES_128_GCM, AES_256_GCM } from './aes-gcm.js';
import { CHACHA20_POLY1305 } from './chacha20-poly1305.js';
import { SHA256, SHA384, SHA512, type HashAlgorithm } from './hash.js';
import { SECP256R1, SECP384R1, X25519, type KeyExchangeGroup } from './key-exchange.js';
import { systemRandom, type RandomSource } from './random.js';
import { verifySignature, type PublicKey, type SignatureAlgorithm } from './signatures.js';

/**
 * Everything cryptographic the protocol layers use, as a plain object of
 * tables. The default is built on @noble/*; an accelerated provider (WebCrypto,
 * node:crypto) can replace any entry behind the same shape.
 */
export interface CryptoProvider {
  random: RandomSource;
  hashes: { 'SHA-256': HashAlgorithm; 'SHA-384': HashAlgorithm; 'SHA-512': HashAlgorithm };
  aeads: Record<'AES-128-GCM' | 'AES-256-GCM' | 'ChaCha20-Poly1305' | 'AES-128-CCM' | 'AES-128-CCM-8' | 'AES-256-CCM' | 'AES-256-CCM-8', AeadAlgorithm>;
  groups: Record<'x25519' | 'secp256r1' | 'secp384r1', KeyExchangeGroup>;
  verify(alg: SignatureAlgorithm, key: PublicKey, data: Uint8Array, signature: Uint8Array): boolean;
}

export const defaultProvider: CryptoProvider = {
  random: systemRandom,
  hashes: { 'SHA-256': SHA256, 'SHA-384': SHA384, 'SHA-512': SHA512 },
  aeads: {
    'AES-128-GCM': AES_128_GCM, 'AES-256-GCM': AES_256_GCM, 'ChaCha20-Poly1305': CHACHA20_POLY1305,
    'AES-128-CCM': AES_128_CCM, 'AES-128-CCM-8': AES_128_CCM_8, 'AES-256-CCM': AES_256_CCM, 'AES-256-CCM-8': AES_256_CCM_8,
  },
  groups: { x25519: X25519, secp256r1: SECP256R1, secp384r1: SECP384R1 },
  verify: verifySignature,
};
