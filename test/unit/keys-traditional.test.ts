import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defaultProvider } from '../../src/crypto/provider.js';
import { signWith } from '../../src/crypto/sign.js';
import { SHA256 } from '../../src/crypto/hash.js';
import { TlsError } from '../../src/errors.js';
import { parsePrivateKey } from '../../src/x509/private-key.js';
import { pki, pkiPath } from '../helpers/pki.js';

/**
 * Traditional encrypted PEM keys (`Proc-Type: 4,ENCRYPTED`, OpenSSL's EVP_BytesToKey): files written by
 * OpenSSL are read with the passphrase, and the key signs what the matching certificate verifies.
 */
const file = (n: string) => readFileSync(pkiPath(`clients/traditional/${n}`), 'utf8');
const CASES: [string, string][] = [['rsa2048.aes256.pem', 'client-rsa2048'], ['rsa2048.aes192.pem', 'client-rsa2048'], ['p256.aes128.pem', 'client-ecdsa-p256'], ['rsa2048.des3.pem', 'client-rsa2048']];

describe('traditional encrypted PEM keys (Proc-Type / DEK-Info)', () => {
  for (const [name, cert] of CASES) {
    it(`${name}: read with the passphrase; its signatures verify with ${cert}'s certificate (node:crypto)`, () => {
      const key = parsePrivateKey(file(name), 'isotls-test');
      const data = new TextEncoder().encode('isotls');
      const alg = key.kind === 'rsa' ? { kind: 'rsa-pkcs1' as const, hash: SHA256 } : { kind: 'ecdsa' as const, hash: SHA256 };
      const sig = signWith(alg, key, data, defaultProvider.random);
      assert.ok(verify('sha256', data, createPublicKey(pki(`clients/${cert}.crt`)), sig), 'signature verifies');
    });
  }
  it('a wrong passphrase is bad_passphrase; none is passphrase_required', () => {
    assert.throws(() => parsePrivateKey(file('rsa2048.aes256.pem'), 'wrong'), (e: TlsError) => e.code === 'config/bad_passphrase');
    assert.throws(() => parsePrivateKey(file('p256.aes128.pem')), (e: TlsError) => e.code === 'config/passphrase_required');
  });
  it('a malformed DEK-Info IV is config/malformed_key, not a TypeError', () => {
    for (const iv of ['A', 'ABC', '00'.repeat(17)]) {
      const pem = file('rsa2048.aes256.pem').replace(/(DEK-Info: AES-256-CBC,)[0-9A-F]+/, `$1${iv}`);
      assert.throws(() => parsePrivateKey(pem, 'isotls-test'), (e: TlsError) => e instanceof TlsError && e.code === 'config/malformed_key', iv);
    }
  });
  it('DES-EDE3-CBC: a wrong passphrase is bad_passphrase, a bad IV malformed_key; other ciphers are refused with the conversion command', () => {
    assert.throws(() => parsePrivateKey(file('rsa2048.des3.pem'), 'wrong'), (e: TlsError) => e.code === 'config/bad_passphrase');
    const badIv = file('rsa2048.des3.pem').replace(/(DEK-Info: DES-EDE3-CBC,)[0-9A-F]+/, '$1' + '00'.repeat(16));
    assert.throws(() => parsePrivateKey(badIv, 'isotls-test'), (e: TlsError) => e.code === 'config/malformed_key');
    const camellia = file('rsa2048.des3.pem').replace(/DEK-Info: DES-EDE3-CBC,[0-9A-F]+/, `DEK-Info: CAMELLIA-256-CBC,${'00'.repeat(16)}`);
    assert.throws(() => parsePrivateKey(camellia, 'isotls-test'), (e: TlsError) => e.code === 'config/legacy_encryption' && /CAMELLIA-256-CBC/.test(e.message) && /openssl pkcs8 -topk8/.test(e.message));
  });
});
