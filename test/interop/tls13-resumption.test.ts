import assert from 'node:assert/strict';
import type { TLSSocket } from 'node:tls';
import { connect, type ConnectOptions, type TlsConnection } from '../../src/index.js';
import { requireGoPeer, startGoServer } from '../helpers/go-server.js';
import { startNodeTlsServer } from '../helpers/node-server.js';
import { startOpenSslServer } from '../helpers/openssl-server.js';
import { requirePeer } from '../helpers/peers.js';
import { pkiPath, ROOT_CA } from '../helpers/pki.js';

/**
 * TLS 1.3 PSK resumption (RFC 8446 §2.2, §4.2.11, §4.6.1) against real
 * servers: a ticket from the first connection becomes `conn.session`, the
 * second connection offers it (psk_dhe_ke, binder over the truncated
 * ClientHello) and the server resumes: no Certificate, `info.resumed`, the
 * stored chain reported, and the server says it resumed too.
 */
const enc = new TextEncoder();
const base = (port: number): ConnectOptions => ({ host: '127.0.0.1', port, servername: 'localhost', ca: ROOT_CA(), minVersion: 'TLSv1.3' });

/** One request and its first answer: tickets are sent after the handshake and processed on read. */
async function roundTrip(conn: TlsConnection): Promise<string> {
  await conn.write(enc.encode('GET / HTTP/1.0\r\n\r\n'));
  const chunk = await conn.read();
  return new TextDecoder().decode(chunk ?? new Uint8Array(0));
}

describe('TLS 1.3 PSK resumption: Node tls server', function () {
  this.timeout(30000);
  const reused: boolean[] = [];
  let srv: Awaited<ReturnType<typeof startNodeTlsServer>>;
  before(async () => { srv = await startNodeTlsServer({ key: 'ecdsa', handler: (s: TLSSocket) => { reused.push(s.isSessionReused()); s.pipe(s); } }); });
  after(() => srv.close());

  it('a ticket resumes: psk_dhe_ke, no certificate, the stored chain and authorization reported; each ticket is offered once', async () => {
    reused.length = 0;
    const first = await connect(base(srv.port));
    await roundTrip(first);
    const session = first.session;
    assert.ok(session && session.version === 'TLSv1.3', 'a TLS 1.3 ticket became conn.session');
    assert.equal(session.psk.length, first.info.cipherSuite === 'TLS_AES_256_GCM_SHA384' ? 48 : 32);
    assert.ok(session.lifetime > 0 && session.lifetime <= 604800);
    await first.close();

    const second = await connect({ ...base(srv.port), session });
    assert.equal(second.info.resumed, true);
    assert.equal(second.info.version, 'TLSv1.3');
    assert.equal(second.info.authorized, true);
    assert.match(second.info.group, /x25519|secp/, 'psk_dhe_ke: a fresh key exchange');
    assert.deepEqual(second.info.peerCertificates.map((c) => c.fingerprintSHA256hex), session.peerCertificates.map((c) => c.fingerprintSHA256hex));
    assert.equal(await roundTrip(second), 'GET / HTTP/1.0\r\n\r\n');
    await second.close();
    // Node (OpenSSL) sent two tickets on the full handshake and none on the resumption: the first
    // connection's session is now the other, unused ticket
    assert.equal(first.sessionTickets.length, 2);
    const next = first.session;
    assert.ok(next && next !== session && next.version === 'TLSv1.3', 'the next unused ticket');
    assert.deepEqual(reused, [false, true], 'the server resumed the second connection');
    assert.equal(first.session, next, 'the unused ticket stays conn.session until it is offered');

    // a ticket is offered once: the same session again means a full handshake (and says why)
    const notes: string[] = [];
    const third = await connect({ ...base(srv.port), session, onDebug: (m) => notes.push(m) });
    assert.equal(third.info.resumed, false);
    assert.match(notes.join('\n'), /already offered once/);
    await roundTrip(third);
    await third.close();
    // and the newer ticket resumes
    const fourth = await connect({ ...base(srv.port), session: next });
    assert.equal(fourth.info.resumed, true);
    await roundTrip(fourth);
    await fourth.close();
    assert.equal(first.session, undefined, 'both tickets used');
  });

  it('after a HelloRetryRequest the PSK is offered again with its binder over the retried transcript', async () => {
    // a server that accepts only P-384 makes the X25519-first ClientHello retry
    const p384 = await startNodeTlsServer({ key: 'ecdsa', ecdhCurve: 'P-384', handler: (s: TLSSocket) => { reused.push(s.isSessionReused()); s.pipe(s); } });
    try {
      reused.length = 0;
      const first = await connect(base(p384.port));
      await roundTrip(first);
      assert.equal(first.info.helloRetryRequest, true);
      const session = first.session!;
      await first.close();
      const second = await connect({ ...base(p384.port), session });
      assert.equal(second.info.helloRetryRequest, true);
      assert.equal(second.info.resumed, true);
      assert.equal(second.info.group, 'secp384r1');
      await roundTrip(second);
      await second.close();
      assert.deepEqual(reused, [false, true]);
    } finally { await p384.close(); }
  });

  it('a ticket is not offered when no offered suite has its hash (SHA-384 ticket, SHA-256 suites only)', async () => {
    const first = await connect({ ...base(srv.port), cipherSuites: ['TLS_AES_256_GCM_SHA384'] });
    await roundTrip(first);
    const session = first.session!;
    await first.close();
    const notes: string[] = [];
    const second = await connect({ ...base(srv.port), session, cipherSuites: ['TLS_AES_128_GCM_SHA256'], onDebug: (m) => notes.push(m) });
    assert.equal(second.info.resumed, false);
    assert.match(notes.join('\n'), /no TLS 1\.3 cipher suite offered on this connection has the hash/);
    await roundTrip(second);
    await second.close();
  });
});

describe('TLS 1.3 PSK resumption: openssl s_server', function () {
  this.timeout(30000);
  before(function () { if (!requirePeer(this, 'openssl')) this.skip(); });

  it('resumes (s_server reports "Reused"), and with -allow_no_dhe_kex also in psk_ke mode when the client asks for it', async () => {
    for (const [modes, args] of [[undefined, []], [['psk_ke'] as const, ['-allow_no_dhe_kex']]] as const) {
      const srv = await startOpenSslServer({ key: 'ecdsa', version: '1.3', naccept: 2, mode: 'www', args: [...args] });
      try {
        const first = await connect({ ...base(srv.port), ...(modes ? { pskKeyExchangeModes: [...modes] } : {}) });
        assert.match(await roundTrip(first), /HTTP\/1\.0 200/);
        const session = first.session!;
        await first.close();
        const second = await connect({ ...base(srv.port), session, ...(modes ? { pskKeyExchangeModes: [...modes] } : {}) });
        assert.equal(second.info.resumed, true);
        if (modes) assert.equal(second.info.group, 'none (psk_ke)');
        let page = await roundTrip(second);
        for (let c = await second.read(); c; c = await second.read()) page += new TextDecoder().decode(c);
        assert.match(page, /Reused, TLSv1\.3/);
        await second.close().catch(() => undefined);
      } finally { await srv.close(); }
    }
  });
});

describe('TLS 1.3 PSK resumption: Go crypto/tls', function () {
  this.timeout(60000);
  before(function () { requireGoPeer(this); });

  it('Go resumes the ticket it issued (didResume), with X25519 key exchange alongside', async () => {
    const srv = await startGoServer(['-cert', pkiPath('server-ecdsa.chain.pem'), '-key', pkiPath('server-ecdsa.key'), '-min', '1.3']);
    try {
      const first = await connect(base(srv.port));
      await roundTrip(first);
      assert.equal((await srv.nextReport()).didResume, false);
      const session = first.session!;
      await first.close();
      const second = await connect({ ...base(srv.port), session });
      assert.equal(second.info.resumed, true);
      assert.equal((await srv.nextReport()).didResume, true);
      await roundTrip(second);
      await second.close();
    } finally { await srv.close(); }
  });
});
