import assert from 'node:assert/strict';
import { connect, TlsError } from '../../src/tls13-only.js';
import { startNodeTlsServer } from '../helpers/node-server.js';
import { ROOT_CA } from '../helpers/pki.js';

describe('isotls/tls13: the TLS 1.3-only client', () => {
  it('connects with TLS 1.3', async () => {
    const srv = await startNodeTlsServer({ version: 'TLSv1.3' });
    try {
      const conn = await connect({ host: '127.0.0.1', port: srv.port, servername: 'isotls.test', ca: ROOT_CA() });
      assert.equal(conn.info.version, 'TLSv1.3');
      await conn.close();
    } finally { await srv.close(); }
  });

  it('offers no TLS 1.2: a TLS 1.2-only server fails with protocol_version', async () => {
    const srv = await startNodeTlsServer({ version: 'TLSv1.2' });
    try {
      await assert.rejects(connect({ host: '127.0.0.1', port: srv.port, servername: 'isotls.test', ca: ROOT_CA() }),
        (e: TlsError) => e instanceof TlsError && e.alert === 'protocol_version');
    } finally { await srv.close(); }
  });

  it('refuses TLS 1.2 suite names and a TLS 1.2-only range with a clear message', async () => {
    await assert.rejects(connect({ host: '127.0.0.1', port: 1, ca: ROOT_CA(), cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] }),
      (e: TlsError) => e.code === 'config/unknown_cipher_suite' && /TLS 1\.3-only/.test(e.message));
    await assert.rejects(connect({ host: '127.0.0.1', port: 1, ca: ROOT_CA(), maxVersion: 'TLSv1.2' }),
      (e: TlsError) => e.code === 'config/no_cipher_suites');
  });
});
