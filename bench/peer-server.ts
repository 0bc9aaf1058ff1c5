/**
 * The bench's server, run in its own process (`node --import tsx
 * bench/peer-server.ts '<json>'`) so that its CPU is not the client's: a
 * node:tls server on 127.0.0.1 that prints `{"port":N}` and then serves each
 * connection by its first byte:
 *   'E'  echo everything that follows;
 *   'D' + u32 n  send n bytes, then wait for the client to close;
 *   'U' + u32 n  read n bytes, then answer one byte 'K'.
 * Options (JSON): tls.createServer options whose string values naming files
 * under vectors/pki/ are read (cert, key, ca, dhparam).
 */
import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';

const opts = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
for (const k of ['cert', 'key', 'ca', 'dhparam']) if (typeof opts[k] === 'string') opts[k] = readFileSync(new URL(`../vectors/pki/${opts[k]}`, import.meta.url));
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

const server = tls.createServer(opts as tls.TlsOptions, (s) => {
  s.on('error', () => undefined);
  // as production servers do: without it, Nagle holds the echo behind the unacknowledged session tickets
  // until the client's delayed ACK (tens of ms), which measures the TCP stack, not the TLS client
  s.setNoDelay(true);
  let head = Buffer.alloc(0);
  const onData = (d: Buffer) => {
    head = Buffer.concat([head, d]);
    const cmd = String.fromCharCode(head[0]!);
    if (cmd === 'E') { s.off('data', onData); s.write(head.subarray(1)); s.pipe(s); return; }
    if (head.length < 5) return;
    const n = head.readUInt32BE(1);
    s.off('data', onData);
    if (cmd === 'D') {
      let left = n;
      const pump = () => { while (left > 0) { const c = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left); left -= c.length; if (!s.write(c)) { s.once('drain', pump); return; } } };
      pump();
    } else if (cmd === 'U') {
      let got = head.length - 5;
      const done = () => { if (got >= n) { s.write('K'); s.off('data', count); } };
      const count = (d: Buffer) => { got += d.length; done(); };
      s.on('data', count);
      done();
    }
  };
  s.on('data', onData);
});
server.maxConnections = 20000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
process.on('SIGTERM', () => process.exit(0));
