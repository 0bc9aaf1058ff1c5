import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { desDecryptBlock, desEncryptBlock, tripleDesCbcDecrypt } from '../../src/crypto/des.js';

const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('DES / Triple DES (decryption of legacy-protected keys)', () => {
  it('the textbook DES known answer (key 133457799BBCDFF1, plaintext 0123456789ABCDEF) both ways', () => {
    assert.equal(toHex(desEncryptBlock(hex('133457799bbcdff1'), hex('0123456789abcdef'))), '85e813540f0ab405');
    assert.equal(toHex(desDecryptBlock(hex('133457799bbcdff1'), hex('85e813540f0ab405'))), '0123456789abcdef');
  });

  it('Triple DES CBC decrypts what OpenSSL (node:crypto des-ede3-cbc) encrypted, 50 random keys and lengths', () => {
    for (let i = 0; i < 50; i++) {
      const key = randomBytes(24), iv = randomBytes(8), plain = randomBytes(8 * (1 + (i % 9)));
      const c = createCipheriv('des-ede3-cbc', key, iv);
      c.setAutoPadding(false);
      const ct = Buffer.concat([c.update(plain), c.final()]);
      assert.equal(toHex(tripleDesCbcDecrypt(key, iv, ct)), plain.toString('hex'), `case ${i}`);
    }
  });

  it('refuses a key, IV or data of the wrong size', () => {
    assert.throws(() => tripleDesCbcDecrypt(new Uint8Array(16), new Uint8Array(8), new Uint8Array(8)), RangeError);
    assert.throws(() => tripleDesCbcDecrypt(new Uint8Array(24), new Uint8Array(8), new Uint8Array(7)), RangeError);
  });
});
