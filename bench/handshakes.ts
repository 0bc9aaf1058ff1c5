import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { connect } from '../src/index.js';
import { fmt, measureAsync } from './timing.js';

const pki = (n: string) => readFileSync(fileURLToPath(new URL(`../vectors/pki/${n}`, import.meta.url)), 'utf8');

/**
 * handshake_full_1.3_x25519_<key>: complete TLS 1.3 handshakes (connect,
 * verify, one byte echoed, close) against the same local Node tls server,
 * isotls vs node:tls.connect in the same run. Median of 5 runs of 20.
 */
export async function benchHandshakes(): Promise<string[]> {
  const rows: string[] = [];
  const head = `${'scenario'.padEnd(40)} ${'isotls hs/s'.padStart(12)} ${'node:tls hs/s'.padStart(14)} ${'ratio'.padStart(7)}`;
  console.log(head); rows.push(head);
  for (const key of ['ecdsa', 'rsa', 'ed25519']) {
    const server = tls.createServer({ cert: pki(`server-${key}.chain.pem`), key: pki(`server-${key}.key`), minVersion: 'TLSv1.3' }, (s) => { s.on('error', () => undefined); s.pipe(s); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const ca = pki('root-ca.crt');
    const one = new Uint8Array([1]);
    // check what is negotiated before timing it
    const probe = await connect({ host: '127.0.0.1', port, servername: 'isotls.test', ca, groups: ['x25519'] });
    if (probe.info.version !== 'TLSv1.3' || probe.info.group !== 'x25519' || probe.info.resumed || !probe.info.authorized) throw new Error(`bench negotiated ${JSON.stringify({ v: probe.info.version, g: probe.info.group })}`);
    await probe.close();
    const iso = await measureAsync(async () => {
      const c = await connect({ host: '127.0.0.1', port, servername: 'isotls.test', ca, groups: ['x25519'] });
      await c.write(one); await c.read(); await c.close();
    });
    const node = await measureAsync(() => new Promise<void>((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port, servername: 'isotls.test', ca, minVersion: 'TLSv1.3', ecdhCurve: 'X25519' }, () => { s.write(one); });
      s.once('data', () => { s.end(); resolve(); });
      s.on('error', reject);
    }));
    const line = `${`handshake_full_1.3_x25519_${key}`.padEnd(40)} ${fmt(iso, 1).padStart(12)} ${fmt(node, 1).padStart(14)} ${fmt(iso / node, 2).padStart(7)}`;
    console.log(line); rows.push(line);
    await new Promise<void>((r) => server.close(() => r()));
  }
  return rows;
}
