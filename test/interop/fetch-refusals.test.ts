import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { Client } from '../../src/http/index.js';
import { TlsError } from '../../src/index.js';
import { ROOT_CA, serverIdentity } from '../helpers/pki.js';

/**
 * A TLS server (Node's tls) that answers each HTTP request with scripted
 * bytes: the responses request smuggling and response splitting are made of.
 * `answers[i]` answers the i-th request overall; a function may end or keep
 * the socket. Counts connections, so a test can see a connection discarded.
 */
async function scriptedServer(answers: ((socket: tls.TLSSocket, request: string) => void)[]) {
  let served = 0;
  const connections: tls.TLSSocket[] = [];
  const requests: string[] = [];
  const id = serverIdentity('ecdsa');
  const server = tls.createServer({ cert: id.cert, key: id.key }, (socket) => {
    connections.push(socket);
    let buf = '';
    socket.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      for (let end = buf.indexOf('\r\n\r\n'); end >= 0; end = buf.indexOf('\r\n\r\n')) {
        const request = buf.slice(0, end);
        buf = buf.slice(end + 4);
        requests.push(request);
        const answer = answers[Math.min(served++, answers.length - 1)]!;
        answer(socket, request);
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path = '/') => `https://127.0.0.1:${port}${path}`,
    connections, requests,
    close: async () => { for (const s of connections) s.destroy(); await new Promise<void>((r) => server.close(() => r())); },
  };
}

const send = (text: string, end = false) => (s: tls.TLSSocket) => { s.write(Buffer.from(text, 'latin1')); if (end) s.end(); };
const OK = send('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
const causeCode = (e: unknown): string | undefined => ((e as { cause?: { code?: string } }).cause)?.code;
const bodyCauseCode = (e: unknown): string | undefined => ((e as { cause?: { code?: string } }).cause)?.code;

/** Each response the client must refuse, with the TlsError code it must carry. */
const HEAD_REFUSALS: [string, string, string][] = [
  ['Content-Length and Transfer-Encoding together', 'HTTP/1.1 200 OK\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n', 'http/content_length_and_transfer_encoding'],
  ['two different Content-Lengths', 'HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\nhello!', 'http/bad_content_length'],
  ['a Content-Length that is not a number', 'HTTP/1.1 200 OK\r\ncontent-length: +5\r\n\r\nhello', 'http/bad_content_length'],
  ['Transfer-Encoding other than chunked', 'HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\n\r\n0\r\n\r\n', 'http/unsupported_transfer_encoding'],
  ['obs-fold', 'HTTP/1.1 200 OK\r\nx-a: one\r\n two\r\ncontent-length: 0\r\n\r\n', 'http/obs_fold'],
  ['a bare LF line ending', 'HTTP/1.1 200 OK\ncontent-length: 0\n\n', 'http/bare_line_break'],
  ['a bare CR inside a header value', 'HTTP/1.1 200 OK\r\nx-a: one\rset-cookie: evil=1\r\ncontent-length: 0\r\n\r\n', 'http/bare_line_break'],
  ['a NUL in a header value', 'HTTP/1.1 200 OK\r\nx-a: o\u0000ne\r\ncontent-length: 0\r\n\r\n', 'http/bad_header_value'],
  ['whitespace before the colon', 'HTTP/1.1 200 OK\r\ncontent-length : 0\r\n\r\n', 'http/bad_header'],
  ['a status line that is not HTTP/1.x', 'HTTP/2 200 OK\r\ncontent-length: 0\r\n\r\n', 'http/bad_status_line'],
  ['a status outside 200–599', 'HTTP/1.1 600 Odd\r\ncontent-length: 0\r\n\r\n', 'http/bad_status'],
  ['101 Switching Protocols that was not asked for', 'HTTP/1.1 101 Switching Protocols\r\nupgrade: h2c\r\n\r\n', 'http/unexpected_upgrade'],
  ['a header section over the limit', `HTTP/1.1 200 OK\r\n${'x-pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n'.repeat(800)}content-length: 0\r\n\r\n`, 'http/header_too_large'],
  ['endless interim responses', 'HTTP/1.1 100 Continue\r\n\r\n'.repeat(40), 'http/too_many_interim_responses'],
  ['a connection closed in the middle of the head', 'HTTP/1.1 200 OK\r\ncontent-len', 'http/truncated_head'],
];

/** Responses whose head is fine but whose body must not be returned as complete. */
const BODY_REFUSALS: [string, string, string][] = [
  ['content shorter than its Content-Length', 'HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly this', 'http/truncated_body'],
  ['a chunk-size that is not hex', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5x\r\nhello\r\n0\r\n\r\n', 'http/bad_chunk'],
  ['a negative chunk-size', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n', 'http/bad_chunk'],
  ['a chunk-size too large for any body', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nfffffffffffffffff\r\nhello\r\n0\r\n\r\n', 'http/bad_chunk'],
  ['a chunk longer than its size', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n', 'http/bad_chunk'],
  ['other bytes where the CRLF after a chunk belongs', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabcXY3\r\ndef\r\n0\r\n\r\n', 'http/bad_chunk'],
  ['a chunk-size line ending in a bare LF', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n', 'http/bare_line_break'],
  ['a chunked body cut before the last chunk', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n', 'http/truncated_body'],
  ['trailers over the limit', `HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0\r\n${'x-trailer: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n'.repeat(2000)}\r\n`, 'http/header_too_large'],
];

describe('isotls/fetch: HTTP/1.1 responses used for smuggling and splitting are refused', function () {
  this.timeout(20000);

  for (const [name, response, code] of HEAD_REFUSALS) {
    it(`${name}: ${code}, and the connection is discarded`, async () => {
      const srv = await scriptedServer([send(response, code === 'http/truncated_head'), OK]);
      const client = new Client({ tls: { ca: ROOT_CA() }, http2: false });
      try {
        await assert.rejects(client.fetch(srv.url('/')), (e) => e instanceof TypeError && e.message === 'fetch failed' && causeCode(e) === code);
        const next = await client.fetch(srv.url('/next'));
        assert.equal(await next.text(), 'ok');
        assert.equal(srv.connections.length, 2, 'the refused response\'s connection was not reused');
      } finally { await client.close(); await srv.close(); }
    });
  }

  for (const [name, response, code] of BODY_REFUSALS) {
    it(`${name}: reading the body fails with ${code}; the connection is discarded`, async () => {
      const srv = await scriptedServer([send(response, code === 'http/truncated_body'), OK]);
      const client = new Client({ tls: { ca: ROOT_CA() }, http2: false });
      try {
        const res = await client.fetch(srv.url('/'));
        assert.equal(res.status, 200);
        await assert.rejects(res.arrayBuffer(), (e) => e instanceof TypeError && bodyCauseCode(e) === code);
        assert.equal(await (await client.fetch(srv.url('/next'))).text(), 'ok');
        assert.equal(srv.connections.length, 2);
      } finally { await client.close(); await srv.close(); }
    });
  }

  it('a body sent until close (no length) is complete only at the close, and its connection is not reused', async () => {
    const srv = await scriptedServer([send('HTTP/1.1 200 OK\r\n\r\nuntil the end', true), OK]);
    const client = new Client({ tls: { ca: ROOT_CA() }, http2: false });
    try {
      assert.equal(await (await client.fetch(srv.url('/'))).text(), 'until the end');
      assert.equal(await (await client.fetch(srv.url('/'))).text(), 'ok');
      assert.equal(srv.connections.length, 2);
    } finally { await client.close(); await srv.close(); }
  });

  it('a kept-alive connection the server closes without answering: an idempotent request is retried once on a fresh connection', async () => {
    // First request answered with keep-alive; the second, on the same connection, gets the socket closed.
    const srv = await scriptedServer([OK, (s) => s.destroy(), OK]);
    const client = new Client({ tls: { ca: ROOT_CA() }, http2: false });
    try {
      assert.equal(await (await client.fetch(srv.url('/a'))).text(), 'ok');
      assert.equal(await (await client.fetch(srv.url('/b'))).text(), 'ok');
      assert.equal(srv.connections.length, 2);
      assert.deepEqual(srv.requests.map((r) => r.split(' ')[1]), ['/a', '/b', '/b']);
    } finally { await client.close(); await srv.close(); }
  });

  it('a ReadableStream body is not retried: the stale connection\'s failure is reported', async () => {
    const srv = await scriptedServer([OK, (s) => s.destroy(), OK]);
    const client = new Client({ tls: { ca: ROOT_CA() }, http2: false });
    try {
      assert.equal(await (await client.fetch(srv.url('/a'))).text(), 'ok');
      const body = new ReadableStream<Uint8Array>({ start(c) { c.enqueue(new Uint8Array([1])); c.close(); } });
      await assert.rejects(client.fetch(srv.url('/b'), { method: 'POST', body, duplex: 'half' } as RequestInit), TypeError);
      assert.equal(srv.connections.length, 1);
    } finally { await client.close(); await srv.close(); }
  });

  it('an idle connection the server closes is dropped from the pool before it is needed', async () => {
    const srv = await scriptedServer([send('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok', true), OK]);
    const client = new Client({ tls: { ca: ROOT_CA() }, http2: false });
    try {
      assert.equal(await (await client.fetch(srv.url('/a'))).text(), 'ok');
      for (let i = 0; i < 50 && client.connectionStats().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(client.connectionStats(), []);
      assert.equal(await (await client.fetch(srv.url('/b'))).text(), 'ok');
      assert.deepEqual(srv.requests.map((r) => r.split(' ')[1]), ['/a', '/b'], 'no request was sent on the closed connection');
    } finally { await client.close(); await srv.close(); }
  });

  it('a server that never answers: http/headers_timeout after headersTimeoutMs; the connection is discarded', async () => {
    const srv = await scriptedServer([() => undefined, OK]);
    const client = new Client({ tls: { ca: ROOT_CA() }, http2: false, headersTimeoutMs: 300 });
    try {
      const t = Date.now();
      await assert.rejects(client.fetch(srv.url('/')), (e) => e instanceof TypeError && causeCode(e) === 'http/headers_timeout');
      assert.ok(Date.now() - t < 5000);
      assert.equal(await (await client.fetch(srv.url('/next'))).text(), 'ok');
      assert.equal(srv.connections.length, 2);
    } finally { await client.close(); await srv.close(); }
  });

  it('a body that stalls: reading it fails with http/body_timeout after bodyTimeoutMs', async () => {
    const srv = await scriptedServer([send('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npart'), OK]);
    const client = new Client({ tls: { ca: ROOT_CA() }, http2: false, bodyTimeoutMs: 300 });
    try {
      const res = await client.fetch(srv.url('/'));
      await assert.rejects(res.arrayBuffer(), (e) => e instanceof TypeError && causeCode(e) === 'http/body_timeout');
      assert.equal(await (await client.fetch(srv.url('/next'))).text(), 'ok');
      assert.equal(srv.connections.length, 2);
    } finally { await client.close(); await srv.close(); }
  });

  it('bad Client options are config errors naming the option, before anything is dialled', () => {
    for (const [options, name] of [[{ maxConnectionsPerOrigin: 0 }, 'maxConnectionsPerOrigin'], [{ headersTimeoutMs: Number.NaN }, 'headersTimeoutMs'], [{ bodyTimeoutMs: -1 }, 'bodyTimeoutMs'], [{ keepAliveMs: Infinity }, 'keepAliveMs'], [{ maxHeaderSize: 0 }, 'maxHeaderSize'], [{ http2: true }, 'http2']] as const) {
      assert.throws(() => new Client(options as ConstructorParameters<typeof Client>[0]), (e) => e instanceof TlsError && e.code === 'config/invalid_option' && e.message.includes(name), name);
    }
  });
});
