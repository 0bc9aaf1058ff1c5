import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { connect, TlsError } from '../../src/index.js';
import { toNodeDuplex } from '../../src/transport/node-tcp.js';
import { startNodeTlsServer } from '../helpers/node-server.js';
import { ROOT_CA, serverIdentity } from '../helpers/pki.js';

/**
 * `toNodeDuplex` (isotls/transport/node): an isotls connection handed to Node's
 * own HTTP client through `createConnection`, against Node's https server.
 */
describe('toNodeDuplex: an isotls connection as a Node socket', function () {
  this.timeout(30000);
  let server: https.Server;
  let port = 0;
  const seen: { alpn: string | false; authorizedClient: boolean }[] = [];
  before(async () => {
    const id = serverIdentity('ecdsa');
    server = https.createServer({ cert: id.cert, key: id.key, ALPNProtocols: ['http/1.1'] }, (req, res) => {
      seen.push({ alpn: (req.socket as unknown as { alpnProtocol: string | false }).alpnProtocol, authorizedClient: false });
      const hash = createHash('sha256');
      let bytes = 0;
      req.on('data', (d: Buffer) => { hash.update(d); bytes += d.length; });
      req.on('end', () => {
        const body = req.method === 'POST' ? `${bytes} ${hash.digest('hex')}` : `hello ${req.url}`;
        res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' }).end(req.url === '/big' ? Buffer.alloc(1 << 20, 0x61) : body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

  const request = (method: string, path: string, body?: Uint8Array) => new Promise<{ status: number; body: Buffer; socket: Socket }>((resolve, reject) => {
    const req = http.request({
      method, host: '127.0.0.1', port, path, headers: { host: 'isotls.test' },
      // the async form: Node waits for the callback before it writes the request
      createConnection: ((_o: unknown, cb: (err: Error | null, s?: Socket) => void) => {
        connect({ host: '127.0.0.1', port, servername: 'isotls.test', ca: ROOT_CA(), ALPNProtocols: ['http/1.1'] })
          .then((conn) => cb(null, toNodeDuplex(conn) as unknown as Socket), (e: Error) => cb(e));
        return undefined;
      }) as unknown as http.RequestOptions['createConnection'],
    }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(parts), socket: req.socket as Socket }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });

  it('http.request({ createConnection }) GETs over it, with ALPN, and the socket reports TLS facts', async () => {
    const r = await request('GET', '/path?q=1');
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), 'hello /path?q=1');
    assert.equal((r.socket as unknown as { encrypted: boolean }).encrypted, true);
    assert.equal((r.socket as unknown as { alpnProtocol: string }).alpnProtocol, 'http/1.1');
    assert.equal((r.socket as unknown as { authorized: boolean }).authorized, true);
    assert.equal(seen.at(-1)!.alpn, 'http/1.1');
  });

  it('moves 1 MiB each way with backpressure (POST body hashed by the server; a 1 MiB response)', async () => {
    const body = new Uint8Array(1 << 20).map((_, i) => (i * 31) & 0xff);
    const up = await request('POST', '/upload', body);
    assert.equal(up.body.toString(), `${body.length} ${createHash('sha256').update(body).digest('hex')}`);
    const down = await request('GET', '/big');
    assert.equal(down.body.length, 1 << 20);
    assert.ok(down.body.every((b) => b === 0x61));
  });

  it('end() sends close_notify, and the server sees a clean end', async () => {
    let serverEnded!: () => void;
    const cleanEnd = new Promise<void>((r) => { serverEnded = r; });
    const srv = await startNodeTlsServer({ handler: (s) => { s.on('end', () => serverEnded()); s.resume(); } });
    try {
      const conn = await connect({ host: '127.0.0.1', port: srv.port, servername: 'isotls.test', ca: ROOT_CA() });
      const socket = toNodeDuplex(conn);
      socket.end(new Uint8Array([1, 2, 3]));
      await cleanEnd;
      await assert.rejects(conn.write(new Uint8Array([1])), (e: TlsError) => e.code === 'closed/write_after_close');
    } finally { await srv.close(); }
  });

  it('a TLS failure under the stream destroys it with the TlsError', async () => {
    // the server drops TCP mid-stream without close_notify: a truncation isotls reports
    const srv = await startNodeTlsServer({ handler: (s) => { s.write('partial'); setTimeout(() => s.destroy(), 50); } });
    try {
      const conn = await connect({ host: '127.0.0.1', port: srv.port, servername: 'isotls.test', ca: ROOT_CA() });
      const socket = toNodeDuplex(conn);
      const failed = new Promise<Error>((resolve) => socket.once('error', resolve));
      const got: Buffer[] = [];
      socket.on('data', (d: Buffer) => got.push(d));
      const err = await failed;
      assert.equal(Buffer.concat(got).toString(), 'partial');
      assert.ok(err instanceof TlsError, String(err));
      assert.equal(err.code, 'transport/closed_without_close_notify');
    } finally { await srv.close(); }
  });
});
