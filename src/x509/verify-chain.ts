import type { CryptoProvider } from '../crypto/provider.js';
import { TlsError } from '../errors.js';
import { KNOWN_EXTENSIONS, type Certificate } from './certificate.js';
import { checkServerName } from './hostname.js';
import { namesEqual } from './name.js';

/**
 * The certificate check the handshake relies on, behind an interface so that
 * the full RFC 5280 path builder can replace it without touching handshake/.
 */
export interface ServerCertificateVerifier {
  /** Throws a TlsError naming the problem, or returns the validated path (leaf first, anchor last). */
  verify(chain: readonly Certificate[], serverName: string | undefined, now: Date): Certificate[];
}

export interface BasicVerifierOptions {
  anchors: readonly Certificate[];
  provider: CryptoProvider;
  /** Cap on path length (leaf + intermediates + anchor). */
  maxChainLength?: number;
}

const fmt = (c: Certificate) => `"${c.subject.text}"`;

function certError(alert: 'bad_certificate' | 'certificate_expired' | 'unknown_ca' | 'unsupported_certificate', reason: string, msg: string): TlsError {
  return new TlsError(alert, reason, `tls: ${msg}`);
}

export function checkValidity(c: Certificate, now: Date): void {
  if (now < c.notBefore) throw certError('certificate_expired', 'not_yet_valid', `certificate ${fmt(c)} is not valid before ${c.notBefore.toISOString()} (now ${now.toISOString()})`);
  if (now > c.notAfter) throw certError('certificate_expired', 'expired', `certificate ${fmt(c)} expired at ${c.notAfter.toISOString()} (now ${now.toISOString()})`);
}

function checkCriticalExtensions(c: Certificate): void {
  for (const [id, e] of c.extensions) {
    if (e.critical && !KNOWN_EXTENSIONS.has(id)) throw certError('unsupported_certificate', 'unsupported_critical_extension', `certificate ${fmt(c)} has an unsupported critical extension ${id}`);
  }
}

function signedBy(child: Certificate, issuer: Certificate, provider: CryptoProvider): boolean {
  return provider.verify(child.signatureAlgorithm.algorithm, issuer.publicKey.key, child.tbs, child.signature);
}

function mayIssue(c: Certificate): boolean {
  // RFC 5280 §4.2.1.9: an issuer must assert cA; keyUsage, if present, must allow keyCertSign (§4.2.1.3)
  return !!c.basicConstraints?.cA && (!c.keyUsage || c.keyUsage.has('keyCertSign'));
}

/**
 * Straight-line chain check for the TLS 1.3 foundation: walks from the leaf
 * through the presented certificates (in any order) to an anchor, checking
 * each signature, validity at `now`, CA status and pathLen of issuers, and
 * unknown critical extensions; then the server name. Full path building with
 * backtracking, name constraints and policy is the job of the RFC 5280 builder.
 */
export function basicVerifier(opts: BasicVerifierOptions): ServerCertificateVerifier {
  const maxLen = opts.maxChainLength ?? 10;
  return {
    verify(chain, serverName, now) {
      if (chain.length === 0) throw certError('bad_certificate', 'no_certificate', 'the server sent no certificate');
      const leaf = chain[0]!;
      const pool = chain.slice(1);
      const path: Certificate[] = [leaf];
      let current = leaf;
      for (;;) {
        checkValidity(current, now);
        checkCriticalExtensions(current);
        // trusted directly: the anchor itself (by DER) or an anchor that signed it
        const anchor = opts.anchors.find((a) => a.der.length === current.der.length && a.fingerprintSHA256hex === current.fingerprintSHA256hex)
          ?? opts.anchors.find((a) => namesEqual(a.subject, current.issuer) && signedBy(current, a, opts.provider));
        if (anchor) {
          if (anchor !== current) {
            if (!mayIssue(anchor)) throw certError('bad_certificate', 'not_a_ca', `trust anchor ${fmt(anchor)} is not a CA`);
            checkValidity(anchor, now);
            path.push(anchor);
          }
          break;
        }
        const candidates = pool.filter((p) => namesEqual(p.subject, current.issuer) && !path.includes(p));
        if (candidates.length === 0) {
          throw certError('unknown_ca', 'unknown_ca', `certificate ${fmt(current)} was issued by "${current.issuer.text}", which is neither a trusted CA nor among the certificates the server sent`);
        }
        const issuer = candidates.find((p) => signedBy(current, p, opts.provider));
        if (!issuer) throw certError('bad_certificate', 'bad_signature', `the signature on certificate ${fmt(current)} does not verify with the key of "${current.issuer.text}"`);
        if (!mayIssue(issuer)) throw certError('bad_certificate', 'not_a_ca', `certificate ${fmt(issuer)} issued ${fmt(current)} but is not a CA`);
        // pathLen counts the intermediates below this issuer (RFC 5280 §4.2.1.9)
        const below = path.length - 1;
        const pl = issuer.basicConstraints?.pathLen;
        if (pl !== undefined && below > pl) throw certError('bad_certificate', 'path_length_exceeded', `certificate ${fmt(issuer)} allows ${pl} intermediate(s) below it, the path has ${below}`);
        path.push(issuer);
        if (path.length >= maxLen) throw certError('bad_certificate', 'chain_too_long', `the certificate path is longer than ${maxLen}`);
        current = issuer;
      }
      if (serverName !== undefined) {
        const id = checkServerName(leaf, serverName);
        if (!id.ok) throw certError('bad_certificate', 'hostname_mismatch', `certificate ${fmt(leaf)} is not valid for ${serverName}: ${id.reason}`);
      }
      return path;
    },
  };
}
