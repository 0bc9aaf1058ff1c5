import assert from 'node:assert/strict';
import { connect, type ConnectOptions, type TlsConnection } from '../../src/index.js';
import { requireGoPeer, startGoServer } from '../helpers/go-server.js';
import { startOpenSslServer } from '../helpers/openssl-server.js';
import { requirePeer } from '../helpers/peers.js';
import { pkiPath, ROOT_CA } from '../helpers/pki.js';

/**
 * 0-RTT early data (RFC 8446 §2.3, §4.2.10) against real servers: OpenSSL
 * with -early_data accepts it (and prints it as early data), a too-large
 * request is not sent as early data, and Go (which issues tickets without
 * early data) gets it after the handshake only with earlyDataRetry.
 */
const enc = new TextEncoder();
const base = (port: number): ConnectOptions => ({ host: '127.0.0.1', port, servername: 'localhost', ca: ROOT_CA(), minVersion: 'TLSv1.3' });

async function readLine(conn: TlsConnection): Promise<string> {
  let s = '';
  while (!s.includes('\n')) { const c = await conn.read(); if (!c) break; s += new TextDecoder().decode(c); }
  return s;
}

describe('TLS 1.3 0-RTT early data: openssl s_server -early_data', function () {
  this.timeout(30000);
  before(function () { if (!requirePeer(this, 'openssl')) this.skip(); });

  it('sends the early data with the ClientHello; the server takes it as early data; info.earlyDataAccepted', async () => {
    const srv = await startOpenSslServer({ key: 'ecdsa', version: '1.3', mode: 'interactive', naccept: 3, args: ['-early_data'] });
    try {
      // first connection: a ticket that allows early data (s_server -early_data: max_early_data 16384)
      const first = await connect(base(srv.port));
      await srv.waitFor(/CIPHER is|Shared ciphers|Secure Renegotiation/);
      srv.send('ticket\n');
      assert.equal(await readLine(first), 'ticket\n');
      const session = first.session;
      assert.ok(session && session.version === 'TLSv1.3');
      assert.ok(session.maxEarlyData >= 1024, `the ticket allows ${session.maxEarlyData} bytes of early data`);
      await first.close();

      const second = await connect({ ...base(srv.port), session, earlyData: enc.encode('GET /zero-rtt\n') });
      assert.equal(second.info.resumed, true);
      assert.equal(second.info.earlyDataAccepted, true);
      // s_server prints the marker lines and the data through different buffers, so their order varies
      await srv.waitFor(/Early data received:/);
      await srv.waitFor(/GET \/zero-rtt/);
      await srv.waitFor(/End of early data/);
      // and normal data after the handshake
      await second.write(enc.encode('after\n'));
      await srv.waitFor(/after/);
      await second.close();

      // a request larger than the ticket allows is not sent early: with earlyDataRetry it goes after the handshake
      const big = enc.encode(`${'x'.repeat(session.maxEarlyData + 1)}\n`);
      const next = second.session ?? first.session;
      assert.ok(next, 'another unused ticket');
      const notes: string[] = [];
      const third = await connect({ ...base(srv.port), session: next, earlyData: big, earlyDataRetry: true, onDebug: (m) => notes.push(m) });
      assert.equal(third.info.earlyDataAccepted, false);
      assert.match(notes.join('\n'), /early data not sent: the ticket allows \d+ bytes/);
      await srv.waitFor(/xxxxxxxxxx/);
      await third.close();
    } finally { await srv.close(); }
  });
});

describe('TLS 1.3 0-RTT early data: Go crypto/tls (no early data in its tickets)', function () {
  this.timeout(60000);
  before(function () { requireGoPeer(this); });

  it('the ticket allows no early data: nothing is sent early, and earlyDataRetry writes it after the handshake', async () => {
    const srv = await startGoServer(['-cert', pkiPath('server-ecdsa.chain.pem'), '-key', pkiPath('server-ecdsa.key'), '-min', '1.3']);
    try {
      const first = await connect(base(srv.port));
      await first.write(enc.encode('one\n'));
      assert.equal(await readLine(first), 'one\n');
      const session = first.session!;
      assert.ok(session.version === 'TLSv1.3');
      assert.equal(session.maxEarlyData, 0);
      await first.close();
      const second = await connect({ ...base(srv.port), session, earlyData: enc.encode('two\n'), earlyDataRetry: true });
      assert.equal(second.info.resumed, true);
      assert.equal(second.info.earlyDataAccepted, false);
      assert.equal(await readLine(second), 'two\n', 'the echo of the retried data');
      await second.close();
    } finally { await srv.close(); }
  });
});
