import { decodePem, pemTextOf } from '../bytes/pem.js';

import { AesCbc } from '../crypto/aes-cbc.js';
import { SHA1, SHA256, SHA384, SHA512, type HashAlgorithm } from '../crypto/hash.js';
import { tripleDesCbcDecrypt } from '../crypto/des.js';
import { evpBytesToKeyMd5, pbkdf2, pkcs12Kdf } from '../crypto/password-kdf.js';
import { bitLength, bytesToBigInt } from '../crypto/rsa.js';
import type { PrivateKey } from '../crypto/sign.js';
import { TlsError } from '../errors.js';
import { decodeDer, expect, integerBytes, oid, seq, TAG, type DerNode } from './der.js';
import { KEY_OID, OID, OTHER_CURVE_NAMES } from './oids.js';

/**
 * Private keys from PKCS#8 (RFC 5958), encrypted PKCS#8 (PBES2 with PBKDF2 and
 * AES-CBC, RFC 8018), PKCS#1 RSAPrivateKey (RFC 8017 A.1.2) and SEC1
 * ECPrivateKey (RFC 5915), as PEM or DER.
 */
function keyError(reason: string, msg: string): TlsError { return new TlsError('config', reason, `tls: ${msg}`); }

const HMAC_PRF: Record<string, HashAlgorithm> = { [KEY_OID.hmacWithSHA1]: SHA1, [KEY_OID.hmacWithSHA256]: SHA256, [KEY_OID.hmacWithSHA384]: SHA384, [KEY_OID.hmacWithSHA512]: SHA512 };
const AES_KEY_LEN: Record<string, number> = { [KEY_OID.aes128CBC]: 16, [KEY_OID.aes256CBC]: 32 };

function int(n: DerNode | undefined, what: string): bigint { return bytesToBigInt(integerBytes(n, what)); }

function rsaFromPkcs1(der: Uint8Array): PrivateKey {
  const f = seq(decodeDer(der, 'RSAPrivateKey'), 'RSAPrivateKey');
  if (f.length < 9) throw keyError('malformed_key', 'malformed RSAPrivateKey');
  const n = int(f[1], 'n');
  const [e, d, p, q, dp, dq, qinv] = [2, 3, 4, 5, 6, 7, 8].map((i) => int(f[i], 'rsa'));
  return { kind: 'rsa', n, e: e!, d: d!, p: p!, q: q!, dp: dp!, dq: dq!, qinv: qinv!, bits: bitLength(n) };
}

/** Curves users meet that isotls does not sign with, by name, so an error says which curve a key is on. */

function curveOf(oidText: string): 'P-256' | 'P-384' | 'P-521' {
  if (oidText === OID.secp256r1) return 'P-256';
  if (oidText === OID.secp384r1) return 'P-384';
  if (oidText === OID.secp521r1) return 'P-521';
  throw keyError('unsupported_key', `EC keys on curve ${OTHER_CURVE_NAMES[oidText] ?? `with OID ${oidText}`} are not supported (P-256, P-384 and P-521 are)`);
}

function ecFromSec1(der: Uint8Array, curveFromAlg?: 'P-256' | 'P-384' | 'P-521'): PrivateKey {
  const f = seq(decodeDer(der, 'ECPrivateKey'), 'ECPrivateKey');
  const d = expect(f[1], TAG.OCTET_STRING, 'privateKey').content;
  let curve = curveFromAlg;
  for (const x of f.slice(2)) if (x.tagClass === 'context' && x.tag === 0) curve = curveOf(oid(x.children[0], 'namedCurve'));
  if (!curve) throw keyError('malformed_key', 'ECPrivateKey without a named curve');
  const size = curve === 'P-256' ? 32 : curve === 'P-384' ? 48 : 66;
  if (d.length > size) throw keyError('malformed_key', 'EC private key longer than its curve');
  const padded = new Uint8Array(size);
  padded.set(d, size - d.length);
  return { kind: 'ec', curve, d: padded };
}

function fromPkcs8(der: Uint8Array): PrivateKey {
  const f = seq(decodeDer(der, 'PrivateKeyInfo'), 'PrivateKeyInfo');
  const [algOid, params] = seq(f[1], 'privateKeyAlgorithm');
  const alg = oid(algOid, 'algorithm');
  const inner = expect(f[2], TAG.OCTET_STRING, 'privateKey').content;
  switch (alg) {
    case OID.rsaEncryption: case OID.rsassaPss: return rsaFromPkcs1(inner);
    case OID.ecPublicKey: return ecFromSec1(inner, params?.tag === TAG.OID ? curveOf(oid(params, 'namedCurve')) : undefined);
    case OID.ed25519: {
      const seed = expect(decodeDer(inner, 'CurvePrivateKey'), TAG.OCTET_STRING, 'CurvePrivateKey').content;
      if (seed.length !== 32) throw keyError('malformed_key', 'Ed25519 private key must be 32 bytes');
      return { kind: 'ed25519', seed: seed.slice() };
    }
    case OID.ed448: {
      const seed = expect(decodeDer(inner, 'CurvePrivateKey'), TAG.OCTET_STRING, 'CurvePrivateKey').content;
      if (seed.length !== 57) throw keyError('malformed_key', 'Ed448 private key must be 57 bytes');
      return { kind: 'ed448', seed: seed.slice() };
    }
    default: throw keyError('unsupported_key', `private keys of algorithm ${alg} are not supported`);
  }
}

/** Decrypts an EncryptedPrivateKeyInfo (PBES2 only) and returns the PrivateKeyInfo DER. */
export function decryptPkcs8(der: Uint8Array, passphrase: string | undefined): Uint8Array {
  const [algId, data] = seq(decodeDer(der, 'EncryptedPrivateKeyInfo'), 'EncryptedPrivateKeyInfo');
  return pbes2Decrypt(algId!, expect(data, TAG.OCTET_STRING, 'encryptedData').content, passphrase, new TextEncoder().encode(passphrase ?? ''));
}

/** BMPString form of the passphrase, with the two-byte terminator (RFC 7292 B.1). */
export function bmpPassword(passphrase: string): Uint8Array {
  const out = new Uint8Array(passphrase.length * 2 + 2);
  for (let i = 0; i < passphrase.length; i++) { const c = passphrase.charCodeAt(i); out[2 * i] = c >>> 8; out[2 * i + 1] = c & 0xff; }
  return out;
}

/** PKCS#7 padding of a decrypted block cipher plaintext, checked; a mismatch means a wrong passphrase. */
function unpad(plain: Uint8Array, block: number): Uint8Array {
  const pad = plain[plain.length - 1]!;
  if (plain.length === 0 || pad < 1 || pad > block || plain.subarray(plain.length - pad).some((b) => b !== pad)) throw keyError('bad_passphrase', 'cannot decrypt the private key: wrong passphrase');
  return plain.subarray(0, plain.length - pad);
}

/**
 * RFC 7292 Appendix C pbeWithSHAAnd3-KeyTripleDES-CBC (and the 2-key form):
 * key and IV from the PKCS#12 KDF (SHA-1, IDs 1 and 2) over the BMPString
 * passphrase, then DES-EDE3-CBC. What Windows exports as "TripleDES-SHA1"
 * and OpenSSL wrote by default before 3.0.
 */
function pkcs12PbeTripleDes(params: DerNode | undefined, ciphertext: Uint8Array, passphrase: string, keys: 2 | 3): Uint8Array {
  const [saltNode, countNode] = seq(params, 'pkcs-12PbeParams');
  const salt = expect(saltNode, TAG.OCTET_STRING, 'salt').content;
  const iterations = Number(int(countNode, 'iterations'));
  if (iterations < 1 || iterations > 10_000_000) throw keyError('malformed_key', `PKCS#12 PBE iteration count ${iterations} is out of range`);
  if (ciphertext.length === 0 || ciphertext.length % 8 !== 0) throw keyError('malformed_key', 'Triple DES encrypted data is not whole 8-byte blocks');
  const password = bmpPassword(passphrase);
  const k = pkcs12Kdf(SHA1, password, salt, iterations, 1, keys * 8);
  const key = keys === 3 ? k : new Uint8Array([...k, ...k.subarray(0, 8)]); // 2-key: K1 K2 K1
  const iv = pkcs12Kdf(SHA1, password, salt, iterations, 2, 8);
  return unpad(tripleDesCbcDecrypt(key, iv, ciphertext), 8);
}

/**
 * PBES2 (RFC 8018 §6.2): PBKDF2 with HMAC-SHA-1/256/384/512, then AES-128/256-CBC with PKCS#7 padding; and
 * the PKCS#12 Triple DES PBE. The RC2 and RC4 PKCS#12 schemes are refused with re-export advice.
 */
export function pbes2Decrypt(algId: DerNode, ciphertext: Uint8Array, passphrase: string | undefined, password: Uint8Array): Uint8Array {
  const [o, params] = seq(algId, 'encryptionAlgorithm');
  const scheme = oid(o, 'encryption scheme');
  if (scheme === `${KEY_OID.legacyPbePrefix}3` || scheme === `${KEY_OID.legacyPbePrefix}4`) {
    if (passphrase === undefined) throw keyError('passphrase_required', 'the private key is encrypted: pass `passphrase`');
    return pkcs12PbeTripleDes(params, ciphertext, passphrase, scheme.endsWith('3') ? 3 : 2);
  }
  if (scheme.startsWith(KEY_OID.legacyPbePrefix)) {
    throw keyError('legacy_encryption', 'this key or PKCS#12 file uses legacy encryption (RC2 or RC4, PKCS#12 PBE); re-export it with modern encryption, e.g. `openssl pkcs12 -in old.p12 -nodes -legacy | openssl pkcs12 -export -out new.p12` (OpenSSL 3 defaults to AES-256-CBC with PBKDF2 and an HMAC-SHA256 MAC)');
  }
  if (scheme !== KEY_OID.pbes2) throw keyError('unsupported_encryption', `key encryption scheme ${scheme} is not supported (PBES2 is)`);
  if (passphrase === undefined) throw keyError('passphrase_required', 'the private key is encrypted: pass `passphrase`');
  const [kdf, enc] = seq(params, 'PBES2-params');
  const [kdfOid, kdfParams] = seq(kdf, 'keyDerivationFunc');
  if (oid(kdfOid, 'kdf') !== KEY_OID.pbkdf2) throw keyError('unsupported_encryption', 'only PBKDF2 is supported as PBES2 key derivation');
  const kp = seq(kdfParams, 'PBKDF2-params');
  const salt = expect(kp[0], TAG.OCTET_STRING, 'salt').content;
  const iterations = Number(int(kp[1], 'iterationCount'));
  if (iterations < 1 || iterations > 10_000_000) throw keyError('malformed_key', `PBKDF2 iteration count ${iterations} is out of range`);
  let prf = SHA1;
  for (const x of kp.slice(2)) if (x.tag === TAG.SEQUENCE) {
    const h = HMAC_PRF[oid(x.children[0], 'prf')];
    if (!h) throw keyError('unsupported_encryption', 'unsupported PBKDF2 PRF');
    prf = h;
  }
  const [encOid, iv] = seq(enc, 'encryptionScheme');
  const keyLen = AES_KEY_LEN[oid(encOid, 'cipher')];
  if (!keyLen) throw keyError('unsupported_encryption', 'only AES-128-CBC and AES-256-CBC are supported in PBES2');
  const ivBytes = expect(iv, TAG.OCTET_STRING, 'iv').content;
  if (ivBytes.length !== 16 || ciphertext.length === 0 || ciphertext.length % 16) throw keyError('malformed_key', 'malformed PBES2 ciphertext');
  const key = pbkdf2(prf, password, salt, iterations, keyLen);
  const plain = ciphertext.slice();
  new AesCbc(key).decryptInPlace(ivBytes, plain);
  return unpad(plain, 16);
}

/** RFC 1421-style encrypted PEM ciphers OpenSSL writes (`DEK-Info`), with their key lengths. */
const DEK_CIPHERS: Record<string, number> = { 'AES-128-CBC': 16, 'AES-192-CBC': 24, 'AES-256-CBC': 32, 'DES-EDE3-CBC': 24 };

/**
 * A traditional encrypted PEM key (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: AES-…-CBC,<iv>`): the key comes
 * from the passphrase by OpenSSL's EVP_BytesToKey (MD5, salt = the first 8 bytes of the IV), then
 * AES-CBC with PKCS#7 padding; the plaintext is the DER the label names.
 */
function fromTraditionalPem(label: string, ciphertext: Uint8Array, text: string, passphrase: string | undefined): PrivateKey {
  const dek = /DEK-Info:\s*([A-Za-z0-9-]+)\s*,\s*([0-9A-Fa-f]+)/.exec(text);
  if (!dek) throw keyError('malformed_key', 'an encrypted PEM key without a DEK-Info header');
  const cipher = dek[1]!.toUpperCase();
  const keyLength = DEK_CIPHERS[cipher];
  if (keyLength === undefined) {
    throw keyError('legacy_encryption', `this PEM key is encrypted with ${cipher}, which isotls does not read; convert it with \`openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.pem -out new.pem\``);
  }
  const block = cipher === 'DES-EDE3-CBC' ? 8 : 16;
  if (dek[2]!.length !== 2 * block || !/^[0-9A-Fa-f]+$/.test(dek[2]!)) throw keyError('malformed_key', `DEK-Info IV of ${dek[2]!.length} hex digits, expected ${2 * block}`);
  const iv = new Uint8Array(block).map((_, i) => parseInt(dek[2]!.slice(2 * i, 2 * i + 2), 16));
  if (passphrase === undefined) throw keyError('passphrase_required', 'the private key is encrypted: pass `passphrase`');
  if (ciphertext.length === 0 || ciphertext.length % block !== 0) throw keyError('malformed_key', `encrypted PEM key data is not whole ${block}-byte blocks`);
  const key = evpBytesToKeyMd5(new TextEncoder().encode(passphrase), iv.subarray(0, 8), keyLength);
  let plain: Uint8Array;
  if (block === 8) plain = tripleDesCbcDecrypt(key, iv, ciphertext);
  else { plain = ciphertext.slice(); new AesCbc(key).decryptInPlace(iv, plain); }
  const der = unpad(plain, block);
  try {
    switch (label) {
      case 'RSA PRIVATE KEY': return rsaFromPkcs1(der);
      case 'EC PRIVATE KEY': return ecFromSec1(der);
      case 'PRIVATE KEY': return fromPkcs8(der);
      default: throw keyError('unsupported_key', `unsupported PEM block "${label}"`);
    }
  } catch (e) {
    // a wrong passphrase can leave valid-looking padding: the DER then does not parse
    if (e instanceof TlsError && e.reason === 'unsupported_key') throw e;
    throw keyError('bad_passphrase', 'cannot decrypt the private key: wrong passphrase');
  }
}

/** Reads a private key from PEM (PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY) or DER. */
export function parsePrivateKey(given: string | Uint8Array, passphrase?: string): PrivateKey {
  // bytes that hold PEM (a Node Buffer from readFileSync) are PEM, not DER
  const input = given instanceof Uint8Array ? pemTextOf(given) ?? given : given;
  try {
    if (typeof input === 'string') {
      const block = decodePem(input).find((b) => /PRIVATE KEY$/.test(b.label));
      if (!block) throw keyError('no_private_key', 'no PEM private key block found');
      if (/Proc-Type: 4,ENCRYPTED/.test(input)) return fromTraditionalPem(block.label, block.der, input, passphrase);
      switch (block.label) {
        case 'PRIVATE KEY': return fromPkcs8(block.der);
        case 'ENCRYPTED PRIVATE KEY': return fromPkcs8(decryptPkcs8(block.der, passphrase));
        case 'RSA PRIVATE KEY': return rsaFromPkcs1(block.der);
        case 'EC PRIVATE KEY': return ecFromSec1(block.der);
        default: throw keyError('unsupported_key', `unsupported PEM block "${block.label}"`);
      }
    }
    // DER: PKCS#8, then encrypted PKCS#8, then PKCS#1, then SEC1
    const attempts: (() => PrivateKey)[] = [() => fromPkcs8(input), () => fromPkcs8(decryptPkcs8(input, passphrase)), () => rsaFromPkcs1(input), () => ecFromSec1(input)];
    let last: unknown;
    for (const a of attempts) {
      try { return a(); } catch (e) { if (e instanceof TlsError && (e.reason === 'bad_passphrase' || e.reason === 'passphrase_required' || e.reason === 'legacy_encryption')) throw e; last = e; }
    }
    throw last;
  } catch (e) {
    if (e instanceof TlsError && e.code.startsWith('config/')) throw e;
    throw keyError('malformed_key', `cannot read the private key: ${(e as Error).message}`);
  }
}
