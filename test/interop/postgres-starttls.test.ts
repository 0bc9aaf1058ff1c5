import assert from 'node:assert/strict';
import * as net from 'node:net';
import { connect, TlsError, type TlsConnection } from '../../src/index.js';
import { nodeSocketTransport } from '../../src/transport/node-tcp.js';
import { IN_CI } from '../helpers/peers.js';
import { pki, ROOT_CA } from '../helpers/pki.js';
import { postgresBin, startPostgres, SUPERUSER } from '../helpers/postgres.js';

/**
 * STARTTLS against a real PostgreSQL server (Debian's package): the
 * SSLRequest in plaintext, then isotls on the same socket with the checks of
 * libpq's sslmode=verify-full (chain to our CA, host name), a client
 * certificate that pg_hba.conf's clientcert=verify-full demands (CN = user),
 * then the PostgreSQL protocol (v3) inside TLS: startup, a query that asks the
 * server what it saw of the TLS session, terminate.
 */

const enc = new TextEncoder();
const int32 = (n: number) => new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
const concat = (...parts: Uint8Array[]) => { const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let o = 0; for (const p of parts) { out.set(p, o); o += p.length; } return out; };
const cstr = (s: string) => concat(enc.encode(s), new Uint8Array([0]));
/** A typed backend/frontend message: type byte, Int32 length (itself included), body. */
const message = (type: string, body: Uint8Array) => concat(enc.encode(type), int32(body.length + 4), body);

/** SSLRequest (protocol §55.2.10): Int32 8, Int32 80877103; the server answers one byte, 'S' or 'N'. */
async function sslRequest(port: number): Promise<{ socket: net.Socket; answer: string; extra: Uint8Array }> {
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise((r, j) => { socket.once('connect', r); socket.once('error', j); });
  socket.write(concat(int32(8), int32(80877103)));
  const first: Buffer = await new Promise((r) => socket.once('data', r));
  socket.pause();
  // anything after the answer byte would already be TLS (CVE-2021-23214 is about servers reading such bytes)
  return { socket, answer: String.fromCharCode(first[0]!), extra: new Uint8Array(first.subarray(1)) };
}

/** Reads whole backend messages from a TLS connection. */
function backend(conn: TlsConnection) {
  let buf = new Uint8Array(0);
  return async (): Promise<{ type: string; body: Uint8Array }> => {
    for (;;) {
      if (buf.length >= 5) {
        const len = ((buf[1]! << 24) | (buf[2]! << 16) | (buf[3]! << 8) | buf[4]!) >>> 0;
        if (len < 4 || len > 1 << 20) throw new Error(`bad backend message length ${len}`);
        if (buf.length >= 1 + len) {
          const msg = { type: String.fromCharCode(buf[0]!), body: buf.slice(5, 1 + len) };
          buf = buf.slice(1 + len);
          return msg;
        }
      }
      const chunk = await conn.read();
      if (chunk === null) throw new Error('the server closed the connection');
      buf = concat(buf, chunk);
    }
  };
}

/** ErrorResponse fields (§55.8): the 'M' (message) field. */
const errorText = (body: Uint8Array) => {
  const fields = new TextDecoder().decode(body).split('\0');
  return fields.find((f) => f.startsWith('M'))?.slice(1) ?? fields.join(' ');
};

/** Startup as `user`, then one simple query; returns the rows (text format) or the server's error. */
async function session(conn: TlsConnection, user: string, sql: string): Promise<{ rows: (string | null)[][] } | { error: string }> {
  const next = backend(conn);
  // StartupMessage (§55.7): Int32 length, Int32 196608 (protocol 3.0), name/value pairs, a final NUL
  const startup = concat(int32(196608), cstr('user'), cstr(user), cstr('database'), cstr('postgres'), new Uint8Array([0]));
  await conn.write(concat(int32(startup.length + 4), startup));
  for (;;) {
    const m = await next();
    if (m.type === 'E') return { error: errorText(m.body) };
    if (m.type === 'R' && (m.body[3] ?? 1) !== 0) throw new Error('the server asked for a password: pg_hba.conf should be trust + clientcert');
    if (m.type === 'Z') break;
  }
  await conn.write(message('Q', cstr(sql)));
  const rows: (string | null)[][] = [];
  for (;;) {
    const m = await next();
    if (m.type === 'E') return { error: errorText(m.body) };
    if (m.type === 'D') {
      const v = new DataView(m.body.buffer, m.body.byteOffset, m.body.byteLength);
      const row: (string | null)[] = [];
      let o = 2;
      for (let i = 0; i < v.getInt16(0); i++) {
        const len = v.getInt32(o); o += 4;
        row.push(len < 0 ? null : new TextDecoder().decode(m.body.subarray(o, o + len))); if (len > 0) o += len;
      }
      rows.push(row);
    }
    if (m.type === 'Z') break;
  }
  await conn.write(message('X', new Uint8Array(0)));
  return { rows };
}

const CLIENT = () => ({ cert: pki('clients/client-ecdsa-p256.crt'), key: pki('clients/client-ecdsa-p256.pkcs8.pem') });
const SSL_INFO = 'SELECT ssl, version, client_dn, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()';

describe('STARTTLS against a real PostgreSQL server (SSLRequest, clientcert=verify-full)', function () {
  this.timeout(60000);
  const bin = postgresBin();
  if (!bin) {
    if (IN_CI) it('has a PostgreSQL server', () => assert.fail('PostgreSQL is missing in CI: .ci/run must install Debian postgresql'));
    else console.log('      (skipped: PostgreSQL is not installed on this machine)');
    return;
  }
  let pg: Awaited<ReturnType<typeof startPostgres>>;
  before(async () => { pg = await startPostgres(bin); });
  after(async () => { await pg?.stop(); });

  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
    it(`${version}: SSLRequest, TLS with verify-full checks and a client certificate, then SQL inside TLS`, async () => {
      const { socket, answer, extra } = await sslRequest(pg.port);
      assert.equal(answer, 'S', `${pg.version} must agree to TLS`);
      assert.equal(extra.length, 0);
      const conn = await connect({ transport: nodeSocketTransport(socket), servername: 'localhost', ca: ROOT_CA(), ...CLIENT(), minVersion: version, maxVersion: version });
      assert.equal(conn.info.authorized, true);
      assert.equal(conn.info.version, version);
      assert.equal(conn.info.clientCertificateSent, true);
      const result = await session(conn, SUPERUSER, SSL_INFO);
      assert.ok('rows' in result, 'error' in result ? result.error : '');
      const [ssl, tlsVersion, clientDn] = result.rows[0]!;
      // what the server saw: TLS, the version negotiated, and our certificate's subject
      assert.equal(ssl, 't');
      assert.equal(tlsVersion, version);
      assert.match(clientDn ?? '', /CN=client-ecdsa-p256/);
      await conn.close().catch(() => undefined);
    });
  }

  it('pg_hba.conf clientcert=verify-full refuses a session without a client certificate', async () => {
    const { socket } = await sslRequest(pg.port);
    const conn = await connect({ transport: nodeSocketTransport(socket), servername: 'localhost', ca: ROOT_CA() });
    const result = await session(conn, SUPERUSER, 'SELECT 1');
    assert.ok('error' in result);
    assert.match(result.error, /certificate/i);
    await conn.close().catch(() => undefined);
  });

  it('clientcert=verify-full refuses a certificate whose CN is not the user name', async () => {
    const { socket } = await sslRequest(pg.port);
    const conn = await connect({ transport: nodeSocketTransport(socket), servername: 'localhost', ca: ROOT_CA(), cert: pki('clients/client-b.crt'), key: pki('clients/client-b.pkcs8.pem') });
    const result = await session(conn, SUPERUSER, 'SELECT 1');
    assert.ok('error' in result);
    assert.match(result.error, /authentication failed for user "client-ecdsa-p256"/);
    await conn.close().catch(() => undefined);
  });

  it('verify-full on our side: a wrong host name or an unknown CA ends the handshake', async () => {
    for (const [opts, code] of [[{ servername: 'db.example', ca: ROOT_CA() }, 'bad_certificate/hostname_mismatch'], [{ servername: 'localhost', ca: pki('other-root-ca.crt') }, 'unknown_ca/unknown_ca']] as const) {
      const { socket } = await sslRequest(pg.port);
      const e = await connect({ transport: nodeSocketTransport(socket), ...opts, ...CLIENT() }).catch((x: unknown) => x);
      assert.ok(e instanceof TlsError, String(e));
      assert.equal(e.code, code);
      socket.destroy();
    }
  });
});
