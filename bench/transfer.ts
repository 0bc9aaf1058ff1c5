import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import type { ProviderName } from '../src/crypto/platform.js';
import { connect } from '../src/index.js';
import { startPeer } from './peer.js';
import { fmt, fmtRatio, interleaved, median, ratios, type Contender } from './timing.js';

const pki = (n: string) => readFileSync(fileURLToPath(new URL(`../vectors/pki/${n}`, import.meta.url)), 'utf8');
const MiB = 1024 * 1024;
const SIZE = 64 * MiB;
const CHUNK = 256 * 1024;

function command(cmd: 'D' | 'U', n: number): Uint8Array {
  const b = new Uint8Array(5);
  b[0] = cmd.charCodeAt(0);
  new DataView(b.buffer).setUint32(1, n);
  return b;
}

/**
 * transfer_{download,upload}_64MiB_<suite>: one TLS 1.3 connection moves 64 MiB
 * (the server in another process sends or counts it), isotls with the node
 * and webcrypto providers and node:tls, interleaved, 5 rounds. Every transfer
 * checks the byte count (and a download the bytes' value) before it counts.
 */
export async function benchTransfer(only?: string): Promise<string[]> {
  const rows: string[] = [];
  const head = `${'scenario (MiB/s, median of 5 rounds)'.padEnd(46)} ${'node'.padStart(8)} ${'webcrypto'.padStart(10)} ${'node:tls'.padStart(9)}  ${'isotls(node)/node:tls'.padStart(22)}  ${'isotls(webcrypto)/node:tls'.padStart(27)}`;
  console.log(head); rows.push(head);
  const ca = pki('root-ca.crt');
  const peer = await startPeer({ cert: 'server-ecdsa.chain.pem', key: 'server-ecdsa.key', minVersion: 'TLSv1.3' });
  const payload = new Uint8Array(CHUNK).fill(0x62);
  for (const [suite, nodeSuite] of [['TLS_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256'], ['TLS_AES_256_GCM_SHA384', 'TLS_AES_256_GCM_SHA384']] as const) {
    for (const dir of ['download', 'upload'] as const) {
      const name = `transfer_${dir}_64MiB_${suite.replace('TLS_', '').toLowerCase()}`;
      if (only && !name.includes(only)) continue;
      const iso = (crypto: ProviderName) => async () => {
        const c = await connect({ host: '127.0.0.1', port: peer.port, servername: 'isotls.test', ca, cipherSuites: [suite], crypto });
        if (c.info.cipherSuite !== suite || c.info.cryptoProvider !== crypto) throw new Error(`${name}: negotiated ${c.info.cipherSuite} with ${c.info.cryptoProvider}`);
        if (dir === 'download') {
          await c.write(command('D', SIZE));
          let got = 0;
          while (got < SIZE) {
            const d = await c.read();
            if (!d || d[0] !== 0x61 || d[d.length - 1] !== 0x61) throw new Error(`${name}: bad data after ${got} bytes`);
            got += d.length;
          }
          if (got !== SIZE) throw new Error(`${name}: received ${got} bytes`);
        } else {
          await c.write(command('U', SIZE));
          for (let sent = 0; sent < SIZE; sent += CHUNK) await c.write(payload);
          if ((await c.read())?.[0] !== 0x4b) throw new Error(`${name}: the server did not confirm`);
        }
        await c.close();
      };
      const nodeTls = () => new Promise<void>((resolve, reject) => {
        const s = tls.connect({ host: '127.0.0.1', port: peer.port, servername: 'isotls.test', ca, minVersion: 'TLSv1.3', ciphers: nodeSuite }, async () => {
          if ((s.getCipher() as { standardName?: string }).standardName !== nodeSuite) { reject(new Error('node:tls suite')); return; }
          if (dir === 'download') {
            s.write(command('D', SIZE));
            let got = 0;
            s.on('data', (d: Buffer) => {
              if (d[0] !== 0x61) reject(new Error('node:tls: bad data'));
              got += d.length;
              if (got >= SIZE) { s.end(); got === SIZE ? resolve() : reject(new Error(`node:tls received ${got}`)); }
            });
          } else {
            s.write(command('U', SIZE));
            s.once('data', (d: Buffer) => { s.end(); d[0] === 0x4b ? resolve() : reject(new Error('node:tls: no confirmation')); });
            for (let sent = 0; sent < SIZE; sent += CHUNK) if (!s.write(payload)) await new Promise((r) => s.once('drain', r));
          }
        });
        s.on('error', reject);
      });
      const contenders: Contender[] = [['node', iso('node')], ['webcrypto', iso('webcrypto')], ['node:tls', nodeTls]];
      const m = await interleaved(contenders, { rounds: 5, ms: 1, warmup: 1 });
      const mib = (r: number[]) => fmt(median(r) * (SIZE / MiB), 1);
      const g = (n: string) => m.get(n)!;
      const line = `${name.padEnd(46)} ${mib(g('node')).padStart(8)} ${mib(g('webcrypto')).padStart(10)} ${mib(g('node:tls')).padStart(9)}  ${fmtRatio(ratios(g('node'), g('node:tls'))).padStart(22)}  ${fmtRatio(ratios(g('webcrypto'), g('node:tls'))).padStart(27)}`;
      console.log(line); rows.push(line);
    }
  }
  await peer.stop();
  return rows;
}
