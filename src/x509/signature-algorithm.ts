import { SHA1, SHA256, SHA384, SHA512, type HashAlgorithm } from '../crypto/hash.js';
import type { SignatureAlgorithm } from '../crypto/signatures.js';
import { TlsError } from '../errors.js';
import { equalBytes } from '../bytes/encoding.js';
import { integerBytes, oid, seq, TAG, type DerNode } from './der.js';
import { OID } from './oids.js';

/** A certificate's signature AlgorithmIdentifier (RFC 5280 §4.1.1.2), resolved to a concrete algorithm. */
export interface CertSignatureAlgorithm {
  oid: string;
  /** The AlgorithmIdentifier's DER, to compare the inner and outer copies. */
  der: Uint8Array;
  algorithm: SignatureAlgorithm;
  /** Human-readable, e.g. `sha256WithRSAEncryption`. */
  name: string;
}

const HASH_BY_OID: Record<string, HashAlgorithm> = { [OID.sha1]: SHA1, [OID.sha256]: SHA256, [OID.sha384]: SHA384, [OID.sha512]: SHA512 };

function unsupported(what: string): TlsError {
  return new TlsError('bad_certificate', 'unsupported_signature_algorithm', `tls: certificate signed with unsupported algorithm ${what}`);
}

export function parseSignatureAlgorithm(n: DerNode | undefined): CertSignatureAlgorithm {
  const [o, params] = seq(n, 'AlgorithmIdentifier');
  const id = oid(o, 'signature algorithm');
  const der = n!.raw;
  // RFC 4055 §5 / RFC 5758 §3.2: RSA PKCS#1 takes NULL (or absent) params; ECDSA and Ed25519 take none.
  const rsa = (hash: HashAlgorithm, name: string): CertSignatureAlgorithm => {
    if (params && params.tag !== TAG.NULL) throw unsupported(`${name} with parameters`);
    return { oid: id, der, algorithm: { kind: 'rsa-pkcs1', hash }, name };
  };
  const ecdsa = (hash: HashAlgorithm, name: string): CertSignatureAlgorithm => {
    if (params) throw unsupported(`${name} with parameters`);
    return { oid: id, der, algorithm: { kind: 'ecdsa', hash }, name };
  };
  switch (id) {
    case OID.sha1WithRSA: return rsa(SHA1, 'sha1WithRSAEncryption');
    case OID.sha256WithRSA: return rsa(SHA256, 'sha256WithRSAEncryption');
    case OID.sha384WithRSA: return rsa(SHA384, 'sha384WithRSAEncryption');
    case OID.sha512WithRSA: return rsa(SHA512, 'sha512WithRSAEncryption');
    case OID.ecdsaWithSHA1: return ecdsa(SHA1, 'ecdsa-with-SHA1');
    case OID.ecdsaWithSHA256: return ecdsa(SHA256, 'ecdsa-with-SHA256');
    case OID.ecdsaWithSHA384: return ecdsa(SHA384, 'ecdsa-with-SHA384');
    case OID.ecdsaWithSHA512: return ecdsa(SHA512, 'ecdsa-with-SHA512');
    case OID.ed25519:
      if (params) throw unsupported('Ed25519 with parameters');
      return { oid: id, der, algorithm: { kind: 'ed25519' }, name: 'ED25519' };
    case OID.ed448:
      if (params) throw unsupported('Ed448 with parameters');
      return { oid: id, der, algorithm: { kind: 'ed448' }, name: 'ED448' };
    case OID.rsassaPss: return parsePssParams(id, der, params);
    default: throw unsupported(id);
  }
}

/** RSASSA-PSS-params (RFC 4055 §3.1): hash, MGF1 hash, salt length, trailer field 1. */
function parsePssParams(id: string, der: Uint8Array, params: DerNode | undefined): CertSignatureAlgorithm {
  let hash = SHA1, mgfHash = SHA1, saltLength = 20;
  for (const field of seq(params, 'RSASSA-PSS-params')) {
    if (field.tagClass !== 'context' || field.children.length !== 1) throw unsupported('RSASSA-PSS with malformed parameters');
    const inner = field.children[0]!;
    if (field.tag === 0) {
      hash = HASH_BY_OID[oid(seq(inner, 'hashAlgorithm')[0], 'hash')] ?? (() => { throw unsupported('RSASSA-PSS hash'); })();
    } else if (field.tag === 1) {
      const [mgfOid, mgfParams] = seq(inner, 'maskGenAlgorithm');
      if (oid(mgfOid, 'mgf') !== OID.mgf1) throw unsupported('RSASSA-PSS with a mask generation function other than MGF1');
      mgfHash = HASH_BY_OID[oid(seq(mgfParams, 'MGF1 hash')[0], 'MGF1 hash')] ?? (() => { throw unsupported('RSASSA-PSS MGF1 hash'); })();
    } else if (field.tag === 2) {
      const s = integerBytes(inner, 'saltLength');
      if (s.length > 2) throw unsupported('RSASSA-PSS salt length');
      saltLength = s.reduce((a, b) => a * 256 + b, 0);
    } else if (field.tag === 3) {
      const t = integerBytes(inner, 'trailerField');
      if (!equalBytes(t, new Uint8Array([1]))) throw unsupported('RSASSA-PSS trailer field');
    } else {
      throw unsupported('RSASSA-PSS with unknown parameter');
    }
  }
  return { oid: id, der, algorithm: { kind: 'rsa-pss', hash, mgfHash, saltLength }, name: `rsassaPss(${hash.name})` };
}
