import { readFileSync } from 'node:fs';
import { pkiPath } from './pki.js';
import type { ConnectOptions } from '../../src/index.js';

export const CLIENT_PASS = 'isotls-test';
export const clientFile = (n: string) => pkiPath(`clients/${n}`);
export const clientText = (n: string) => readFileSync(clientFile(n), 'utf8');
export const clientBytes = (n: string) => new Uint8Array(readFileSync(clientFile(n)));

export const CLIENT_KEYS = ['client-rsa2048', 'client-rsa3072', 'client-rsa4096', 'client-ecdsa-p256', 'client-ecdsa-p384', 'client-ecdsa-p521', 'client-ed25519'] as const;

/** Every supported way to hand isotls one client identity, for a given key. */
export function identityFormats(name: string): [string, Partial<ConnectOptions>][] {
  const cert = clientText(`${name}.crt`);
  const out: [string, Partial<ConnectOptions>][] = [
    ['PKCS#8 PEM', { cert, key: clientText(`${name}.pkcs8.pem`) }],
    ['PKCS#8 DER', { cert, key: clientBytes(`${name}.pkcs8.der`) }],
    ['encrypted PKCS#8', { cert, key: clientText(`${name}.enc.pem`), passphrase: CLIENT_PASS }],
    ['PKCS#12', { pfx: clientBytes(`${name}.p12`), passphrase: CLIENT_PASS }],
  ];
  if (name.includes('rsa')) out.push(['PKCS#1 PEM', { cert, key: clientText(`${name}.pkcs1.pem`) }]);
  if (name.includes('ecdsa')) out.push(['SEC1 PEM', { cert, key: clientText(`${name}.sec1.pem`) }]);
  return out;
}
