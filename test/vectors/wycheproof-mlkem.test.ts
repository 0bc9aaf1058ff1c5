import assert from 'node:assert/strict';
import { TlsError } from '../../src/errors.js';
import { PROVIDERS } from '../helpers/providers.js';
import { hex, toHexString, wycheproof } from '../helpers/vectors.js';
import { CaseCounter } from '../helpers/wycheproof.js';

/**
 * Wycheproof ML-KEM-768 through the X25519MLKEM768 group (src/crypto/mlkem.ts):
 * key generation from the 64-byte seed (the encapsulation key is the first
 * 1184 bytes of our key share) and decapsulation (the ML-KEM shared secret is
 * the first 32 bytes of the hybrid secret; implicit rejection for random and
 * bit-flipped ciphertexts; ciphertexts of the wrong length refused with
 * illegal_parameter). Cases whose *seed* has the wrong length are skipped: the
 * group always takes 64 bytes from the random source. mlkem_768_encaps_test
 * is not run: a client decapsulates, it never encapsulates.
 */
const X25519_PEER = hex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f'); // RFC 7748 §6.1, Bob's public key

/** A random source that returns the vector's seed for ML-KEM, then zeros for the X25519 half. */
const seeded = (seed: Uint8Array) => { let first = true; return (n: number) => { if (first) { first = false; assert.equal(n, 64); return seed; } return new Uint8Array(n).fill(7); }; };

for (const provider of PROVIDERS) describe(`Wycheproof ML-KEM-768 through X25519MLKEM768 (${provider.name} provider)`, () => {
  const group = provider.groups.X25519MLKEM768;

  it('mlkem_768_keygen_seed_test.json: the encapsulation key from each seed', async () => {
    const n = new CaseCounter();
    for (const g of wycheproof('mlkem_768_keygen_seed_test.json').testGroups) for (const t of g.tests) {
      const pair = await group.generate(seeded(hex(t.seed)));
      assert.equal(pair.publicKey.length, 1184 + 32);
      assert.equal(toHexString(pair.publicKey.subarray(0, 1184)), t.ek, `tcId ${t.tcId}`);
      n.valid++;
    }
    n.assertComplete('mlkem_768_keygen_seed_test.json', 0);
  });

  it('mlkem_768_test.json: decapsulation (valid, implicit rejection, wrong-length ciphertexts refused)', async () => {
    const n = new CaseCounter();
    for (const g of wycheproof('mlkem_768_test.json').testGroups) for (const t of g.tests) {
      const seed = hex(t.seed);
      if (seed.length !== 64) { n.skipped++; continue; } // our seeds come from the random source, always 64 bytes
      const pair = await group.generate(seeded(seed));
      assert.equal(toHexString(pair.publicKey.subarray(0, 1184)), t.ek, `tcId ${t.tcId}: ek`);
      const share = new Uint8Array([...hex(t.c), ...X25519_PEER]);
      try {
        const secret = await pair.agree(share);
        assert.equal(t.result, 'valid', `tcId ${t.tcId}: accepted an invalid case (${t.comment})`);
        assert.equal(toHexString(secret.subarray(0, 32)), t.K, `tcId ${t.tcId} (${t.comment}): shared secret`);
        assert.equal(secret.length, 64);
        n.valid++;
      } catch (e) {
        assert.ok(e instanceof TlsError && e.code === 'illegal_parameter/invalid_key_share', `tcId ${t.tcId}: ${String(e)}`);
        assert.equal(t.result, 'invalid', `tcId ${t.tcId}: refused a valid case (${t.comment})`);
        n.invalid++;
      }
    }
    n.assertComplete('mlkem_768_test.json', 20);
  });
});
