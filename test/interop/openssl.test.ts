import assert from 'node:assert/strict';
import type { CryptoProvider } from '../../src/crypto/provider.js';
import { connect } from '../../src/index.js';
import { chunkSizes, readAll, readExactly, sha256hex } from '../helpers/data.js';
import { startOpenSslServer } from '../helpers/openssl-server.js';
import { requirePeer } from '../helpers/peers.js';
import { ROOT_CA, type ServerKeyType } from '../helpers/pki.js';
import { PROVIDERS } from '../helpers/providers.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
/** The provider of the describe block running (each block runs once per provider, test/helpers/providers.ts). */
let provider: CryptoProvider = PROVIDERS[0]!;
const opts = (port: number) => ({ host: '127.0.0.1', port, servername: 'isotls.test', ca: ROOT_CA(), crypto: provider });

/** GET / against `s_server -www`; returns the status page, which names the negotiated suite. */
async function wwwPage(port: number, extra: object = {}) {
  const conn = await connect({ ...opts(port), ...extra });
  await conn.write(enc('GET / HTTP/1.0\r\n\r\n'));
  const page = dec(await readAll(() => conn.read()));
  await conn.close();
  return { conn, page };
}

for (const p of PROVIDERS) describe(`interop: openssl s_server (127.0.0.1) (${p.name} provider)`, function () {
  before(() => { provider = p; });
  this.timeout(60000);
  before(function () { if (!requirePeer(this, 'openssl')) this.skip(); });

  for (const suite of ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256']) {
    it(suite, async () => {
      const srv = await startOpenSslServer({ mode: 'www', args: ['-ciphersuites', suite] });
      try {
        const { conn, page } = await wwwPage(srv.port, { cipherSuites: [suite] });
        assert.equal(conn.info.cipherSuite, suite);
        assert.match(page, new RegExp(`TLSv1.3, Cipher is ${suite}`));
      } finally { await srv.close(); }
    });
  }

  for (const [key, scheme] of [['rsa', 'rsa_pss_rsae_sha256'], ['rsapss', 'rsa_pss_pss_sha256'], ['ecdsa', 'ecdsa_secp256r1_sha256'], ['ed25519', 'ed25519']] as [ServerKeyType, string][]) {
    it(`a ${key} server certificate`, async () => {
      const srv = await startOpenSslServer({ key, mode: 'www' });
      try {
        const { conn, page } = await wwwPage(srv.port);
        assert.equal(conn.info.signatureAlgorithm, scheme);
        assert.equal(conn.info.authorized, true);
        assert.match(page, /TLSv1.3/);
      } finally { await srv.close(); }
    });
  }

  for (const [group, name] of [['x25519', 'X25519'], ['secp256r1', 'P-256'], ['secp384r1', 'P-384']] as const) {
    it(`group ${group}`, async () => {
      const srv = await startOpenSslServer({ mode: 'www', args: ['-groups', name] });
      try {
        const { conn } = await wwwPage(srv.port, { groups: [group] });
        assert.equal(conn.info.group, group);
      } finally { await srv.close(); }
    });
  }

  it('a server that forces HelloRetryRequest (P-256 only)', async () => {
    const srv = await startOpenSslServer({ mode: 'www', args: ['-groups', 'P-256'] });
    try {
      const { conn, page } = await wwwPage(srv.port);
      assert.equal(conn.info.helloRetryRequest, true);
      assert.equal(conn.info.group, 'secp256r1');
      assert.match(page, /TLSv1.3/);
    } finally { await srv.close(); }
  });

  it('1 MiB through -rev, written in random chunk sizes, comes back line-reversed and intact', async () => {
    const srv = await startOpenSslServer({ mode: 'rev' });
    try {
      const conn = await connect(opts(srv.port));
      const lines: string[] = [];
      const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
      let x = 7;
      for (let i = 0; i < 1024; i++) { let l = ''; for (let j = 0; j < 1023; j++) { x = (x * 1103515245 + 12345) >>> 0; l += alphabet[x % alphabet.length]; } lines.push(l); }
      const data = enc(lines.map((l) => l + '\n').join(''));
      assert.equal(data.length, 1 << 20);
      const expected = enc(lines.map((l) => [...l].reverse().join('') + '\n').join(''));
      const writer = (async () => { let o = 0; for (const n of chunkSizes(data.length, 30000, 4242)) { await conn.write(data.subarray(o, o + n)); o += n; } })();
      const got = await readExactly(() => conn.read(), expected.length);
      await writer;
      assert.equal(sha256hex(got), sha256hex(expected));
      await conn.close();
    } finally { await srv.close(); }
  });

  it('KeyUpdate in both directions: server-initiated (K) and client-initiated', async () => {
    const srv = await startOpenSslServer({ mode: 'interactive' });
    try {
      const conn = await connect(opts(srv.port));
      await srv.waitFor(/CIPHER is/);
      // server: KeyUpdate with update_requested, then data under its new keys
      srv.send('K\n');
      // s_server takes a stdin line as a command only when it arrives alone
      await new Promise((r) => setTimeout(r, 300));
      srv.send('from-server\n');
      assert.equal(dec(await readExactly(() => conn.read(), 12)), 'from-server\n');
      assert.equal(conn.keyUpdates.received, 1, 'the server KeyUpdate was processed');
      assert.equal(conn.keyUpdates.sent, 0, 'the answer is owed until our next application data (RFC 8446 §4.6.3)');
      // our answering KeyUpdate goes before this data and rotates our write keys: the server must still read us
      await conn.write(enc('after-server-update\n'));
      assert.equal(conn.keyUpdates.sent, 1, 'answered with our own');
      await srv.waitFor(/after-server-update/);
      // client-initiated, asking the server to update too
      await conn.updateKeys(true);
      await conn.write(enc('after-client-update\n'));
      await srv.waitFor(/after-client-update/);
      await new Promise((r) => setTimeout(r, 300));
      srv.send('again\n');
      assert.equal(dec(await readExactly(() => conn.read(), 6)), 'again\n');
      assert.equal(conn.keyUpdates.sent, 2);
      assert.equal(conn.keyUpdates.received, 2, 'the server answered our update_requested');
      await conn.close();
    } finally { await srv.close(); }
  });

  it('close_notify both ways', async () => {
    // server first: -www answers, then SSL_shutdown; read() returns null only after a real close_notify
    let srv = await startOpenSslServer({ mode: 'www' });
    try {
      const conn = await connect(opts(srv.port));
      await conn.write(enc('GET / HTTP/1.0\r\n\r\n'));
      const page = dec(await readAll(() => conn.read()));
      assert.match(page, /Cipher is/);
      assert.equal(await conn.read(), null);
      await conn.close();
    } finally { await srv.close(); }
    // client first: s_server sees our close_notify and ends the session cleanly
    srv = await startOpenSslServer({ mode: 'interactive' });
    try {
      const conn = await connect(opts(srv.port));
      await srv.waitFor(/CIPHER is/);
      await conn.close();
      await srv.waitFor(/DONE/);
      assert.doesNotMatch(srv.output(), /error|alert/i);
    } finally { await srv.close(); }
  });

  it('detects truncation: a server that drops the TCP connection without close_notify', async () => {
    const srv = await startOpenSslServer({ mode: 'interactive' });
    try {
      const conn = await connect(opts(srv.port));
      await srv.waitFor(/CIPHER is/);
      srv.send('Q\n'); // s_server closes the socket without sending close_notify
      await assert.rejects(conn.read(), (e: { code: string }) => e.code === 'transport/closed_without_close_notify');
    } finally { await srv.close(); }
  });
});
