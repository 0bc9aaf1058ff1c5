import type { CryptoProvider } from '../crypto/provider.js';
import { TlsError } from '../errors.js';
import { KNOWN_EXTENSIONS, type Certificate } from './certificate.js';
import { checkServerName, parseIp } from './hostname.js';
import { checkNameConstraints } from './name-constraints.js';
import { namesEqual } from './name.js';
import { equalBytes, toHex } from '../bytes/encoding.js';
import { SHA256 } from '../crypto/hash.js';
import { checkProfile, type ValidationProfile } from './profile.js';
import { createTrustStore, isTrustStore, type TrustStore } from './trust-store.js';

/**
 * The certificate check the handshake relies on, behind an interface so that
 * the full RFC 5280 path builder can replace it without touching handshake/.
 */
export interface ServerCertificateVerifier {
  /** Rejects with a TlsError naming the problem, or returns the validated path (leaf first, anchor last). */
  verify(chain: readonly Certificate[], serverName: string | undefined, now: Date): Certificate[] | Promise<Certificate[]>;
}

/** Options of `basicVerifier`: the anchors, the provider that verifies signatures, limits and profile. */
export interface BasicVerifierOptions {
  anchors: readonly Certificate[] | TrustStore;
  /** Default 'webpki'. */
  profile?: ValidationProfile;
  provider: CryptoProvider;
  /** Cap on path length (leaf + intermediates + anchor). */
  maxChainLength?: number;
}

const fmt = (c: Certificate) => c.subject.attributes.length ? `"${c.subject.text}"` : `"(empty subject, serial ${c.serialNumber})"`;

function certError(alert: 'bad_certificate' | 'certificate_expired' | 'unknown_ca' | 'unsupported_certificate', reason: string, msg: string): TlsError {
  return new TlsError(alert, reason, `tls: ${msg}`);
}

/** Throws `certificate_expired/expired` or `certificate_expired/not_yet_valid` when `now` is outside the certificate's validity. */
export function checkValidity(c: Certificate, now: Date): void {
  if (now < c.notBefore) throw certError('certificate_expired', 'not_yet_valid', `certificate ${fmt(c)} is not valid before ${c.notBefore.toISOString()} (now ${now.toISOString()})`);
  if (now > c.notAfter) throw certError('certificate_expired', 'expired', `certificate ${fmt(c)} expired at ${c.notAfter.toISOString()} (now ${now.toISOString()})`);
}

function checkCriticalExtensions(c: Certificate): void {
  for (const [id, e] of c.extensions) {
    if (e.critical && !KNOWN_EXTENSIONS.has(id)) throw certError('unsupported_certificate', 'unsupported_critical_extension', `certificate ${fmt(c)} has an unsupported critical extension ${id}`);
  }
}

/**
 * Signatures already verified, keyed by the SHA-256 of the issuer certificate
 * and of the signed certificate: the same bytes verify the same way, so
 * repeat handshakes with a server skip re-verifying its unchanged chain.
 * Only successes are kept; bounded, least recently used out first.
 */
const VERIFIED = new Map<string, true>();
const lengthPrefix = (n: number) => new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
export const SIGNATURE_CACHE_SIZE = 1024;
/** Hits and misses of the verified-signature cache since the last `clearSignatureCache()` (benches, tests). */
export const signatureCacheStats = { hits: 0, misses: 0 };

/** Empties the verified-signature cache (benches, tests). */
export function clearSignatureCache(): void {
  VERIFIED.clear();
  signatureCacheStats.hits = signatureCacheStats.misses = 0;
}

async function signedBy(child: Certificate, issuer: Certificate, provider: CryptoProvider): Promise<boolean> {
  // keyed by exactly what is verified (not the fingerprints, which a hand-made Certificate object need not match)
  const h = SHA256.create();
  for (const part of [issuer.publicKey.der, child.signatureAlgorithm.der, child.signature, child.tbs]) h.update(lengthPrefix(part.length)).update(part);
  const key = toHex(h.peek());
  if (VERIFIED.delete(key)) {
    VERIFIED.set(key, true);
    signatureCacheStats.hits++;
    return true;
  }
  signatureCacheStats.misses++;
  const ok = await provider.verify(child.signatureAlgorithm.algorithm, issuer.publicKey.key, child.tbs, child.signature);
  if (ok) {
    if (VERIFIED.size >= SIGNATURE_CACHE_SIZE) VERIFIED.delete(VERIFIED.keys().next().value!);
    VERIFIED.set(key, true);
  }
  return ok;
}

function mayIssue(c: Certificate): boolean {
  // RFC 5280 §4.2.1.9: an issuer must assert cA; keyUsage, if present, must allow keyCertSign (§4.2.1.3)
  return !!c.basicConstraints?.cA && (!c.keyUsage || c.keyUsage.has('keyCertSign'));
}

/** Signature and key policy applied to every certificate on the path (RFC 5280 leaves this to the relying party). */
export interface ChainPolicy {
  /** Hashes accepted in certificate signatures. Default SHA-256/384/512 (SHA-1 and MD5 refused). */
  allowedSignatureHashes?: ('SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512')[];
  /** Minimum RSA modulus, in bits. Default 2048. */
  minRsaBits?: number;
  /** EC curves accepted. Default P-256, P-384, P-521. */
  allowedCurves?: ('P-256' | 'P-384' | 'P-521')[];
  /** Default true. */
  allowEd25519?: boolean;
  /** Default true. */
  allowEd448?: boolean;
}

/** The default signature and key policy: SHA-256/384/512, RSA ≥ 2048 bits, P-256/P-384/P-521, Ed25519, Ed448. */
export const DEFAULT_CHAIN_POLICY: Required<ChainPolicy> = { allowedSignatureHashes: ['SHA-256', 'SHA-384', 'SHA-512'], minRsaBits: 2048, allowedCurves: ['P-256', 'P-384', 'P-521'], allowEd25519: true, allowEd448: true };

/** The API-gateway profile: at most 4 certificates, SHA-256 or stronger, RSA ≥ 2048, ECDSA P-256/P-384. */
export const API_GATEWAY_PROFILE: { maxChainLength: number; policy: ChainPolicy } = {
  maxChainLength: 4,
  policy: { allowedSignatureHashes: ['SHA-256', 'SHA-384', 'SHA-512'], minRsaBits: 2048, allowedCurves: ['P-256', 'P-384'], allowEd25519: false, allowEd448: false },
};

/** What the leaf is validated for (its extendedKeyUsage must allow it). */
export type Purpose = 'serverAuth' | 'clientAuth';
const EKU_OID: Record<Purpose, string> = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' };
const ANY_EKU = '2.5.29.37.0';

function checkKey(c: Certificate, policy: Required<ChainPolicy>): void {
  const k = c.publicKey.key;
  if (k.kind === 'rsa' && k.bits < policy.minRsaBits) throw certError('bad_certificate', 'weak_key', `certificate ${fmt(c)} has a ${k.bits}-bit RSA key; at least ${policy.minRsaBits} bits are required`);
  if (k.kind === 'ec' && !policy.allowedCurves.includes(k.curve)) throw certError('bad_certificate', 'weak_key', `certificate ${fmt(c)} uses curve ${k.curve}, which the policy does not allow`);
  if (k.kind === 'ed448' && !policy.allowEd448) throw certError('bad_certificate', 'weak_key', `certificate ${fmt(c)} has an Ed448 key, which the policy does not allow`);
  if (k.kind === 'ed25519' && !policy.allowEd25519) throw certError('bad_certificate', 'weak_key', `certificate ${fmt(c)} has an Ed25519 key, which the policy does not allow`);
}

function checkSignatureAlgorithm(c: Certificate, policy: Required<ChainPolicy>): void {
  const a = c.signatureAlgorithm.algorithm;
  const hash = a.kind === 'ed25519' || a.kind === 'ed448' ? undefined : a.hash.name;
  if (hash && !policy.allowedSignatureHashes.includes(hash as 'SHA-256')) {
    throw certError('bad_certificate', 'weak_signature_algorithm', `certificate ${fmt(c)} is signed with ${c.signatureAlgorithm.name}; ${hash} is not accepted (allowed: ${policy.allowedSignatureHashes.join(', ')})`);
  }
}

/** RFC 5280 §4.2.1.12: the leaf must allow the purpose (or anyExtendedKeyUsage); CAs that restrict EKU must too. */
function checkEku(c: Certificate, purpose: Purpose, isLeaf: boolean): void {
  if (!c.extKeyUsage) return;
  if (c.extKeyUsage.includes(EKU_OID[purpose]) || c.extKeyUsage.includes(ANY_EKU)) return;
  throw certError('unsupported_certificate', 'eku_mismatch', `${isLeaf ? 'certificate' : 'issuing CA'} ${fmt(c)} is not valid for ${purpose} (extended key usage: ${c.extKeyUsage.join(', ')})`);
}

/** `validatePath` input: parsed certificates, anchors (a TrustStore or a list), purpose, name, clock, limits, policy, profile, provider. */
export interface VerifyChainOptions {
  leaf: Certificate;
  intermediates?: readonly Certificate[];
  anchors: readonly Certificate[] | TrustStore;
  purpose?: Purpose;
  name?: { dns: string } | { ip: string };
  now?: Date;
  /** Path length including leaf and anchor. Default 10. */
  maxChainLength?: number;
  policy?: ChainPolicy;
  /** Structural rules (docs/X509.md): 'webpki' (default), 'rfc5280' or 'private'. */
  profile?: ValidationProfile;
  provider: CryptoProvider;
}

/**
 * Validates leaf → (intermediates, any order, extras ignored) → anchor:
 * signatures, validity at `now`, CA flag/keyCertSign/pathLen of issuers,
 * extended key usage for `purpose`, leaf keyUsage, unknown critical
 * extensions, signature-algorithm and key policy, path length, then the name.
 * Returns the path (leaf first, anchor last) or throws a TlsError whose
 * `reason` names the problem: unknown_ca, expired, not_yet_valid,
 * hostname_mismatch, chain_too_long, weak_signature_algorithm, weak_key,
 * bad_signature, not_a_ca, path_length_exceeded, eku_mismatch,
 * unsupported_critical_extension, malformed_certificate.
 */
export async function validatePath(o: VerifyChainOptions): Promise<Certificate[]> {
  const now = o.now ?? new Date();
  const purpose = o.purpose ?? 'serverAuth';
  const policy = { ...DEFAULT_CHAIN_POLICY, ...(o.policy ?? {}) };
  const maxLen = o.maxChainLength ?? 10;
  const profile = o.profile ?? 'webpki';
  const store = isTrustStore(o.anchors) ? o.anchors : createTrustStore(o.anchors);
  const pool = [...(o.intermediates ?? [])];
  const leaf = o.leaf;
  // RFC 5280 §4.2.1.3: a leaf that restricts key usage must allow digitalSignature for TLS signing
  if (leaf.keyUsage && !leaf.keyUsage.has('digitalSignature')) throw certError('unsupported_certificate', 'key_usage_mismatch', `certificate ${fmt(leaf)} does not allow digitalSignature`);
  checkCertificate(leaf, now, policy, purpose, true);
  // a leaf trusted directly (it is itself an anchor) is exempt from the rules about how CAs issue leaves
  const trustedLeaf = store.fingerprints.has(leaf.fingerprintSHA256hex);
  // a self-signed certificate nobody trusts: say so before judging its form (node:tls' DEPTH_ZERO_SELF_SIGNED_CERT)
  if (!trustedLeaf && leaf.selfIssued && ![...store.anchors, ...pool].some((c) => c !== leaf && couldIssue(leaf, c))) {
    throw certError('unknown_ca', 'unknown_ca', `the self-signed certificate (${leaf.subject.text || fmt(leaf)}) is not trusted: add it to \`ca\` to trust it`);
  }
  checkProfile(leaf, trustedLeaf ? 'trustedLeaf' : 'leaf', profile, purpose);
  const path = await buildPath(leaf, store, o, now, policy, purpose, maxLen, pool, profile);
  if (o.name) {
    const host = 'dns' in o.name ? o.name.dns : o.name.ip;
    const id = checkServerName(leaf, host);
    if (!id.ok) throw certError('bad_certificate', 'hostname_mismatch', `certificate ${fmt(leaf)} is not valid for ${host}: ${id.reason}`);
  }
  return path;
}

function checkCertificate(c: Certificate, now: Date, policy: Required<ChainPolicy>, purpose: Purpose, isLeaf: boolean): void {
  checkValidity(c, now);
  checkCriticalExtensions(c);
  checkKey(c, policy);
  checkEku(c, purpose, isLeaf);
}

/** Could `issuer` have issued `child`? Names must chain; key identifiers, when both are present, must agree. */
function couldIssue(child: Certificate, issuer: Certificate): boolean {
  if (!namesEqual(issuer.subject, child.issuer)) return false;
  if (child.authorityKeyId && issuer.subjectKeyId) return equalBytes(child.authorityKeyId, issuer.subjectKeyId);
  return true;
}

/** RFC 5280 §4.2.1.10: a CA's name constraints apply to every certificate below it on the path. */
function checkPathNameConstraints(path: readonly Certificate[]): void {
  for (let i = path.length - 1; i > 0; i--) {
    const ca = path[i]!;
    if (!ca.nameConstraints) continue;
    for (let j = i - 1; j >= 0; j--) {
      const c = path[j]!;
      // self-issued intermediates are exempt; the leaf never is (RFC 5280 §6.1.3 (b))
      if (j > 0 && namesEqual(c.subject, c.issuer)) continue;
      checkNameConstraints(c, ca, ca.nameConstraints);
    }
  }
}

/** Signature checks allowed while building one path, so hostile input cannot make path building explode. */
const WORK_BUDGET = 64;

/**
 * Depth-first path building (RFC 4158 in spirit): from `current`, try every
 * candidate issuer (trust anchors first, then presented intermediates), never
 * reusing a certificate (loops), backtracking when a branch fails. The first
 * complete path to an anchor wins; if none exists, the most specific failure
 * found is reported (unknown_ca only when nothing better was learned).
 */
async function buildPath(leaf: Certificate, store: TrustStore, o: VerifyChainOptions, now: Date, policy: Required<ChainPolicy>, purpose: Purpose, maxLen: number, pool: Certificate[], profile: ValidationProfile): Promise<Certificate[]> {
  let budget = WORK_BUDGET;
  let best: TlsError | undefined;
  const note = (e: unknown) => {
    if (!(e instanceof TlsError)) throw e;
    if (!best || best.reason === 'unknown_ca') best = e;
  };
  const isAnchor = (c: Certificate) => store.fingerprints.has(c.fingerprintSHA256hex);
  const dfs = async (path: Certificate[]): Promise<Certificate[] | undefined> => {
    const current = path[path.length - 1]!;
    if (isAnchor(current)) {
      // a path that breaks a name constraint is a dead end: another branch may avoid the constrained CA
      try { checkPathNameConstraints(path); } catch (e) { note(e); return undefined; }
      return path;
    }
    if (path.length >= maxLen) { note(certError('bad_certificate', 'chain_too_long', `the certificate path is longer than ${maxLen}`)); return undefined; }
    const used = new Set(path.map((c) => c.fingerprintSHA256hex));
    const candidates = [...store.anchors.filter((a) => couldIssue(current, a)), ...pool.filter((p) => couldIssue(current, p) && !isAnchor(p))]
      .filter((c) => !used.has(c.fingerprintSHA256hex));
    if (candidates.length === 0) {
      note(current.selfIssued
        ? certError('unknown_ca', 'unknown_ca', `${current === leaf ? 'the self-signed certificate' : 'self-signed certificate in the chain'} (${current.subject.text || fmt(current)}) is not trusted: add it to \`ca\` to trust it`)
        : certError('unknown_ca', 'unknown_ca', `certificate ${fmt(current)} was issued by "${current.issuer.text}", which is neither a trusted CA nor among the certificates presented`));
      return undefined;
    }
    for (const issuer of candidates) {
      try {
        if (--budget < 0) throw certError('unknown_ca', 'path_building_budget', `gave up building a path after ${WORK_BUDGET} signature checks`);
        checkSignatureAlgorithm(current, policy);
        if (!(await signedBy(current, issuer, o.provider))) throw certError('bad_certificate', 'bad_signature', `the signature on certificate ${fmt(current)} does not verify with the key of ${fmt(issuer)}`);
        if (!mayIssue(issuer)) throw certError('bad_certificate', 'not_a_ca', `certificate ${fmt(issuer)} issued ${fmt(current)} but is not a CA`);
        // pathLen counts the intermediates below this issuer, self-issued ones excepted (RFC 5280 §4.2.1.9, §6.1.4 (l))
        const below = path.slice(1).filter((c) => !c.selfIssued).length;
        const pl = issuer.basicConstraints?.pathLen;
        if (pl !== undefined && below > pl) throw certError('bad_certificate', 'path_length_exceeded', `certificate ${fmt(issuer)} allows ${pl} intermediate(s) below it, the path has ${below}`);
        if (isAnchor(issuer)) {
          checkValidity(issuer, now); checkKey(issuer, policy); checkCriticalExtensions(issuer);
          checkProfile(issuer, 'anchor', profile, purpose, { vettedRoot: store.rootProgram !== undefined });
        } else {
          checkCertificate(issuer, now, policy, purpose, false);
          checkProfile(issuer, 'intermediate', profile, purpose);
        }
        if (path.length + 1 > maxLen) throw certError('bad_certificate', 'chain_too_long', `the certificate path has more than ${maxLen} certificates`);
        const found = await dfs([...path, issuer]);
        if (found) return found;
      } catch (e) {
        if (e instanceof TlsError && e.reason === 'path_building_budget') throw e;
        note(e);
      }
    }
    return undefined;
  };
  const found = await dfs([leaf]);
  if (found) return found;
  throw best ?? certError('unknown_ca', 'unknown_ca', `no path from ${fmt(leaf)} to a trusted CA`);
}

/** The verifier the handshake uses: `validatePath` for serverAuth against the configured anchors. */
export function basicVerifier(opts: BasicVerifierOptions & { policy?: ChainPolicy }): ServerCertificateVerifier {
  return {
    async verify(chain, serverName, now) {
      if (chain.length === 0) throw certError('bad_certificate', 'no_certificate', 'the server sent no certificate');
      return validatePath({
        leaf: chain[0]!, intermediates: chain.slice(1), anchors: opts.anchors, purpose: 'serverAuth', now, provider: opts.provider,
        ...(opts.profile ? { profile: opts.profile } : {}),
        ...(opts.maxChainLength !== undefined ? { maxChainLength: opts.maxChainLength } : {}), ...(opts.policy ? { policy: opts.policy } : {}),
        ...(serverName !== undefined ? { name: parseIp(serverName) ? { ip: serverName } : { dns: serverName } } : {}),
      });
    },
  };
}
