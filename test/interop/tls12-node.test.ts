import assert from 'node:assert/strict';
import type { CryptoProvider } from '../../src/crypto/provider.js';
import type { TLSSocket } from 'node:tls';
import { connect, TlsError } from '../../src/index.js';
import { chunkSizes, randomData, readExactly, sha256hex } from '../helpers/data.js';
import { modpPem } from '../helpers/dh.js';
import { startNodeTlsServer } from '../helpers/node-server.js';
import { pki, ROOT_CA, type ServerKeyType } from '../helpers/pki.js';
import { PROVIDERS } from '../helpers/providers.js';

/** [IANA name, OpenSSL name, certificate, expected group] — the twelve suites API endpoints offer, then the extras. */
export const TLS12_CASES: [string, string, ServerKeyType, RegExp][] = [
  ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'rsa', /^x25519$/],
  ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'ECDHE-RSA-AES256-GCM-SHA384', 'rsa', /^x25519$/],
  ['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'DHE-RSA-AES128-GCM-SHA256', 'rsa', /^ffdhe2048$/],
  ['TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 'DHE-RSA-AES256-GCM-SHA384', 'rsa', /^ffdhe2048$/],
  ['TLS_DHE_RSA_WITH_AES_128_CCM', 'DHE-RSA-AES128-CCM', 'rsa', /^ffdhe2048$/],
  ['TLS_DHE_RSA_WITH_AES_256_CCM', 'DHE-RSA-AES256-CCM', 'rsa', /^ffdhe2048$/],
  ['TLS_DHE_RSA_WITH_AES_128_CCM_8', 'DHE-RSA-AES128-CCM8', 'rsa', /^ffdhe2048$/],
  ['TLS_DHE_RSA_WITH_AES_256_CCM_8', 'DHE-RSA-AES256-CCM8', 'rsa', /^ffdhe2048$/],
  ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'ECDHE-RSA-AES128-SHA256', 'rsa', /^x25519$/],
  ['TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', 'ECDHE-RSA-AES256-SHA384', 'rsa', /^x25519$/],
  ['TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', 'DHE-RSA-AES128-SHA256', 'rsa', /^ffdhe2048$/],
  ['TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', 'DHE-RSA-AES256-SHA256', 'rsa', /^ffdhe2048$/],
  ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'ECDHE-ECDSA-AES128-GCM-SHA256', 'ecdsa', /^x25519$/],
  ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ecdsa', /^x25519$/],
  ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 'ECDHE-ECDSA-AES128-SHA256', 'ecdsa', /^x25519$/],
  ['TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', 'ECDHE-ECDSA-AES256-SHA384', 'ecdsa', /^x25519$/],
  ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-ECDSA-CHACHA20-POLY1305', 'ecdsa', /^x25519$/],
  ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-RSA-CHACHA20-POLY1305', 'rsa', /^x25519$/],
  ['TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'DHE-RSA-CHACHA20-POLY1305', 'rsa', /^ffdhe2048$/],
];

const enc = (s: string) => new TextEncoder().encode(s);
/** The provider of the describe block running (each block runs once per provider, test/helpers/providers.ts). */
let provider: CryptoProvider = PROVIDERS[0]!;
const opts = (port: number) => ({ host: '127.0.0.1', port, servername: 'isotls.test', ca: ROOT_CA(), crypto: provider });
const FFDHE2048 = () => pki('ffdhe2048.pem');

for (const p of PROVIDERS) describe(`interop TLS 1.2: Node tls server (in-process, 127.0.0.1) (${p.name} provider)`, function () {
  before(() => { provider = p; });
  this.timeout(60000);

  for (const [iana, openssl, key, group] of TLS12_CASES) {
    it(`${iana} when it is the only suite the server offers`, async () => {
      const srv = await startNodeTlsServer({ version: 'TLSv1.2', key, ciphersuites: openssl, dhparam: FFDHE2048() });
      try {
        const conn = await connect(opts(srv.port));
        assert.equal(conn.info.version, 'TLSv1.2');
        assert.equal(conn.info.cipherSuite, iana);
        assert.match(conn.info.group, group);
        assert.equal(conn.info.authorized, true);
        await conn.write(enc(iana));
        assert.equal(new TextDecoder().decode(await readExactly(() => conn.read(), iana.length)), iana);
        await conn.close();
      } finally { await srv.close(); }
    });
  }

  it('DHE with the RFC 3526 2048-bit group', async () => {
    const srv = await startNodeTlsServer({ version: 'TLSv1.2', key: 'rsa', ciphersuites: 'DHE-RSA-AES128-GCM-SHA256', dhparam: pki('modp2048.pem') });
    try {
      const conn = await connect(opts(srv.port));
      assert.equal(conn.info.group, 'modp2048 (RFC 3526 group 14)');
      await conn.close();
    } finally { await srv.close(); }
  });

  it('refuses a 1024-bit DH group with insufficient_security and says the size', async () => {
    let serverError = '';
    const srv = await startNodeTlsServer({ version: 'TLSv1.2', key: 'rsa', ciphersuites: 'DHE-RSA-AES128-GCM-SHA256', dhparam: modpPem('modp2') });
    srv.server.on('tlsClientError', (e) => { serverError = e.message; });
    try {
      await assert.rejects(connect(opts(srv.port)), (e: TlsError) => {
        assert.equal(e.code, 'insufficient_security/dh_group_too_small');
        assert.match(e.message, /1024 bits/);
        return true;
      });
      await new Promise((r) => setTimeout(r, 100));
      assert.match(serverError, /alert number 71/);
    } finally { await srv.close(); }
  });

  for (const [label, cipher] of [['AES-GCM', 'ECDHE-RSA-AES128-GCM-SHA256'], ['CBC', 'ECDHE-RSA-AES256-SHA384']]) {
    it(`echoes 1 MiB intact over ${label} with random chunk sizes on both sides`, async () => {
      const srv = await startNodeTlsServer({
        version: 'TLSv1.2', key: 'rsa', ciphersuites: cipher,
        handler: (s: TLSSocket) => {
          let seed = 5;
          s.on('data', (d: Buffer) => { for (let o = 0; o < d.length;) { seed = (seed * 1103515245 + 12345) >>> 0; const n = Math.min(d.length - o, 1 + (seed % 9000)); s.write(d.subarray(o, o + n)); o += n; } });
        },
      });
      try {
        const conn = await connect(opts(srv.port));
        const data = randomData(1 << 20);
        const writer = (async () => { let o = 0; for (const n of chunkSizes(data.length, 50000, 77)) { await conn.write(data.subarray(o, o + n)); o += n; } })();
        const echoed = await readExactly(() => conn.read(), data.length);
        await writer;
        assert.equal(sha256hex(echoed), sha256hex(data));
        await conn.close();
      } finally { await srv.close(); }
    });
  }

  it('resumes a session by ticket (RFC 5077)', async () => {
    const srv = await startNodeTlsServer({ version: 'TLSv1.2', key: 'rsa' });
    try {
      const first = await connect(opts(srv.port));
      await first.write(enc('a')); await readExactly(() => first.read(), 1);
      const session = first.session;
      assert.ok(session?.ticket && session.ticket.length > 0, 'a ticket was issued');
      assert.equal(first.info.resumed, false);
      await first.close();
      const second = await connect({ ...opts(srv.port), session });
      assert.equal(second.info.resumed, true);
      assert.equal(second.info.cipherSuite, first.info.cipherSuite);
      await second.write(enc('resumed')); assert.equal(new TextDecoder().decode(await readExactly(() => second.read(), 7)), 'resumed');
      await second.close();
    } finally { await srv.close(); }
  });

  it('resumes a session by session ID', async () => {
    const srv = await startNodeTlsServer({ version: 'TLSv1.2', key: 'ecdsa', noTickets: true, sessionIdCache: true });
    try {
      const first = await connect(opts(srv.port));
      await first.write(enc('a')); await readExactly(() => first.read(), 1);
      const session = first.session!;
      assert.ok(session.version === 'TLSv1.2');
      assert.equal(session.ticket, undefined);
      assert.equal(session.sessionId.length, 32);
      await first.close();
      const second = await connect({ ...opts(srv.port), session });
      assert.equal(second.info.resumed, true);
      await second.write(enc('by id')); assert.equal(new TextDecoder().decode(await readExactly(() => second.read(), 5)), 'by id');
      await second.close();
    } finally { await srv.close(); }
  });

  it('refuses renegotiation: a HelloRequest is answered with a no_renegotiation warning', async () => {
    let renegError: Error | null | undefined;
    const srv = await startNodeTlsServer({
      version: 'TLSv1.2', key: 'rsa',
      handler: (s: TLSSocket) => {
        s.on('error', (e) => { renegError ??= e; });
        s.once('data', () => { s.renegotiate({}, (err) => { renegError ??= err; }); });
      },
    });
    try {
      const conn = await connect(opts(srv.port));
      await conn.write(enc('go'));
      // OpenSSL's server policy answers a refused renegotiation with a fatal handshake_failure
      await assert.rejects(conn.read(), (e: TlsError) => e.code === 'peer_alert/handshake_failure' && e.alertFrom === 'peer');
      assert.equal(conn.helloRequestsRefused, 1);
      await new Promise((r) => setTimeout(r, 200));
      assert.match(String(renegError), /no renegotiation/, 'the server saw our no_renegotiation warning');
    } finally { await srv.close(); }
  });

  for (const [group, curve] of [['secp256r1', 'P-256'], ['secp384r1', 'P-384']] as const) {
    it(`ECDHE over ${group} with ALPN`, async () => {
      const srv = await startNodeTlsServer({ version: 'TLSv1.2', key: 'ecdsa', ecdhCurve: curve, alpn: ['h2', 'http/1.1'] });
      try {
        const conn = await connect({ ...opts(srv.port), ALPNProtocols: ['http/1.1'] });
        assert.equal(conn.info.group, group);
        assert.equal(conn.info.alpnProtocol, 'http/1.1');
        await conn.close();
      } finally { await srv.close(); }
    });
  }

  it('negotiates TLS 1.3 when the server speaks both, and TLS 1.2 when the client caps it', async () => {
    const srv = await startNodeTlsServer({ version: undefined, key: 'rsa' });
    srv.server.setSecureContext({ cert: pki('server-rsa.chain.pem'), key: pki('server-rsa.key'), minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' });
    try {
      const a = await connect(opts(srv.port));
      assert.equal(a.info.version, 'TLSv1.3');
      await a.close();
      const b = await connect({ ...opts(srv.port), maxVersion: 'TLSv1.2' });
      assert.equal(b.info.version, 'TLSv1.2');
      await b.close();
    } finally { await srv.close(); }
  });

  it('reports a server that only speaks TLS 1.2 to a TLS 1.3-only client', async () => {
    const srv = await startNodeTlsServer({ version: 'TLSv1.2', key: 'rsa' });
    try {
      await assert.rejects(connect({ ...opts(srv.port), minVersion: 'TLSv1.3' }), (e: TlsError) => e.code === 'peer_alert/protocol_version' && /no shared TLS version/.test(e.message));
    } finally { await srv.close(); }
  });
});
