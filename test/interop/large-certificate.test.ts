import assert from 'node:assert/strict';
import { connect, TlsError } from '../../src/index.js';
import { startNodeTlsServer } from '../helpers/node-server.js';
import { pki, ROOT_CA } from '../helpers/pki.js';

/**
 * A legitimate Certificate message over 128 KiB (vectors/pki/generate-large.sh: a four-level chain of three
 * ~60 KB certificates, about 180 KiB) completes
 * under the default maxHandshakeMessageSize (256 KiB); a lower limit refuses it from the header, before
 * buffering it (security issue, part 3).
 */
describe('large certificate chains (Node tls server)', function () {
  this.timeout(30000);
  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
    it(`${version}: a Certificate message of about 180 KiB works under the default limit`, async () => {
      const srv = await startNodeTlsServer({ version, identity: { cert: pki('server-large.chain.pem'), key: pki('server-large.key') } });
      try {
        const conn = await connect({ host: '127.0.0.1', port: srv.port, servername: 'localhost', ca: ROOT_CA() });
        assert.equal(conn.info.version, version);
        const total = conn.info.peerCertificates.reduce((n, c) => n + c.der.length, 0);
        assert.equal(conn.info.peerCertificates.length, 3);
        assert.ok(total > 128 * 1024, `chain of ${total} bytes`);
        assert.equal(conn.info.authorized, true);
        await conn.write(new Uint8Array([1, 2, 3]));
        assert.deepEqual(await conn.read(), new Uint8Array([1, 2, 3]));
        await conn.close();
      } finally { await srv.close(); }
    });
  }

  it('a lower maxHandshakeMessageSize refuses it with decode_error/handshake_message_too_long', async () => {
    const srv = await startNodeTlsServer({ identity: { cert: pki('server-large.chain.pem'), key: pki('server-large.key') } });
    try {
      await assert.rejects(connect({ host: '127.0.0.1', port: srv.port, servername: 'localhost', ca: ROOT_CA(), maxHandshakeMessageSize: 64 * 1024 }),
        (e: TlsError) => e.code === 'decode_error/handshake_message_too_long' && /maxHandshakeMessageSize/.test(e.message));
    } finally { await srv.close(); }
  });
});
