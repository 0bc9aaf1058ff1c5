import { publicKeyOf, type PrivateKey } from '../crypto/sign.js';
import type { PublicKey } from '../crypto/signatures.js';
import type { Certificate } from './certificate.js';

/** Whether two public keys are the same key. */
export function samePublicKey(a: PublicKey, b: PublicKey): boolean {
  if (a.kind === 'rsa' && b.kind === 'rsa') return a.n === b.n && a.e === b.e;
  if (a.kind === 'ec' && b.kind === 'ec') return a.curve === b.curve && a.point.length === b.point.length && a.point.every((x, i) => x === b.point[i]);
  if ((a.kind === 'ed25519' && b.kind === 'ed25519') || (a.kind === 'ed448' && b.kind === 'ed448')) return a.key.length === b.key.length && a.key.every((x, i) => x === b.key[i]);
  return false;
}

/** Whether `key` is the private half of the certificate's public key. */
export function keyMatchesCertificate(key: PrivateKey, cert: Certificate): boolean {
  return samePublicKey(publicKeyOf(key), cert.publicKey.key);
}
