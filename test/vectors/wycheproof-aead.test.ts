import assert from 'node:assert/strict';
import type { AeadAlgorithm } from '../../src/crypto/aead.js';
import { PROVIDERS } from '../helpers/providers.js';
import { hex, toHexString, wycheproof } from '../helpers/vectors.js';
import { CaseCounter, manifest } from '../helpers/wycheproof.js';

/** Cases in groups with parameters TLS does not use: other nonce sizes, AES-192, other tag sizes (counted from the files independently). */
const SKIPPED = { gcm: 183, ccm: 380, chacha: 9 };
const manifestTotal = (file: string) => manifest(file).total;

/**
 * Every Wycheproof case with the parameters TLS uses (96-bit nonce; the tag
 * size of the suite): valid cases must seal to the expected bytes and open;
 * invalid ones must not open.
 */
async function run(file: string, pick: (keySize: number, tagSize: number) => AeadAlgorithm | undefined): Promise<CaseCounter> {
  const data = wycheproof(file);
  const n = new CaseCounter();
  let tamperedRejected = 0;
  for (const g of data.testGroups) {
    const alg = g.ivSize === 96 ? pick(g.keySize, g.tagSize) : undefined;
    if (!alg) { n.skipped += g.tests.length; continue; }
    for (const t of g.tests) {
      const aead = alg.create(hex(t.key));
      const sealedExpected = t.ct + t.tag;
      const opened = await aead.open(hex(t.iv), hex(t.aad), hex(sealedExpected));
      if (t.result === 'valid') {
        assert.equal(toHexString(await aead.seal(hex(t.iv), hex(t.aad), hex(t.msg))), sealedExpected, `tcId ${t.tcId} seal`);
        assert.ok(opened, `tcId ${t.tcId} must open`);
        assert.equal(toHexString(opened!), t.msg, `tcId ${t.tcId} plaintext`);
        n.valid++;
        // a flipped bit anywhere in ciphertext or tag must be rejected
        const tampered = hex(sealedExpected);
        tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 1;
        assert.equal(await aead.open(hex(t.iv), hex(t.aad), tampered), null, `tcId ${t.tcId} tampered tag`);
        if (t.msg.length > 0) {
          const t2 = hex(sealedExpected);
          t2[0] = t2[0]! ^ 0x80;
          assert.equal(await aead.open(hex(t.iv), hex(t.aad), t2), null, `tcId ${t.tcId} tampered ciphertext`);
        }
        tamperedRejected++;
      } else {
        assert.equal(t.result, 'invalid', `tcId ${t.tcId}: ${t.result}`);
        assert.equal(opened, null, `tcId ${t.tcId} (${t.comment}) must be rejected`);
        n.invalid++;
      }
    }
  }
  assert.equal(tamperedRejected, n.valid, `${file}: every valid case also checked tampered`);
  return n;
}

/**
 * The expected numbers are those of MANIFEST.tsv minus the groups TLS never
 * uses (nonces other than 96 bits, AES-192, tag sizes other than the suite's);
 * `assertComplete` checks every case is accounted for and the skipped count is
 * exactly this, so a change that skips more fails.
 */
for (const provider of PROVIDERS) describe(`Wycheproof AEAD vectors (${provider.name} provider)`, () => {
  const a = provider.aeads;
  it('AES-GCM (128 and 256, 96-bit nonce, 128-bit tag)', async () => {
    const n = await run('aes_gcm_test.json', (k, t) => (t !== 128 ? undefined : k === 128 ? a['AES-128-GCM'] : k === 256 ? a['AES-256-GCM'] : undefined));
    n.assertComplete('aes_gcm_test.json', SKIPPED.gcm);
  });
  it('AES-CCM, 16-byte tags (128 and 256) and 8-byte tags (CCM_8)', async () => {
    const n16 = await run('aes_ccm_test.json', (k, t) => (t !== 128 ? undefined : k === 128 ? a['AES-128-CCM'] : k === 256 ? a['AES-256-CCM'] : undefined));
    const n8 = await run('aes_ccm_test.json', (k, t) => (t !== 64 ? undefined : k === 128 ? a['AES-128-CCM-8'] : k === 256 ? a['AES-256-CCM-8'] : undefined));
    const both = new CaseCounter();
    both.valid = n16.valid + n8.valid; both.invalid = n16.invalid + n8.invalid;
    both.skipped = manifestTotal('aes_ccm_test.json') - both.valid - both.invalid;
    both.assertComplete('aes_ccm_test.json', SKIPPED.ccm);
    // the file has no invalid 8-byte-tag case with a 96-bit nonce; CCM_8 rejection is checked by the tampered copies
    assert.ok(n16.valid > 0 && n8.valid > 0 && n16.invalid > 0);
  });
  it('ChaCha20-Poly1305', async () => {
    const n = await run('chacha20_poly1305_test.json', (k, t) => (k === 256 && t === 128 ? a['ChaCha20-Poly1305'] : undefined));
    n.assertComplete('chacha20_poly1305_test.json', SKIPPED.chacha);
  });
});
