import { TlsError } from '../errors.js';
import type { Certificate } from './certificate.js';
import { OID } from './oids.js';

/**
 * Certificate profiles: which structural rules a path must follow besides
 * signatures, validity, CA flags and names (docs/X509.md lists each rule).
 *
 * - `webpki` (default): RFC 5280 plus the CA/Browser Forum Baseline
 *   Requirements' certificate profile, as rustls-webpki and Chrome apply it.
 * - `rfc5280`: RFC 5280's path validation (§6) with the §4 rules a relying
 *   party can hold certificates to; what only the CA/Browser Forum demands
 *   (serial form, leaf EKU, a root's AKI form, critical basicConstraints, no
 *   critical SAN beside a subject, no CA certificate as a leaf) is not applied.
 * - `private`: rfc5280, and also accepts missing key identifiers (AKI/SKI),
 *   which private PKIs often lack; nothing that protects the chain's
 *   integrity (signatures, CA flags, keyCertSign, pathLen, name constraints,
 *   EKU when present, validity) is relaxed in any profile.
 */
export type ValidationProfile = 'webpki' | 'rfc5280' | 'private';
/** The profile names, strictest first. */
export const PROFILES: readonly ValidationProfile[] = ['webpki', 'rfc5280', 'private'];

/** Where a certificate sits on the path. `leaf` trusted directly (it is an anchor itself) is `trustedLeaf`. */
export type PathRole = 'leaf' | 'trustedLeaf' | 'intermediate' | 'anchor';

/** One structural rule of the profiles (docs/X509.md lists them all). */
export interface ProfileRule {
  /** Stable name, used in docs/X509.md. */
  id: string;
  /** TlsError reason when the rule fails. */
  reason: string;
  profiles: readonly ValidationProfile[];
  roles: readonly PathRole[];
  /** Where the rule comes from. */
  source: string;
  /** A rule on a root's own form: not applied to a root program's vetted roots (`mozillaRoots()`). */
  rootForm?: true;
  /** Returns what is wrong, or undefined. */
  violation(c: Certificate, purpose: 'serverAuth' | 'clientAuth'): string | undefined;
}

const ALL: readonly ValidationProfile[] = PROFILES;
const STRICT: readonly ValidationProfile[] = ['webpki', 'rfc5280'];
const WEBPKI: readonly ValidationProfile[] = ['webpki'];
const LEAVES: readonly PathRole[] = ['leaf', 'trustedLeaf'];
const EVERY: readonly PathRole[] = ['leaf', 'trustedLeaf', 'intermediate', 'anchor'];

const critical = (c: Certificate, oid: string) => c.extensions.get(oid)?.critical === true;
const emptySubject = (c: Certificate) => c.subject.attributes.length === 0;
const hasSan = (c: Certificate) => c.extensions.has(OID.subjectAltName);

/** Every profile rule, in the order they are checked. */
export const PROFILE_RULES: readonly ProfileRule[] = [
  {
    id: 'aki-not-critical', reason: 'critical_authority_key_id', profiles: ALL, roles: EVERY, source: 'RFC 5280 §4.2.1.1',
    violation: (c) => critical(c, OID.authorityKeyIdentifier) ? 'its authorityKeyIdentifier is marked critical' : undefined,
  },
  {
    id: 'aki-required', reason: 'missing_authority_key_id', profiles: STRICT, roles: ['leaf', 'intermediate'], source: 'RFC 5280 §4.2.1.1; BR 7.1.2',
    violation: (c) => !c.selfIssued && !c.authorityKeyId ? 'it has no authorityKeyIdentifier keyIdentifier (required on every certificate a CA issues)' : undefined,
  },
  {
    id: 'root-aki-key-id-only', reason: 'anchor_authority_key_id', profiles: WEBPKI, roles: ['anchor'], source: 'BR 7.1.2.1.3', rootForm: true,
    violation: (c) => c.extensions.has(OID.authorityKeyIdentifier) && (c.authorityKeyIdNamesIssuer || !c.authorityKeyId)
      ? 'its authorityKeyIdentifier must hold a keyIdentifier only (no authorityCertIssuer or serial)' : undefined,
  },
  {
    id: 'ski-on-ca', reason: 'missing_subject_key_id', profiles: STRICT, roles: ['intermediate'], source: 'RFC 5280 §4.2.1.2',
    violation: (c) => !c.subjectKeyId ? 'it is a CA certificate without a subjectKeyIdentifier' : undefined,
  },
  {
    // RFC 5280 binds CAs to it; its §6 path validation (and PKITS 4.6.4) accepts a non-critical one, so only webpki refuses
    id: 'ca-basic-constraints-critical', reason: 'basic_constraints_not_critical', profiles: WEBPKI, roles: ['intermediate'], source: 'RFC 5280 §4.2.1.9; BR 7.1.2.10.4',
    violation: (c) => c.basicConstraints?.cA && !critical(c, OID.basicConstraints) ? 'it is a CA certificate whose basicConstraints is not critical' : undefined,
  },
  {
    id: 'root-basic-constraints-critical', reason: 'basic_constraints_not_critical', profiles: WEBPKI, roles: ['anchor'], source: 'RFC 5280 §4.2.1.9; BR 7.1.2.1.4', rootForm: true,
    violation: (c) => c.basicConstraints && !critical(c, OID.basicConstraints) ? 'it is a root certificate whose basicConstraints is not critical' : undefined,
  },
  {
    id: 'leaf-not-ca', reason: 'ca_used_as_leaf', profiles: WEBPKI, roles: ['leaf'], source: 'BR 7.1.2.7.8; rustls-webpki `CaUsedAsEndEntity`',
    violation: (c) => c.basicConstraints?.cA ? 'it is a CA certificate (basicConstraints cA=TRUE) presented as the end-entity certificate' : undefined,
  },
  {
    id: 'leaf-no-key-cert-sign', reason: 'leaf_key_cert_sign', profiles: ALL, roles: ['leaf'], source: 'RFC 5280 §4.2.1.3, §4.2.1.9',
    // without cA the keyCertSign bit MUST NOT be set (webpki's refusal of any CA certificate as a leaf covers the rest)
    violation: (c) => c.keyUsage?.has('keyCertSign') && !c.basicConstraints?.cA ? 'it is an end-entity certificate whose keyUsage allows keyCertSign' : undefined,
  },
  {
    id: 'name-constraints-only-on-ca', reason: 'name_constraints_on_leaf', profiles: ALL, roles: LEAVES, source: 'RFC 5280 §4.2.1.10',
    violation: (c) => c.extensions.has(OID.nameConstraints) && !c.basicConstraints?.cA ? 'it is an end-entity certificate with a nameConstraints extension' : undefined,
  },
  {
    id: 'empty-subject-needs-san', reason: 'empty_subject', profiles: ALL, roles: LEAVES, source: 'RFC 5280 §4.1.2.6, §4.2.1.6',
    violation: (c) => emptySubject(c) && !hasSan(c) ? 'its subject is empty and it has no subjectAltName' : undefined,
  },
  {
    id: 'san-critical-if-subject-empty', reason: 'san_not_critical', profiles: ALL, roles: LEAVES, source: 'RFC 5280 §4.2.1.6',
    violation: (c) => emptySubject(c) && hasSan(c) && !critical(c, OID.subjectAltName) ? 'its subject is empty, so its subjectAltName must be critical' : undefined,
  },
  {
    id: 'san-not-critical-with-subject', reason: 'critical_san_with_subject', profiles: WEBPKI, roles: LEAVES, source: 'BR 7.1.2.7.12',
    violation: (c) => !emptySubject(c) && critical(c, OID.subjectAltName) ? 'its subjectAltName is critical although the subject is not empty' : undefined,
  },
  {
    // also keeps CA subjects non-empty (§4.1.2.6): a certificate names its CA's subject as its issuer
    id: 'issuer-not-empty', reason: 'empty_name', profiles: ALL, roles: EVERY, source: 'RFC 5280 §4.1.2.4, §4.1.2.6',
    violation: (c) => c.issuer.attributes.length === 0 ? 'its issuer name is empty' : undefined,
  },
  {
    id: 'serial-at-most-20-octets', reason: 'serial_too_long', profiles: WEBPKI, roles: ['leaf', 'intermediate'], source: 'RFC 5280 §4.1.2.2; BR 7.1',
    violation: (c) => c.serialBytes.length > 20 ? `its serial number is ${c.serialBytes.length} octets long (at most 20)` : undefined,
  },
  {
    id: 'serial-positive', reason: 'serial_not_positive', profiles: WEBPKI, roles: ['leaf', 'intermediate'], source: 'RFC 5280 §4.1.2.2; BR 7.1',
    violation: (c) => (c.serialBytes[0]! & 0x80) !== 0 ? 'its serial number is negative' : c.serialBytes.every((b) => b === 0) ? 'its serial number is zero' : undefined,
  },
  {
    id: 'server-leaf-has-eku', reason: 'missing_eku', profiles: WEBPKI, roles: ['leaf'], source: 'BR 7.1.2.7.10',
    violation: (c, purpose) => purpose === 'serverAuth' && !c.extKeyUsage ? 'it has no extendedKeyUsage (a TLS server certificate must name serverAuth)' : undefined,
  },
];

/** Applies every rule of `profile` for `role` to `c`; throws the first violation as bad_certificate/<reason>. */
export function checkProfile(c: Certificate, role: PathRole, profile: ValidationProfile, purpose: 'serverAuth' | 'clientAuth', o: { vettedRoot?: boolean } = {}): void {
  for (const rule of PROFILE_RULES) {
    if (!rule.profiles.includes(profile) || !rule.roles.includes(role)) continue;
    if (rule.rootForm && o.vettedRoot) continue;
    const why = rule.violation(c, purpose);
    if (why) throw new TlsError('bad_certificate', rule.reason, `tls: certificate "${c.subject.text}" is refused by the ${profile} profile: ${why} (${rule.source}; rule ${rule.id})`);
  }
}

export function parseProfile(p: unknown, option: string): ValidationProfile {
  if (p === undefined) return 'webpki';
  if (typeof p === 'string' && (PROFILES as readonly string[]).includes(p)) return p as ValidationProfile;
  throw new TlsError('config', 'bad_option', `tls: \`${option}\` must be one of ${PROFILES.map((x) => `'${x}'`).join(', ')}`);
}
