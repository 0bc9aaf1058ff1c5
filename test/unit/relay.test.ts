import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import * as net from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect, TlsError } from '../../src/index.js';
import { createRelay } from '../../src/relay/index.js';
import { encodeClose, encodeFrame, FrameDecoder, FrameError, Opcode } from '../../src/relay/frames.js';
import { websocketTransport, relayUrl } from '../../src/transport/websocket.js';
import { startNodeTlsServer } from '../helpers/node-server.js';
import { ROOT_CA } from '../helpers/pki.js';
import { readExactly } from '../helpers/data.js';
import { ROOT } from '../helpers/vectors.js';

const execFileP = promisify(execFile);

/** A masked client frame, as a browser would send it. */
function clientFrame(opcode: number, payload: Uint8Array, o: { fin?: boolean; mask?: boolean } = {}): Uint8Array {
  const n = payload.length;
  const ext = n < 126 ? 0 : n < 65536 ? 2 : 8;
  const mask = o.mask ?? true;
  const out = new Uint8Array(2 + ext + (mask ? 4 : 0) + n);
  out[0] = ((o.fin ?? true) ? 0x80 : 0) | opcode;
  out[1] = (mask ? 0x80 : 0) | (n < 126 ? n : n < 65536 ? 126 : 127);
  if (ext === 2) { out[2] = n >> 8; out[3] = n & 255; }
  if (ext === 8) new DataView(out.buffer).setUint32(6, n);
  const key = mask ? randomBytes(4) : new Uint8Array(4);
  if (mask) out.set(key, 2 + ext);
  for (let i = 0; i < n; i++) out[2 + ext + (mask ? 4 : 0) + i] = payload[i]! ^ key[i & 3]!;
  return out;
}

/** A raw WebSocket client over node:net: sends the upgrade, then lets the test write frames and read what comes back. */
async function rawClient(port: number, path: string, headers: Record<string, string> = {}) {
  const sock = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((r) => sock.once('connect', () => r()));
  const key = randomBytes(16).toString('base64');
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`);
  let buf = Buffer.alloc(0);
  sock.on('data', (d: Buffer) => { buf = Buffer.concat([buf, d]); });
  const ended = new Promise<void>((r) => { sock.on('close', () => r()); });
  return {
    sock, key, ended,
    received: () => buf,
    /** The HTTP status line and, after it, the close code of the first close frame (if any). */
    async result(): Promise<{ status: string; closeCode?: number; closeReason?: string; accept?: string }> {
      await Promise.race([ended, new Promise((r) => setTimeout(r, 3000))]);
      const text = buf.toString('latin1');
      const headEnd = text.indexOf('\r\n\r\n');
      const status = text.slice(0, text.indexOf('\r\n'));
      const accept = /Sec-WebSocket-Accept: (\S+)/i.exec(text)?.[1];
      let p = headEnd + 4;
      while (p + 2 <= buf.length) {
        const op = buf[p]! & 15; let len = buf[p + 1]! & 127; let off = p + 2;
        if (len === 126) { len = buf.readUInt16BE(p + 2); off += 2; } else if (len === 127) { len = Number(buf.readBigUInt64BE(p + 2)); off += 8; }
        if (op === Opcode.close) return { status, accept, closeCode: buf.readUInt16BE(off), closeReason: buf.subarray(off + 2, off + len).toString() };
        p = off + len;
      }
      return { status, ...(accept ? { accept } : {}) };
    },
  };
}

/** A plain TCP server that records everything it receives. */
async function recordingServer() {
  const got: Buffer[] = [];
  const server = net.createServer((s) => { s.on('data', (d) => got.push(d)); s.on('error', () => undefined); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as net.AddressInfo).port, got, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('relay: WebSocket frames (RFC 6455)', () => {
  it('decodes masked frames of every length form, split across pushes', () => {
    for (const n of [0, 1, 125, 126, 65535, 65536, 200_000]) {
      const payload = randomBytes(n);
      const frame = clientFrame(Opcode.binary, payload);
      const d = new FrameDecoder(1 << 20);
      const cut = Math.floor(frame.length / 2);
      d.push(frame.subarray(0, cut));
      if (cut < frame.length) assert.equal(d.next(), null, `incomplete frame of ${n}`);
      d.push(frame.subarray(cut));
      const f = d.next()!;
      assert.equal(f.opcode, Opcode.binary);
      assert.deepEqual(Buffer.from(f.payload), payload);
      assert.equal(d.next(), null);
    }
  });

  it('decodes in time linear in the input: a 4 MiB frame in 512-byte pieces, and many frames split at every byte', () => {
    // concatenating the buffer on every push copied ~16 GB for this input (minutes); chunk lists copy 4 MiB once
    const payload = randomBytes(4 << 20);
    const frame = clientFrame(Opcode.binary, payload);
    const d = new FrameDecoder(8 << 20);
    const start = performance.now();
    for (let p = 0; p < frame.length; p += 512) {
      d.push(frame.subarray(p, p + 512));
      if (p + 512 < frame.length) assert.equal(d.next(), null);
    }
    const f = d.next()!;
    const ms = performance.now() - start;
    assert.ok(Buffer.from(f.payload).equals(payload));
    assert.ok(ms < 2000, `took ${ms.toFixed(0)} ms`);
    // 200 small frames fed one byte at a time come out whole and in order
    const frames = Array.from({ length: 200 }, (_, i) => clientFrame(Opcode.binary, new Uint8Array(i + 1).fill(i & 0xff)));
    const all = Buffer.concat(frames.map((x) => Buffer.from(x)));
    const e = new FrameDecoder(1 << 20);
    const out: Uint8Array[] = [];
    for (const byte of all) { e.push(new Uint8Array([byte])); for (let x = e.next(); x; x = e.next()) out.push(x.payload); }
    assert.equal(out.length, 200);
    out.forEach((p, i) => assert.ok(p.length === i + 1 && p.every((v) => v === (i & 0xff)), `frame ${i}`));
  });

  it('refuses unmasked, oversized, reserved-bit, bad control and unknown frames with the right close code', () => {
    const code = (frame: Uint8Array, max = 1024) => {
      const d = new FrameDecoder(max); d.push(frame);
      try { d.next(); return 0; } catch (e) { assert.ok(e instanceof FrameError); return e.code; }
    };
    assert.equal(code(clientFrame(Opcode.binary, new Uint8Array(4), { mask: false })), 1002);
    assert.equal(code(clientFrame(Opcode.binary, new Uint8Array(2000))), 1009);
    const rsv = clientFrame(Opcode.binary, new Uint8Array(1)); rsv[0]! |= 0x40;
    assert.equal(code(rsv), 1002);
    assert.equal(code(clientFrame(Opcode.ping, new Uint8Array(126))), 1002);
    assert.equal(code(clientFrame(Opcode.ping, new Uint8Array(1), { fin: false })), 1002);
    assert.equal(code(clientFrame(0x3, new Uint8Array(1))), 1002);
    const huge = new Uint8Array([0x82, 0xff, 0, 0, 0, 1, 0, 0, 0, 0]);
    assert.equal(code(huge), 1009);
  });

  it('encodes server frames and close frames the client side can parse', () => {
    const f = encodeFrame(Opcode.binary, new Uint8Array(70_000));
    assert.deepEqual([...f.subarray(0, 2)], [0x82, 127]);
    assert.equal(new DataView(f.buffer).getUint32(6), 70_000);
    const c = encodeClose(1008, 'x'.repeat(300));
    assert.equal(c[1], 125, 'close reason cut to the control frame limit');
  });
});

describe('relay: WebSocket → TCP with an allowlist', function () {
  this.timeout(30_000);

  it('carries a TLS 1.3 connection end to end (websocketTransport, and connect({ relay }))', async () => {
    const srv = await startNodeTlsServer();
    const relay = createRelay({ allow: [`127.0.0.1:${srv.port}`] });
    const { url } = await relay.listen();
    try {
      const transport = await websocketTransport(relayUrl(url, '127.0.0.1', srv.port));
      const a = await connect({ transport, servername: 'isotls.test', ca: ROOT_CA() });
      await a.write(new TextEncoder().encode('through the relay'));
      assert.equal(new TextDecoder().decode(await readExactly(() => a.read(), 17)), 'through the relay');
      await a.close();
      const b = await connect({ host: '127.0.0.1', port: srv.port, relay: url, servername: 'isotls.test', ca: ROOT_CA() });
      const big = randomBytes(300_000);
      await b.write(big);
      assert.deepEqual(Buffer.from(await readExactly(() => b.read(), big.length)), big);
      await b.close();
      assert.equal(relay.stats.accepted, 2);
      assert.ok(relay.stats.bytes > 600_000);
    } finally {
      await relay.close();
      await srv.close();
    }
  });

  it('works on Node 20 without --experimental-websocket: connect({ relay }) takes the `ws` package', async () => {
    const srv = await startNodeTlsServer();
    const relay = createRelay({ allow: [`127.0.0.1:${srv.port}`] });
    const { url } = await relay.listen();
    try {
      const script = join(ROOT, 'test/helpers/relay-client-node20.ts');
      // no --experimental-websocket here (mocha's own Node has it): this Node has no global WebSocket
      const { stdout } = await execFileP(process.execPath, ['--import', 'tsx', script, url, String(srv.port)], { cwd: ROOT, timeout: 30_000 });
      const r = JSON.parse(stdout.trim().split('\n').pop()!) as { hadGlobal: boolean; text: string; version: string };
      if (process.versions.node.startsWith('20.')) assert.equal(r.hadGlobal, false, 'Node 20 without the flag has no global WebSocket');
      assert.equal(r.text, 'node20 via ws');
      assert.equal(r.version, 'TLSv1.3');
      assert.equal(relay.stats.accepted, 1);
    } finally {
      await relay.close();
      await srv.close();
    }
  });

  it('refuses a target outside the allowlist with a close reason the client reports', async () => {
    const relay = createRelay({ allow: ['127.0.0.1:1'] });
    const { url } = await relay.listen();
    try {
      await assert.rejects(connect({ host: '127.0.0.1', port: 2, relay: url, ca: ROOT_CA() }),
        (e: TlsError) => e instanceof TlsError && e.code === 'transport/relay_refused' && /not in the relay's allowlist/.test(e.message));
      // The default allowlist is loopback only.
      const dflt = createRelay();
      const d = await dflt.listen();
      const c = await rawClient(d.port, '/?target=example.com:443');
      const r = await c.result();
      assert.equal(r.closeCode, 1008);
      assert.match(r.closeReason!, /allowlist/);
      await dflt.close();
    } finally {
      await relay.close();
    }
  });

  it('answers the upgrade with the RFC 6455 accept key, and refuses foreign origins before upgrading', async () => {
    const target = await recordingServer();
    const relay = createRelay({ allow: [`127.0.0.1:${target.port}`] });
    const { port } = await relay.listen();
    try {
      const ok = await rawClient(port, `/?target=127.0.0.1:${target.port}`, { Origin: 'http://127.0.0.1:5173' });
      ok.sock.end(clientFrame(Opcode.close, new Uint8Array([3, 232])));
      const r = await ok.result();
      assert.match(r.status, /101/);
      assert.equal(r.accept, createHash('sha1').update(ok.key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64'));
      const evil = await rawClient(port, `/?target=127.0.0.1:${target.port}`, { Origin: 'https://evil.example' });
      assert.match((await evil.result()).status, /403/);
      const plain = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(plain.status, 426);
    } finally {
      await relay.close();
      await target.close();
    }
  });

  it('is not a generic proxy: non-TLS first bytes and text frames are refused and never reach the target', async () => {
    const target = await recordingServer();
    const relay = createRelay({ allow: [`127.0.0.1:${target.port}`] });
    const { port } = await relay.listen();
    try {
      const c = await rawClient(port, `/?target=127.0.0.1:${target.port}`);
      c.sock.write(clientFrame(Opcode.binary, new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n')));
      const r = await c.result();
      assert.equal(r.closeCode, 1008);
      assert.match(r.closeReason!, /not a TLS handshake record/);
      const t = await rawClient(port, `/?target=127.0.0.1:${target.port}`);
      t.sock.write(clientFrame(Opcode.text, new TextEncoder().encode('hi')));
      assert.equal((await t.result()).closeCode, 1003);
      const u = await rawClient(port, `/?target=127.0.0.1:${target.port}`);
      u.sock.write(clientFrame(Opcode.binary, new Uint8Array([0x16, 3, 1]), { mask: false }));
      assert.equal((await u.result()).closeCode, 1002);
      await new Promise((res) => setTimeout(res, 100));
      assert.equal(Buffer.concat(target.got).length, 0, 'the target received nothing');
    } finally {
      await relay.close();
      await target.close();
    }
  });

  it('limits concurrent connections and bytes per connection', async () => {
    const target = await recordingServer();
    const relay = createRelay({ allow: [`127.0.0.1:${target.port}`], maxConnections: 1, maxBytesPerConnection: 1000 });
    const { port } = await relay.listen();
    try {
      const first = await rawClient(port, `/?target=127.0.0.1:${target.port}`);
      await new Promise((res) => setTimeout(res, 100));
      const second = await rawClient(port, `/?target=127.0.0.1:${target.port}`);
      const r2 = await second.result();
      assert.equal(r2.closeCode, 1013);
      assert.match(r2.closeReason!, /connection limit/);
      first.sock.write(clientFrame(Opcode.binary, new Uint8Array([0x16, 3, 1, ...new Uint8Array(600)])));
      first.sock.write(clientFrame(Opcode.binary, new Uint8Array(600)));
      const r1 = await first.result();
      assert.equal(r1.closeCode, 1009);
      assert.match(r1.closeReason!, /byte limit/);
      assert.ok(Buffer.concat(target.got).length <= 1000, 'no more than the limit was forwarded');
    } finally {
      await relay.close();
      await target.close();
    }
  });

  it('a target that closes in the middle of a record is a clear TLS error, not a hang', async () => {
    // The "server" sends the first 3 bytes of a ServerHello record and closes.
    const server = net.createServer((s) => { s.once('data', () => s.end(Buffer.from([0x16, 3, 3]))); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    const relay = createRelay({ allow: [`127.0.0.1:${port}`] });
    const { url } = await relay.listen();
    try {
      await assert.rejects(connect({ host: '127.0.0.1', port, relay: url, ca: ROOT_CA(), handshakeTimeout: 5000 }),
        (e: TlsError) => e instanceof TlsError && e.code === 'transport/truncated_record');
    } finally {
      await relay.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
