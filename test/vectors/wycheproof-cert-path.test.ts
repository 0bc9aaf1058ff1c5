import assert from 'node:assert/strict';
import type { CryptoProvider } from '../../src/crypto/provider.js';
import { decodeDer, seq } from '../../src/x509/der.js';
import { parseSpki } from '../../src/x509/public-key.js';
import { parseSignatureAlgorithm } from '../../src/x509/signature-algorithm.js';
import { PROVIDERS } from '../helpers/providers.js';
import { hex, wycheproof } from '../helpers/vectors.js';

/**
 * Wycheproof signature vectors through the certificate signature path: the
 * AlgorithmIdentifier is parsed by parseSignatureAlgorithm (as for a
 * certificate's signatureAlgorithm) and the signature checked with the
 * provider call certificate validation uses. For id-RSASSA-PSS files the
 * parameters come from the vector's own SubjectPublicKeyInfo.
 */
const ALG_ID: Record<string, string> = {
  'RSA:SHA-256': '300d06092a864886f70d01010b0500', 'RSA:SHA-384': '300d06092a864886f70d01010c0500', 'RSA:SHA-512': '300d06092a864886f70d01010d0500',
  'EC:SHA-256': '300a06082a8648ce3d040302', 'EC:SHA-384': '300a06082a8648ce3d040303', 'EC:SHA-512': '300a06082a8648ce3d040304',
  'ED25519': '300506032b6570',
};

async function run(provider: CryptoProvider, file: string, algIdFor: (group: any) => Uint8Array | undefined): Promise<void> {
  const data = wycheproof(file);
  let valid = 0, invalid = 0;
  for (const g of data.testGroups) {
    const algDer = algIdFor(g);
    if (!algDer) continue;
    const alg = parseSignatureAlgorithm(decodeDer(algDer));
    const key = parseSpki(decodeDer(hex(g.publicKeyDer))).key;
    for (const t of g.tests) {
      if (t.result === 'acceptable') continue;
      const ok = await provider.verify(alg.algorithm, key, hex(t.msg), hex(t.sig));
      assert.equal(ok, t.result === 'valid', `${file} tcId ${t.tcId} (${t.comment})`);
      ok ? valid++ : invalid++;
    }
  }
  assert.ok(valid > 0 && invalid > 0, `${file}: ${valid} valid, ${invalid} invalid`);
}

for (const provider of PROVIDERS) describe(`Wycheproof signatures through the certificate signature path (${provider.name} provider)`, () => {
  for (const f of ['rsa_signature_2048_sha256_test.json', 'rsa_signature_3072_sha384_test.json', 'rsa_signature_4096_sha512_test.json']) {
    it(f, () => run(provider, f, (g) => hex(ALG_ID[`RSA:${g.sha}`]!)));
  }
  for (const f of ['ecdsa_secp256r1_sha256_test.json', 'ecdsa_secp384r1_sha384_test.json', 'ecdsa_secp256r1_sha512_test.json']) {
    it(f, () => run(provider, f, (g) => hex(ALG_ID[`EC:${g.sha}`]!)));
  }
  it('ed25519_test.json', () => run(provider, 'ed25519_test.json', () => hex(ALG_ID.ED25519!)));
  for (const f of ['rsa_pss_2048_sha256_mgf1_32_params_test.json', 'rsa_pss_3072_sha256_mgf1_32_params_test.json', 'rsa_pss_4096_sha512_mgf1_64_params_test.json', 'rsa_pss_2048_sha256_mgf1_0_params_test.json']) {
    it(`${f} (RSASSA-PSS parameters from the SPKI)`, () => run(provider, f, (g) => seq(decodeDer(hex(g.publicKeyDer)), 'spki')[0]!.raw));
  }
});
