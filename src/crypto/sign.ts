import { ed25519 } from '@noble/curves/ed25519.js';
import { ed448 } from '@noble/curves/ed448.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { TlsError } from '../errors.js';
import { modPowWindowed } from './ffdhe.js';
import type { HashAlgorithm } from './hash.js';
import type { RandomSource } from './random.js';
import { bigIntToBytes, bytesToBigInt, emsaPkcs1v15, mgf1, modPow, type RsaPublicKey } from './rsa.js';
import type { PublicKey, SignatureAlgorithm } from './signatures.js';

/** A private key, decoded by x509/ from PKCS#8, PKCS#1, SEC1 or PKCS#12. */
export type PrivateKey =
  | ({ kind: 'rsa'; d: bigint; p: bigint; q: bigint; dp: bigint; dq: bigint; qinv: bigint } & RsaPublicKey)
  | { kind: 'ec'; curve: 'P-256' | 'P-384' | 'P-521'; d: Uint8Array }
  | { kind: 'ed25519'; seed: Uint8Array }
  | { kind: 'ed448'; seed: Uint8Array };

const EC = { 'P-256': p256, 'P-384': p384, 'P-521': p521 } as const;

export function publicKeyOf(key: PrivateKey): PublicKey {
  switch (key.kind) {
    case 'rsa': return { kind: 'rsa', n: key.n, e: key.e, bits: key.bits };
    case 'ec': return { kind: 'ec', curve: key.curve, point: EC[key.curve].getPublicKey(key.d, false) };
    case 'ed25519': return { kind: 'ed25519', key: ed25519.getPublicKey(key.seed) };
    case 'ed448': return { kind: 'ed448', key: ed448.getPublicKey(key.seed) };
  }
}

function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1] = [((a % m) + m) % m, m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) { const q = r0 / r1; [r0, r1] = [r1, r0 - q * r1]; [s0, s1] = [s1, s0 - q * s1]; }
  if (r0 !== 1n) throw new Error('not invertible');
  return ((s0 % m) + m) % m;
}

/**
 * RSASP1 with the Chinese remainder theorem and base blinding: the value
 * exponentiated is m·r^e for a fresh random r, so its timing says nothing
 * about m. The result is checked with the public exponent before it is used
 * (a faulty CRT half would otherwise leak a factor).
 */
function rsaSignPrimitive(key: Extract<PrivateKey, { kind: 'rsa' }>, em: Uint8Array, random: RandomSource): Uint8Array {
  const k = Math.ceil(key.bits / 8);
  const m = bytesToBigInt(em);
  let r: bigint;
  do { r = bytesToBigInt(random(k)) % key.n; } while (r < 2n);
  const blinded = (m * modPow(r, key.e, key.n)) % key.n;
  const s1 = modPowWindowed(blinded % key.p, key.dp, key.p);
  const s2 = modPowWindowed(blinded % key.q, key.dq, key.q);
  const h = (key.qinv * ((s1 - s2) % key.p + key.p)) % key.p;
  const sb = s2 + h * key.q;
  const s = (sb * modInverse(r, key.n)) % key.n;
  if (modPow(s, key.e, key.n) !== m) throw new TlsError('internal_error', 'rsa_fault', 'tls: RSA signature self-check failed');
  return bigIntToBytes(s, k);
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with MGF1 over the same hash. */
function emsaPss(hash: HashAlgorithm, message: Uint8Array, emBits: number, saltLength: number, random: RandomSource): Uint8Array {
  const emLen = Math.ceil(emBits / 8);
  const hLen = hash.outputLen;
  if (emLen < hLen + saltLength + 2) throw new TlsError('internal_error', 'rsa_key_too_small', 'tls: RSA key too small for PSS with this hash');
  const salt = random(saltLength);
  const mPrime = new Uint8Array(8 + hLen + saltLength);
  mPrime.set(hash.digest(message), 8);
  mPrime.set(salt, 8 + hLen);
  const h = hash.digest(mPrime);
  const db = new Uint8Array(emLen - hLen - 1);
  db[emLen - saltLength - hLen - 2] = 0x01;
  db.set(salt, db.length - saltLength);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] = db[i]! ^ mask[i]!;
  db[0] = db[0]! & (0xff >>> (8 * emLen - emBits));
  const em = new Uint8Array(emLen);
  em.set(db);
  em.set(h, db.length);
  em[emLen - 1] = 0xbc;
  return em;
}

/** Signs `data` with `alg`; ECDSA and Ed25519 nonces are deterministic (RFC 6979, RFC 8032). */
export function signWith(alg: SignatureAlgorithm, key: PrivateKey, data: Uint8Array, random: RandomSource): Uint8Array {
  switch (alg.kind) {
    case 'rsa-pss': {
      if (key.kind !== 'rsa') break;
      const em = emsaPss(alg.hash, data, key.bits - 1, alg.saltLength, random);
      const k = Math.ceil(key.bits / 8);
      const full = new Uint8Array(k);
      full.set(em, k - em.length);
      return rsaSignPrimitive(key, full, random);
    }
    case 'rsa-pkcs1': {
      if (key.kind !== 'rsa') break;
      const em = emsaPkcs1v15(alg.hash, data, Math.ceil(key.bits / 8));
      if (!em) throw new TlsError('internal_error', 'rsa_key_too_small', 'tls: RSA key too small for PKCS#1 v1.5 with this hash');
      return rsaSignPrimitive(key, em, random);
    }
    case 'ecdsa':
      if (key.kind !== 'ec') break;
      return EC[key.curve].sign(alg.hash.digest(data), key.d, { prehash: false, format: 'der' });
    case 'ed25519':
      if (key.kind !== 'ed25519') break;
      return ed25519.sign(data, key.seed);
    case 'ed448':
      if (key.kind !== 'ed448') break;
      return ed448.sign(data, key.seed);
  }
  throw new TlsError('internal_error', 'key_algorithm_mismatch', `tls: a ${key.kind} key cannot make ${alg.kind} signatures`);
}

