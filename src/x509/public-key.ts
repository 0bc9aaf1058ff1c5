import type { PublicKey } from '../crypto/signatures.js';
import { bitLength, bytesToBigInt } from '../crypto/rsa.js';
import { TlsError } from '../errors.js';
import { bitString, decodeDer, integerBytes, oid, seq, TAG, type DerNode } from './der.js';
import { OID, OTHER_CURVE_NAMES } from './oids.js';

/** SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) decoded into a key the signature code can use. */
export interface SubjectPublicKeyInfo {
  der: Uint8Array;
  algorithm: string;
  key: PublicKey;
  /** Size in bits: RSA modulus length or curve size. */
  bits: number;
}

function unsupported(why: string): TlsError {
  return new TlsError('unsupported_certificate', 'unsupported_public_key', `tls: unsupported public key: ${why}`);
}

/** Decodes a SubjectPublicKeyInfo node into a key the signature code can use (RSA, RSA-PSS, EC P-256/384/521, Ed25519). */
export function parseSpki(n: DerNode | undefined): SubjectPublicKeyInfo {
  const [algId, keyBits] = seq(n, 'SubjectPublicKeyInfo');
  const [algOid, params] = seq(algId, 'SubjectPublicKeyInfo.algorithm');
  const algorithm = oid(algOid, 'public key algorithm');
  const keyBytes = bitString(keyBits, 'subjectPublicKey');
  switch (algorithm) {
    case OID.rsaEncryption:
    case OID.rsassaPss: {
      const [modulus, exponent] = seq(decodeDer(keyBytes, 'RSAPublicKey'), 'RSAPublicKey');
      const nb = integerBytes(modulus, 'modulus');
      const e = bytesToBigInt(integerBytes(exponent, 'publicExponent'));
      const nv = bytesToBigInt(nb);
      const bits = bitLength(nv);
      if (bits < 512 || e < 3n || e % 2n === 0n) throw unsupported(`RSA key of ${bits} bits with exponent ${e}`);
      return { der: n!.raw, algorithm, key: { kind: 'rsa', n: nv, e, bits }, bits };
    }
    case OID.ecPublicKey: {
      if (!params || params.tag !== TAG.OID) throw unsupported('EC key without a named curve');
      const curveOid = oid(params, 'namedCurve');
      const curve = curveOid === OID.secp256r1 ? 'P-256' : curveOid === OID.secp384r1 ? 'P-384' : curveOid === OID.secp521r1 ? 'P-521' : undefined;
      if (!curve) throw unsupported(`EC keys on curve ${OTHER_CURVE_NAMES[curveOid] ?? `with OID ${curveOid}`} (P-256, P-384 and P-521 are supported)`);
      return { der: n!.raw, algorithm, key: { kind: 'ec', curve, point: keyBytes }, bits: curve === 'P-256' ? 256 : curve === 'P-384' ? 384 : 521 };
    }
    case OID.ed448:
      if (params) throw unsupported('Ed448 key with parameters');
      if (keyBytes.length !== 57) throw unsupported(`Ed448 key of ${keyBytes.length} bytes`);
      return { der: n!.raw, algorithm, key: { kind: 'ed448', key: keyBytes }, bits: 456 };
    case OID.ed25519:
      if (params) throw unsupported('Ed25519 key with parameters');
      if (keyBytes.length !== 32) throw unsupported(`Ed25519 key of ${keyBytes.length} bytes`);
      return { der: n!.raw, algorithm, key: { kind: 'ed25519', key: keyBytes }, bits: 256 };
    default:
      throw unsupported(`algorithm ${algorithm}`);
  }
}
