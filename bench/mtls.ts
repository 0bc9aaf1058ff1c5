import { createPrivateKey, sign as nodeSign, verify as nodeVerify, createPublicKey, constants } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SHA256, SHA384 } from '../src/crypto/hash.js';
import { systemRandom } from '../src/crypto/random.js';
import { signWith } from '../src/crypto/sign.js';
import type { SignatureAlgorithm } from '../src/crypto/signatures.js';
import { connect } from '../src/index.js';
import { parsePrivateKey } from '../src/x509/private-key.js';
import { fmt, measure, measureAsync } from './timing.js';

const file = (n: string) => fileURLToPath(new URL(`../vectors/pki/${n}`, import.meta.url));
const text = (n: string) => readFileSync(file(n), 'utf8');

/**
 * sign_certificate_verify_<key>: one CertificateVerify signature over a
 * 130-byte TLS 1.3 content, isotls vs node:crypto on the same key (outputs
 * cross-verified before timing); then handshake_full_<version>_mtls: complete
 * mutual-TLS handshakes against a local Node server, isotls vs node:tls.
 */
export async function benchMtls(): Promise<string[]> {
  const rows: string[] = [];
  const head = `${'scenario'.padEnd(46)} ${'isotls ops/s'.padStart(13)} ${'node ops/s'.padStart(11)} ${'ratio'.padStart(7)}`;
  console.log(head); rows.push(head);
  const content = new Uint8Array(130).fill(0x20);
  const cases: [string, string, SignatureAlgorithm, (k: ReturnType<typeof createPrivateKey>) => Buffer][] = [
    ['rsa2048_pss_sha256', 'client-rsa2048', { kind: 'rsa-pss', hash: SHA256, saltLength: 32 }, (k) => nodeSign('sha256', content, { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })],
    ['rsa4096_pss_sha256', 'client-rsa4096', { kind: 'rsa-pss', hash: SHA256, saltLength: 32 }, (k) => nodeSign('sha256', content, { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })],
    ['ecdsa_p256_sha256', 'client-ecdsa-p256', { kind: 'ecdsa', hash: SHA256 }, (k) => nodeSign('sha256', content, k)],
    ['ecdsa_p384_sha384', 'client-ecdsa-p384', { kind: 'ecdsa', hash: SHA384 }, (k) => nodeSign('sha384', content, k)],
    ['ed25519', 'client-ed25519', { kind: 'ed25519' }, (k) => nodeSign(null, content, k)],
  ];
  for (const [label, name, alg, nodeFn] of cases) {
    const ours = parsePrivateKey(text(`clients/${name}.pkcs8.pem`));
    const nodeKey = createPrivateKey(text(`clients/${name}.pkcs8.pem`));
    const pub = createPublicKey(nodeKey);
    const sig = signWith(alg, ours, content, systemRandom);
    const hash = alg.kind === 'ed25519' ? null : alg.hash.name.replace('-', '').toLowerCase();
    const ok = alg.kind === 'rsa-pss' ? nodeVerify(hash, content, { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig) : nodeVerify(hash, content, pub, sig);
    if (!ok) throw new Error(`${label}: our signature does not verify with node:crypto`);
    const iso = measure(() => { signWith(alg, ours, content, systemRandom); }, { runs: 5, minMs: 300 });
    const node = measure(() => { nodeFn(nodeKey); }, { runs: 5, minMs: 300 });
    const line = `${`sign_certificate_verify_${label}`.padEnd(46)} ${fmt(iso, 1).padStart(13)} ${fmt(node, 1).padStart(11)} ${fmt(iso / node, 2).padStart(7)}`;
    console.log(line); rows.push(line);
  }

  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
    for (const name of ['client-ecdsa-p256', 'client-rsa2048']) {
      const server = tls.createServer({ cert: text('server-ecdsa.chain.pem'), key: text('server-ecdsa.key'), minVersion: version, maxVersion: version, requestCert: true, rejectUnauthorized: true, ca: text('clients/client-ca-A.crt') }, (s) => { s.on('error', () => undefined); s.end('ok'); });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as AddressInfo).port;
      const cert = text(`clients/${name}.crt`), key = text(`clients/${name}.pkcs8.pem`), ca = text('root-ca.crt');
      const probe = await connect({ host: '127.0.0.1', port, servername: 'isotls.test', ca, cert, key });
      if (probe.info.version !== version || !probe.info.clientCertificateSent) throw new Error(`mtls bench negotiated ${probe.info.version}, client certificate sent: ${probe.info.clientCertificateSent}`);
      await probe.read(); await probe.close();
      const iso = await measureAsync(async () => {
        const c = await connect({ host: '127.0.0.1', port, servername: 'isotls.test', ca, cert, key });
        await c.read(); await c.close();
      });
      const node = await measureAsync(() => new Promise<void>((resolve, reject) => {
        const s = tls.connect({ host: '127.0.0.1', port, servername: 'isotls.test', ca, cert, key, minVersion: version, maxVersion: version });
        s.once('data', () => { s.end(); resolve(); });
        s.on('error', reject);
      }));
      const line = `${`handshake_full_${version === 'TLSv1.3' ? '1.3' : '1.2'}_mtls_${name.replace('client-', '')}`.padEnd(46)} ${fmt(iso, 1).padStart(13)} ${fmt(node, 1).padStart(11)} ${fmt(iso / node, 2).padStart(7)}`;
      console.log(line); rows.push(line);
      await new Promise<void>((r) => server.close(() => r()));
    }
  }
  return rows;
}
