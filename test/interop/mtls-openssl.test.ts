import assert from 'node:assert/strict';
import type { CryptoProvider } from '../../src/crypto/provider.js';
import { connect, TlsError } from '../../src/index.js';
import { readAll, readExactly } from '../helpers/data.js';
import { CLIENT_KEYS, clientFile, clientText, identityFormats } from '../helpers/clients.js';
import { startOpenSslServer } from '../helpers/openssl-server.js';
import { requirePeer } from '../helpers/peers.js';
import { ROOT_CA } from '../helpers/pki.js';
import { PROVIDERS } from '../helpers/providers.js';

/** The provider of the describe block running (each block runs once per provider, test/helpers/providers.ts). */
let provider: CryptoProvider = PROVIDERS[0]!;
const opts = (port: number) => ({ host: '127.0.0.1', port, servername: 'isotls.test', ca: ROOT_CA(), crypto: provider });
const VERIFY = (ca = 'client-ca-A.crt') => ['-Verify', '2', '-verify_return_error', '-verifyCAfile', clientFile(ca)];

for (const p of PROVIDERS) describe(`interop mTLS: openssl s_server -Verify 2 -verify_return_error (${p.name} provider)`, function () {
  before(() => { provider = p; });
  this.timeout(60000);
  before(function () { if (!requirePeer(this, 'openssl')) this.skip(); });

  for (const version of ['1.3', '1.2'] as const) {
    for (const name of CLIENT_KEYS) {
      for (const [format, identity] of identityFormats(name)) {
        if (format !== 'PKCS#8 PEM' && format !== 'PKCS#12' && format !== 'encrypted PKCS#8') continue; // every format is covered against Node
        it(`TLS ${version}: ${name} from ${format}`, async () => {
          const srv = await startOpenSslServer({ version, mode: 'www', args: VERIFY() });
          try {
            const conn = await connect({ ...opts(srv.port), ...identity });
            await conn.write(new TextEncoder().encode('GET / HTTP/1.0\r\n\r\n'));
            const page = new TextDecoder().decode(await readAll(() => conn.read()));
            assert.match(page, new RegExp(`Client certificate[\\s\\S]*CN ?= ?${name}`));
            await conn.close();
          } finally { await srv.close(); }
        });
      }
    }
    it(`TLS ${version}: RSA-2048 with PKCS#1 v1.5 where only that is accepted`, async () => {
      if (version === '1.3') return; // TLS 1.3 forbids PKCS#1 v1.5 in CertificateVerify
      const srv = await startOpenSslServer({ version, mode: 'www', args: [...VERIFY(), '-client_sigalgs', 'RSA+SHA256'] });
      try {
        const conn = await connect({ ...opts(srv.port), cert: clientText('client-rsa2048.crt'), key: clientText('client-rsa2048.pkcs1.pem') });
        await conn.write(new TextEncoder().encode('GET / HTTP/1.0\r\n\r\n'));
        assert.match(new TextDecoder().decode(await readAll(() => conn.read())), /CN ?= ?client-rsa2048/);
        await conn.close();
      } finally { await srv.close(); }
    });
    it(`TLS ${version}: a certificate from a CA the server does not trust ends in its alert, explained`, async () => {
      // -CAfile also makes s_server name its client CA in certificate_authorities
      const srv = await startOpenSslServer({ version, mode: 'www', args: [...VERIFY('client-ca-B.crt'), '-CAfile', clientFile('client-ca-B.crt')] });
      try {
        const run = async () => { const conn = await connect({ ...opts(srv.port), cert: clientText('client-ecdsa-p256.crt'), key: clientText('client-ecdsa-p256.pkcs8.pem') }); await conn.read(); };
        await assert.rejects(run(), (e: TlsError) => {
          assert.equal(e.code, 'peer_alert/unknown_ca');
          assert.match(e.message, /acceptable issuers: CN=isotls Client CA B/);
          assert.match(e.message, /sent identity "client-ecdsa-p256"/);
          return true;
        });
      } finally { await srv.close(); }
    });
    it(`TLS ${version}: no certificate configured: the server's alert is explained`, async () => {
      const srv = await startOpenSslServer({ version, mode: 'www', args: VERIFY() });
      try {
        const run = async () => { const conn = await connect(opts(srv.port)); await conn.read(); };
        await assert.rejects(run(), (e: TlsError) => {
          assert.match(e.code, /^peer_alert\/(certificate_required|handshake_failure)$/);
          assert.match(e.message, /sent no certificate/);
          return true;
        });
      } finally { await srv.close(); }
    });
  }

  it('TLS 1.3 post-handshake authentication: the certificate is sent only when the server asks after the handshake', async () => {
    const srv = await startOpenSslServer({ mode: 'interactive', args: ['-verify', '1', '-verify_return_error', '-verifyCAfile', clientFile('client-ca-A.crt')] });
    try {
      const seen: boolean[] = [];
      const conn = await connect({
        ...opts(srv.port), postHandshakeAuth: true, cert: clientText('client-ecdsa-p256.crt'), key: clientText('client-ecdsa-p256.pkcs8.pem'),
        selectIdentity: (req) => { seen.push(req.postHandshake); return req.postHandshake ? 'client-ecdsa-p256' : null; },
      });
      await srv.waitFor(/CIPHER is/);
      srv.send('c\n'); // s_server: request a certificate post-handshake
      await new Promise((r) => setTimeout(r, 300));
      srv.send('after\n');
      assert.equal(new TextDecoder().decode(await readExactly(() => conn.read(), 6)), 'after\n');
      await conn.write(new TextEncoder().encode('from client\n'));
      await srv.waitFor(/from client/);
      assert.equal(conn.postHandshakeAuthAnswered, 1);
      assert.deepEqual(seen, [false, true], 'declined during the handshake, answered after it');
      assert.match(srv.output(), /depth=0 CN ?= ?client-ecdsa-p256/);
      await conn.close();
    } finally { await srv.close(); }
  });
});
