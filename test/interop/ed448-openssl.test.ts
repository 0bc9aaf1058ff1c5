import assert from 'node:assert/strict';
import { connect } from '../../src/index.js';
import { startOpenSslServer } from '../helpers/openssl-server.js';
import { requirePeer } from '../helpers/peers.js';
import { pki, pkiPath, ROOT_CA } from '../helpers/pki.js';
import { PROVIDERS } from '../helpers/providers.js';

/**
 * Ed448 (RFC 8032, RFC 8446 §4.2.3, RFC 8422) against openssl s_server: a
 * server certificate with an Ed448 key (its CertificateVerify / ServerKeyExchange
 * signature verified), and an Ed448 client key (mutual TLS, the server verifies
 * our signature and chain), in TLS 1.3 and 1.2.
 */
for (const provider of PROVIDERS) describe(`Ed448 with openssl s_server (${provider.name} provider)`, function () {
  this.timeout(30000);
  before(function () { if (!requirePeer(this, 'openssl')) this.skip(); });

  for (const version of ['1.3', '1.2'] as const) {
    it(`TLS ${version}: an Ed448 server certificate, and an Ed448 client certificate the server requires`, async () => {
      const srv = await startOpenSslServer({
        key: 'ecdsa', version, mode: 'rev',
        // the Ed448 identity replaces the default ECDSA one; -Verify 1 requires a client certificate from client CA A
        args: ['-cert', pkiPath('server-ed448.crt'), '-key', pkiPath('server-ed448.key'), '-cert_chain', pkiPath('intermediate-ca.crt'), '-Verify', '1', '-CAfile', pkiPath('clients/client-ca-A.crt'), '-verify_return_error'],
      });
      try {
        const conn = await connect({
          host: '127.0.0.1', port: srv.port, servername: 'isotls.test', ca: ROOT_CA(), crypto: provider,
          cert: pki('clients/client-ed448.crt'), key: pki('clients/client-ed448.pkcs8.pem'),
        });
        assert.equal(conn.info.signatureAlgorithm, 'ed448');
        assert.equal(conn.info.authorized, true);
        assert.equal(conn.info.clientCertificateSent, true);
        await conn.write(new TextEncoder().encode('ed448\n'));
        let got = '';
        while (!got.includes('\n')) { const c = await conn.read(); if (!c) break; got += new TextDecoder().decode(c); }
        assert.equal(got, '844de\n');
        // s_server prints the client's subject; its output may trail the echo
        await srv.waitFor(/CN ?= ?client-ed448/);
        await conn.close();
      } finally { await srv.close(); }
    });
  }
});
