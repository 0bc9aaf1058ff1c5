import type { CryptoProvider } from '../crypto/provider.js';
import type { PublicKey, SignatureAlgorithm } from '../crypto/signatures.js';
import { SignatureScheme, type SignatureSchemeName } from '../wire/constants.js';

/**
 * TLS 1.3 signature schemes for CertificateVerify (RFC 8446 §4.2.3), mapped to
 * concrete algorithms. RSA-PSS salt length equals the hash length; ECDSA
 * schemes are bound to their curve in TLS 1.3.
 */
export const DEFAULT_SIGNATURE_SCHEMES: readonly SignatureSchemeName[] = [
  'ecdsa_secp256r1_sha256', 'ecdsa_secp384r1_sha384', 'ed25519', 'ecdsa_secp521r1_sha512', 'ed448',
  'rsa_pss_rsae_sha256', 'rsa_pss_rsae_sha384', 'rsa_pss_rsae_sha512',
  'rsa_pss_pss_sha256', 'rsa_pss_pss_sha384', 'rsa_pss_pss_sha512',
];

/** Offered in signature_algorithms_cert: also PKCS#1 v1.5, which CAs still use to sign certificates. */
export const DEFAULT_CERT_SIGNATURE_SCHEMES: readonly SignatureSchemeName[] = [
  ...DEFAULT_SIGNATURE_SCHEMES, 'rsa_pkcs1_sha256', 'rsa_pkcs1_sha384', 'rsa_pkcs1_sha512',
];

/** The algorithm for a scheme used in a TLS 1.3 CertificateVerify, or undefined if not usable there. */
export function tls13SignatureAlgorithm(scheme: number, provider: CryptoProvider): SignatureAlgorithm | undefined {
  const h = provider.hashes;
  switch (scheme) {
    case SignatureScheme.ecdsa_secp256r1_sha256: return { kind: 'ecdsa', hash: h['SHA-256'], curve: 'P-256' };
    case SignatureScheme.ecdsa_secp384r1_sha384: return { kind: 'ecdsa', hash: h['SHA-384'], curve: 'P-384' };
    case SignatureScheme.ecdsa_secp521r1_sha512: return { kind: 'ecdsa', hash: h['SHA-512'], curve: 'P-521' };
    case SignatureScheme.ed25519: return { kind: 'ed25519' };
    case SignatureScheme.ed448: return { kind: 'ed448' };
    case SignatureScheme.rsa_pss_rsae_sha256: case SignatureScheme.rsa_pss_pss_sha256: return { kind: 'rsa-pss', hash: h['SHA-256'], saltLength: 32 };
    case SignatureScheme.rsa_pss_rsae_sha384: case SignatureScheme.rsa_pss_pss_sha384: return { kind: 'rsa-pss', hash: h['SHA-384'], saltLength: 48 };
    case SignatureScheme.rsa_pss_rsae_sha512: case SignatureScheme.rsa_pss_pss_sha512: return { kind: 'rsa-pss', hash: h['SHA-512'], saltLength: 64 };
    default: return undefined; // PKCS#1 v1.5 and SHA-1 are not allowed in TLS 1.3 CertificateVerify
  }
}

/**
 * Does the scheme fit the key? rsa_pss_rsae_* needs an rsaEncryption key,
 * rsa_pss_pss_* an id-RSASSA-PSS key (RFC 8446 §4.2.3).
 */
export function schemeMatchesKey(scheme: number, key: PublicKey, spkiAlgorithmOid: string): boolean {
  const isPssOid = spkiAlgorithmOid === '1.2.840.113549.1.1.10';
  switch (scheme) {
    case SignatureScheme.ecdsa_secp256r1_sha256: return key.kind === 'ec' && key.curve === 'P-256';
    case SignatureScheme.ecdsa_secp384r1_sha384: return key.kind === 'ec' && key.curve === 'P-384';
    case SignatureScheme.ecdsa_secp521r1_sha512: return key.kind === 'ec' && key.curve === 'P-521';
    case SignatureScheme.ed25519: return key.kind === 'ed25519';
    case SignatureScheme.ed448: return key.kind === 'ed448';
    case SignatureScheme.rsa_pss_rsae_sha256: case SignatureScheme.rsa_pss_rsae_sha384: case SignatureScheme.rsa_pss_rsae_sha512:
      return key.kind === 'rsa' && !isPssOid;
    case SignatureScheme.rsa_pss_pss_sha256: case SignatureScheme.rsa_pss_pss_sha384: case SignatureScheme.rsa_pss_pss_sha512:
      return key.kind === 'rsa' && isPssOid;
    default: return false;
  }
}

/** RFC 8446 §4.4.3: the content covered by CertificateVerify. */
export function certificateVerifyContent(side: 'server' | 'client', transcriptHash: Uint8Array): Uint8Array {
  const ctx = new TextEncoder().encode(`TLS 1.3, ${side} CertificateVerify`);
  const out = new Uint8Array(64 + ctx.length + 1 + transcriptHash.length);
  out.fill(0x20, 0, 64);
  out.set(ctx, 64);
  out[64 + ctx.length] = 0;
  out.set(transcriptHash, 64 + ctx.length + 1);
  return out;
}

/** TLS 1.2 PKCS#1 v1.5 schemes, accepted in ServerKeyExchange (RFC 5246 §7.4.1.4.1) but never in TLS 1.3 CertificateVerify. */
export const TLS12_EXTRA_SIGNATURE_SCHEMES: readonly SignatureSchemeName[] = ['rsa_pkcs1_sha256', 'rsa_pkcs1_sha384', 'rsa_pkcs1_sha512'];

/** The algorithm for a scheme in a TLS 1.2 ServerKeyExchange: ECDSA is not bound to a curve there (RFC 8422 §5.1.3). */
export function tls12SignatureAlgorithm(scheme: number, provider: CryptoProvider): SignatureAlgorithm | undefined {
  const h = provider.hashes;
  switch (scheme) {
    case SignatureScheme.rsa_pkcs1_sha256: return { kind: 'rsa-pkcs1', hash: h['SHA-256'] };
    case SignatureScheme.rsa_pkcs1_sha384: return { kind: 'rsa-pkcs1', hash: h['SHA-384'] };
    case SignatureScheme.rsa_pkcs1_sha512: return { kind: 'rsa-pkcs1', hash: h['SHA-512'] };
    case SignatureScheme.ecdsa_secp256r1_sha256: return { kind: 'ecdsa', hash: h['SHA-256'] };
    case SignatureScheme.ecdsa_secp384r1_sha384: return { kind: 'ecdsa', hash: h['SHA-384'] };
    case SignatureScheme.ecdsa_secp521r1_sha512: return { kind: 'ecdsa', hash: h['SHA-512'] };
    default: return tls13SignatureAlgorithm(scheme, provider);
  }
}

/** Whether a TLS 1.2 ServerKeyExchange scheme fits the key (ECDSA schemes take any supported curve). */
export function tls12SchemeMatchesKey(scheme: number, key: PublicKey, spkiAlgorithmOid: string): boolean {
  switch (scheme) {
    case SignatureScheme.rsa_pkcs1_sha256: case SignatureScheme.rsa_pkcs1_sha384: case SignatureScheme.rsa_pkcs1_sha512:
      return key.kind === 'rsa' && spkiAlgorithmOid !== '1.2.840.113549.1.1.10';
    case SignatureScheme.ecdsa_secp256r1_sha256: case SignatureScheme.ecdsa_secp384r1_sha384: case SignatureScheme.ecdsa_secp521r1_sha512:
      return key.kind === 'ec';
    default: return schemeMatchesKey(scheme, key, spkiAlgorithmOid);
  }
}
