import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { Client } from '../../src/http/index.js';
import { encodeFrame, FLAG, FRAME, settingsPayload, u32Bytes } from '../../src/http/h2/frames.js';
import { HpackEncoder } from '../../src/http/h2/hpack.js';
import { ROOT_CA, serverIdentity } from '../helpers/pki.js';

interface Received { type: number; flags: number; stream: number; payload: Buffer }
type Script = (w: (bytes: Uint8Array) => void, stream: number, ctx: { hpack: HpackEncoder; headers: (fields: [string, string][], flags: number, stream: number) => Uint8Array }) => void;

/**
 * A TLS server speaking raw HTTP/2 frames by script: it reads the client's
 * preface and frames, answers SETTINGS with its own and an ACK, and calls the
 * script for each request's HEADERS. It records every frame the client sent
 * (to check the GOAWAY or RST_STREAM our client answered with).
 */
async function scriptedH2(script: Script, preface: Uint8Array = encodeFrame(FRAME.SETTINGS, 0, 0, settingsPayload([[3, 100]]))) {
  const received: Received[] = [];
  const sockets: tls.TLSSocket[] = [];
  const id = serverIdentity('ecdsa');
  const server = tls.createServer({ cert: id.cert, key: id.key, ALPNProtocols: ['h2'] }, (socket) => {
    sockets.push(socket);
    const hpack = new HpackEncoder();
    const headers = (fields: [string, string][], flags: number, stream: number) => encodeFrame(FRAME.HEADERS, flags | FLAG.END_HEADERS, stream, hpack.encode(fields));
    let buf = Buffer.alloc(0);
    let prefaceSeen = false;
    const w = (b: Uint8Array) => { if (!socket.destroyed) socket.write(b); };
    w(preface);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!prefaceSeen) { if (buf.length < 24) return; buf = buf.subarray(24); prefaceSeen = true; }
      while (buf.length >= 9) {
        const len = buf.readUIntBE(0, 3);
        if (buf.length < 9 + len) break;
        const f: Received = { type: buf[3]!, flags: buf[4]!, stream: buf.readUInt32BE(5) & 0x7fffffff, payload: buf.subarray(9, 9 + len) };
        buf = buf.subarray(9 + len);
        received.push(f);
        if (f.type === FRAME.SETTINGS && !(f.flags & FLAG.ACK)) w(encodeFrame(FRAME.SETTINGS, FLAG.ACK, 0));
        if (f.type === FRAME.HEADERS) script(w, f.stream, { hpack, headers });
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}/`, received, sockets,
    /** The error code of the GOAWAY our client sent, once it has arrived. */
    goaway: async () => {
      for (let i = 0; i < 100; i++) {
        const g = received.find((f) => f.type === FRAME.GOAWAY);
        if (g) return g.payload.readUInt32BE(4);
        await new Promise((r) => setTimeout(r, 10));
      }
      return undefined;
    },
    rst: async (stream: number) => {
      for (let i = 0; i < 100; i++) {
        const g = received.find((f) => f.type === FRAME.RST_STREAM && f.stream === stream);
        if (g) return g.payload.readUInt32BE(0);
        await new Promise((r) => setTimeout(r, 10));
      }
      return undefined;
    },
    close: async () => { for (const s of sockets) s.destroy(); await new Promise<void>((r) => server.close(() => r())); },
  };
}

const OK: [string, string][] = [[':status', '200'], ['content-length', '2']];
const causeCode = (e: unknown): string | undefined => ((e as { cause?: { code?: string } }).cause)?.code;
const H2 = { PROTOCOL_ERROR: 1, FLOW_CONTROL_ERROR: 3, FRAME_SIZE_ERROR: 6, CANCEL: 8, COMPRESSION_ERROR: 9, ENHANCE_YOUR_CALM: 11 };

/** Connection errors: the fetch fails with the code and our client ends the connection with GOAWAY carrying the RFC's error. */
const CONNECTION_ERRORS: [string, Script, string, number][] = [
  ['a CONTINUATION flood (endless header block)', (w, s, { hpack }) => {
    w(encodeFrame(FRAME.HEADERS, 0, s, hpack.encode([[':status', '200']])));
    for (let i = 0; i < 100; i++) w(encodeFrame(FRAME.CONTINUATION, 0, s, new Uint8Array(100).fill(0x40 | 0)));
  }, 'http/h2_enhance_your_calm', H2.ENHANCE_YOUR_CALM],
  ['a PING flood', (w) => { for (let i = 0; i < 1500; i++) w(encodeFrame(FRAME.PING, 0, 0, new Uint8Array(8))); }, 'http/h2_enhance_your_calm', H2.ENHANCE_YOUR_CALM],
  ['a SETTINGS flood', (w) => { for (let i = 0; i < 1500; i++) w(encodeFrame(FRAME.SETTINGS, 0, 0)); }, 'http/h2_enhance_your_calm', H2.ENHANCE_YOUR_CALM],
  ['PUSH_PROMISE after we disabled push', (w, s) => w(encodeFrame(FRAME.PUSH_PROMISE, FLAG.END_HEADERS, s, u32Bytes(2))), 'http/h2_protocol_error', H2.PROTOCOL_ERROR],
  ['a frame larger than our SETTINGS_MAX_FRAME_SIZE', (w, s, { headers }) => { w(headers(OK, 0, s)); w(encodeFrame(FRAME.DATA, 0, s, new Uint8Array(16385))); }, 'http/h2_frame_size_error', H2.FRAME_SIZE_ERROR],
  ['a header block that is not valid HPACK', (w, s) => w(encodeFrame(FRAME.HEADERS, FLAG.END_HEADERS, s, Uint8Array.from([0x80]))), 'http/h2_compression_error', H2.COMPRESSION_ERROR],
  ['SETTINGS_MAX_FRAME_SIZE below 16384', (w) => w(encodeFrame(FRAME.SETTINGS, 0, 0, settingsPayload([[5, 100]]))), 'http/h2_protocol_error', H2.PROTOCOL_ERROR],
  ['SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1', (w) => w(encodeFrame(FRAME.SETTINGS, 0, 0, settingsPayload([[4, 2 ** 31]]))), 'http/h2_flow_control_error', H2.FLOW_CONTROL_ERROR],
  ['a connection window overflow', (w) => { w(encodeFrame(FRAME.WINDOW_UPDATE, 0, 0, u32Bytes(2 ** 31 - 1))); }, 'http/h2_flow_control_error', H2.FLOW_CONTROL_ERROR],
  ['a frame for a stream we never opened', (w, s, { headers }) => w(headers(OK, FLAG.END_STREAM, s + 2)), 'http/h2_protocol_error', H2.PROTOCOL_ERROR],
  ['a header block interrupted by another frame', (w, s, { hpack }) => { w(encodeFrame(FRAME.HEADERS, 0, s, hpack.encode([[':status', '200']]))); w(encodeFrame(FRAME.PING, 0, 0, new Uint8Array(8))); }, 'http/h2_protocol_error', H2.PROTOCOL_ERROR],
];

/** Stream errors: the fetch (or its body) fails; the stream is reset; the connection serves the next request. */
const STREAM_ERRORS: [string, (s: number, ctx: Parameters<Script>[2]) => Uint8Array[], string, 'head' | 'body'][] = [
  ['an upper-case header name', (s, { headers }) => [headers([[':status', '200'], ['X-Upper', '1']], FLAG.END_STREAM, s)], 'http/h2_stream_error', 'head'],
  ['a connection-specific header (transfer-encoding)', (s, { headers }) => [headers([[':status', '200'], ['transfer-encoding', 'chunked']], FLAG.END_STREAM, s)], 'http/h2_stream_error', 'head'],
  ['a pseudo-header after a regular field', (s, { headers }) => [headers([['x-a', '1'], [':status', '200']], FLAG.END_STREAM, s)], 'http/h2_stream_error', 'head'],
  ['a response without :status', (s, { headers }) => [headers([['x-a', '1']], FLAG.END_STREAM, s)], 'http/h2_stream_error', 'head'],
  ['a header value with a CR LF (response splitting)', (s, { headers }) => [headers([[':status', '200'], ['x-a', 'one\r\nset-cookie: evil']], FLAG.END_STREAM, s)], 'http/bad_header_value', 'head'],
  ['DATA shorter than its Content-Length', (s, { headers }) => [headers([[':status', '200'], ['content-length', '10']], 0, s), encodeFrame(FRAME.DATA, FLAG.END_STREAM, s, new Uint8Array(3))], 'http/truncated_body', 'body'],
  ['DATA longer than its Content-Length', (s, { headers }) => [headers([[':status', '200'], ['content-length', '2']], 0, s), encodeFrame(FRAME.DATA, FLAG.END_STREAM, s, new Uint8Array(5))], 'http/bad_content_length', 'body'],
];

describe('isotls/fetch: HTTP/2 violations a server can commit are refused', function () {
  this.timeout(20000);

  for (const [name, script, code, goaway] of CONNECTION_ERRORS) {
    it(`${name}: ${code}, GOAWAY ${goaway}`, async () => {
      const srv = await scriptedH2(script);
      const client = new Client({ tls: { ca: ROOT_CA() } });
      try {
        const result = client.fetch(srv.url).then(async (r) => { await r.arrayBuffer(); return r; });
        await assert.rejects(result, (e) => e instanceof TypeError && causeCode(e) === code);
        assert.equal(await srv.goaway(), goaway);
      } finally { await client.close(); await srv.close(); }
    });
  }

  for (const [name, frames, code, where] of STREAM_ERRORS) {
    it(`${name}: ${code}; the stream is reset and the connection serves the next request`, async () => {
      let n = 0;
      const srv = await scriptedH2((w, s, ctx) => {
        if (n++ === 0) for (const f of frames(s, ctx)) w(f);
        else { w(ctx.headers(OK, 0, s)); w(encodeFrame(FRAME.DATA, FLAG.END_STREAM, s, new TextEncoder().encode('ok'))); }
      });
      const client = new Client({ tls: { ca: ROOT_CA() } });
      try {
        if (where === 'head') await assert.rejects(client.fetch(srv.url), (e) => e instanceof TypeError && causeCode(e) === code);
        else await assert.rejects((await client.fetch(srv.url)).arrayBuffer(), (e) => e instanceof TypeError && causeCode(e) === code);
        assert.equal(await srv.rst(1), H2.PROTOCOL_ERROR);
        assert.equal(await (await client.fetch(srv.url)).text(), 'ok');
        assert.equal(srv.sockets.length, 1, 'the same connection');
        assert.equal(srv.received.some((f) => f.type === FRAME.GOAWAY), false);
      } finally { await client.close(); await srv.close(); }
    });
  }

  it('DATA beyond the stream window (4 MiB, never granted back while unread): the stream is reset with FLOW_CONTROL_ERROR', async () => {
    const srv = await scriptedH2((w, s, { headers }) => {
      w(headers([[':status', '200']], 0, s));
      const chunk = new Uint8Array(16384);
      for (let i = 0; i < 300; i++) w(encodeFrame(FRAME.DATA, 0, s, chunk)); // 4.9 MB > 4 MiB
    });
    const client = new Client({ tls: { ca: ROOT_CA() } });
    try {
      const res = await client.fetch(srv.url);
      assert.equal(await srv.rst(1), H2.FLOW_CONTROL_ERROR);
      await assert.rejects(res.arrayBuffer(), (e) => e instanceof TypeError && causeCode(e) === 'http/h2_flow_control_error');
    } finally { await client.close(); await srv.close(); }
  });

  it('answers PING with an ACK carrying the same bytes, and SETTINGS with an ACK', async () => {
    const srv = await scriptedH2((w, s, { headers }) => {
      w(encodeFrame(FRAME.PING, 0, 0, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])));
      w(headers(OK, 0, s));
      w(encodeFrame(FRAME.DATA, FLAG.END_STREAM, s, new TextEncoder().encode('ok')));
    });
    const client = new Client({ tls: { ca: ROOT_CA() } });
    try {
      assert.equal(await (await client.fetch(srv.url)).text(), 'ok');
      for (let i = 0; i < 100 && !srv.received.some((f) => f.type === FRAME.PING); i++) await new Promise((r) => setTimeout(r, 10));
      const ack = srv.received.find((f) => f.type === FRAME.PING);
      assert.deepEqual([...ack!.payload], [1, 2, 3, 4, 5, 6, 7, 8]);
      assert.equal(ack!.flags & FLAG.ACK, FLAG.ACK);
      assert.ok(srv.received.some((f) => f.type === FRAME.SETTINGS && f.flags & FLAG.ACK));
      const ours = srv.received.find((f) => f.type === FRAME.SETTINGS && !(f.flags & FLAG.ACK))!;
      const settings = new Map<number, number>();
      for (let i = 0; i < ours.payload.length; i += 6) settings.set(ours.payload.readUInt16BE(i), ours.payload.readUInt32BE(i + 2));
      assert.equal(settings.get(2), 0, 'SETTINGS_ENABLE_PUSH = 0');
      assert.equal(settings.get(6), 64 * 1024, 'SETTINGS_MAX_HEADER_LIST_SIZE');
    } finally { await client.close(); await srv.close(); }
  });

  it('cancelling many bodies in a row stops using the connection before it looks like a rapid-reset attack', async () => {
    const srv = await scriptedH2((w, s, { headers }) => { w(headers([[':status', '200']], 0, s)); w(encodeFrame(FRAME.DATA, 0, s, new Uint8Array(10))); });
    const client = new Client({ tls: { ca: ROOT_CA() }, maxConnectionsPerOrigin: 2 });
    try {
      for (let i = 0; i < 250; i++) await (await client.fetch(srv.url)).body!.cancel();
      const resets = srv.received.filter((f) => f.type === FRAME.RST_STREAM).length;
      assert.ok(resets >= 200, `${resets} resets sent`);
      assert.equal(srv.sockets.length, 2, 'a second connection took over after 200 resets on the first');
      for (let i = 0; i < 100 && !srv.sockets[0]!.destroyed && !srv.received.some((f) => f.type === FRAME.GOAWAY); i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(srv.received.some((f) => f.type === FRAME.GOAWAY), 'the first connection was closed with GOAWAY');
    } finally { await client.close(); await srv.close(); }
  });

  it('a server preface that does not start with SETTINGS: PROTOCOL_ERROR', async () => {
    const srv = await scriptedH2(() => undefined, encodeFrame(FRAME.PING, 0, 0, new Uint8Array(8)));
    const client = new Client({ tls: { ca: ROOT_CA() } });
    try {
      await assert.rejects(client.fetch(srv.url), (e) => e instanceof TypeError && causeCode(e) === 'http/h2_protocol_error');
      assert.equal(await srv.goaway(), H2.PROTOCOL_ERROR);
    } finally { await client.close(); await srv.close(); }
  });

  it('a stream that never gets its response: http/headers_timeout, the stream cancelled, the connection kept', async () => {
    let n = 0;
    const srv = await scriptedH2((w, s, { headers }) => {
      if (n++ === 0) return; // no answer
      w(headers(OK, 0, s)); w(encodeFrame(FRAME.DATA, FLAG.END_STREAM, s, new TextEncoder().encode('ok')));
    });
    const client = new Client({ tls: { ca: ROOT_CA() }, headersTimeoutMs: 300 });
    try {
      await assert.rejects(client.fetch(srv.url), (e) => e instanceof TypeError && causeCode(e) === 'http/headers_timeout');
      assert.equal(await srv.rst(1), H2.CANCEL);
      assert.equal(await (await client.fetch(srv.url)).text(), 'ok');
      assert.equal(srv.sockets.length, 1);
    } finally { await client.close(); await srv.close(); }
  });
});
