import { toHex } from '../bytes/encoding.js';
import { SHA256 } from '../crypto/hash.js';
import { TlsError } from '../errors.js';
import { bitString, bool, decodeDer, expect, integerBytes, oid, seq, TAG, time, type DerNode } from './der.js';
import { namesEqual, parseName, type DistinguishedName } from './name.js';
import { OID } from './oids.js';
import { parseSpki, type SubjectPublicKeyInfo } from './public-key.js';
import { parseSignatureAlgorithm, type CertSignatureAlgorithm } from './signature-algorithm.js';
import { parseNameConstraints, type NameConstraints } from './name-constraints.js';

/** An X.509 v3 certificate (RFC 5280 §4.1), parsed once, with the fields validation needs. */
export interface Certificate {
  der: Uint8Array;
  /** tbsCertificate exactly as encoded: what the issuer signed. */
  tbs: Uint8Array;
  version: number;
  serialNumber: string;
  /** The serial's INTEGER content as encoded (two's complement, with any leading 0x00): RFC 5280 §4.1.2.2 limits it to 20 octets. */
  serialBytes: Uint8Array;
  signatureAlgorithm: CertSignatureAlgorithm;
  signature: Uint8Array;
  issuer: DistinguishedName;
  subject: DistinguishedName;
  notBefore: Date;
  notAfter: Date;
  publicKey: SubjectPublicKeyInfo;
  extensions: Map<string, { critical: boolean; value: Uint8Array }>;
  subjectAltNames: { dns: string[]; ip: Uint8Array[]; email: string[]; uri: string[]; dir: DistinguishedName[] };
  basicConstraints: { cA: boolean; pathLen: number | undefined } | undefined;
  keyUsage: Set<KeyUsage> | undefined;
  extKeyUsage: string[] | undefined;
  nameConstraints: NameConstraints | undefined;
  /** subjectKeyIdentifier and authorityKeyIdentifier.keyIdentifier (RFC 5280 §4.2.1.1–2), used to pick issuers. */
  subjectKeyId: Uint8Array | undefined;
  authorityKeyId: Uint8Array | undefined;
  /** authorityKeyIdentifier also names the issuer by authorityCertIssuer/authorityCertSerialNumber (RFC 5280 §4.2.1.1). */
  authorityKeyIdNamesIssuer: boolean;
  /** Authority Information Access (RFC 5280 §4.2.2.1): where the issuer's certificate (caIssuers) and OCSP are published. */
  authorityInfoAccess: { caIssuers: string[]; ocsp: string[] } | undefined;
  /** Subject and issuer are the same name (RFC 5280 §6.1: "self-issued"). */
  selfIssued: boolean;
  /** Uppercase hex SHA-256 of the DER. */
  fingerprintSHA256hex: string;
}

export type KeyUsage = 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement' | 'keyCertSign' | 'cRLSign' | 'encipherOnly' | 'decipherOnly';
const KEY_USAGE_BITS: KeyUsage[] = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

/** Extensions this parser understands; any other extension marked critical fails validation. */
export const KNOWN_EXTENSIONS = new Set<string>([OID.subjectAltName, OID.basicConstraints, OID.keyUsage, OID.extKeyUsage, OID.subjectKeyIdentifier, OID.authorityKeyIdentifier, OID.nameConstraints, OID.authorityInfoAccess]);

function malformed(why: string): TlsError {
  return new TlsError('bad_certificate', 'malformed_certificate', `tls: malformed certificate: ${why}`);
}

/** Upper bound on one certificate's size; larger input is refused before parsing. */
export const MAX_CERTIFICATE_SIZE = 64 * 1024;

export function parseCertificate(der: Uint8Array): Certificate {
  try {
    return parse(der);
  } catch (e) {
    // anything unexpected while reading a certificate is still a malformed certificate, never a TypeError
    if (e instanceof TlsError) throw e;
    throw malformed(`${(e as Error)?.message ?? e}`);
  }
}

function parse(der: Uint8Array): Certificate {
  if (der.length > MAX_CERTIFICATE_SIZE) throw malformed(`${der.length} bytes exceeds the ${MAX_CERTIFICATE_SIZE}-byte limit`);
  const root = decodeDer(der, 'certificate');
  const [tbsNode, sigAlgNode, sigNode, ...extra] = seq(root, 'Certificate');
  if (extra.length) throw malformed('extra fields after signatureValue');
  const tbs = seq(tbsNode, 'tbsCertificate');
  let i = 0;
  let version = 1;
  if (tbs[0]?.tagClass === 'context' && tbs[0].tag === 0) {
    const v = integerBytes(tbs[0].children[0], 'version');
    if (v.length !== 1 || v[0]! > 2) throw malformed('unknown version');
    version = v[0]! + 1;
    i++;
  }
  const serialNode = tbs[i++];
  const serial = integerBytes(serialNode, 'serialNumber');
  const innerSigAlg = expect(tbs[i++], TAG.SEQUENCE, 'tbsCertificate.signature');
  const issuer = parseName(tbs[i++], 'issuer');
  const [nb, na, ...vx] = seq(tbs[i++], 'validity');
  if (vx.length) throw malformed('validity has extra fields');
  const subject = parseName(tbs[i++], 'subject');
  const publicKey = parseSpki(tbs[i++]);
  const signatureAlgorithm = parseSignatureAlgorithm(sigAlgNode);
  // RFC 5280 §4.1.1.2: the outer signatureAlgorithm MUST equal tbsCertificate.signature
  if (toHex(innerSigAlg.raw) !== toHex(signatureAlgorithm.der)) throw malformed('inner and outer signature algorithms differ');

  const extensions = new Map<string, { critical: boolean; value: Uint8Array }>();
  for (; i < tbs.length; i++) {
    const f = tbs[i]!;
    if (f.tagClass !== 'context') throw malformed('unexpected field in tbsCertificate');
    if (f.tag === 1 || f.tag === 2) continue; // issuerUniqueID / subjectUniqueID
    if (f.tag !== 3) throw malformed(`unknown tbsCertificate field [${f.tag}]`);
    if (version !== 3) throw malformed('extensions in a non-v3 certificate');
    for (const ext of seq(f.children[0], 'extensions')) {
      const parts = seq(ext, 'extension');
      const id = oid(parts[0], 'extnID');
      let critical = false, k = 1;
      if (parts[1]?.tag === TAG.BOOLEAN) { critical = bool(parts[1], 'critical'); k = 2; }
      const value = expect(parts[k], TAG.OCTET_STRING, 'extnValue').content;
      if (extensions.has(id)) throw malformed(`duplicate extension ${id}`);
      extensions.set(id, { critical, value });
    }
  }

  const cert: Certificate = {
    der: root.raw, tbs: tbsNode!.raw, version,
    serialNumber: toHex(serial, true), serialBytes: serialNode!.content,
    signatureAlgorithm, signature: bitString(sigNode, 'signatureValue'),
    issuer, subject, notBefore: time(nb, 'notBefore'), notAfter: time(na, 'notAfter'), publicKey, extensions,
    subjectAltNames: { dns: [], ip: [], email: [], uri: [], dir: [] },
    basicConstraints: undefined, keyUsage: undefined, extKeyUsage: undefined, nameConstraints: undefined, subjectKeyId: undefined, authorityKeyId: undefined,
    authorityKeyIdNamesIssuer: false, authorityInfoAccess: undefined, selfIssued: namesEqual(subject, issuer),
    fingerprintSHA256hex: toHex(SHA256.digest(root.raw), true),
  };
  const san = extensions.get(OID.subjectAltName);
  if (san) parseSan(decodeDer(san.value, 'subjectAltName'), cert.subjectAltNames);
  const bc = extensions.get(OID.basicConstraints);
  if (bc) {
    const f = seq(decodeDer(bc.value, 'basicConstraints'), 'basicConstraints');
    let cA = false, pathLen: number | undefined;
    for (const x of f) {
      if (x.tag === TAG.BOOLEAN) cA = bool(x, 'cA');
      else if (x.tag === TAG.INTEGER) { const b = integerBytes(x, 'pathLenConstraint'); if (b.length > 2) throw malformed('pathLenConstraint too large'); pathLen = b.reduce((a, c) => a * 256 + c, 0); }
    }
    cert.basicConstraints = { cA, pathLen };
  }
  const ku = extensions.get(OID.keyUsage);
  if (ku) {
    const bits = decodeDer(ku.value, 'keyUsage');
    const c = expect(bits, TAG.BIT_STRING, 'keyUsage').content;
    const set = new Set<KeyUsage>();
    for (let b = 0; b < 9; b++) if ((c[1 + (b >> 3)] ?? 0) & (0x80 >> (b & 7))) set.add(KEY_USAGE_BITS[b]!);
    cert.keyUsage = set;
  }
  const ski = extensions.get(OID.subjectKeyIdentifier);
  if (ski) cert.subjectKeyId = expect(decodeDer(ski.value, 'subjectKeyIdentifier'), TAG.OCTET_STRING, 'subjectKeyIdentifier').content;
  const aki = extensions.get(OID.authorityKeyIdentifier);
  if (aki) {
    const fields = seq(decodeDer(aki.value, 'authorityKeyIdentifier'), 'authorityKeyIdentifier');
    if (fields.some((x) => x.tagClass !== 'context' || x.tag > 2)) throw malformed('unexpected field in authorityKeyIdentifier');
    const keyId = fields.find((x) => x.tag === 0);
    if (keyId) cert.authorityKeyId = keyId.content;
    cert.authorityKeyIdNamesIssuer = fields.some((x) => x.tag === 1 || x.tag === 2);
  }
  const aia = extensions.get(OID.authorityInfoAccess);
  if (aia) cert.authorityInfoAccess = parseAuthorityInfoAccess(aia.value);
  const nc = extensions.get(OID.nameConstraints);
  if (nc) cert.nameConstraints = parseNameConstraints(nc.value);
  const eku = extensions.get(OID.extKeyUsage);
  if (eku) cert.extKeyUsage = seq(decodeDer(eku.value, 'extKeyUsage'), 'extKeyUsage').map((n) => oid(n, 'KeyPurposeId'));
  return cert;
}

/** AuthorityInfoAccessSyntax (RFC 5280 §4.2.2.1): one or more AccessDescription { accessMethod OID, accessLocation GeneralName }. */
function parseAuthorityInfoAccess(value: Uint8Array): { caIssuers: string[]; ocsp: string[] } {
  const out = { caIssuers: [] as string[], ocsp: [] as string[] };
  const descriptions = seq(decodeDer(value, 'authorityInfoAccess'), 'authorityInfoAccess');
  if (descriptions.length === 0) throw malformed('authorityInfoAccess is empty');
  for (const d of descriptions) {
    const [method, location, ...rest] = seq(d, 'AccessDescription');
    if (rest.length || !location) throw malformed('AccessDescription must hold a method and a location');
    const id = oid(method, 'accessMethod');
    if (location.tagClass !== 'context' || location.tag > 8) throw malformed('accessLocation is not a GeneralName');
    // a uniformResourceIdentifier [6] is an IA5String: ASCII only
    if (location.tag === 6 && location.content.some((b) => b > 0x7e || b < 0x20)) throw malformed('accessLocation URI is not IA5String text');
    const uri = location.tag === 6 ? String.fromCharCode(...location.content) : undefined;
    if (uri === undefined) continue;
    if (id === OID.caIssuers) out.caIssuers.push(uri);
    else if (id === OID.ocsp) out.ocsp.push(uri);
  }
  return out;
}

function parseSan(n: DerNode, out: Certificate['subjectAltNames']): void {
  const names = seq(n, 'subjectAltName');
  // GeneralNames ::= SEQUENCE SIZE (1..MAX) (RFC 5280 §4.2.1.6)
  if (names.length === 0) throw malformed('subjectAltName is empty');
  for (const g of names) {
    if (g.tagClass !== 'context') throw malformed('GeneralName is not context-tagged');
    switch (g.tag) {
      case 1: out.email.push(String.fromCharCode(...g.content)); break;
      case 2: out.dns.push(String.fromCharCode(...g.content)); break;
      case 4: out.dir.push(parseName(g.children[0], 'subjectAltName directoryName')); break;
      case 6: out.uri.push(String.fromCharCode(...g.content)); break;
      case 7:
        if (g.content.length !== 4 && g.content.length !== 16) throw malformed(`iPAddress of ${g.content.length} bytes`);
        out.ip.push(g.content); break;
      default: break; // otherName, x400Address, ediPartyName, registeredID: not used for identity or constraints
    }
  }
}

/** Formats an iPAddress SAN for display (dotted quad or RFC 5952-ish IPv6). */
export function formatIp(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::');
}

