import assert from 'node:assert/strict';
import { connect } from '../../src/index.js';
import { startOpenSslServer } from '../helpers/openssl-server.js';
import { requirePeer } from '../helpers/peers.js';
import { ROOT_CA } from '../helpers/pki.js';
import { PROVIDERS } from '../helpers/providers.js';

/** X448 key exchange (RFC 7748, RFC 8446 §4.2.7, RFC 8422) against openssl s_server restricted to X448. */
for (const provider of PROVIDERS) describe(`X448 key exchange with openssl s_server (${provider.name} provider)`, function () {
  this.timeout(30000);
  before(function () { if (!requirePeer(this, 'openssl')) this.skip(); });

  for (const version of ['1.3', '1.2'] as const) {
    it(`TLS ${version}: the server allows only X448; the client offers it after X25519MLKEM768/x25519 and gets it`, async () => {
      const srv = await startOpenSslServer({ key: 'rsa', version, mode: 'rev', args: ['-groups', 'X448'] });
      try {
        const conn = await connect({ host: '127.0.0.1', port: srv.port, servername: 'isotls.test', ca: ROOT_CA(), crypto: provider, groups: ['X25519MLKEM768', 'x25519', 'x448'] });
        assert.equal(conn.info.group, 'x448');
        assert.equal(conn.info.version, version === '1.3' ? 'TLSv1.3' : 'TLSv1.2');
        // TLS 1.3: the shares sent were for the hybrid and x25519, so the server asked for x448 again
        assert.equal(conn.info.helloRetryRequest, version === '1.3');
        await conn.write(new TextEncoder().encode('x448\n'));
        let got = '';
        while (!got.includes('\n')) { const c = await conn.read(); if (!c) break; got += new TextDecoder().decode(c); }
        assert.equal(got, '844x\n');
        await conn.close();
      } finally { await srv.close(); }
    });
  }
});
