import { equalConstantTime } from '../bytes/encoding.js';
import { SHA1, SHA256, SHA384, SHA512, type HashAlgorithm } from '../crypto/hash.js';
import { hmac } from '../crypto/hmac.js';
import { pbkdf2, pkcs12Kdf } from '../crypto/password-kdf.js';
import type { PrivateKey } from '../crypto/sign.js';
import { TlsError } from '../errors.js';
import { parseCertificate, type Certificate } from './certificate.js';
import { decodeDer, expect, integerBytes, oid, seq, stringValue, TAG, type DerNode } from './der.js';
import { KEY_OID, OID } from './oids.js';
import { bmpPassword, parsePrivateKey, pbes2Decrypt } from './private-key.js';

/**
 * PKCS#12 / PFX files (RFC 7292): an HMAC integrity MAC keyed with the
 * PKCS#12 KDF or a PBMAC1 MAC (RFC 9579); certificate and key bags under PBES2
 * (PBKDF2 + AES-CBC, OpenSSL 3's default) or the PKCS#12 Triple DES PBE
 * (Windows' "TripleDES-SHA1", OpenSSL 1.x's default). RC2 and RC4 files get an
 * error that says how to re-export them.
 */
export interface Pkcs12Contents {
  key: PrivateKey;
  /** The certificate matching the key first, then the rest (chain) in file order. */
  certificates: Certificate[];
  friendlyName: string | undefined;
}

const DIGESTS: Record<string, HashAlgorithm> = { [OID.sha1]: SHA1, [OID.sha256]: SHA256, [OID.sha384]: SHA384, [OID.sha512]: SHA512 };

function p12Error(reason: string, msg: string): TlsError { return new TlsError('config', reason, `tls: ${msg}`); }


const HMACS: Record<string, HashAlgorithm> = { [KEY_OID.hmacWithSHA1]: SHA1, [KEY_OID.hmacWithSHA256]: SHA256, [KEY_OID.hmacWithSHA384]: SHA384, [KEY_OID.hmacWithSHA512]: SHA512 };

const uint = (n: DerNode | undefined, what: string): number => {
  const b = integerBytes(n, what);
  if (b.length > 6 || (expect(n, TAG.INTEGER, what).content[0]! & 0x80)) throw p12Error('malformed_pkcs12', `PKCS#12 ${what} out of range`);
  return b.reduce((a, x) => a * 256 + x, 0);
};

/**
 * The PBMAC1 integrity MAC (RFC 9579 §3, RFC 8018 §7.1): PBKDF2 over the
 * UTF-8 passphrase with the salt, count and key length of the PBMAC1
 * parameters (MacData's own macSalt and iterations are ignored, §3), then
 * HMAC over the authSafe content.
 */
function pbmac1(params: DerNode | undefined, passphrase: string, authSafe: Uint8Array): Uint8Array {
  const [kdf, scheme] = seq(params, 'PBMAC1-params');
  const [kdfOid, kdfParams] = seq(kdf, 'keyDerivationFunc');
  if (oid(kdfOid, 'PBMAC1 key derivation') !== KEY_OID.pbkdf2) throw p12Error('unsupported_pkcs12', 'PBMAC1 with a key derivation other than PBKDF2 is not supported');
  const [saltNode, countNode, ...rest] = seq(kdfParams, 'PBKDF2-params');
  const salt = expect(saltNode, TAG.OCTET_STRING, 'PBKDF2 salt').content;
  const iterations = uint(countNode, 'PBMAC1 iteration count');
  if (iterations < 1 || iterations > 10_000_000) throw p12Error('malformed_pkcs12', 'PKCS#12 PBMAC1 iteration count out of range');
  // RFC 9579 §3: keyLength MUST be present; a file without it is refused.
  const lengthNode = rest.find((n) => n.tag === TAG.INTEGER && n.tagClass === 'universal');
  if (!lengthNode) throw p12Error('malformed_pkcs12', 'PKCS#12 PBMAC1 parameters lack the required PBKDF2 keyLength (RFC 9579 §3)');
  const keyLength = uint(lengthNode, 'PBMAC1 key length');
  if (keyLength < 20 || keyLength > 64) throw p12Error('malformed_pkcs12', `PKCS#12 PBMAC1 key length ${keyLength} is out of range`);
  const prfNode = rest.find((n) => n.tag === TAG.SEQUENCE);
  const prf = prfNode ? HMACS[oid(seq(prfNode, 'prf')[0], 'PBKDF2 prf')] : SHA1;
  if (!prf) throw p12Error('unsupported_pkcs12', 'unsupported PBKDF2 PRF in PBMAC1');
  const macHash = HMACS[oid(seq(scheme, 'messageAuthScheme')[0], 'PBMAC1 MAC')];
  if (!macHash) throw p12Error('unsupported_pkcs12', 'unsupported PBMAC1 message authentication scheme');
  const key = pbkdf2(prf, new TextEncoder().encode(passphrase), salt, iterations, keyLength);
  return hmac(macHash, key, authSafe);
}

/** [0] EXPLICIT wrapper content. */
function explicit0(n: DerNode | undefined, what: string): DerNode {
  if (!n || n.tagClass !== 'context' || n.tag !== 0 || n.children.length !== 1) throw p12Error('malformed_pkcs12', `malformed PKCS#12: ${what}`);
  return n.children[0]!;
}

/** Reads a PKCS#12 (.p12/.pfx) file: checks its MAC with `passphrase`, decrypts the key and certificates (PBES2/AES, PBE-SHA1-3DES), and returns the key with its certificate first. */
export function parsePkcs12(der: Uint8Array, passphrase = ''): Pkcs12Contents {
  try {
    return parse(der, passphrase);
  } catch (e) {
    if (e instanceof TlsError && e.code.startsWith('config/')) throw e;
    throw p12Error('malformed_pkcs12', `cannot read the PKCS#12 file: ${(e as Error).message}`);
  }
}

function parse(der: Uint8Array, passphrase: string): Pkcs12Contents {
  const [version, authSafe, macData] = seq(decodeDer(der, 'PFX'), 'PFX');
  const v = integerBytes(version, 'version');
  if (v.length !== 1 || v[0] !== 3) throw p12Error('malformed_pkcs12', 'PKCS#12 version is not 3');
  const [ctOid, ctContent] = seq(authSafe, 'authSafe');
  if (oid(ctOid, 'contentType') !== KEY_OID.data) throw p12Error('unsupported_pkcs12', 'PKCS#12 files with public-key integrity are not supported');
  const authSafeBytes = expect(explicit0(ctContent, 'authSafe content'), TAG.OCTET_STRING, 'authSafe data').content;

  // integrity first (RFC 7292 §5.1): a wrong passphrase shows up here
  if (!macData) throw p12Error('unsupported_pkcs12', 'PKCS#12 file without an integrity MAC');
  const [digestInfo, macSalt, iters] = seq(macData, 'MacData');
  const [digAlg, digest] = seq(digestInfo, 'DigestInfo');
  const [macAlg, macParams] = seq(digAlg, 'digestAlgorithm');
  const macAlgOid = oid(macAlg, 'digest algorithm');
  const expected = expect(digest, TAG.OCTET_STRING, 'digest').content;
  let mac: Uint8Array;
  if (macAlgOid === KEY_OID.pbmac1) {
    mac = pbmac1(macParams, passphrase, authSafeBytes);
  } else {
    const hash = DIGESTS[macAlgOid];
    if (!hash) throw p12Error('unsupported_pkcs12', `PKCS#12 MAC digest ${macAlgOid} is not supported`);
    const iterations = iters ? integerBytes(iters, 'iterations').reduce((a, b) => a * 256 + b, 0) : 1;
    if (iterations < 1 || iterations > 10_000_000) throw p12Error('malformed_pkcs12', 'PKCS#12 MAC iteration count out of range');
    const macKey = pkcs12Kdf(hash, bmpPassword(passphrase), expect(macSalt, TAG.OCTET_STRING, 'macSalt').content, iterations, 3, hash.outputLen);
    mac = hmac(hash, macKey, authSafeBytes);
  }
  if (!equalConstantTime(mac, expected)) {
    throw p12Error('bad_passphrase', 'the PKCS#12 integrity check failed: wrong passphrase, or the file is damaged');
  }

  const utf8Password = new TextEncoder().encode(passphrase);
  const keys: { key: PrivateKey; localKeyId?: string; name?: string }[] = [];
  const certs: { cert: Certificate; localKeyId?: string; name?: string }[] = [];
  for (const ci of seq(decodeDer(authSafeBytes, 'AuthenticatedSafe'), 'AuthenticatedSafe')) {
    const [t, c] = seq(ci, 'ContentInfo');
    const type = oid(t, 'contentType');
    let safeContents: Uint8Array;
    if (type === KEY_OID.data) {
      safeContents = expect(explicit0(c, 'data'), TAG.OCTET_STRING, 'data').content;
    } else if (type === KEY_OID.encryptedData) {
      const [, eci] = seq(explicit0(c, 'encryptedData'), 'EncryptedData');
      const [, alg, content] = seq(eci, 'EncryptedContentInfo');
      if (!content || content.tagClass !== 'context' || content.tag !== 0) throw p12Error('malformed_pkcs12', 'encrypted PKCS#12 content missing');
      const ct = content.constructed ? concatChildren(content) : content.content;
      safeContents = pbes2Decrypt(alg!, ct, passphrase, utf8Password);
    } else {
      throw p12Error('unsupported_pkcs12', `PKCS#12 content type ${type} is not supported`);
    }
    for (const bag of seq(decodeDer(safeContents, 'SafeContents'), 'SafeContents')) {
      const [bagIdNode, bagValue, attrs] = seq(bag, 'SafeBag');
      const bagId = oid(bagIdNode, 'bagId');
      const meta = attributes(attrs);
      const value = explicit0(bagValue, 'bagValue');
      if (bagId === KEY_OID.pkcs8ShroudedKeyBag) keys.push({ key: parsePrivateKey(value.raw, passphrase), ...meta });
      else if (bagId === KEY_OID.keyBag) keys.push({ key: parsePrivateKey(value.raw), ...meta });
      else if (bagId === KEY_OID.certBag) {
        const [certType, certValue] = seq(value, 'CertBag');
        if (oid(certType, 'certId') !== KEY_OID.x509Certificate) continue;
        certs.push({ cert: parseCertificate(expect(explicit0(certValue, 'certValue'), TAG.OCTET_STRING, 'x509Certificate').content), ...meta });
      }
    }
  }
  if (keys.length !== 1) throw p12Error('unsupported_pkcs12', `the PKCS#12 file holds ${keys.length} private keys; exactly one is supported`);
  const k = keys[0]!;
  const leafIdx = certs.findIndex((c) => k.localKeyId !== undefined && c.localKeyId === k.localKeyId);
  const ordered = leafIdx >= 0 ? [certs[leafIdx]!, ...certs.filter((_, i) => i !== leafIdx)] : certs;
  return { key: k.key, certificates: ordered.map((c) => c.cert), friendlyName: k.name ?? ordered[0]?.name };
}

function concatChildren(n: DerNode): Uint8Array {
  const parts = n.children.map((c) => c.content);
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function attributes(set: DerNode | undefined): { localKeyId?: string; name?: string } {
  const out: { localKeyId?: string; name?: string } = {};
  if (!set) return out;
  for (const a of set.children) {
    const [id, values] = seq(a, 'PKCS12Attribute');
    const v = values?.children[0];
    if (!v) continue;
    const type = oid(id, 'attrId');
    if (type === KEY_OID.localKeyId) out.localKeyId = Array.from(v.content, (b) => b.toString(16).padStart(2, '0')).join('');
    if (type === KEY_OID.friendlyName) out.name = stringValue(v, 'friendlyName');
  }
  return out;
}
