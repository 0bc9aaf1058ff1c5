import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { connect, TlsError } from '../../src/index.js';
import { startNodeTlsServer } from '../helpers/node-server.js';
import { pki, ROOT_CA } from '../helpers/pki.js';

const pinOf = (pem: string) => `sha256/${createHash('sha256').update(new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' })).digest('base64')}`;
const opts = (port: number) => ({ host: '127.0.0.1', port, ca: ROOT_CA() });

describe('server identity: checkServerIdentity, expectedCommonName, pins', function () {
  this.timeout(30000);
  let srv: Awaited<ReturnType<typeof startNodeTlsServer>>;
  let untrusted: Awaited<ReturnType<typeof startNodeTlsServer>>;
  before(async () => { srv = await startNodeTlsServer({ key: 'ecdsa' }); untrusted = await startNodeTlsServer({ key: 'other' }); });
  after(async () => { await srv.close(); await untrusted.close(); });
  const code = async (p: Promise<unknown>) => { try { const c = await p as { close(): Promise<void> }; await c.close(); return 'ok'; } catch (e) { assert.ok(e instanceof TlsError, String(e)); return e.code; } };

  it('rejectUnauthorized: false never silently accepts a certificate for another name', async () => {
    assert.equal(await code(connect({ ...opts(srv.port), servername: 'wrong.example', rejectUnauthorized: false })), 'bad_certificate/hostname_mismatch');
  });
  it('an explicit checkServerIdentity decides about the name, and sees the certificate', async () => {
    let seen = '';
    assert.equal(await code(connect({ ...opts(srv.port), servername: 'wrong.example', checkServerIdentity: (host, cert) => { seen = `${host} ${cert.subject.commonName}`; return undefined; } })), 'ok');
    assert.equal(seen, 'wrong.example isotls.test');
    const refused = await code(connect({ ...opts(srv.port), servername: 'isotls.test', checkServerIdentity: () => new Error('not the pinned tenant') }));
    assert.equal(refused, 'bad_certificate/hostname_mismatch');
  });
  it('expectedCommonName: exact, and wildcard patterns that need a label', async () => {
    assert.equal(await code(connect({ ...opts(srv.port), servername: 'isotls.test', expectedCommonName: 'isotls.test' })), 'ok');
    assert.equal(await code(connect({ ...opts(srv.port), servername: 'isotls.test', expectedCommonName: 'api.isotls.test' })), 'bad_certificate/common_name_mismatch');
    assert.equal(await code(connect({ ...opts(srv.port), servername: 'isotls.test', expectedCommonName: { value: '*.isotls.test', wildcard: true } })), 'bad_certificate/common_name_mismatch');
    assert.equal(await code(connect({ ...opts(srv.port), servername: 'isotls.test', expectedCommonName: { value: 'ISOTLS.test', wildcard: true } })), 'ok');
  });
  it('pins: a matching SPKI pin (leaf or intermediate) passes, a wrong one fails even when the chain is trusted', async () => {
    assert.equal(await code(connect({ ...opts(srv.port), servername: 'isotls.test', pins: [pinOf(pki('server-ecdsa.crt'))] })), 'ok');
    assert.equal(await code(connect({ ...opts(srv.port), servername: 'isotls.test', pins: [pinOf(pki('intermediate-ca.crt'))] })), 'ok');
    assert.equal(await code(connect({ ...opts(srv.port), servername: 'isotls.test', pins: [pinOf(pki('other-root-ca.crt'))] })), 'bad_certificate/pin_mismatch');
    assert.equal(await code(connect({ ...opts(srv.port), servername: 'isotls.test', pins: ['sha256/not-base64!'] })), 'config/bad_pin');
  });
  it('pins with rejectUnauthorized: false replace the chain check for a self-managed PKI', async () => {
    const conn = await connect({ ...opts(untrusted.port), servername: 'isotls.test', rejectUnauthorized: false, pins: [pinOf(pki('other-server.crt'))] });
    assert.equal(conn.info.authorized, false);
    assert.equal(conn.info.authorizationError?.reason, 'unknown_ca');
    await conn.close();
    assert.equal(await code(connect({ ...opts(untrusted.port), servername: 'isotls.test', rejectUnauthorized: false, pins: [pinOf(pki('server-ecdsa.crt'))] })), 'bad_certificate/pin_mismatch');
  });
});
