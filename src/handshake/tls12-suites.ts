import type { AeadAlgorithm } from '../crypto/aead.js';
import type { HashAlgorithm } from '../crypto/hash.js';
import type { CryptoProvider } from '../crypto/provider.js';

/**
 * TLS 1.2 cipher suites (IANA registry). Default preference (docs/SECURITY.md):
 * ECDHE with AEAD first, then DHE with AEAD, then CCM_8 (64-bit tags), and
 * CBC last (MAC-then-encrypt is timing-sensitive in JavaScript).
 */
export type KeyExchangeKind = 'ECDHE_RSA' | 'ECDHE_ECDSA' | 'DHE_RSA';
export type Tls12Cipher =
  | { kind: 'aead'; aead: keyof CryptoProvider['aeads']; ivLength: 4 | 12 }
  | { kind: 'cbc'; keyLength: 16 | 32; mac: 'SHA-256' | 'SHA-384' };
export interface Tls12SuiteDef { id: number; name: string; kx: KeyExchangeKind; cipher: Tls12Cipher; prf: 'SHA-256' | 'SHA-384' }
export interface Tls12Suite extends Tls12SuiteDef { prfHash: HashAlgorithm; aead?: AeadAlgorithm }

const gcm = (bits: 128 | 256) => ({ kind: 'aead', aead: bits === 128 ? 'AES-128-GCM' : 'AES-256-GCM', ivLength: 4 } as const);
const ccm = (bits: 128 | 256, short: boolean) => ({ kind: 'aead', aead: `AES-${bits}-CCM${short ? '-8' : ''}` as 'AES-128-CCM', ivLength: 4 } as const);
const chacha = { kind: 'aead', aead: 'ChaCha20-Poly1305', ivLength: 12 } as const;
const cbc = (keyLength: 16 | 32, mac: 'SHA-256' | 'SHA-384') => ({ kind: 'cbc', keyLength, mac } as const);

/** Every TLS 1.2 suite isotls implements, in default preference order. */
export const TLS12_SUITES: readonly Tls12SuiteDef[] = [
  { id: 0xc02b, name: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', kx: 'ECDHE_ECDSA', cipher: gcm(128), prf: 'SHA-256' },
  { id: 0xc02f, name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', kx: 'ECDHE_RSA', cipher: gcm(128), prf: 'SHA-256' },
  { id: 0xc02c, name: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', kx: 'ECDHE_ECDSA', cipher: gcm(256), prf: 'SHA-384' },
  { id: 0xc030, name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', kx: 'ECDHE_RSA', cipher: gcm(256), prf: 'SHA-384' },
  { id: 0xcca9, name: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', kx: 'ECDHE_ECDSA', cipher: chacha, prf: 'SHA-256' },
  { id: 0xcca8, name: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', kx: 'ECDHE_RSA', cipher: chacha, prf: 'SHA-256' },
  { id: 0x009e, name: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', kx: 'DHE_RSA', cipher: gcm(128), prf: 'SHA-256' },
  { id: 0x009f, name: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', kx: 'DHE_RSA', cipher: gcm(256), prf: 'SHA-384' },
  { id: 0xccaa, name: 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256', kx: 'DHE_RSA', cipher: chacha, prf: 'SHA-256' },
  { id: 0xc09e, name: 'TLS_DHE_RSA_WITH_AES_128_CCM', kx: 'DHE_RSA', cipher: ccm(128, false), prf: 'SHA-256' },
  { id: 0xc09f, name: 'TLS_DHE_RSA_WITH_AES_256_CCM', kx: 'DHE_RSA', cipher: ccm(256, false), prf: 'SHA-256' },
  { id: 0xc0a2, name: 'TLS_DHE_RSA_WITH_AES_128_CCM_8', kx: 'DHE_RSA', cipher: ccm(128, true), prf: 'SHA-256' },
  { id: 0xc0a3, name: 'TLS_DHE_RSA_WITH_AES_256_CCM_8', kx: 'DHE_RSA', cipher: ccm(256, true), prf: 'SHA-256' },
  { id: 0xc023, name: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', kx: 'ECDHE_ECDSA', cipher: cbc(16, 'SHA-256'), prf: 'SHA-256' },
  { id: 0xc027, name: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', kx: 'ECDHE_RSA', cipher: cbc(16, 'SHA-256'), prf: 'SHA-256' },
  { id: 0xc024, name: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', kx: 'ECDHE_ECDSA', cipher: cbc(32, 'SHA-384'), prf: 'SHA-384' },
  { id: 0xc028, name: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', kx: 'ECDHE_RSA', cipher: cbc(32, 'SHA-384'), prf: 'SHA-384' },
  { id: 0x0067, name: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', kx: 'DHE_RSA', cipher: cbc(16, 'SHA-256'), prf: 'SHA-256' },
  { id: 0x006b, name: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', kx: 'DHE_RSA', cipher: cbc(32, 'SHA-256'), prf: 'SHA-256' },
];

export function tls12SuiteByName(name: string): Tls12SuiteDef | undefined { return TLS12_SUITES.find((s) => s.name === name); }

export function resolveTls12Suite(def: Tls12SuiteDef, provider: CryptoProvider): Tls12Suite {
  return { ...def, prfHash: provider.hashes[def.prf], ...(def.cipher.kind === 'aead' ? { aead: provider.aeads[def.cipher.aead] } : {}) };
}
