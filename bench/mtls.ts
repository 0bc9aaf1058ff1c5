import { createPrivateKey, sign as nodeSign, verify as nodeVerify, createPublicKey, constants } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SignatureAlgorithm } from '../src/crypto/signatures.js';
import { parsePrivateKey } from '../src/x509/private-key.js';
import { benchProviders } from './providers.js';
import { fmt, fmtRatio, interleaved, median, ratios } from './timing.js';

const text = (n: string) => readFileSync(fileURLToPath(new URL(`../vectors/pki/${n}`, import.meta.url)), 'utf8');

/**
 * sign_certificate_verify_<key>: one CertificateVerify signature over a
 * 130-byte TLS 1.3 content with each provider's `sign` and with raw
 * node:crypto on the same key, interleaved; each provider's signature is
 * verified by node:crypto before timing. (The mutual-TLS handshakes are in
 * `npm run bench handshakes`.)
 */
export async function benchMtls(): Promise<string[]> {
  const providers = await benchProviders();
  const rows: string[] = [];
  const head = `${'scenario (signatures/s, median of 5 rounds)'.padEnd(46)} ${'pure'.padStart(8)} ${'node'.padStart(8)} ${'node raw'.padStart(9)}  ${'node/node raw'.padStart(17)}`;
  console.log(head); rows.push(head);
  const content = new Uint8Array(130).fill(0x20);
  const H = providers.pure.hashes;
  const cases: [string, string, SignatureAlgorithm, (k: ReturnType<typeof createPrivateKey>) => Buffer][] = [
    ['rsa2048_pss_sha256', 'client-rsa2048', { kind: 'rsa-pss', hash: H['SHA-256'], saltLength: 32 }, (k) => nodeSign('sha256', content, { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })],
    ['rsa4096_pss_sha256', 'client-rsa4096', { kind: 'rsa-pss', hash: H['SHA-256'], saltLength: 32 }, (k) => nodeSign('sha256', content, { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })],
    ['ecdsa_p256_sha256', 'client-ecdsa-p256', { kind: 'ecdsa', hash: H['SHA-256'] }, (k) => nodeSign('sha256', content, k)],
    ['ecdsa_p384_sha384', 'client-ecdsa-p384', { kind: 'ecdsa', hash: H['SHA-384'] }, (k) => nodeSign('sha384', content, k)],
    ['ed25519', 'client-ed25519', { kind: 'ed25519' }, (k) => nodeSign(null, content, k)],
  ];
  for (const [label, name, alg, nodeFn] of cases) {
    const ours = parsePrivateKey(text(`clients/${name}.pkcs8.pem`));
    const nodeKey = createPrivateKey(text(`clients/${name}.pkcs8.pem`));
    const pub = createPublicKey(nodeKey);
    const hash = alg.kind === 'ed25519' || alg.kind === 'ed448' ? null : alg.hash.name.replace('-', '').toLowerCase();
    for (const p of [providers.pure, providers.node]) {
      const sig = await p.sign(alg, ours, content, p.random);
      const ok = alg.kind === 'rsa-pss' ? nodeVerify(hash, content, { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig) : nodeVerify(hash, content, pub, sig);
      if (!ok) throw new Error(`${label}: the ${p.name} provider's signature does not verify with node:crypto`);
    }
    const m = await interleaved([
      ['pure', () => providers.pure.sign(alg, ours, content, providers.pure.random)],
      ['node', () => providers.node.sign(alg, ours, content, providers.node.random)],
      ['raw', () => nodeFn(nodeKey)],
    ], { rounds: 5, ms: 300, warmup: 3 });
    const g = (n: string) => m.get(n)!;
    const line = `${`sign_certificate_verify_${label}`.padEnd(46)} ${fmt(median(g('pure')), 1).padStart(8)} ${fmt(median(g('node')), 1).padStart(8)} ${fmt(median(g('raw')), 1).padStart(9)}  ${fmtRatio(ratios(g('node'), g('raw'))).padStart(17)}`;
    console.log(line); rows.push(line);
  }
  return rows;
}
