import assert from 'node:assert/strict';
import type { CryptoProvider } from '../../src/crypto/provider.js';
import { connect } from '../../src/index.js';
import { readAll } from '../helpers/data.js';
import { startOpenSslServer } from '../helpers/openssl-server.js';
import { requirePeer } from '../helpers/peers.js';
import { pkiPath, ROOT_CA } from '../helpers/pki.js';
import { PROVIDERS } from '../helpers/providers.js';
import { TLS12_CASES } from './tls12-node.test.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
/** The provider of the describe block running (each block runs once per provider, test/helpers/providers.ts). */
let provider: CryptoProvider = PROVIDERS[0]!;
const opts = (port: number) => ({ host: '127.0.0.1', port, servername: 'isotls.test', ca: ROOT_CA(), crypto: provider });

async function page(port: number, extra: object = {}) {
  const conn = await connect({ ...opts(port), ...extra });
  await conn.write(enc('GET / HTTP/1.0\r\n\r\n'));
  const text = dec(await readAll(() => conn.read()));
  await conn.close();
  return { conn, text };
}

for (const p of PROVIDERS) describe(`interop TLS 1.2: openssl s_server (127.0.0.1) (${p.name} provider)`, function () {
  before(() => { provider = p; });
  this.timeout(60000);
  before(function () { if (!requirePeer(this, 'openssl')) this.skip(); });

  for (const [iana, openssl, key, group] of TLS12_CASES) {
    it(`${iana} when it is the only suite the server offers`, async () => {
      const srv = await startOpenSslServer({ version: '1.2', key, mode: 'www', args: ['-cipher', openssl, '-dhparam', pkiPath('ffdhe2048.pem')] });
      try {
        const { conn, text } = await page(srv.port);
        assert.equal(conn.info.version, 'TLSv1.2');
        assert.equal(conn.info.cipherSuite, iana);
        assert.match(conn.info.group, group);
        assert.match(text, new RegExp(`New, TLSv1.2, Cipher is ${openssl}`));
      } finally { await srv.close(); }
    });
  }

  it('DHE with the RFC 3526 2048-bit group', async () => {
    const srv = await startOpenSslServer({ version: '1.2', key: 'rsa', mode: 'www', args: ['-cipher', 'DHE-RSA-AES256-GCM-SHA384', '-dhparam', pkiPath('modp2048.pem')] });
    try {
      const { conn } = await page(srv.port);
      assert.equal(conn.info.group, 'modp2048 (RFC 3526 group 14)');
    } finally { await srv.close(); }
  });

  for (const [sigalgs, scheme] of [['RSA+SHA256', 'rsa_pkcs1_sha256'], ['RSA+SHA384', 'rsa_pkcs1_sha384'], ['RSA-PSS+SHA512', 'rsa_pss_rsae_sha512']]) {
    it(`verifies a ServerKeyExchange signed with ${scheme}`, async () => {
      const srv = await startOpenSslServer({ version: '1.2', key: 'rsa', mode: 'www', args: ['-cipher', 'ECDHE-RSA-AES128-GCM-SHA256', '-sigalgs', sigalgs!] });
      try {
        const { conn } = await page(srv.port);
        assert.equal(conn.info.signatureAlgorithm, scheme);
      } finally { await srv.close(); }
    });
  }

  for (const etm of [true, false]) {
    it(`CBC ${etm ? 'with' : 'without'} encrypt-then-MAC`, async () => {
      const srv = await startOpenSslServer({ version: '1.2', key: 'rsa', mode: 'www', args: ['-cipher', 'ECDHE-RSA-AES128-SHA256', ...(etm ? [] : ['-no_etm'])] });
      try {
        const { conn, text } = await page(srv.port);
        assert.equal(conn.info.cipherSuite, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256');
        assert.equal(conn.info.encryptThenMac, etm);
        assert.equal(conn.info.extendedMasterSecret, true);
        assert.match(text, /Cipher is ECDHE-RSA-AES128-SHA256/);
      } finally { await srv.close(); }
    });
  }

  for (const [how, args] of [['ticket', []], ['session ID', ['-no_ticket']]] as const) {
    it(`resumes by ${how}`, async () => {
      const srv = await startOpenSslServer({ version: '1.2', key: 'ecdsa', mode: 'www', naccept: 2, args: [...args] });
      try {
        const first = await page(srv.port);
        const session = first.conn.session!;
        assert.ok(session, 'a resumable session');
        assert.equal(!!session.ticket, how === 'ticket');
        const second = await page(srv.port, { session });
        assert.equal(second.conn.info.resumed, true);
        assert.match(second.text, /Reused, TLSv1.2/);
      } finally { await srv.close(); }
    });
  }
});
