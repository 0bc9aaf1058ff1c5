import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ProviderName } from '../src/crypto/platform.js';
import { connect, type ConnectOptions } from '../src/index.js';
import { buildGoPeer, startGoServer } from '../test/helpers/go-server.js';
import { fmt, fmtRatio, interleaved, median, ratios } from './timing.js';

const path = (n: string) => fileURLToPath(new URL(`../vectors/pki/${n}`, import.meta.url));
const ping = new Uint8Array([0x61, 0x0a]);

/**
 * The cost of the hybrid post-quantum group: full TLS 1.3 handshakes per
 * second against Go's crypto/tls (which selects X25519MLKEM768 when offered),
 * isotls offering the default groups (X25519MLKEM768 first, an X25519 share
 * alongside) against isotls offering X25519 alone, interleaved, per provider.
 * Each handshake checks the group it got and echoes a line.
 */
export async function benchPostQuantum(): Promise<string[]> {
  const rows: string[] = [];
  if (!buildGoPeer()) { console.log('pq: skipped (Go is not installed)'); return rows; }
  const head = `${'scenario (handshakes/s, median of 7 rounds)'.padEnd(46)} ${'hybrid'.padStart(8)} ${'x25519'.padStart(8)}  ${'hybrid/x25519 (min–max)'.padStart(24)}`;
  console.log(head); rows.push(head);
  const srv = await startGoServer(['-cert', path('server-ecdsa.chain.pem'), '-key', path('server-ecdsa.key'), '-min', '1.3']);
  const drain = (async () => { for (;;) { try { await srv.nextReport(60000); } catch { return; } } })();
  try {
    const base: ConnectOptions = { host: '127.0.0.1', port: srv.port, servername: 'isotls.test', ca: readFileSync(path('root-ca.crt'), 'utf8') };
    for (const crypto of ['node', 'webcrypto', 'pure'] as ProviderName[]) {
      const once = (groups: ConnectOptions['groups'], want: string) => async () => {
        const c = await connect({ ...base, crypto, ...(groups ? { groups } : {}) });
        if (c.info.group !== want || !c.info.authorized) throw new Error(`pq: negotiated ${c.info.group}`);
        await c.write(ping);
        if ((await c.read())?.[0] !== 0x61) throw new Error('pq: no echo');
        await c.close();
      };
      const m = await interleaved([['hybrid', once(undefined, 'X25519MLKEM768')], ['x25519', once(['x25519'], 'x25519')]], { rounds: 7, ms: 500, warmup: 3 });
      const line = `${`handshake_full_1.3_go_${crypto}`.padEnd(46)} ${fmt(median(m.get('hybrid')!), 1).padStart(8)} ${fmt(median(m.get('x25519')!), 1).padStart(8)}  ${fmtRatio(ratios(m.get('hybrid')!, m.get('x25519')!)).padStart(24)}`;
      console.log(line); rows.push(line);
    }
  } finally {
    await srv.close();
    await drain;
  }
  return rows;
}
