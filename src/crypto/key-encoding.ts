import { fromBase64, toBase64 } from '../bytes/encoding.js';
import { bigIntToBytes } from './rsa.js';
import type { PrivateKey } from './sign.js';
import type { PublicKey } from './signatures.js';

/**
 * Our decoded keys in the forms platform crypto imports (JWK, RFC 7517/7518;
 * PKCS#8 and SPKI DER for the X25519/Ed25519 raw keys, RFC 8410).
 */

export const b64url = (b: Uint8Array): string => toBase64(b).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
export const b64urlBytes = (s: string): Uint8Array => fromBase64(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
const intBytes = (v: bigint): Uint8Array => bigIntToBytes(v, Math.max(1, Math.ceil(v.toString(16).length / 2)));

export type Jwk = Record<string, string>;

/** A public key as a JWK, or undefined when it has no JWK form we use (compressed EC points). */
export function publicJwk(key: PublicKey): Jwk | undefined {
  switch (key.kind) {
    case 'rsa': return { kty: 'RSA', n: b64url(intBytes(key.n)), e: b64url(intBytes(key.e)) };
    case 'ec': {
      const size = (key.point.length - 1) / 2;
      if (key.point[0] !== 4 || !Number.isInteger(size)) return undefined;
      return { kty: 'EC', crv: key.curve, x: b64url(key.point.subarray(1, 1 + size)), y: b64url(key.point.subarray(1 + size)) };
    }
    case 'ed25519': return { kty: 'OKP', crv: 'Ed25519', x: b64url(key.key) };
    case 'ed448': return { kty: 'OKP', crv: 'Ed448', x: b64url(key.key) };
  }
}

/** An RSA or EC private key as a JWK; `publicPoint` is the EC public key (uncompressed), which JWK requires. */
export function privateJwk(key: Exclude<PrivateKey, { kind: 'ed25519' | 'ed448' }>, publicPoint?: Uint8Array): Jwk {
  if (key.kind === 'rsa') {
    const u = (v: bigint) => b64url(intBytes(v)); // RFC 7518 §2 Base64urlUInt: no leading zeros
    return { kty: 'RSA', n: u(key.n), e: u(key.e), d: u(key.d), p: u(key.p), q: u(key.q), dp: u(key.dp), dq: u(key.dq), qi: u(key.qinv) };
  }
  const size = key.d.length;
  const p = publicPoint!;
  return { kty: 'EC', crv: key.curve, d: b64url(key.d), x: b64url(p.subarray(1, 1 + size)), y: b64url(p.subarray(1 + size)) };
}

// RFC 8410 §7: fixed PKCS#8 prefixes for 32-byte raw private keys
const PKCS8_X25519 = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20];
const PKCS8_ED25519 = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
// and for the 56-byte X448 and 57-byte Ed448 keys (OIDs 1.3.101.111 and 1.3.101.113)
const PKCS8_X448 = [0x30, 0x46, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6f, 0x04, 0x3a, 0x04, 0x38];
const PKCS8_ED448 = [0x30, 0x47, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x71, 0x04, 0x3b, 0x04, 0x39];

const prefixed = (prefix: number[], raw: Uint8Array): Uint8Array => { const out = new Uint8Array(prefix.length + raw.length); out.set(prefix); out.set(raw, prefix.length); return out; };
export const x25519Pkcs8 = (secret: Uint8Array): Uint8Array => prefixed(PKCS8_X25519, secret);
export const ed25519Pkcs8 = (seed: Uint8Array): Uint8Array => prefixed(PKCS8_ED25519, seed);
export const x448Pkcs8 = (secret: Uint8Array): Uint8Array => prefixed(PKCS8_X448, secret);
export const ed448Pkcs8 = (seed: Uint8Array): Uint8Array => prefixed(PKCS8_ED448, seed);
