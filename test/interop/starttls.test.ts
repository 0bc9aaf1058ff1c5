import assert from 'node:assert/strict';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { connect } from '../../src/index.js';
import { nodeSocketTransport } from '../../src/transport/node-tcp.js';
import { ROOT_CA, serverIdentity } from '../helpers/pki.js';

/**
 * An SMTP server (RFC 3207) scripted with node:net: greeting, EHLO advertising
 * STARTTLS, "220 Ready", then TLS on the same socket (node:tls TLSSocket), then
 * SMTP again inside it. Records what it saw.
 */
async function smtpServer() {
  const seen: string[] = [];
  const id = serverIdentity('ecdsa');
  const server = net.createServer((plain) => {
    plain.on('error', () => undefined);
    plain.write('220 isotls.test ESMTP ready\r\n');
    let buf = '';
    const onPlain = (d: Buffer) => {
      buf += d.toString('latin1');
      for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
        const line = buf.slice(0, i); buf = buf.slice(i + 2);
        seen.push(`plain: ${line}`);
        if (/^EHLO /i.test(line)) plain.write('250-isotls.test\r\n250 STARTTLS\r\n');
        else if (/^STARTTLS$/i.test(line)) {
          plain.off('data', onPlain);
          plain.write('220 Ready to start TLS\r\n');
          const secure = new tls.TLSSocket(plain, { isServer: true, cert: id.cert, key: id.key });
          secure.on('error', () => undefined);
          let inner = '';
          secure.on('data', (x: Buffer) => {
            inner += x.toString('latin1');
            for (let j = inner.indexOf('\r\n'); j >= 0; j = inner.indexOf('\r\n')) {
              const l = inner.slice(0, j); inner = inner.slice(j + 2);
              seen.push(`tls ${secure.getProtocol()}: ${l}`);
              if (/^EHLO /i.test(l)) secure.write('250 isotls.test at your service\r\n');
              else if (/^QUIT$/i.test(l)) secure.end('221 bye\r\n');
            }
          });
        } else plain.write('502 not here\r\n');
      }
    };
    plain.on('data', onPlain);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Reads CRLF lines from a plaintext socket until one matches `done`. */
function lines(socket: net.Socket) {
  let buf = '';
  const waiting: { done: RegExp; resolve: (l: string[]) => void }[] = [];
  const got: string[] = [];
  socket.on('data', (d: Buffer) => {
    buf += d.toString('latin1');
    for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) { got.push(buf.slice(0, i)); buf = buf.slice(i + 2); }
    const w = waiting[0];
    if (w && got.some((l) => w.done.test(l))) { waiting.shift(); w.resolve(got.splice(0)); }
  });
  return (done: RegExp) => new Promise<string[]>((resolve) => { waiting.push({ done, resolve }); socket.emit('data', Buffer.alloc(0)); });
}

describe('STARTTLS: TLS over a socket that already spoke plaintext (SMTP, RFC 3207)', function () {
  this.timeout(20000);

  it('EHLO, STARTTLS, then isotls on the same socket (nodeSocketTransport), authenticated, and SMTP inside TLS', async () => {
    const srv = await smtpServer();
    try {
      const socket = net.connect({ host: '127.0.0.1', port: srv.port });
      await new Promise((r) => socket.once('connect', r));
      const until = lines(socket);
      assert.match((await until(/^220 /))[0]!, /^220 isotls\.test/);
      socket.write('EHLO client.example\r\n');
      assert.ok((await until(/^250 /)).includes('250 STARTTLS'));
      socket.write('STARTTLS\r\n');
      await until(/^220 Ready/);
      socket.removeAllListeners('data'); // from here on the bytes are TLS, read by isotls
      const conn = await connect({ transport: nodeSocketTransport(socket), servername: 'isotls.test', ca: ROOT_CA() });
      assert.equal(conn.info.authorized, true);
      assert.equal(conn.info.version, 'TLSv1.3');
      await conn.write(new TextEncoder().encode('EHLO client.example\r\nQUIT\r\n'));
      let text = '';
      while (!text.includes('221 bye')) {
        const c = await conn.read();
        if (c === null) break;
        text += new TextDecoder().decode(c);
      }
      assert.match(text, /^250 isotls\.test at your service\r\n221 bye\r\n$/);
      await conn.close();
      assert.deepEqual(srv.seen, ['plain: EHLO client.example', 'plain: STARTTLS', 'tls TLSv1.3: EHLO client.example', 'tls TLSv1.3: QUIT']);
    } finally { await srv.close(); }
  });
});
