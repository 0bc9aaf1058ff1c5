import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { gzipSync } from 'node:zlib';
import { Client } from '../../src/http/index.js';
import { clientText } from '../helpers/clients.js';
import { requirePeer } from '../helpers/peers.js';
import { ROOT_CA, serverIdentity } from '../helpers/pki.js';
import { startTinyproxy } from '../helpers/tinyproxy.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
function pattern(n: number): Buffer<ArrayBuffer> {
  const b = Buffer.alloc(n) as Buffer<ArrayBuffer>;
  for (let i = 0; i < n; i++) b[i] = (i * 7 + (i >> 9)) & 0xff;
  return b;
}
const causeCode = (e: unknown): string | undefined => ((e as { cause?: { code?: string } }).cause)?.code;

interface Seen { path: string; method: string; cn: string | null; session: number; length: number }

/** Node's http2 secure server asking for a client certificate from client CA A; each session numbered. */
async function startH2(route?: (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, body: Buffer) => boolean) {
  const seen: Seen[] = [];
  const sessions: http2.ServerHttp2Session[] = [];
  const id = serverIdentity('ecdsa');
  const server = http2.createSecureServer({ cert: id.cert, key: id.key, ca: clientText('client-ca-A.crt'), requestCert: true, rejectUnauthorized: false, maxSessionMemory: 200 });
  server.on('session', (s) => sessions.push(s));
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined); // resets the tests provoke
    const chunks: Buffer[] = [];
    stream.on('data', (d: Buffer) => chunks.push(d));
    stream.on('end', () => {
      const body = Buffer.concat(chunks);
      const socket = stream.session!.socket as TLSSocket;
      const cn = socket.getPeerCertificate()?.subject?.CN;
      const path = String(headers[':path']);
      seen.push({ path, method: String(headers[':method']), cn: cn === undefined ? null : String(cn), session: sessions.indexOf(stream.session as http2.ServerHttp2Session), length: body.length });
      if (route?.(stream, headers, body)) return;
      const u = new URL(path, 'https://x');
      if (u.pathname === '/bytes') {
        const n = Number(u.searchParams.get('n'));
        stream.respond({ ':status': 200, 'content-type': 'application/octet-stream', 'content-length': n });
        if (headers[':method'] === 'HEAD') stream.end(); else stream.end(pattern(n));
      } else if (u.pathname === '/gzip') {
        stream.respond({ ':status': 200, 'content-encoding': 'gzip' });
        stream.end(gzipSync(pattern(50_000)));
      } else if (u.pathname === '/redirect') {
        stream.respond({ ':status': 302, location: '/echo' });
        stream.end();
      } else if (u.pathname === '/trailers') {
        stream.respond({ ':status': 200 }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'x-checksum': 'abc' }));
        stream.end('with trailers');
      } else {
        stream.respond({ ':status': 200, 'content-type': 'application/json' });
        stream.end(JSON.stringify({ path, cn: cn ?? null, length: body.length, sha256: sha256(body), contentType: headers['content-type'] ?? null }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port, seen, sessions,
    url: (p: string) => `https://127.0.0.1:${port}${p}`,
    close: async () => { for (const s of sessions) s.destroy(); await new Promise<void>((r) => server.close(() => r())); },
  };
}

const TLS = { ca: ROOT_CA(), cert: clientText('client-ecdsa-p256.crt'), key: clientText('client-ecdsa-p256.pkcs8.pem') };

describe('isotls/fetch: HTTP/2 against Node\'s http2 secure server', function () {
  this.timeout(30000);
  let srv: Awaited<ReturnType<typeof startH2>>;
  let client: Client;
  beforeEach(async () => { srv = await startH2(); client = new Client({ tls: TLS }); });
  afterEach(async () => { await client.close(); await srv.close(); });

  it('negotiates h2 by ALPN; the client certificate reaches the server; 100 requests, 10 in flight, share one connection', async () => {
    const results: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const texts = await Promise.all(Array.from({ length: 10 }, (_, i) => client.fetch(srv.url(`/echo?n=${batch * 10 + i}`)).then((r) => r.json() as Promise<{ path: string; cn: string }>)));
      for (const t of texts) { assert.equal(t.cn, 'client-ecdsa-p256'); results.push(t.path); }
    }
    assert.equal(new Set(results).size, 100);
    assert.equal(srv.sessions.length, 1, 'one HTTP/2 connection');
    assert.deepEqual(client.connectionStats().map((s) => s.open), [1]);
  });

  it('even the first burst of concurrent requests waits for the one h2 connection instead of dialling six', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => client.fetch(srv.url(`/echo?i=${i}`)).then((r) => r.text())));
    assert.equal(srv.sessions.length, 1);
  });

  it('downloads 32 MiB with flow control (our windows granted back as the body is read) and uploads 3 MB within the server\'s windows', async () => {
    const n = 32 * 1024 * 1024;
    const res = await client.fetch(srv.url(`/bytes?n=${n}`));
    assert.equal(sha256(new Uint8Array(await res.arrayBuffer())), sha256(pattern(n)));
    const up = pattern(3_000_000);
    const echoed = await (await client.fetch(srv.url('/echo'), { method: 'POST', body: up })).json() as { length: number; sha256: string };
    assert.deepEqual([echoed.length, echoed.sha256], [up.length, sha256(up)]);
    const stream = new ReadableStream<Uint8Array>({ start(c) { for (let o = 0; o < up.length; o += 500_000) c.enqueue(new Uint8Array(up.subarray(o, o + 500_000))); c.close(); } });
    const streamed = await (await client.fetch(srv.url('/echo'), { method: 'PUT', body: stream, duplex: 'half' } as RequestInit)).json() as { length: number; sha256: string };
    assert.deepEqual([streamed.length, streamed.sha256], [up.length, sha256(up)]);
  });

  it('a slow reader of one stream does not stall the others', async () => {
    const big = await client.fetch(srv.url(`/bytes?n=${20 * 1024 * 1024}`));
    // Not reading `big` yet: its stream window fills; other streams must still complete.
    const others = await Promise.all(Array.from({ length: 5 }, (_, i) => client.fetch(srv.url(`/echo?k=${i}`)).then((r) => r.json() as Promise<{ path: string }>)));
    assert.equal(others.length, 5);
    assert.equal((await big.arrayBuffer()).byteLength, 20 * 1024 * 1024);
  });

  it('gzip decoding, a redirect, trailers, HEAD, and the headers of the request', async () => {
    assert.equal(sha256(new Uint8Array(await (await client.fetch(srv.url('/gzip'))).arrayBuffer())), sha256(pattern(50_000)));
    const r = await client.fetch(srv.url('/redirect'));
    assert.equal(r.redirected, true);
    assert.equal(r.url, srv.url('/echo'));
    await r.text();
    assert.equal(await (await client.fetch(srv.url('/trailers'))).text(), 'with trailers');
    const head = await client.fetch(srv.url('/bytes?n=1000'), { method: 'HEAD' });
    assert.equal(head.headers.get('content-length'), '1000');
    assert.equal(head.body, null);
    const typed = await (await client.fetch(srv.url('/echo'), { method: 'POST', body: new URLSearchParams({ a: 'b' }) })).json() as { contentType: string };
    assert.equal(typed.contentType, 'application/x-www-form-urlencoded;charset=UTF-8');
    assert.equal(srv.sessions.length, 1);
  });

  it('aborting one stream resets only that stream; the connection carries on', async () => {
    const ac = new AbortController();
    const res = await client.fetch(srv.url(`/bytes?n=${16 * 1024 * 1024}`), { signal: ac.signal });
    const reader = res.body!.getReader();
    await reader.read();
    ac.abort();
    await assert.rejects(reader.read(), (e: Error) => e.name === 'AbortError');
    const after = await (await client.fetch(srv.url('/echo?after'))).json() as { path: string };
    assert.equal(after.path, '/echo?after');
    assert.equal(srv.sessions.length, 1);
  });

  it('GOAWAY: the server ends the session gracefully; later requests use a new connection', async () => {
    await (await client.fetch(srv.url('/echo?1'))).text();
    srv.sessions[0]!.goaway(0);
    await new Promise((r) => setTimeout(r, 100));
    const res = await (await client.fetch(srv.url('/echo?2'))).json() as { path: string };
    assert.equal(res.path, '/echo?2');
    assert.equal(srv.sessions.length, 2);
  });

  it('a stream the server refuses (RST_STREAM REFUSED_STREAM) is retried; another reset is an error', async () => {
    let refused = 0;
    await srv.close();
    srv = await startH2((stream, headers) => {
      if (String(headers[':path']) === '/refuse-once' && refused++ === 0) { stream.close(http2.constants.NGHTTP2_REFUSED_STREAM); return true; }
      if (String(headers[':path']) === '/internal') { stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR); return true; }
      return false;
    });
    const ok = await (await client.fetch(srv.url('/refuse-once'))).json() as { path: string };
    assert.equal(ok.path, '/refuse-once');
    assert.equal(refused, 2);
    await assert.rejects(client.fetch(srv.url('/internal')), (e) => e instanceof TypeError && causeCode(e) === 'http/h2_stream_reset');
  });

  it('h2 through an HTTP CONNECT proxy (tinyproxy): ten requests on one tunnelled connection', async function () {
    if (!requirePeer(this, 'tinyproxy', ['-v'])) this.skip();
    const proxy = await startTinyproxy();
    const viaProxy = new Client({ tls: TLS, proxy: `http://127.0.0.1:${proxy.port}` });
    try {
      const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => viaProxy.fetch(srv.url(`/echo?p=${i}`)).then((r) => r.json() as Promise<{ cn: string }>)));
      assert.ok(rs.every((r) => r.cn === 'client-ecdsa-p256'));
      assert.equal(srv.sessions.length, 1, 'one h2 connection through the tunnel');
    } finally { await viaProxy.close(); await proxy.stop(); }
  });

  it('http2: false offers only http/1.1: a server without allowHTTP1 refuses it with no_application_protocol', async () => {
    const h1 = new Client({ tls: TLS, http2: false });
    try {
      await assert.rejects(h1.fetch(srv.url('/echo')), (e) => e instanceof TypeError && causeCode(e) === 'peer_alert/no_application_protocol');
    } finally { await h1.close(); }
  });
});
