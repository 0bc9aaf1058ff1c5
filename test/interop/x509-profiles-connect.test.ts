import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, createTrustStore, TlsError } from '../../src/index.js';
import { mozillaRoots } from '../../src/roots/index.js';
import { startNodeTlsServer } from '../helpers/node-server.js';
import { pki, ROOT_CA } from '../helpers/pki.js';
import { ROOT } from '../helpers/vectors.js';

/**
 * The X.509 options of connect() against Node's tls server: profiles, the
 * gateway "match Common Name" setting, the legacy CN fallback, trust stores,
 * and the client certificate's validity pre-flight.
 */
const corpus = (f: string) => readFileSync(join(ROOT, 'vectors', 'x509', 'profile', f), 'utf8');
const PROFILE_ROOT = () => corpus('root.crt');
const served = (leaf: string) => ({ cert: corpus(`${leaf}.crt`) + corpus('intermediate.crt'), key: corpus(`${leaf}.key`) });

async function outcome(p: Promise<{ close(): Promise<void> }>): Promise<string> {
  try { await (await p).close(); return 'ok'; } catch (e) { assert.ok(e instanceof TlsError, String(e)); return e.code; }
}

describe('connect(): certificate profiles, common names, trust stores, client certificate dates', function () {
  this.timeout(30000);

  describe('a gateway certificate with only CN=gateway.isotls.test (no subjectAltName)', () => {
    let srv: Awaited<ReturnType<typeof startNodeTlsServer>>;
    before(async () => { srv = await startNodeTlsServer({ identity: served('cn-only-server') }); });
    after(() => srv.close());
    const base = () => ({ host: '127.0.0.1', port: srv.port, ca: PROFILE_ROOT() });

    it('is refused by default: the host name is matched against subjectAltNames only', async () => {
      const e = await connect({ ...base(), servername: 'gateway.isotls.test' }).then(() => undefined, (x: unknown) => x);
      assert.ok(e instanceof TlsError);
      assert.equal(e.code, 'bad_certificate/hostname_mismatch');
      assert.match(e.message, /no DNS subjectAltName/);
    });
    it('expectedCommonName replaces the SAN check ("match Common Name"), exact or as a wildcard', async () => {
      assert.equal(await outcome(connect({ ...base(), servername: 'gateway.isotls.test', expectedCommonName: 'gateway.isotls.test' })), 'ok');
      // the host name (here an IP, or another SNI) is not what is matched any more
      assert.equal(await outcome(connect({ ...base(), expectedCommonName: 'gateway.isotls.test' })), 'ok');
      assert.equal(await outcome(connect({ ...base(), servername: 'lb.internal', expectedCommonName: { value: '*.isotls.test', wildcard: true } })), 'ok');
      assert.equal(await outcome(connect({ ...base(), servername: 'gateway.isotls.test', expectedCommonName: 'other.isotls.test' })), 'bad_certificate/common_name_mismatch');
    });
    it('expectedCommonName still validates the chain', async () => {
      assert.equal(await outcome(connect({ ...base(), ca: ROOT_CA(), expectedCommonName: 'gateway.isotls.test' })), 'unknown_ca/unknown_ca');
    });
    it('allowCommonNameFallback matches the CN only when there is no DNS/IP subjectAltName, and only the right name', async () => {
      assert.equal(await outcome(connect({ ...base(), servername: 'gateway.isotls.test', allowCommonNameFallback: true })), 'ok');
      assert.equal(await outcome(connect({ ...base(), servername: 'other.isotls.test', allowCommonNameFallback: true })), 'bad_certificate/hostname_mismatch');
    });
  });

  it('allowCommonNameFallback does not consult the CN of a certificate that has DNS names', async () => {
    // server-ecdsa: CN=isotls.test, SANs isotls.test and *.isotls.test; a CN-only match would need other names
    const srv = await startNodeTlsServer({ key: 'ecdsa' });
    try {
      assert.equal(await outcome(connect({ host: '127.0.0.1', port: srv.port, ca: ROOT_CA(), servername: 'isotls.test', allowCommonNameFallback: true })), 'ok');
      assert.equal(await outcome(connect({ host: '127.0.0.1', port: srv.port, ca: ROOT_CA(), servername: 'isotls.example', allowCommonNameFallback: true })), 'bad_certificate/hostname_mismatch');
    } finally { await srv.close(); }
  });

  describe('profiles: a private-PKI leaf without authorityKeyIdentifier', () => {
    let srv: Awaited<ReturnType<typeof startNodeTlsServer>>;
    before(async () => { srv = await startNodeTlsServer({ identity: served('leaf-no-aki') }); });
    after(() => srv.close());
    const base = () => ({ host: '127.0.0.1', port: srv.port, ca: PROFILE_ROOT(), expectedCommonName: 'leaf-no-aki' });

    it('webpki (the default) and rfc5280 refuse it; private accepts it', async () => {
      assert.equal(await outcome(connect(base())), 'bad_certificate/missing_authority_key_id');
      assert.equal(await outcome(connect({ ...base(), profile: 'webpki' })), 'bad_certificate/missing_authority_key_id');
      assert.equal(await outcome(connect({ ...base(), profile: 'rfc5280' })), 'bad_certificate/missing_authority_key_id');
      assert.equal(await outcome(connect({ ...base(), profile: 'private' })), 'ok');
    });
    it('an unknown profile name is a config error', async () => {
      assert.equal(await outcome(connect({ ...base(), profile: 'lenient' as 'private' })), 'config/bad_option');
    });
  });

  describe('trust stores', () => {
    let srv: Awaited<ReturnType<typeof startNodeTlsServer>>;
    before(async () => { srv = await startNodeTlsServer({ key: 'ecdsa' }); });
    after(() => srv.close());

    it('createTrustStore parses once; the store works as `trustStore` and as `ca`, and the same store serves many connections', async () => {
      const store = createTrustStore(ROOT_CA());
      for (let i = 0; i < 3; i++) assert.equal(await outcome(connect({ host: '127.0.0.1', port: srv.port, servername: 'isotls.test', trustStore: store })), 'ok');
      assert.equal(await outcome(connect({ host: '127.0.0.1', port: srv.port, servername: 'isotls.test', ca: store })), 'ok');
      assert.equal(store.anchors.length, 1);
    });
    it('`ca` and `trustStore` together are refused; a wrong object is a config error naming the option', async () => {
      assert.equal(await outcome(connect({ host: '127.0.0.1', port: srv.port, ca: ROOT_CA(), trustStore: createTrustStore(ROOT_CA()) })), 'config/bad_option');
      const e = await connect({ host: '127.0.0.1', port: srv.port, trustStore: { anchors: [] } as never }).catch((x: unknown) => x);
      assert.ok(e instanceof TlsError && /`trustStore` must be a TrustStore/.test(e.message), String(e));
    });
    it('mozillaRoots() as the trust store: our private test CA is not in it', async () => {
      assert.equal(await outcome(connect({ host: '127.0.0.1', port: srv.port, servername: 'isotls.test', trustStore: mozillaRoots() })), 'unknown_ca/unknown_ca');
    });
  });

  describe('client certificate pre-flight', () => {
    let srv: Awaited<ReturnType<typeof startNodeTlsServer>>;
    const seen: string[] = [];
    before(async () => {
      srv = await startNodeTlsServer({ key: 'ecdsa', clientCert: 'request', handler: (s) => { seen.push(String(s.getPeerCertificate()?.subject?.CN ?? 'none')); s.end(); } });
    });
    after(() => srv.close());
    const client = () => ({ cert: pki('clients/client-ecdsa-p256.crt'), key: pki('clients/client-ecdsa-p256.pkcs8.pem') });

    it('an expired or not-yet-valid client certificate is refused before anything is dialled', async () => {
      // port 1 on loopback: nothing listens, so a dial would fail with a transport error, not a config error
      const later = () => new Date('2080-01-01T00:00:00Z'), earlier = () => new Date('2001-01-01T00:00:00Z');
      const expired = await connect({ host: '127.0.0.1', port: 1, ca: ROOT_CA(), ...client(), now: later }).catch((e: unknown) => e);
      assert.ok(expired instanceof TlsError);
      assert.equal(expired.code, 'config/client_certificate_expired');
      assert.match(expired.message, /client certificate "[^"]*CN=[^"]+" expired at .*sendExpiredClientCertificate/);
      assert.equal(await outcome(connect({ host: '127.0.0.1', port: 1, ca: ROOT_CA(), ...client(), now: earlier })), 'config/client_certificate_not_yet_valid');
    });
    it('sendExpiredClientCertificate: true sends it anyway', async () => {
      seen.length = 0;
      // the clock is moved past the client certificate's end; the server's chain is then judged expired too, so it is not required here
      const conn = await connect({ host: '127.0.0.1', port: srv.port, servername: 'isotls.test', ca: ROOT_CA(), ...client(), now: () => new Date('2080-01-01T00:00:00Z'), sendExpiredClientCertificate: true, rejectUnauthorized: false });
      assert.equal(conn.info.clientCertificateSent, true);
      assert.equal(conn.info.authorizationError?.reason, 'expired');
      await conn.read().catch(() => undefined);
      await conn.close();
      assert.deepEqual(seen, ['client-ecdsa-p256']);
    });
  });
});
