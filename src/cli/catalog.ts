/**
 * What the scanner asks about, by IANA code point (the TLS Cipher Suites,
 * Supported Groups and SignatureScheme registries). Includes suites isotls
 * does not implement (RSA key transport, 3DES, RC4, Camellia, SHA-1 CBC): the
 * scan only reads the ServerHello, so it can report them.
 */
import { KNOWN_TLS12_SUITES } from './suite-registry.js';

export const TLS13_SUITES: [number, string][] = [
  [0x1301, 'TLS_AES_128_GCM_SHA256'], [0x1302, 'TLS_AES_256_GCM_SHA384'], [0x1303, 'TLS_CHACHA20_POLY1305_SHA256'],
  [0x1304, 'TLS_AES_128_CCM_SHA256'], [0x1305, 'TLS_AES_128_CCM_8_SHA256'],
];

/** Every TLS 1.2 suite the scanner asks about (suite-registry.ts). */
export const TLS12_SUITES: readonly [number, string][] = KNOWN_TLS12_SUITES;

/** CBC suites (where encrypt-then-MAC applies). */
export const isCbc = (name: string): boolean => name.includes('_CBC_');

export const GROUPS: [number, string][] = [
  [0x11ec, 'X25519MLKEM768'], [0x001d, 'x25519'], [0x001e, 'x448'], [0x0017, 'secp256r1'], [0x0018, 'secp384r1'], [0x0019, 'secp521r1'],
  [0x0100, 'ffdhe2048'], [0x0101, 'ffdhe3072'], [0x0102, 'ffdhe4096'], [0x0103, 'ffdhe6144'], [0x0104, 'ffdhe8192'],
];

export const SIGNATURE_SCHEMES: [number, string][] = [
  [0x0403, 'ecdsa_secp256r1_sha256'], [0x0503, 'ecdsa_secp384r1_sha384'], [0x0603, 'ecdsa_secp521r1_sha512'],
  [0x0804, 'rsa_pss_rsae_sha256'], [0x0805, 'rsa_pss_rsae_sha384'], [0x0806, 'rsa_pss_rsae_sha512'],
  [0x0809, 'rsa_pss_pss_sha256'], [0x080a, 'rsa_pss_pss_sha384'], [0x080b, 'rsa_pss_pss_sha512'],
  [0x0807, 'ed25519'], [0x0808, 'ed448'],
  [0x0401, 'rsa_pkcs1_sha256'], [0x0501, 'rsa_pkcs1_sha384'], [0x0601, 'rsa_pkcs1_sha512'],
  [0x0201, 'rsa_pkcs1_sha1'], [0x0203, 'ecdsa_sha1'],
];

/** Name of a code point in a table, or its hex. */
export function nameIn(table: readonly [number, string][], code: number | undefined): string {
  if (code === undefined) return 'none';
  return table.find(([c]) => c === code)?.[1] ?? `0x${code.toString(16).padStart(4, '0')}`;
}
