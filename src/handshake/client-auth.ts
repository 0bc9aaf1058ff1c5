import { TlsError } from '../errors.js';
import { nameOf, SignatureScheme } from '../wire/constants.js';
import type { Certificate } from '../x509/certificate.js';
import { parseName } from '../x509/name.js';
import { decodeDer } from '../x509/der.js';
import { equalBytes } from '../bytes/encoding.js';
import { tls12SchemeMatchesKey, schemeMatchesKey } from './signature-schemes.js';

/**
 * Client authentication (RFC 8446 §4.4.2–4.4.3, RFC 5246 §7.4.6, §7.4.8):
 * which identity to present and how to sign with it.
 */

/** Makes signatures for one identity: a local key, or an external signer (WebCrypto, token, remote). */
export interface Signer {
  /** Signature schemes this key can produce (IANA code points), in preference order. */
  schemes: number[];
  /** Signs `data` (the TLS 1.3 CertificateVerify content or the TLS 1.2 handshake hash input) with `scheme`. */
  sign(scheme: number, data: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/** A client certificate chain with the means to sign for it, as loaded from `cert`/`key`, `pfx` or `identities`. */
export interface ClientIdentity {
  /** The name `selectIdentity` and errors use (the `alias` given, the PKCS#12 friendlyName, or the subject CN). */
  alias: string;
  /** Leaf first, then any intermediates to send. */
  chain: Certificate[];
  signer: Signer;
}

/** What the server asked for, as users see it in `selectIdentity` and in error messages. */
export interface CertificateRequestInfo {
  version: 'TLSv1.3' | 'TLSv1.2';
  /** Acceptable issuers (certificate_authorities), as DN text; empty when the server named none. */
  certificateAuthorities: string[];
  /** The same, as DER, for exact matching. */
  certificateAuthoritiesDer: Uint8Array[];
  signatureAlgorithms: string[];
  signatureSchemeIds: number[];
  /** True for a TLS 1.3 post-handshake request (RFC 8446 §4.6.2). */
  postHandshake: boolean;
  /** TLS 1.2 certificate_types (RFC 5246 §7.4.4): 1 rsa_sign, 64 ecdsa_sign (also for EdDSA keys, RFC 8422 §5.5). */
  certificateTypes?: number[];
}

/** RFC 5246 §7.4.4 / RFC 8422 §5.5: the certificate type a client key needs the server to have listed. */
const CERTIFICATE_TYPE: Record<'rsa' | 'ec' | 'ed25519' | 'ed448', number> = { rsa: 1, ec: 64, ed25519: 64, ed448: 64 };

/** Chooses the client identity for a CertificateRequest: an alias or identity to send, or null to send none (undefined: the default choice). */
export type SelectIdentity = (request: CertificateRequestInfo, identities: readonly ClientIdentity[]) => string | ClientIdentity | null | undefined;

export function describeRequest(version: 'TLSv1.3' | 'TLSv1.2', schemes: number[], authorities: Uint8Array[], postHandshake = false, certificateTypes?: number[]): CertificateRequestInfo {
  const names = authorities.map((der) => { try { return parseName(decodeDer(der, 'DistinguishedName'), 'DistinguishedName').text; } catch { return '(unparsable name)'; } });
  return {
    version, certificateAuthorities: names, certificateAuthoritiesDer: authorities, signatureAlgorithms: schemes.map((s) => nameOf(SignatureScheme, s)), signatureSchemeIds: schemes, postHandshake,
    ...(certificateTypes ? { certificateTypes } : {}),
  };
}

/** The scheme this identity would use for the request, or undefined if it has none the server accepts. */
export function pickScheme(identity: ClientIdentity, request: CertificateRequestInfo): number | undefined {
  const leaf = identity.chain[0]!;
  // TLS 1.2: the certificate must be of a type the server listed (RFC 5246 §7.4.6)
  const kind = leaf.publicKey.key.kind as keyof typeof CERTIFICATE_TYPE;
  if (request.certificateTypes && !request.certificateTypes.includes(CERTIFICATE_TYPE[kind])) return undefined;
  for (const s of identity.signer.schemes) {
    if (!request.signatureSchemeIds.includes(s)) continue;
    const fits = request.version === 'TLSv1.3' ? schemeMatchesKey(s, leaf.publicKey.key, leaf.publicKey.algorithm) : tls12SchemeMatchesKey(s, leaf.publicKey.key, leaf.publicKey.algorithm);
    if (fits) return s;
  }
  return undefined;
}

/** Whether any certificate of the chain was issued by (or is) one of the named authorities. */
function issuedByRequested(identity: ClientIdentity, request: CertificateRequestInfo): boolean {
  return identity.chain.some((c) => request.certificateAuthoritiesDer.some((dn) => equalBytes(dn, c.issuer.der) || equalBytes(dn, c.subject.der)));
}

/**
 * Chooses the identity: the callback decides if given; otherwise the first
 * identity with a usable scheme whose chain the server's
 * certificate_authorities name, or, when the server names none or none match,
 * the first identity with a usable scheme.
 */
export function chooseIdentity(identities: readonly ClientIdentity[], request: CertificateRequestInfo, select: SelectIdentity | undefined): { identity: ClientIdentity; scheme: number } | undefined {
  const chosen = select?.(request, identities);
  // null: send no certificate; undefined: the default choice below (as SelectIdentity documents).
  if (chosen === null) return undefined;
  if (chosen !== undefined) {
    const identity = typeof chosen === 'string' ? identities.find((i) => i.alias === chosen) : chosen;
    if (!identity) throw new TlsError('config', 'unknown_identity', `tls: selectIdentity returned "${String(chosen)}", which is not a configured identity`);
    const scheme = pickScheme(identity, request);
    if (scheme === undefined) throw new TlsError('config', 'identity_scheme_mismatch', `tls: identity "${identity.alias}" cannot sign with any algorithm the server accepts (${request.signatureAlgorithms.join(', ')})`);
    return { identity, scheme };
  }
  const usable = identities.map((identity) => ({ identity, scheme: pickScheme(identity, request) })).filter((x): x is { identity: ClientIdentity; scheme: number } => x.scheme !== undefined);
  if (request.certificateAuthoritiesDer.length) {
    const byCa = usable.find((u) => issuedByRequested(u.identity, request));
    if (byCa) return byCa;
  }
  return usable[0];
}

/** Summary appended to errors when the server refused us after asking for a certificate. */
export interface ClientAuthOutcome { request: CertificateRequestInfo; sent: string | undefined }

export function explainClientAuth(o: ClientAuthOutcome): string {
  const issuers = o.request.certificateAuthorities.length ? o.request.certificateAuthorities.join('; ') : 'any issuer';
  const sent = o.sent ? `isotls sent identity "${o.sent}"` : 'isotls sent no certificate (no configured identity fits, or none is configured)';
  return ` The server asked for a client certificate (acceptable issuers: ${issuers}; signature algorithms: ${o.request.signatureAlgorithms.join(', ')}); ${sent}.`;
}

/** Local key → Signer, with the schemes its type supports (PKCS#1 v1.5 is used only where TLS 1.2 allows it). */
export function localSchemes(kind: 'rsa' | 'ec' | 'ed25519' | 'ed448', curve?: 'P-256' | 'P-384' | 'P-521'): number[] {
  const S = SignatureScheme;
  if (kind === 'rsa') return [S.rsa_pss_rsae_sha256, S.rsa_pss_rsae_sha384, S.rsa_pss_rsae_sha512, S.rsa_pkcs1_sha256, S.rsa_pkcs1_sha384, S.rsa_pkcs1_sha512];
  if (kind === 'ed25519') return [S.ed25519];
  if (kind === 'ed448') return [S.ed448];
  return curve === 'P-521' ? [S.ecdsa_secp521r1_sha512] : curve === 'P-384' ? [S.ecdsa_secp384r1_sha384] : [S.ecdsa_secp256r1_sha256];
}

