import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './vectors.js';

/** The committed test PKI (regenerate with `npm run vectors:pki`). */
export const PKI_DIR = join(ROOT, 'vectors', 'pki');
export const pkiPath = (name: string): string => join(PKI_DIR, name);
export const pki = (name: string): string => readFileSync(pkiPath(name), 'utf8');

export const ROOT_CA = (): string => pki('root-ca.crt');
export type ServerKeyType = 'rsa' | 'rsapss' | 'ecdsa' | 'ed25519';
export const serverIdentity = (kind: ServerKeyType | 'expired' | 'other'): { cert: string; key: string; chainFile: string; keyFile: string } => {
  const base = kind === 'other' ? 'other-server' : `server-${kind}`;
  return { cert: pki(`${base}.chain.pem`), key: pki(`${base}.key`), chainFile: pkiPath(`${base}.chain.pem`), keyFile: pkiPath(`${base}.key`) };
};
