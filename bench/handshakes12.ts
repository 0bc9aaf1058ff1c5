import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { connect, type TlsConnection } from '../src/index.js';
import { fmt, measureAsync } from './timing.js';

const pki = (n: string) => readFileSync(fileURLToPath(new URL(`../vectors/pki/${n}`, import.meta.url)), 'utf8');

/**
 * handshake_full_1.2_ecdhe_rsa, handshake_full_1.2_dhe_rsa_ffdhe2048 and
 * handshake_resumed_1.2_ticket: connect, one byte echoed, close; isotls vs
 * node:tls.connect against the same local Node server in the same run.
 */
export async function benchHandshakes12(): Promise<string[]> {
  const rows: string[] = [];
  const head = `${'scenario'.padEnd(46)} ${'isotls hs/s'.padStart(12)} ${'node:tls hs/s'.padStart(14)} ${'ratio'.padStart(7)}`;
  console.log(head); rows.push(head);
  const ca = pki('root-ca.crt');
  const one = new Uint8Array([1]);
  const cases: [string, string, string, boolean][] = [
    ['handshake_full_1.2_ecdhe_rsa_x25519', 'ECDHE-RSA-AES128-GCM-SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', false],
    ['handshake_full_1.2_dhe_rsa_ffdhe2048', 'DHE-RSA-AES128-GCM-SHA256', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', false],
    ['handshake_resumed_1.2_ticket', 'ECDHE-RSA-AES128-GCM-SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', true],
  ];
  const results: Record<string, number> = {};
  for (const [name, openssl, iana, resume] of cases) {
    const server = tls.createServer({ cert: pki('server-rsa.chain.pem'), key: pki('server-rsa.key'), minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: openssl, dhparam: pki('ffdhe2048.pem') }, (s) => { s.on('error', () => undefined); s.pipe(s); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const base = { host: '127.0.0.1', port, servername: 'isotls.test', ca, cipherSuites: [iana], groups: ['x25519' as const] };
    const roundTrip = async (c: TlsConnection) => { await c.write(one); await c.read(); await c.close(); };
    let session = resume ? (await (async () => { const c = await connect(base); await c.write(one); await c.read(); const s = c.session; await c.close(); return s; })()) : undefined;
    const iso = await measureAsync(async () => {
      const c = await connect({ ...base, ...(session ? { session } : {}) });
      // every timed handshake is checked: the suite and version asked for, resumed exactly when meant to be
      if (c.info.resumed !== resume || c.info.cipherSuite !== iana || c.info.version !== 'TLSv1.2') throw new Error(`bench negotiated ${c.info.version} ${c.info.cipherSuite} resumed=${c.info.resumed}`);
      await roundTrip(c);
    });
    let nodeSession: Buffer | undefined;
    const nodeOnce = () => new Promise<void>((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port, servername: 'isotls.test', ca, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ...(resume && nodeSession ? { session: nodeSession } : {}) }, () => { s.write(one); });
      s.on('session', (sess) => { nodeSession = sess; });
      s.once('data', () => { s.end(); resolve(); });
      s.on('error', reject);
    });
    if (resume) await nodeOnce();
    const node = await measureAsync(nodeOnce);
    results[name] = iso;
    const line = `${name.padEnd(46)} ${fmt(iso, 1).padStart(12)} ${fmt(node, 1).padStart(14)} ${fmt(iso / node, 2).padStart(7)}`;
    console.log(line); rows.push(line);
    session = undefined;
    await new Promise<void>((r) => server.close(() => r()));
  }
  const ratio = results['handshake_full_1.2_ecdhe_rsa_x25519']! / results['handshake_full_1.2_dhe_rsa_ffdhe2048']!;
  const line = `DHE/ECDHE handshake cost ratio (target < 3.0): ${ratio.toFixed(2)}`;
  console.log(line); rows.push(line);
  return rows;
}
