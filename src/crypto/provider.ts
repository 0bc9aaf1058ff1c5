import { x25519MlKem768 } from './mlkem.js';
import type { AeadAlgorithm, Awaitable } from './aead.js';
import { AES_128_CCM, AES_128_CCM_8, AES_256_CCM, AES_256_CCM_8 } from './aes-ccm.js';
import { AES_128_GCM, AES_256_GCM } from './aes-gcm.js';
import { CHACHA20_POLY1305 } from './chacha20-poly1305.js';
import { SHA256, SHA384, SHA512, type HashAlgorithm } from './hash.js';
import { SECP256R1, SECP384R1, SECP521R1, X25519, X448, type KeyExchangeGroup } from './key-exchange.js';
import { systemRandom, type RandomSource } from './random.js';
import { signWith, type PrivateKey } from './sign.js';
import { verifySignature, type PublicKey, type SignatureAlgorithm } from './signatures.js';

/** The AEADs a provider offers (TLS 1.3 and TLS 1.2 AEAD suites). */
export type AeadName = 'AES-128-GCM' | 'AES-256-GCM' | 'ChaCha20-Poly1305' | 'AES-128-CCM' | 'AES-128-CCM-8' | 'AES-256-CCM' | 'AES-256-CCM-8';
/** The key exchange groups a provider offers (IANA names). */
export type GroupName = 'x25519' | 'x448' | 'secp256r1' | 'secp384r1' | 'secp521r1' | 'X25519MLKEM768';

/**
 * The one door to the cryptography of a connection: hashes (with HMAC, from
 * which HKDF and the TLS 1.2 PRF are built), record AEADs, (EC)DHE groups,
 * signing with a local key, and signature verification, for the handshake
 * and for certificate paths. Public-key operations and AEADs may answer
 * asynchronously (WebCrypto); hashes are synchronous.
 *
 * Three are built in (crypto/providers.ts): `pure` (@noble and our own code,
 * everywhere), `webcrypto` (crypto.subtle, each algorithm checked at first
 * use and falling back to pure), `node` (node:crypto, given the module).
 */
export interface CryptoProvider {
  /** Reported in `info.cryptoProvider`. */
  readonly name: string;
  random: RandomSource;
  hashes: { 'SHA-256': HashAlgorithm; 'SHA-384': HashAlgorithm; 'SHA-512': HashAlgorithm };
  aeads: Record<AeadName, AeadAlgorithm>;
  groups: Record<GroupName, KeyExchangeGroup>;
  /** False for a bad signature, a key of the wrong type or malformed input; never throws for peer input. */
  verify(alg: SignatureAlgorithm, key: PublicKey, data: Uint8Array, signature: Uint8Array): Awaitable<boolean>;
  /** Signs with a local private key (ECDSA and Ed25519 deterministic; RSA blinded, PSS salt from `random`). */
  sign(alg: SignatureAlgorithm, key: PrivateKey, data: Uint8Array, random: RandomSource): Awaitable<Uint8Array>;
}

/** @noble and isotls's own code: runs everywhere, synchronously. */
export const pureProvider: CryptoProvider = {
  name: 'pure',
  random: systemRandom,
  hashes: { 'SHA-256': SHA256, 'SHA-384': SHA384, 'SHA-512': SHA512 },
  aeads: {
    'AES-128-GCM': AES_128_GCM, 'AES-256-GCM': AES_256_GCM, 'ChaCha20-Poly1305': CHACHA20_POLY1305,
    'AES-128-CCM': AES_128_CCM, 'AES-128-CCM-8': AES_128_CCM_8, 'AES-256-CCM': AES_256_CCM, 'AES-256-CCM-8': AES_256_CCM_8,
  },
  groups: { x25519: X25519, x448: X448, secp256r1: SECP256R1, secp384r1: SECP384R1, secp521r1: SECP521R1, X25519MLKEM768: x25519MlKem768(X25519) },
  verify: verifySignature,
  sign: signWith,
};

/** The provider used where none is chosen and none can be loaded (x509 utilities, tests). */
export const defaultProvider = pureProvider;
