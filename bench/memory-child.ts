/**
 * One memory/concurrency measurement in a fresh process (`node --expose-gc
 * --import tsx bench/memory-child.ts <contender> <port> <count>`): opens
 * `count` connections to the bench peer (50 handshakes in flight at a time),
 * each proven established by one echoed byte, keeps them all open and idle,
 * and prints {"openMs", "rssBytesPerConnection", "heapBytesPerConnection"}
 * (RSS and heap after full GCs, minus the same measured before, after a warm-up
 * connection was opened and closed).
 */
import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { connect, type TlsConnection } from '../src/index.js';

const [contender, portText, countText] = process.argv.slice(2);
const port = Number(portText), count = Number(countText);
const ca = readFileSync(fileURLToPath(new URL('../vectors/pki/root-ca.crt', import.meta.url)), 'utf8');
const PING = new Uint8Array([0x45, 0x78]);
const gc = (globalThis as { gc?: () => void }).gc!;
const settle = async () => { for (let i = 0; i < 3; i++) { gc(); await new Promise((r) => setTimeout(r, 50)); } };

type Held = TlsConnection | tls.TLSSocket;
async function open(): Promise<Held> {
  if (contender === 'node:tls') {
    return new Promise((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port, servername: 'isotls.test', ca, minVersion: 'TLSv1.3' }, () => s.write(PING));
      s.once('data', () => resolve(s));
      s.on('error', reject);
    });
  }
  const c = await connect({ host: '127.0.0.1', port, servername: 'isotls.test', ca, crypto: contender as 'node' | 'webcrypto' | 'pure', cipherSuites: ['TLS_AES_128_GCM_SHA256'] });
  if (c.info.cipherSuite !== 'TLS_AES_128_GCM_SHA256' || !c.info.authorized) throw new Error('memory bench: unexpected negotiation');
  await c.write(PING);
  await c.read();
  return c;
}
const close = (h: Held) => ('info' in h ? h.close() : new Promise<void>((r) => { h.end(() => r()); }));

await close(await open());
await settle();
const before = process.memoryUsage();
const held: Held[] = [];
const start = performance.now();
let next = 0;
await Promise.all(Array.from({ length: 50 }, async () => { while (next < count) { next++; held.push(await open()); } }));
const openMs = performance.now() - start;
await settle();
const after = process.memoryUsage();
console.log(JSON.stringify({ openMs, rssBytesPerConnection: (after.rss - before.rss) / count, heapBytesPerConnection: (after.heapUsed + after.external + after.arrayBuffers - before.heapUsed - before.external - before.arrayBuffers) / count, held: held.length }));
await Promise.all(held.map(close));
process.exit(0);
