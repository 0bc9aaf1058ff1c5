import assert from 'node:assert/strict';
import type { CryptoProvider } from '../../src/crypto/provider.js';
import { IN_CI } from '../helpers/peers.js';
import { randomBytes } from 'node:crypto';
import { connect, TlsError, type ConnectOptions, type TlsConnection } from '../../src/index.js';
import { readExactly } from '../helpers/data.js';
import { buildGoPeer, startGoServer, type GoServer } from '../helpers/go-server.js';
import { pki, pkiPath, ROOT_CA } from '../helpers/pki.js';
import { PROVIDERS } from '../helpers/providers.js';

/**
 * Go's crypto/tls (test/peers/go, standard library only) as the fourth
 * interop peer. Every case checks on the server side what was negotiated
 * (version, suite, curve, resumption, the client certificate it verified).
 */
type Key = 'rsa' | 'ecdsa' | 'ed25519';
const serverArgs = (key: Key, more: string[] = []) => ['-cert', pkiPath(`server-${key}.chain.pem`), '-key', pkiPath(`server-${key}.key`), ...more];
/** The provider of the describe block running (each block runs once per provider, test/helpers/providers.ts). */
let provider: CryptoProvider = PROVIDERS[0]!;
const opts = (port: number, extra: Partial<ConnectOptions> = {}): ConnectOptions => ({ host: '127.0.0.1', port, servername: 'isotls.test', ca: ROOT_CA(), crypto: provider, ...extra });

async function echo(conn: TlsConnection, bytes = 4096): Promise<void> {
  const data = new Uint8Array(randomBytes(bytes));
  await conn.write(data);
  assert.deepEqual(await readExactly(() => conn.read(), data.length), data);
}

async function withServer(args: string[], body: (srv: GoServer) => Promise<void>): Promise<void> {
  const srv = await startGoServer(args);
  try { await body(srv); } finally { await srv.close(); }
}

const TLS13_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
/** [IANA name = Go name, server key types that fit it] */
const TLS12_SUITES: [string, Key[]][] = [
  ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', ['rsa']], ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', ['rsa']],
  ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', ['rsa']], ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', ['rsa']],
  ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', ['ecdsa', 'ed25519']], ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', ['ecdsa', 'ed25519']],
  ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', ['ecdsa', 'ed25519']], ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', ['ecdsa']],
];
const CLIENTS: [string, string][] = [['client-rsa2048', 'pkcs8.pem'], ['client-ecdsa-p256', 'pkcs8.pem'], ['client-ecdsa-p384', 'pkcs8.pem'], ['client-ed25519', 'pkcs8.pem']];

for (const p of PROVIDERS) describe(`interop: Go crypto/tls server (test/peers/go, 127.0.0.1) (${p.name} provider)`, function () {
  before(() => { provider = p; });
  this.timeout(120000);
  before(function () {
    this.timeout(180000);
    if (!buildGoPeer()) {
      if (IN_CI) throw new Error('Go is missing in CI; .ci/run must install it');
      console.log('      (skipped: "go" is not installed on this machine)');
      this.skip();
    }
  });

  for (const key of ['rsa', 'ecdsa', 'ed25519'] as Key[]) {
    for (const suite of TLS13_SUITES) {
      it(`TLS 1.3 ${suite} with a ${key} certificate`, () => withServer(serverArgs(key, ['-min', '1.3']), async (srv) => {
        const conn = await connect(opts(srv.port, { cipherSuites: [suite] }));
        const seen = await srv.nextReport();
        assert.equal(seen.event, 'handshake', seen.error);
        // Go selects the hybrid post-quantum group, which isotls offers first by default
        assert.deepEqual([seen.version, seen.cipherSuite, seen.curve, seen.serverName], ['TLS 1.3', suite, 'X25519MLKEM768', 'isotls.test']);
        assert.equal(conn.info.group, 'X25519MLKEM768');
        assert.deepEqual([conn.info.version, conn.info.cipherSuite], ['TLSv1.3', suite]);
        await echo(conn);
        await conn.close();
      }));
    }
  }

  for (const [suite, keys] of TLS12_SUITES) {
    for (const key of keys) {
      it(`TLS 1.2 ${suite} with a ${key} certificate (the only suite the server allows)`, () => withServer(serverArgs(key, ['-max', '1.2', '-ciphers', suite]), async (srv) => {
        const conn = await connect(opts(srv.port));
        const seen = await srv.nextReport();
        assert.equal(seen.event, 'handshake', seen.error);
        assert.deepEqual([seen.version, seen.cipherSuite, seen.curve], ['TLS 1.2', suite, 'X25519']);
        assert.deepEqual([conn.info.version, conn.info.cipherSuite], ['TLSv1.2', suite]);
        await echo(conn);
        await conn.close();
      }));
    }
  }

  for (const [group, goName] of [['x25519', 'X25519'], ['secp256r1', 'CurveP256'], ['secp384r1', 'CurveP384'], ['X25519MLKEM768', 'X25519MLKEM768']] as const) {
    for (const version of group === 'X25519MLKEM768' ? ['TLSv1.3'] as const : ['TLSv1.3', 'TLSv1.2'] as const) {
      // an RSA certificate: in TLS 1.2 the offered groups also bound an ECDSA certificate's curve (tested below)
      it(`${version} key exchange ${group}`, () => withServer(serverArgs('rsa'), async (srv) => {
        const conn = await connect(opts(srv.port, { groups: [group], minVersion: version, maxVersion: version }));
        const seen = await srv.nextReport();
        assert.deepEqual([seen.version, seen.curve], [version === 'TLSv1.3' ? 'TLS 1.3' : 'TLS 1.2', goName]);
        assert.equal(conn.info.group, group);
        await echo(conn, 100);
        await conn.close();
      }));
    }
  }

  it('TLS 1.2: an ECDSA P-256 certificate when the client offered only x25519 is refused (RFC 8422 §5.1.1)', () => withServer(serverArgs('ecdsa', ['-max', '1.2']), async (srv) => {
    await assert.rejects(connect(opts(srv.port, { groups: ['x25519'] })), (e: TlsError) => e.code === 'illegal_parameter/certificate_curve_not_offered');
  }));

  it('X25519MLKEM768 preferred by the server: a client that does not offer it gets X25519', () => withServer(serverArgs('ecdsa', ['-curves', 'X25519MLKEM768,X25519']), async (srv) => {
    const conn = await connect(opts(srv.port, { groups: ['x25519', 'secp256r1'] }));
    const seen = await srv.nextReport();
    assert.equal(seen.curve, 'X25519');
    assert.equal(conn.info.helloRetryRequest, false);
    await conn.close();
  }));

  it('X25519MLKEM768 offered but not wanted: a server that prefers X25519 uses the X25519 share sent alongside (no HelloRetryRequest)', () => withServer(serverArgs('ecdsa', ['-curves', 'X25519']), async (srv) => {
    const conn = await connect(opts(srv.port));
    const seen = await srv.nextReport();
    assert.equal(seen.curve, 'X25519');
    assert.equal(conn.info.group, 'x25519');
    assert.equal(conn.info.helloRetryRequest, false);
    await echo(conn, 100);
    await conn.close();
  }));

  it('HelloRetryRequest to X25519MLKEM768: a client whose first share is P-256 retries with a hybrid share', () => withServer(serverArgs('ecdsa', ['-curves', 'X25519MLKEM768']), async (srv) => {
    const conn = await connect(opts(srv.port, { groups: ['secp256r1', 'X25519MLKEM768'] }));
    const seen = await srv.nextReport();
    assert.equal(seen.curve, 'X25519MLKEM768');
    assert.equal(conn.info.helloRetryRequest, true);
    await echo(conn, 100);
    await conn.close();
  }));

  it('HelloRetryRequest: a key share for P-256 first, the server wants X25519', () => withServer(serverArgs('ecdsa', ['-curves', 'X25519']), async (srv) => {
    const conn = await connect(opts(srv.port, { groups: ['secp256r1', 'x25519'] }));
    const seen = await srv.nextReport();
    assert.equal(seen.curve, 'X25519');
    assert.equal(conn.info.helloRetryRequest, true);
    await echo(conn, 100);
    await conn.close();
  }));

  it('ALPN: the server picks from the offered protocols', () => withServer(serverArgs('ecdsa', ['-alpn', 'h2,http/1.1']), async (srv) => {
    const conn = await connect(opts(srv.port, { ALPNProtocols: ['http/1.1', 'h2'] }));
    const seen = await srv.nextReport();
    assert.equal(seen.alpn, conn.info.alpnProtocol);
    assert.ok(seen.alpn === 'h2' || seen.alpn === 'http/1.1');
    await conn.close();
  }));

  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
    for (const [name, form] of CLIENTS) {
      it(`${version} client certificate ${name}: the server (require + verify) verified it`, () => withServer(serverArgs('ecdsa', ['-client-auth', 'require', '-client-ca', pkiPath('clients/client-ca-A.crt')]), async (srv) => {
        const conn = await connect(opts(srv.port, { minVersion: version, maxVersion: version, cert: pki(`clients/${name}.crt`), key: pki(`clients/${name}.${form}`) }));
        await echo(conn, 100);
        const seen = await srv.nextReport();
        assert.equal(seen.event, 'handshake', seen.error);
        assert.deepEqual(seen.peerSubjects, [name]);
        assert.ok(seen.verifiedChains >= 1);
        assert.equal(conn.info.clientCertificateSent, true);
        await conn.close();
      }));
    }
    it(`${version} client certificate requested but not required: none sent, the handshake completes`, () => withServer(serverArgs('ecdsa', ['-client-auth', 'request', '-client-ca', pkiPath('clients/client-ca-A.crt')]), async (srv) => {
      const conn = await connect(opts(srv.port, { minVersion: version, maxVersion: version }));
      const seen = await srv.nextReport();
      assert.equal(seen.event, 'handshake');
      assert.equal(seen.peerSubjects, undefined);
      assert.deepEqual([conn.info.clientCertificateRequested, conn.info.clientCertificateSent], [true, false]);
      await conn.close();
    }));
    it(`${version} client certificate required but none configured: the server refuses, the client says why`, () => withServer(serverArgs('ecdsa', ['-client-auth', 'require', '-client-ca', pkiPath('clients/client-ca-A.crt')]), async (srv) => {
      const attempt = (async () => { const c = await connect(opts(srv.port, { minVersion: version, maxVersion: version })); await c.read(); })();
      await assert.rejects(attempt, (e: TlsError) => e instanceof TlsError && /certificate_required|bad_certificate|handshake_failure|closed_without_close_notify|write_failed|socket_error/.test(e.code) && /(asked for|requires) a client certificate/.test(e.message));
      const seen = await srv.nextReport();
      assert.equal(seen.event, 'handshake_failed');
    }));
  }

  it('TLS 1.2 session resumption by ticket: the server reports didResume', () => withServer(serverArgs('rsa', ['-max', '1.2']), async (srv) => {
    const first = await connect(opts(srv.port));
    await echo(first, 10);
    assert.equal((await srv.nextReport()).didResume, false);
    const session = first.session;
    assert.ok(session?.ticket, 'the Go server issued a ticket');
    await first.close();
    const second = await connect(opts(srv.port, { session }));
    await echo(second, 10);
    assert.equal((await srv.nextReport()).didResume, true);
    assert.equal(second.info.resumed, true);
    assert.equal(second.info.authorized, true);
    await second.close();
  }));

  it('KeyUpdate both ways and 1 MiB of data', () => withServer(serverArgs('ecdsa'), async (srv) => {
    const conn = await connect(opts(srv.port));
    await srv.nextReport();
    await echo(conn, 512 * 1024);
    await conn.updateKeys(true);
    await echo(conn, 512 * 1024);
    assert.ok(conn.keyUpdates.received >= 1, 'Go answered update_requested');
    await conn.close();
  }));
});
