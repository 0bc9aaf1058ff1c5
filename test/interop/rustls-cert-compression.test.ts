import assert from 'node:assert/strict';
import { connect, type ConnectOptions } from '../../src/index.js';
import { IN_CI } from '../helpers/peers.js';
import { pkiPath, ROOT_CA } from '../helpers/pki.js';
import { PROVIDERS } from '../helpers/providers.js';
import { buildRustPeer, startRustServer } from '../helpers/rust-server.js';

/**
 * RFC 8879 certificate compression against rustls (test/peers/rust): rustls
 * sends its chain as a zlib CompressedCertificate when the client offers zlib;
 * isotls inflates it (declared size bounded, exact length checked) and
 * validates the chain as usual. Not offered, the chain comes uncompressed.
 */
const enc = new TextEncoder();
for (const provider of PROVIDERS) describe(`certificate compression with a rustls server (${provider.name} provider)`, function () {
  this.timeout(120000);
  let srv: Awaited<ReturnType<typeof startRustServer>>;
  before(async function () {
    if (!buildRustPeer()) {
      if (IN_CI) throw new Error('cargo is missing in CI: .ci/run must build the rustls peer');
      console.log('      (skipped: cargo is not installed on this machine)');
      return this.skip();
    }
    srv = await startRustServer(pkiPath('server-rsa.chain.pem'), pkiPath('server-rsa.key'));
  });
  after(async () => { await srv?.close(); });
  const base = (): ConnectOptions => ({ host: '127.0.0.1', port: srv.port, servername: 'isotls.test', ca: ROOT_CA(), crypto: provider });

  const echo = async (o: ConnectOptions) => {
    const conn = await connect(o);
    await conn.write(enc.encode('compress me\n'));
    let got = '';
    while (!got.includes('\n')) { const c = await conn.read(); if (!c) break; got += new TextDecoder().decode(c); }
    assert.equal(got, 'compress me\n');
    await conn.close();
    return conn.info;
  };

  it('TLS 1.3: the chain arrives zlib-compressed, is inflated and validated', async () => {
    const info = await echo(base());
    assert.equal(info.version, 'TLSv1.3');
    assert.equal(info.certificateCompression, 'zlib');
    assert.equal(info.authorized, true);
    assert.equal(info.peerCertificates.length, 2);
  });
  it('certificateCompression: false offers none, and the chain arrives as a plain Certificate', async () => {
    const info = await echo({ ...base(), certificateCompression: false });
    assert.equal(info.certificateCompression, false);
    assert.equal(info.authorized, true);
  });
  it('TLS 1.2 has no certificate compression (RFC 8879 is TLS 1.3 only)', async () => {
    const info = await echo({ ...base(), maxVersion: 'TLSv1.2' });
    assert.equal(info.version, 'TLSv1.2');
    assert.equal(info.certificateCompression, false);
  });
});
