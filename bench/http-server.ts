/**
 * The HTTP bench's server, in its own process so its CPU is not the client's:
 * Node's http2 secure server with allowHTTP1 (h2 or HTTP/1.1 by ALPN) on
 * 127.0.0.1, printing `{"port":N}`. `/small` answers 100 bytes; `/bytes?n=N`
 * answers N bytes of 0x61 with a Content-Length.
 */
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';

const pki = (n: string) => readFileSync(new URL(`../vectors/pki/${n}`, import.meta.url));
const SMALL = Buffer.alloc(100, 0x73);
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

const server = http2.createSecureServer({ cert: pki('server-ecdsa.chain.pem'), key: pki('server-ecdsa.key'), allowHTTP1: true, maxSessionMemory: 1000 }, (req, res) => {
  const u = new URL(req.url, 'https://x');
  if (u.pathname === '/small') { res.writeHead(200, { 'content-type': 'text/plain', 'content-length': SMALL.length }); res.end(SMALL); return; }
  const n = Number(u.searchParams.get('n'));
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': n });
  let left = n;
  const pump = () => {
    while (left > 0) {
      const c = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
      left -= c.length;
      if (!res.write(c)) { res.once('drain', pump); return; }
    }
    res.end();
  };
  pump();
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
process.on('SIGTERM', () => process.exit(0));
