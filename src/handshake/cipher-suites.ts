import type { AeadAlgorithm } from '../crypto/aead.js';
import type { HashAlgorithm } from '../crypto/hash.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { CipherSuite, type CipherSuiteName } from '../wire/constants.js';

/** A TLS 1.3 cipher suite: AEAD + HKDF hash (RFC 8446 §B.4). */
export interface Tls13Suite { id: number; name: CipherSuiteName; aead: AeadAlgorithm; hash: HashAlgorithm }

type AeadName = keyof CryptoProvider['aeads'];
const TLS13: Record<CipherSuiteName, { aead: AeadName; hash: 'SHA-256' | 'SHA-384' }> = {
  TLS_AES_128_GCM_SHA256: { aead: 'AES-128-GCM', hash: 'SHA-256' },
  TLS_AES_256_GCM_SHA384: { aead: 'AES-256-GCM', hash: 'SHA-384' },
  TLS_CHACHA20_POLY1305_SHA256: { aead: 'ChaCha20-Poly1305', hash: 'SHA-256' },
  TLS_AES_128_CCM_SHA256: { aead: 'AES-128-CCM', hash: 'SHA-256' },
  TLS_AES_128_CCM_8_SHA256: { aead: 'AES-128-CCM-8', hash: 'SHA-256' },
};

/**
 * Offered by default, in preference order. CCM is offered but after GCM and
 * ChaCha; CCM_8's 64-bit tag is weaker and is only offered when asked for
 * (docs/SECURITY.md).
 */
export const DEFAULT_TLS13_SUITES: readonly CipherSuiteName[] = [
  'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256',
];

export function isTls13SuiteName(name: string): name is CipherSuiteName { return name in TLS13; }

export function tls13Suite(name: CipherSuiteName, provider: CryptoProvider): Tls13Suite {
  const s = TLS13[name];
  return { id: CipherSuite[name], name, aead: provider.aeads[s.aead], hash: provider.hashes[s.hash] };
}
