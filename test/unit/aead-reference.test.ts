import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { AES_128_CCM, AES_128_CCM_8, AES_256_CCM } from '../../src/crypto/aes-ccm.js';
import { AES_128_GCM, AES_256_GCM } from '../../src/crypto/aes-gcm.js';
import { CHACHA20_POLY1305 } from '../../src/crypto/chacha20-poly1305.js';
import type { AeadAlgorithm } from '../../src/crypto/aead.js';
import { randomData } from '../helpers/data.js';

/** node:crypto (OpenSSL) as the reference twin for our AEADs, over many lengths, in place and not. */
function reference(alg: string, tagLength: number, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array): Uint8Array {
  const c = createCipheriv(alg as 'aes-128-gcm', key, nonce, { authTagLength: tagLength } as never);
  if (alg.includes('ccm')) (c as unknown as { setAAD(a: Uint8Array, o: object): void }).setAAD(aad, { plaintextLength: pt.length });
  else c.setAAD(aad);
  return new Uint8Array(Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]));
}

const CASES: [AeadAlgorithm, string][] = [
  [AES_128_GCM, 'aes-128-gcm'], [AES_256_GCM, 'aes-256-gcm'], [CHACHA20_POLY1305, 'chacha20-poly1305'],
  [AES_128_CCM, 'aes-128-ccm'], [AES_256_CCM, 'aes-256-ccm'], [AES_128_CCM_8, 'aes-128-ccm'],
];

describe('AEADs against node:crypto', () => {
  for (const [alg, nodeName] of CASES) {
    it(`${alg.name}: lengths 0..600 and record sizes, out of place and in place`, () => {
      const key = randomData(alg.keyLength);
      const aead = alg.create(key);
      for (const len of [...Array.from({ length: 601 }, (_, i) => i), 16383, 16384, 16385]) {
        const nonce = randomData(12), aad = randomData(len % 14), pt = randomData(len);
        const expected = reference(nodeName, alg.tagLength, key, nonce, aad, pt);
        assert.deepEqual(aead.seal(nonce, aad, pt), expected, `seal len ${len}`);
        const buf = new Uint8Array(len + alg.tagLength);
        buf.set(pt);
        aead.seal(nonce, aad, buf.subarray(0, len), buf);
        assert.deepEqual(buf, expected, `in-place seal len ${len}`);
        assert.deepEqual(aead.open(nonce, aad, expected.slice()), pt, `open len ${len}`);
        const inPlace = expected.slice();
        assert.deepEqual(aead.open(nonce, aad, inPlace, inPlace.subarray(0, len)), pt, `in-place open len ${len}`);
        const bad = expected.slice();
        const at = (len * 7) % bad.length;
        bad[at] = bad[at]! ^ 0x10;
        assert.equal(aead.open(nonce, aad, bad), null, `tampered len ${len}`);
      }
    });
  }
});
