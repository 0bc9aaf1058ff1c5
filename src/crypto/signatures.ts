import { ed25519 } from '@noble/curves/ed25519.js';
import { ed448 } from '@noble/curves/ed448.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import type { HashAlgorithm } from './hash.js';
import { verifyPkcs1v15, verifyPss, type RsaPublicKey } from './rsa.js';

/** A public key as the signature code needs it (decoded from SPKI by x509/). */
export type PublicKey =
  | ({ kind: 'rsa' } & RsaPublicKey)
  | { kind: 'ec'; curve: 'P-256' | 'P-384' | 'P-521'; point: Uint8Array }
  | { kind: 'ed25519'; key: Uint8Array }
  | { kind: 'ed448'; key: Uint8Array };

/** A concrete signature algorithm: scheme, hash and parameters. */
export type SignatureAlgorithm =
  | { kind: 'rsa-pkcs1'; hash: HashAlgorithm }
  | { kind: 'rsa-pss'; hash: HashAlgorithm; saltLength: number; mgfHash?: HashAlgorithm }
  | { kind: 'ecdsa'; hash: HashAlgorithm; curve?: 'P-256' | 'P-384' | 'P-521' }
  | { kind: 'ed25519' }
  | { kind: 'ed448' };

const CURVES = { 'P-256': p256, 'P-384': p384, 'P-521': p521 } as const;

/**
 * Verifies `signature` over `data`. Returns false for a bad signature or a key
 * of the wrong type; never throws on malformed peer input.
 */
export function verifySignature(alg: SignatureAlgorithm, key: PublicKey, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    switch (alg.kind) {
      case 'rsa-pkcs1':
        return key.kind === 'rsa' && verifyPkcs1v15(key, alg.hash, data, signature);
      case 'rsa-pss':
        return key.kind === 'rsa' && verifyPss(key, alg.hash, data, signature, alg.saltLength, alg.mgfHash);
      case 'ecdsa': {
        if (key.kind !== 'ec') return false;
        if (alg.curve !== undefined && alg.curve !== key.curve) return false;
        // OpenSSL produces high-S signatures; lowS:false accepts them as X9.62 allows.
        return CURVES[key.curve].verify(signature, alg.hash.digest(data), key.point, { prehash: false, lowS: false, format: 'der' });
      }
      case 'ed25519':
        // zip215:false: strict RFC 8032 decoding (no non-canonical encodings)
        return key.kind === 'ed25519' && ed25519.verify(signature, data, key.key, { zip215: false });
      case 'ed448':
        // RFC 8032 §5.2 with an empty context (RFC 8446 §4.2.3); 57-byte keys, 114-byte signatures
        return key.kind === 'ed448' && ed448.verify(signature, data, key.key);
    }
  } catch {
    return false;
  }
}
