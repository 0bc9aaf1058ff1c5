import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { gzipSync, deflateSync } from 'node:zlib';
import { Client, fetch as moduleFetch } from '../../src/http/index.js';
import { TlsError } from '../../src/index.js';
import { clientText } from '../helpers/clients.js';
import { requirePeer } from '../helpers/peers.js';
import { ROOT_CA, serverIdentity } from '../helpers/pki.js';
import { startTinyproxy } from '../helpers/tinyproxy.js';

/** What the server saw of one request. */
interface Seen { method: string; url: string; host: string; cn: string | undefined; authorized: boolean; port: number; headers: IncomingMessage['headers']; body: Buffer }

/**
 * Node's https server asking for a client certificate from client CA A (not
 * requiring one, so the tests can see when none came) and recording each request.
 */
async function startServer(route: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void) {
  const seen: Seen[] = [];
  const sockets = new Set<TLSSocket>();
  const id = serverIdentity('ecdsa');
  const server = https.createServer({ cert: id.cert, key: id.key, ca: clientText('client-ca-A.crt'), requestCert: true, rejectUnauthorized: false, maxVersion: 'TLSv1.3' }, (req, res) => {
    const s = req.socket as TLSSocket;
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const cert = s.getPeerCertificate();
      const entry: Seen = { method: req.method!, url: req.url!, host: String(req.headers.host), cn: cert?.subject?.CN === undefined ? undefined : String(cert.subject.CN), authorized: s.authorized, port: s.remotePort!, headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(entry);
      route(req, res, entry);
    });
  });
  server.on('secureConnection', (s: TLSSocket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port, seen, sockets, server,
    url: (path: string, host = '127.0.0.1') => `https://${host}:${port}${path}`,
    close: async () => { for (const s of sockets) s.destroy(); await new Promise<void>((r) => server.close(() => r())); },
  };
}

const TRUST = { ca: ROOT_CA() };
const identity = (name: string) => ({ ...TRUST, cert: clientText(`${name}.crt`), key: clientText(`${name}.pkcs8.pem`) });
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const causeCode = (e: unknown): string | undefined => ((e as { cause?: { code?: string } }).cause)?.code;

/** A deterministic body of n bytes. */
function pattern(n: number): Buffer<ArrayBuffer> {
  const b = Buffer.alloc(n) as Buffer<ArrayBuffer>;
  for (let i = 0; i < n; i++) b[i] = (i * 31 + (i >> 8)) & 0xff;
  return b;
}

function defaultRoute(req: IncomingMessage, res: ServerResponse, seen: Seen): void {
  const u = new URL(req.url!, 'https://x');
  switch (u.pathname) {
    case '/echo':
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: seen.method, cn: seen.cn ?? null, length: seen.body.length, sha256: sha256(seen.body), contentType: req.headers['content-type'] ?? null, te: req.headers['transfer-encoding'] ?? null, cl: req.headers['content-length'] ?? null, expect: req.headers.expect ?? null, auth: req.headers.authorization ?? null }));
      return;
    case '/big': { // chunked, in uneven writes
      const n = Number(u.searchParams.get('n'));
      const data = pattern(n);
      res.setHeader('content-type', 'application/octet-stream');
      for (let off = 0; off < n; off += 65_000) res.write(data.subarray(off, off + 65_000));
      res.end();
      return;
    }
    case '/sized': {
      const data = pattern(Number(u.searchParams.get('n')));
      res.setHeader('content-length', data.length);
      res.end(data);
      return;
    }
    case '/gzip': res.setHeader('content-encoding', 'gzip'); res.end(gzipSync(pattern(100_000))); return;
    case '/deflate': res.setHeader('content-encoding', 'deflate'); res.end(deflateSync(pattern(100_000))); return;
    case '/hints':
      res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      res.writeEarlyHints({ link: '</app.js>; rel=preload; as=script' });
      res.end('after hints');
      return;
    case '/redirect': {
      res.statusCode = Number(u.searchParams.get('status') ?? 302);
      res.setHeader('location', u.searchParams.get('to')!);
      res.end('moved');
      return;
    }
    case '/loop': res.statusCode = 302; res.setHeader('location', '/loop'); res.end(); return;
    case '/no-content': res.statusCode = 204; res.end(); return;
    case '/slow': res.writeHead(200, { 'content-type': 'text/plain' }); res.write('first '); return; // never ends
    case '/status': res.statusCode = Number(u.searchParams.get('s')); res.end(`status ${res.statusCode}`); return;
    default: res.statusCode = 404; res.end('not found');
  }
}

describe('isotls/fetch: HTTP/1.1 against Node\'s https server with requestCert', function () {
  this.timeout(30000);
  let srv: Awaited<ReturnType<typeof startServer>>;
  let client: Client;
  beforeEach(async () => { srv = await startServer(defaultRoute); client = new Client({ tls: identity('client-ecdsa-p256'), http2: false }); });
  afterEach(async () => { await client.close(); await srv.close(); });

  it('GET with a client certificate: the server verified it; the response is a standard Response', async () => {
    const res = await client.fetch(srv.url('/echo'));
    assert.ok(res instanceof Response);
    assert.equal(res.status, 200);
    assert.equal(res.ok, true);
    assert.equal(res.url, srv.url('/echo'));
    assert.equal(res.redirected, false);
    assert.equal(res.headers.get('content-type'), 'application/json');
    const body = await res.json() as { method: string; cn: string; expect: null };
    assert.equal(body.method, 'GET');
    assert.equal(body.cn, 'client-ecdsa-p256');
    assert.equal(srv.seen[0]!.authorized, true);
    assert.equal(srv.seen[0]!.headers['user-agent'], 'isotls');
    assert.match(String(srv.seen[0]!.headers['accept-encoding']), /gzip, deflate/);
  });

  it('keeps the connection alive: ten sequential requests over one TLS connection', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await client.fetch(srv.url(`/echo?i=${i}`));
      assert.equal(res.status, 200);
      await res.arrayBuffer(); // a connection comes free once its response body has been read
    }
    const ports = new Set(srv.seen.map((s) => s.port));
    assert.equal(ports.size, 1, `client ports: ${[...ports].join(', ')}`);
    assert.deepEqual(client.connectionStats().map((s) => [s.open, s.idle]), [[1, 1]]);
  });

  it('at most maxConnectionsPerOrigin connections; further requests wait for one to come free', async () => {
    const small = new Client({ tls: identity('client-ecdsa-p256'), maxConnectionsPerOrigin: 2, http2: false });
    try {
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => small.fetch(srv.url(`/sized?n=${1000 + i}`)).then(async (r) => (await r.arrayBuffer()).byteLength)));
      assert.deepEqual(results, Array.from({ length: 8 }, (_, i) => 1000 + i));
      assert.equal(new Set(srv.seen.map((s) => s.port)).size, 2);
    } finally { await small.close(); }
  });

  it('never reuses a connection across TLS identities: another client certificate or no certificate gets its own connection', async () => {
    const a = await (await client.fetch(srv.url('/echo'))).json() as { cn: string };
    const b = await (await client.fetch(srv.url('/echo'), { tls: identity('client-rsa2048') })).json() as { cn: string };
    const none = await (await client.fetch(srv.url('/echo'), { tls: { cert: undefined, key: undefined } })).json() as { cn: string | null };
    const a2 = await (await client.fetch(srv.url('/echo'))).json() as { cn: string };
    assert.deepEqual([a.cn, b.cn, none.cn, a2.cn], ['client-ecdsa-p256', 'client-rsa2048', null, 'client-ecdsa-p256']);
    const [p1, p2, p3, p4] = srv.seen.map((s) => s.port);
    assert.equal(new Set([p1, p2, p3]).size, 3, 'three identities, three connections');
    assert.equal(p4, p1, 'the first identity\'s connection is reused');
  });

  it('request bodies: string, URLSearchParams, FormData, Blob, ArrayBuffer, typed array with Content-Length; ReadableStream chunked; never Expect', async () => {
    const form = new FormData();
    form.append('field', 'value');
    form.append('file', new Blob([pattern(3000)], { type: 'application/octet-stream' }), 'f.bin');
    const cases: [string, BodyInit, (b: { contentType: string | null; length: number; te: string | null; cl: string | null; sha256: string }) => void][] = [
      ['string', 'héllo', (b) => { assert.equal(b.contentType, 'text/plain;charset=UTF-8'); assert.equal(b.length, 6); assert.equal(b.cl, '6'); }],
      ['URLSearchParams', new URLSearchParams({ a: '1', b: 'x y' }), (b) => { assert.equal(b.contentType, 'application/x-www-form-urlencoded;charset=UTF-8'); assert.equal(b.length, 'a=1&b=x+y'.length); }],
      ['FormData', form, (b) => { assert.match(String(b.contentType), /^multipart\/form-data; boundary=/); assert.ok(b.length > 3000); }],
      ['Blob', new Blob([pattern(200_000)], { type: 'application/x-test' }), (b) => { assert.equal(b.contentType, 'application/x-test'); assert.equal(b.cl, '200000'); assert.equal(b.sha256, sha256(pattern(200_000))); }],
      ['ArrayBuffer', pattern(70_000).buffer.slice(0, 70_000) as ArrayBuffer, (b) => { assert.equal(b.contentType, null); assert.equal(b.sha256, sha256(pattern(70_000))); }],
      ['Uint8Array view', new Uint8Array(pattern(1000)).subarray(10, 20), (b) => { assert.equal(b.length, 10); assert.equal(b.sha256, sha256(pattern(1000).subarray(10, 20))); }],
    ];
    for (const [name, body, check] of cases) {
      const res = await client.fetch(srv.url('/echo'), { method: 'POST', body });
      const seen = await res.json() as Parameters<typeof check>[0] & { expect: string | null; te: string | null };
      assert.equal(seen.te, null, name);
      assert.equal(seen.expect, null, name);
      check(seen);
    }
    const data = pattern(1_000_003);
    const stream = new ReadableStream<Uint8Array>({
      start(c) { for (let off = 0; off < data.length; off += 100_000) c.enqueue(new Uint8Array(data.subarray(off, off + 100_000))); c.close(); },
    });
    const res = await client.fetch(srv.url('/echo'), { method: 'PUT', body: stream, duplex: 'half' } as RequestInit);
    const seen = await res.json() as { te: string; cl: string | null; length: number; sha256: string };
    assert.equal(seen.te, 'chunked');
    assert.equal(seen.cl, null);
    assert.equal(seen.length, data.length);
    assert.equal(seen.sha256, sha256(data));
    assert.equal(new Set(srv.seen.map((s) => s.port)).size, 1, 'every upload on the kept-alive connection');
  });

  it('POST and PUT without a body send Content-Length: 0; GET with a body is a TypeError', async () => {
    const r = await (await client.fetch(srv.url('/echo'), { method: 'POST' })).json() as { cl: string };
    assert.equal(r.cl, '0');
    await assert.rejects(client.fetch(srv.url('/echo'), { method: 'GET', body: 'x' }), TypeError);
    await assert.rejects(client.fetch(srv.url('/echo'), { method: 'CONNECT' }), TypeError);
  });

  it('streams a 16 MiB chunked response and a 5 MB Content-Length response byte for byte', async () => {
    for (const [path, n] of [['/big', 16 * 1024 * 1024], ['/sized', 5_000_000]] as const) {
      const res = await client.fetch(srv.url(`${path}?n=${n}`));
      const reader = res.body!.getReader();
      const hash = createHash('sha256');
      let total = 0, pieces = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        hash.update(value); total += value.length; pieces++;
      }
      assert.equal(total, n);
      assert.equal(hash.digest('hex'), sha256(pattern(n)));
      assert.ok(pieces > 10, `streamed in pieces (${pieces})`);
    }
    assert.equal(new Set(srv.seen.map((s) => s.port)).size, 1);
  });

  it('decodes gzip and deflate content; skips 103 Early Hints; a 204 has a null body', async () => {
    for (const p of ['/gzip', '/deflate']) {
      const res = await client.fetch(srv.url(p));
      assert.equal(sha256(new Uint8Array(await res.arrayBuffer())), sha256(pattern(100_000)), p);
    }
    const hinted = await client.fetch(srv.url('/hints'));
    assert.equal(hinted.status, 200);
    assert.equal(await hinted.text(), 'after hints');
    const empty = await client.fetch(srv.url('/no-content'));
    assert.equal(empty.status, 204);
    assert.equal(empty.body, null);
    const head = await client.fetch(srv.url('/sized?n=100'), { method: 'HEAD' });
    assert.equal(head.headers.get('content-length'), '100');
    assert.equal(head.body, null);
    assert.equal((await client.fetch(srv.url('/echo'))).status, 200, 'the connection still works after HEAD');
    assert.equal(new Set(srv.seen.map((s) => s.port)).size, 1);
  });

  it('redirects: 301/302 POST becomes GET, 303 becomes GET, 307/308 keep method and body; url and redirected are set', async () => {
    for (const [status, method] of [[301, 'GET'], [302, 'GET'], [303, 'GET'], [307, 'POST'], [308, 'POST']] as const) {
      srv.seen.length = 0;
      const res = await client.fetch(srv.url(`/redirect?status=${status}&to=/echo%3Fafter`), { method: 'POST', body: 'payload', headers: { 'content-type': 'text/x-test' } });
      const body = await res.json() as { method: string; length: number; contentType: string | null };
      assert.equal(body.method, method, String(status));
      assert.equal(body.length, method === 'POST' ? 7 : 0, String(status));
      assert.equal(body.contentType, method === 'POST' ? 'text/x-test' : null, `${status}: body headers dropped with the body`);
      assert.equal(res.url, srv.url('/echo?after'));
      assert.equal(res.redirected, true);
    }
  });

  it('a cross-origin redirect drops Authorization and the client certificate; same-origin keeps both', async () => {
    const same = await (await client.fetch(srv.url('/redirect?to=/echo'), { headers: { authorization: 'Bearer t' } })).json() as { auth: string; cn: string };
    assert.deepEqual([same.auth, same.cn], ['Bearer t', 'client-ecdsa-p256']);
    const other = srv.url('/echo', 'localhost');
    const res = await client.fetch(srv.url(`/redirect?to=${encodeURIComponent(other)}`), { headers: { authorization: 'Bearer t' } });
    const cross = await res.json() as { auth: string | null; cn: string | null };
    assert.equal(res.url, other);
    assert.deepEqual([cross.auth, cross.cn], [null, null]);
    assert.equal(srv.seen.at(-1)!.host, `localhost:${srv.port}`);
  });

  it('redirect modes: manual returns the 302, error rejects, more than 20 rejects, a stream body cannot follow a 307', async () => {
    const manual = await client.fetch(srv.url('/redirect?to=/echo'), { redirect: 'manual' });
    assert.equal(manual.status, 302);
    assert.equal(manual.headers.get('location'), '/echo');
    await manual.text();
    await assert.rejects(client.fetch(srv.url('/redirect?to=/echo'), { redirect: 'error' }), (e) => e instanceof TypeError && causeCode(e) === 'http/redirect_refused');
    await assert.rejects(client.fetch(srv.url('/loop')), (e) => e instanceof TypeError && causeCode(e) === 'http/too_many_redirects');
    assert.equal(srv.seen.filter((s) => s.url === '/loop').length, 21);
    const stream = new ReadableStream<Uint8Array>({ start(c) { c.enqueue(new Uint8Array([1, 2, 3])); c.close(); } });
    await assert.rejects(client.fetch(srv.url('/redirect?status=307&to=/echo'), { method: 'POST', body: stream, duplex: 'half' } as RequestInit),
      (e) => e instanceof TypeError && causeCode(e) === 'http/stream_body_redirect');
    await assert.rejects(client.fetch(srv.url('/redirect?to=http%3A%2F%2F127.0.0.1%2F')), (e) => e instanceof TypeError && causeCode(e) === 'http/unsupported_scheme');
  });

  it('AbortSignal: before the response, and while the body streams; the connection is discarded', async () => {
    const early = new AbortController();
    const pending = client.fetch(srv.url('/slow'), { signal: early.signal });
    const res = await pending;
    const reader = res.body!.getReader();
    assert.equal(new TextDecoder().decode((await reader.read()).value), 'first ');
    early.abort();
    await assert.rejects(reader.read(), (e: Error) => e.name === 'AbortError');
    await assert.rejects(client.fetch(srv.url('/echo'), { signal: AbortSignal.abort() }), (e: Error) => e.name === 'AbortError');
    const timeout = client.fetch(srv.url('/slow'), { signal: AbortSignal.timeout(300) }).then((r) => r.text());
    await assert.rejects(timeout, (e: Error) => e.name === 'TimeoutError');
    assert.equal((await client.fetch(srv.url('/echo'))).status, 200);
  });

  it('TLS failures reject like the platform fetch: TypeError("fetch failed") with the TlsError as cause', async () => {
    const wrongCa = client.fetch(srv.url('/echo'), { tls: { ca: clientText('client-ca-B.crt') } });
    await assert.rejects(wrongCa, (e) => e instanceof TypeError && e.message === 'fetch failed' && (e as { cause: unknown }).cause instanceof TlsError && /^unknown_ca\//.test(String(causeCode(e))));
    const wrongName = client.fetch(srv.url('/echo'), { tls: { servername: 'other.example' } });
    await assert.rejects(wrongName, (e) => e instanceof TypeError && causeCode(e) === 'bad_certificate/hostname_mismatch');
    await assert.rejects(client.fetch('http://127.0.0.1:1/'), (e) => e instanceof TypeError && causeCode(e) === 'http/unsupported_scheme');
  });

  it('the module-level fetch uses a default Client', async () => {
    const res = await moduleFetch(srv.url('/echo'), { tls: identity('client-ecdsa-p384') });
    assert.equal((await res.json() as { cn: string }).cn, 'client-ecdsa-p384');
  });

  it('through an HTTP CONNECT proxy (tinyproxy) with Proxy-Authorization', async function () {
    if (!requirePeer(this, 'tinyproxy', ['-v'])) this.skip();
    const proxy = await startTinyproxy({ auth: ['isotls', 's3cret'] });
    const viaProxy = new Client({ tls: identity('client-ecdsa-p256'), proxy: `http://isotls:s3cret@127.0.0.1:${proxy.port}`, http2: false });
    try {
      const body = await (await viaProxy.fetch(srv.url('/echo'))).json() as { cn: string };
      assert.equal(body.cn, 'client-ecdsa-p256');
      assert.equal((await viaProxy.fetch(srv.url('/echo'))).status, 200);
      assert.equal(new Set(srv.seen.map((s) => s.port)).size, 1, 'the tunnel is kept alive too');
      const bad = new Client({ tls: TRUST, proxy: `http://isotls:wrong@127.0.0.1:${proxy.port}` });
      await assert.rejects(bad.fetch(srv.url('/echo')), (e) => e instanceof TypeError && causeCode(e) === 'transport/proxy_refused' && / 40[17] /.test(String((e as { cause: Error }).cause.message)));
      await bad.close();
    } finally { await viaProxy.close(); await proxy.stop(); }
  });
});
