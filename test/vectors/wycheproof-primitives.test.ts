import assert from 'node:assert/strict';
import { hashByName as pureHashByName, type HashName } from '../../src/crypto/hash.js';
import { hkdfExpand, hkdfExtract, hmac } from '../../src/crypto/hmac.js';
import type { SignatureAlgorithm } from '../../src/crypto/signatures.js';
import { TlsError } from '../../src/errors.js';
import { parsePrivateKey } from '../../src/x509/private-key.js';
import { parseSpki } from '../../src/x509/public-key.js';
import { decodeDer } from '../../src/x509/der.js';
import { seedFor } from '../helpers/nist-seed.js';
import { PROVIDERS } from '../helpers/providers.js';
import { hex, toHexString, wycheproof } from '../helpers/vectors.js';
import { CaseCounter } from '../helpers/wycheproof.js';

const SUPPORTED_HASHES = new Set(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']);

/**
 * Runs every test of a file; `check` returns whether our code accepted the
 * case, or undefined for parameters TLS does not use (counted as skipped;
 * `expectedSkipped` pins how many, so skipping more fails). Acceptable cases
 * run too: either outcome passes, but an exception other than a TlsError fails.
 */
async function runAll(file: string, expectedSkipped: number, check: (group: any, test: any) => boolean | undefined | Promise<boolean | undefined>): Promise<void> {
  const data = wycheproof(file);
  const n = new CaseCounter();
  for (const g of data.testGroups) {
    for (const t of g.tests) {
      const accepted = await check(g, t);
      if (accepted === undefined) { n.skipped++; continue; }
      if (t.result === 'acceptable') { n.acceptable++; continue; }
      assert.equal(accepted, t.result === 'valid', `${file} tcId ${t.tcId} (${t.comment}) expected ${t.result}`);
      t.result === 'valid' ? n.valid++ : n.invalid++;
    }
  }
  n.assertComplete(file, expectedSkipped);
}

const spki = (derHex: string) => parseSpki(decodeDer(hex(derHex)));

/** RSA-PSS cases with hashes outside SHA-1/SHA-2 (SHA-224, SHA-512/224, SHA-512/256, SHA-3) or MGFs other than MGF1. */
const PSS_SKIPPED: Record<string, number> = { 'rsa_pss_misc_test.json': 54 };
/** Signature generation cases with SHA-224, which TLS does not use. */
const SIG_GEN_SKIPPED: Record<number, number> = { 2048: 8, 3072: 0, 4096: 0 };

for (const provider of PROVIDERS) describe(`Wycheproof primitive vectors (${provider.name} provider)`, () => {
  // the provider's hashes (SHA-1, for legacy HMAC only, is always the pure one)
  const hashByName = (name: HashName) => name === 'SHA-1' ? pureHashByName(name) : provider.hashes[name];
  for (const h of ['sha256', 'sha384', 'sha512']) {
    it(`HKDF-${h.toUpperCase()}`, () => runAll(`hkdf_${h}_test.json`, 0, (_g, t) => {
      const hash = hashByName(`SHA-${h.slice(3)}` as HashName);
      let okm: Uint8Array;
      // sizes over 255·HashLen (RFC 5869 §2.3) must be refused, i.e. throw
      try { okm = hkdfExpand(hash, hkdfExtract(hash, hex(t.salt), hex(t.ikm)), hex(t.info), t.size); } catch { return false; }
      return toHexString(okm) === t.okm;
    }));
  }
  for (const h of ['sha1', 'sha256', 'sha384', 'sha512']) {
    it(`HMAC-${h.toUpperCase()}`, () => runAll(`hmac_${h}_test.json`, 0, (g, t) => {
      const hash = hashByName(h === 'sha1' ? 'SHA-1' : (`SHA-${h.slice(3)}` as HashName));
      const tag = hmac(hash, hex(t.key), hex(t.msg)).subarray(0, g.tagSize / 8);
      return toHexString(tag) === t.tag;
    }));
  }

  it('X25519 (valid cases match; all-zero shared secrets are refused)', async () => {
    const data = wycheproof('x25519_test.json');
    let checked = 0, refused = 0;
    for (const t of data.testGroups[0].tests) {
      const pair = await provider.groups.x25519.generate(() => hex(t.private));
      if (/^0+$/.test(t.shared)) {
        await assert.rejects(async () => pair.agree(hex(t.public)), (e: TlsError) => e.code === 'illegal_parameter/invalid_key_share', `tcId ${t.tcId}`);
        refused++;
      } else {
        assert.equal(toHexString(await pair.agree(hex(t.public))), t.shared, `tcId ${t.tcId}`);
        checked++;
      }
    }
    assert.ok(checked > 200 && refused > 0);
  });

  it('X448 (valid cases match; all-zero shared secrets and wrong-length keys are refused)', () => runAll('x448_test.json', 0, async (_g, t) => {
    const pair = await provider.groups.x448.generate(() => hex(t.private));
    try {
      const shared = await pair.agree(hex(t.public));
      // acceptable cases (twist points, non-canonical encodings) run too: a result must then be the expected one
      assert.equal(toHexString(shared), t.shared, `tcId ${t.tcId}`);
      return true;
    } catch (e) {
      assert.ok(e instanceof TlsError && e.code === 'illegal_parameter/invalid_key_share', `tcId ${t.tcId}: ${String(e)}`);
      return false;
    }
  }));

  for (const [file, group, len] of [['ecdh_secp256r1_ecpoint_test.json', provider.groups.secp256r1, 32], ['ecdh_secp384r1_ecpoint_test.json', provider.groups.secp384r1, 48]] as const) {
    it(`ECDH ${group.name} on X9.62 points (invalid points rejected)`, () => runAll(file, 0, async (_g, t) => {
      const priv = hex(t.private.padStart(len * 2, '0').slice(-len * 2));
      const pair = await group.generate(seedFor(priv));
      try { return toHexString(await pair.agree(hex(t.public))) === t.shared; } catch (e) { assert.ok(e instanceof TlsError); return false; }
    }));
  }

  for (const file of ['ecdsa_secp256r1_sha256_test.json', 'ecdsa_secp256r1_sha512_test.json', 'ecdsa_secp384r1_sha384_test.json', 'ecdsa_secp384r1_sha512_test.json', 'ecdsa_secp384r1_sha256_test.json', 'ecdsa_secp521r1_sha512_test.json']) {
    it(`ECDSA ${file.replace('_test.json', '')}`, () => runAll(file, 0, (g, t) => {
      const key = spki(g.publicKeyDer).key;
      return provider.verify({ kind: 'ecdsa', hash: hashByName(g.sha) }, key, hex(t.msg), hex(t.sig));
    }));
  }

  it('Ed25519', () => runAll('ed25519_test.json', 0, (g, t) => provider.verify({ kind: 'ed25519' }, spki(g.publicKeyDer).key, hex(t.msg), hex(t.sig))));
  it('Ed448', () => runAll('ed448_test.json', 0, (g, t) => provider.verify({ kind: 'ed448' }, spki(g.publicKeyDer).key, hex(t.msg), hex(t.sig))));

  for (const bits of [2048, 3072, 4096]) for (const sha of [256, 384, 512]) {
    const file = `rsa_signature_${bits}_sha${sha}_test.json`;
    it(`RSA PKCS#1 v1.5 verify ${file.replace('_test.json', '')}`, () => runAll(file, 0, (g, t) =>
      provider.verify({ kind: 'rsa-pkcs1', hash: hashByName(g.sha) }, spki(g.publicKeyDer).key, hex(t.msg), hex(t.sig))));
  }

  for (const file of ['rsa_pss_2048_sha256_mgf1_32_test.json', 'rsa_pss_2048_sha256_mgf1_0_test.json', 'rsa_pss_2048_sha384_mgf1_48_test.json', 'rsa_pss_3072_sha256_mgf1_32_test.json',
    'rsa_pss_4096_sha256_mgf1_32_test.json', 'rsa_pss_4096_sha384_mgf1_48_test.json', 'rsa_pss_4096_sha512_mgf1_32_test.json', 'rsa_pss_4096_sha512_mgf1_64_test.json', 'rsa_pss_misc_test.json']) {
    it(`RSA-PSS verify ${file.replace('_test.json', '')}`, () => runAll(file, PSS_SKIPPED[file] ?? 0, (g, t) => {
      if (!SUPPORTED_HASHES.has(g.sha) || !SUPPORTED_HASHES.has(g.mgfSha) || g.mgf !== 'MGF1') return undefined;
      const alg: SignatureAlgorithm = { kind: 'rsa-pss', hash: hashByName(g.sha), mgfHash: hashByName(g.mgfSha), saltLength: g.sLen };
      return provider.verify(alg, spki(g.publicKeyDer).key, hex(t.msg), hex(t.sig));
    }));
  }

  for (const bits of [2048, 3072, 4096]) {
    const file = `rsa_pkcs1_${bits}_sig_gen_test.json`;
    it(`RSA PKCS#1 v1.5 signature generation ${file.replace('_test.json', '')} (deterministic: byte-exact)`, () => runAll(file, SIG_GEN_SKIPPED[bits]!, async (g, t) => {
      if (!SUPPORTED_HASHES.has(g.sha)) return undefined;
      const key = parsePrivateKey(hex(g.privateKeyPkcs8));
      const sig = await provider.sign({ kind: 'rsa-pkcs1', hash: hashByName(g.sha) }, key, hex(t.msg), provider.random);
      return toHexString(sig) === t.sig;
    }));
  }
});
