import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { connect, TlsError, type ConnectOptions, type TlsConnection, type TlsSession } from '../../src/index.js';
import { startNodeTlsServer } from '../helpers/node-server.js';
import { startOpenSslServer } from '../helpers/openssl-server.js';
import { pki, ROOT_CA } from '../helpers/pki.js';
import { requirePeer } from '../helpers/peers.js';
import { X509Certificate } from 'node:crypto';

/**
 * A resumed session (TLS 1.2 session or TLS 1.3 ticket) skips the server's certificate, so it must never
 * be more trusted than the connection that made it (security issue, part 1).
 * Each case makes a session with `first` options against a real server, then
 * connects again with `second` options and that session.
 */
interface Server { port: number; close(): Promise<void> }
type Start = (key: 'rsa' | 'other') => Promise<Server>;

type Version = 'TLSv1.2' | 'TLSv1.3';
const spkiPin = (pemChain: string): string => {
  const leaf = pemChain.split('-----END CERTIFICATE-----')[0] + '-----END CERTIFICATE-----\n';
  const spki = createHash('sha256').update(new X509Certificate(leaf).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
  return `sha256/${spki}`;
};

/** Asserts that connecting fails as `ok` says; a connection that wrongly succeeds is closed so the server can stop. */
async function refused(attempt: Promise<TlsConnection>, ok: (e: TlsError) => boolean): Promise<void> {
  let conn: TlsConnection | undefined;
  try { conn = await attempt; } catch (e) { assert.ok(e instanceof TlsError && ok(e), `unexpected error: ${(e as Error).message}`); return; }
  await conn.close();
  assert.fail(`connected (resumed: ${conn.info.resumed}, authorized: ${conn.info.authorized}); a refusal was expected`);
}

async function firstSessionOf(base: (port: number) => ConnectOptions, start: Start, key: 'rsa' | 'other', first: Partial<ConnectOptions>): Promise<{ srv: Server; session: TlsSession }> {
  const srv = await start(key);
  const conn = await connect({ ...base(srv.port), ...first });
  // TLS 1.3 tickets come after the handshake: one request and its first answer bring them in
  await conn.write(new TextEncoder().encode('GET / HTTP/1.0\r\n\r\n'));
  await conn.read();
  const session = conn.session;
  assert.ok(session, 'the first connection yields a session');
  await conn.close();
  return { srv, session };
}

function suite(version: Version, name: string, start: Start, peer?: string) {
  const base = (port: number): ConnectOptions => ({ host: '127.0.0.1', port, servername: 'localhost', ca: ROOT_CA(), minVersion: version, maxVersion: version });
  const firstSession = (s: Start, key: 'rsa' | 'other', first: Partial<ConnectOptions>) => firstSessionOf(base, s, key, first);
  describe(`${version} session resumption is authenticated (${name})`, function () {
    this.timeout(30000);
    before(function () { if (peer && !requirePeer(this, peer)) this.skip(); });

    it('positive control: same name and trust resumes, and reports the stored chain and authorization', async () => {
      const { srv, session } = await firstSession(start, 'rsa', {});
      try {
        assert.equal(session.authorized, true);
        assert.equal(session.version, version);
        assert.equal(session.verifiedName, 'localhost');
        const notes: string[] = [];
        const again = await connect({ ...base(srv.port), session, onDebug: (m) => notes.push(m) });
        assert.equal(again.info.resumed, true, notes.join('; '));
        assert.equal(again.info.authorized, true);
        assert.equal(again.info.authorizationError, undefined);
        assert.deepEqual(again.info.peerCertificates.map((c) => c.fingerprintSHA256hex), session.peerCertificates.map((c) => c.fingerprintSHA256hex));
        assert.deepEqual(notes, []);
        await again.close();
      } finally { await srv.close(); }
    });

    it('a session made with rejectUnauthorized: false is not resumed under the default settings', async () => {
      const { srv, session } = await firstSession(start, 'other', { rejectUnauthorized: false });
      try {
        assert.equal(session.authorized, false);
        assert.match(session.authorizationError!.code, /unknown_ca/);
        const notes: string[] = [];
        // Before the fix this resumed and reported authorized: true. Now a full handshake runs and the
        // untrusted chain fails it.
        await refused(connect({ ...base(srv.port), session, onDebug: (m) => notes.push(m) }), (e) => /unknown_ca/.test(e.code));
        assert.match(notes.join('\n'), /session not offered: the connection that made it did not authorize the server/);
      } finally { await srv.close(); }
    });

    it('with rejectUnauthorized: false on both connections it resumes and still reports the chain as unauthorized', async () => {
      const { srv, session } = await firstSession(start, 'other', { rejectUnauthorized: false });
      try {
        const again = await connect({ ...base(srv.port), rejectUnauthorized: false, session });
        assert.equal(again.info.resumed, true);
        assert.equal(again.info.authorized, false);
        assert.match(again.info.authorizationError!.code, /unknown_ca/);
        await again.close();
      } finally { await srv.close(); }
    });

    it('a session made for localhost is not offered for another server name', async () => {
      const { srv, session } = await firstSession(start, 'rsa', {});
      try {
        const notes: string[] = [];
        await refused(connect({ ...base(srv.port), servername: 'bank.example', session, onDebug: (m) => notes.push(m) }), (e) => e.code === 'bad_certificate/hostname_mismatch');
        assert.match(notes.join('\n'), /verified for localhost, this connection is for bank\.example/);
        // with rejectUnauthorized: false the full handshake completes and info says why the session was not used
        const conn = await connect({ ...base(srv.port), servername: 'bank.example', rejectUnauthorized: false, checkServerIdentity: () => undefined, session });
        assert.equal(conn.info.resumed, false);
        assert.match(conn.info.sessionNotOffered!, /verified for localhost/);
        await conn.close();
      } finally { await srv.close(); }
    });

    it('a session is not offered once the leaf has expired (injected clock)', async () => {
      const { srv, session } = await firstSession(start, 'rsa', {});
      try {
        const later = () => new Date('2050-01-02T00:00:00Z'); // the server certificate ends 2049-12-31
        const notes: string[] = [];
        await refused(connect({ ...base(srv.port), session, now: later, onDebug: (m) => notes.push(m) }), (e) => /expired/.test(e.code));
        assert.match(notes.join('\n'), /expired at 2049-12-31/);
      } finally { await srv.close(); }
    });

    it('a session is not offered when the trust anchors changed', async () => {
      const { srv, session } = await firstSession(start, 'rsa', {});
      try {
        const notes: string[] = [];
        await refused(connect({ ...base(srv.port), ca: pki('other-root-ca.crt'), session, onDebug: (m) => notes.push(m) }), (e) => /unknown_ca/.test(e.code));
        assert.match(notes.join('\n'), /not accepted by this connection: .*unknown_ca/);
      } finally { await srv.close(); }
    });

    it('pins, checkServerIdentity and expectedCommonName are applied to the stored chain', async () => {
      const { srv, session } = await firstSession(start, 'rsa', {});
      try {
        const wrongPin = `sha256/${randomBytes(32).toString('base64')}`;
        await refused(connect({ ...base(srv.port), session, pins: [wrongPin] }), (e) => e.code === 'bad_certificate/pin_mismatch');
        await refused(connect({ ...base(srv.port), session, checkServerIdentity: () => new Error('not this one') }), (e) => e.code === 'bad_certificate/hostname_mismatch');
        await refused(connect({ ...base(srv.port), session, expectedCommonName: 'someone-else' }), (e) => e.code === 'bad_certificate/common_name_mismatch');
        // and the right pin still resumes
        const ok = await connect({ ...base(srv.port), session, pins: [spkiPin(pki('server-rsa.chain.pem'))] });
        assert.equal(ok.info.resumed, true);
        await ok.close();
      } finally { await srv.close(); }
    });
  });
}

for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
  suite(version, 'Node tls server', (key) => startNodeTlsServer({ version, key }));
  suite(version, 'openssl s_server', (key) => startOpenSslServer({ key, version: version === 'TLSv1.2' ? '1.2' : '1.3', naccept: 8, mode: 'www' }), 'openssl');
}
