import assert from 'node:assert/strict';
import { AES_128_CCM, AES_128_CCM_8, AES_256_CCM, AES_256_CCM_8 } from '../../src/crypto/aes-ccm.js';
import { AES_128_GCM, AES_256_GCM } from '../../src/crypto/aes-gcm.js';
import { CHACHA20_POLY1305 } from '../../src/crypto/chacha20-poly1305.js';
import type { AeadAlgorithm } from '../../src/crypto/aead.js';
import { hex, toHexString, wycheproof } from '../helpers/vectors.js';

/**
 * Every Wycheproof case with the parameters TLS uses (96-bit nonce; the tag
 * size of the suite): valid cases must seal to the expected bytes and open;
 * invalid ones must not open.
 */
function run(file: string, pick: (keySize: number, tagSize: number) => AeadAlgorithm | undefined): void {
  const data = wycheproof(file);
  let valid = 0, invalid = 0;
  for (const g of data.testGroups) {
    if (g.ivSize !== 96) continue;
    const alg = pick(g.keySize, g.tagSize);
    if (!alg) continue;
    for (const t of g.tests) {
      const aead = alg.create(hex(t.key));
      const sealedExpected = t.ct + t.tag;
      const opened = aead.open(hex(t.iv), hex(t.aad), hex(sealedExpected));
      if (t.result === 'valid') {
        assert.equal(toHexString(aead.seal(hex(t.iv), hex(t.aad), hex(t.msg))), sealedExpected, `tcId ${t.tcId} seal`);
        assert.ok(opened, `tcId ${t.tcId} must open`);
        assert.equal(toHexString(opened!), t.msg, `tcId ${t.tcId} plaintext`);
        valid++;
        // a flipped bit anywhere in ciphertext or tag must be rejected
        const tampered = hex(sealedExpected);
        tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 1;
        assert.equal(aead.open(hex(t.iv), hex(t.aad), tampered), null, `tcId ${t.tcId} tampered tag`);
        if (t.msg.length > 0) {
          const t2 = hex(sealedExpected);
          t2[0] = t2[0]! ^ 0x80;
          assert.equal(aead.open(hex(t.iv), hex(t.aad), t2), null, `tcId ${t.tcId} tampered ciphertext`);
        }
        invalid++;
      } else {
        assert.equal(opened, null, `tcId ${t.tcId} (${t.comment}) must be rejected`);
        invalid++;
      }
    }
  }
  assert.ok(valid > 0 && invalid > 0, `${file}: ran ${valid} valid and ${invalid} invalid cases`);
}

describe('Wycheproof AEAD vectors', () => {
  it('AES-GCM (128 and 256, 96-bit nonce, 128-bit tag)', () => {
    run('aes_gcm_test.json', (k, t) => (t !== 128 ? undefined : k === 128 ? AES_128_GCM : k === 256 ? AES_256_GCM : undefined));
  });
  it('AES-CCM with 16-byte tags (128 and 256)', () => {
    run('aes_ccm_test.json', (k, t) => (t !== 128 ? undefined : k === 128 ? AES_128_CCM : k === 256 ? AES_256_CCM : undefined));
  });
  it('AES-CCM with 8-byte tags (CCM_8, 128 and 256)', () => {
    run('aes_ccm_test.json', (k, t) => (t !== 64 ? undefined : k === 128 ? AES_128_CCM_8 : k === 256 ? AES_256_CCM_8 : undefined));
  });
  it('ChaCha20-Poly1305', () => {
    run('chacha20_poly1305_test.json', (k, t) => (k === 256 && t === 128 ? CHACHA20_POLY1305 : undefined));
  });
});
