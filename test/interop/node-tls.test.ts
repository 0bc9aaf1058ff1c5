import assert from 'node:assert/strict';
import type { CryptoProvider } from '../../src/crypto/provider.js';
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { createServer as createNetServer } from 'node:net';
import { connect, TlsError } from '../../src/index.js';
import { chunkSizes, randomData, readExactly, sha256hex } from '../helpers/data.js';
import { startNodeTlsServer } from '../helpers/node-server.js';
import { pki, ROOT_CA, type ServerKeyType } from '../helpers/pki.js';
import { PROVIDERS } from '../helpers/providers.js';

const SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256'];
const KEYS: [ServerKeyType, RegExp][] = [['rsa', /^rsa_pss_rsae_sha256$/], ['rsapss', /^rsa_pss_pss_sha256$/], ['ecdsa', /^ecdsa_secp256r1_sha256$/], ['ed25519', /^ed25519$/]];
/** The provider of the describe block running (each block runs once per provider, test/helpers/providers.ts). */
let provider: CryptoProvider = PROVIDERS[0]!;
const opts = (port: number) => ({ host: '127.0.0.1', port, servername: 'isotls.test', ca: ROOT_CA(), crypto: provider });
const enc = (s: string) => new TextEncoder().encode(s);

for (const p of PROVIDERS) describe(`interop: Node tls server (in-process, 127.0.0.1) (${p.name} provider)`, function () {
  before(() => { provider = p; });
  this.timeout(60000);

  for (const suite of SUITES) {
    for (const [key, scheme] of KEYS) {
      it(`${suite} with a ${key} certificate`, async () => {
        const srv = await startNodeTlsServer({ key, ciphersuites: suite });
        try {
          const conn = await connect({ ...opts(srv.port), cipherSuites: [suite] });
          assert.equal(conn.info.version, 'TLSv1.3');
          assert.equal(conn.info.cipherSuite, suite);
          assert.match(conn.info.signatureAlgorithm, scheme);
          assert.equal(conn.info.authorized, true);
          assert.equal(conn.info.cryptoProvider, provider.name);
          await conn.write(enc(`ping ${suite}`));
          assert.equal(new TextDecoder().decode(await readExactly(() => conn.read(), `ping ${suite}`.length)), `ping ${suite}`);
          await conn.close();
        } finally { await srv.close(); }
      });
    }
  }

  for (const [group, curve] of [['x25519', 'X25519'], ['secp256r1', 'P-256'], ['secp384r1', 'P-384'], ['secp521r1', 'P-521']] as const) {
    it(`key exchange over ${group}`, async () => {
      const srv = await startNodeTlsServer({ ecdhCurve: curve });
      try {
        const conn = await connect({ ...opts(srv.port), groups: [group] });
        assert.equal(conn.info.group, group);
        assert.equal(conn.info.helloRetryRequest, false);
        await conn.close();
      } finally { await srv.close(); }
    });
  }

  it('answers a HelloRetryRequest from a server that only accepts secp384r1', async () => {
    const srv = await startNodeTlsServer({ ecdhCurve: 'P-384' });
    try {
      const conn = await connect(opts(srv.port));
      assert.equal(conn.info.helloRetryRequest, true);
      assert.equal(conn.info.group, 'secp384r1');
      await conn.write(enc('after hrr'));
      assert.equal(new TextDecoder().decode(await readExactly(() => conn.read(), 9)), 'after hrr');
      await conn.close();
    } finally { await srv.close(); }
  });

  it('reports peer certificates like an API provider test endpoint', async () => {
    const srv = await startNodeTlsServer({ key: 'rsa' });
    try {
      const conn = await connect({ ...opts(srv.port), ALPNProtocols: ['h2', 'http/1.1'] });
      const leaf = conn.info.peerCertificates[0]!;
      const nodeLeaf = new X509Certificate(pki('server-rsa.crt'));
      assert.equal(leaf.fingerprintSHA256hex, nodeLeaf.fingerprint256.replace(/:/g, ''));
      assert.equal(leaf.commonName, 'isotls.test');
      assert.equal(leaf.issuerCommonName, 'isotls Test Intermediate CA');
      assert.deepEqual(leaf.subjectAltNames, ['DNS:localhost', 'DNS:isotls.test', 'DNS:*.isotls.test', 'IP:127.0.0.1', 'IP:::1']);
      assert.equal(leaf.notAfter.toISOString(), new Date(nodeLeaf.validTo).toISOString());
      assert.equal(conn.info.peerCertificates.length, 2);
      assert.equal(conn.info.servername, 'isotls.test');
      assert.equal(conn.info.alpnProtocol, false, 'server has no ALPN configured');
      await conn.close();
    } finally { await srv.close(); }
  });

  it('negotiates ALPN and sends SNI', async () => {
    let sniSeen: string | false | undefined;
    const srv = await startNodeTlsServer({ alpn: ['h2', 'http/1.1'], handler: (s: TLSSocket) => { sniSeen = (s as unknown as { servername: string | false }).servername; s.end(); } });
    try {
      const conn = await connect({ ...opts(srv.port), servername: 'api.isotls.test', ALPNProtocols: ['http/1.1'] });
      assert.equal(conn.info.alpnProtocol, 'http/1.1');
      assert.equal(await conn.read(), null, 'server close_notify ends the stream');
      assert.equal(sniSeen, 'api.isotls.test');
      await conn.close();
    } finally { await srv.close(); }
  });

  it('verifies an IP host against iPAddress SANs and sends no SNI', async () => {
    let sniSeen: string | false | undefined = 'unset';
    const srv = await startNodeTlsServer({ handler: (s: TLSSocket) => { sniSeen = (s as unknown as { servername: string | false }).servername; s.pipe(s); } });
    try {
      const conn = await connect({ host: '127.0.0.1', port: srv.port, ca: ROOT_CA() });
      assert.equal(conn.info.authorized, true);
      assert.equal(conn.info.servername, undefined);
      await conn.write(enc('x'));
      await readExactly(() => conn.read(), 1);
      await conn.close();
      assert.equal(sniSeen, false);
    } finally { await srv.close(); }
  });

  it('echoes 1 MiB intact when both sides write in random chunk sizes', async () => {
    const srv = await startNodeTlsServer({
      handler: (s: TLSSocket) => {
        let seed = 99;
        s.on('data', (d: Buffer) => {
          // re-chunk on the way back
          for (let o = 0; o < d.length;) { seed = (seed * 1103515245 + 12345) >>> 0; const n = Math.min(d.length - o, 1 + (seed % 7000)); s.write(d.subarray(o, o + n)); o += n; }
        });
        s.on('end', () => s.end());
      },
    });
    try {
      const conn = await connect(opts(srv.port));
      const data = randomData(1 << 20);
      const writer = (async () => { let o = 0; for (const n of chunkSizes(data.length, 40000)) { await conn.write(data.subarray(o, o + n)); o += n; } })();
      const echoed = await readExactly(() => conn.read(), data.length);
      await writer;
      assert.equal(sha256hex(echoed), sha256hex(data));
      await conn.close();
    } finally { await srv.close(); }
  });

  it('updates keys both ways (KeyUpdate with update_requested) and keeps exchanging data', async () => {
    const srv = await startNodeTlsServer();
    try {
      const conn = await connect(opts(srv.port));
      for (let i = 0; i < 3; i++) {
        await conn.updateKeys(true);
        await conn.write(enc(`round ${i}`));
        assert.equal(new TextDecoder().decode(await readExactly(() => conn.read(), 7)), `round ${i}`);
      }
      assert.equal(conn.keyUpdates.sent, 3);
      assert.equal(conn.keyUpdates.received, 3, 'Node answered each update_requested with its own KeyUpdate');
      await conn.close();
    } finally { await srv.close(); }
  });

  it('rotates its write key on its own after keyUpdateAfterRecords records', async () => {
    const srv = await startNodeTlsServer();
    try {
      const conn = await connect({ ...opts(srv.port), keyUpdateAfterRecords: 4 });
      for (let i = 0; i < 10; i++) await conn.write(enc(`r${i}`));
      assert.equal(new TextDecoder().decode(await readExactly(() => conn.read(), 20)), 'r0r1r2r3r4r5r6r7r8r9');
      // the handshake's Finished uses another key; application records 0-3, update, 4-7, update, 8-9
      assert.equal(conn.keyUpdates.sent, 2);
      await conn.close();
    } finally { await srv.close(); }
  });

  it('sends close_notify on close() and sees the server\'s close_notify as end of stream', async () => {
    let serverSawEnd = false;
    const srv = await startNodeTlsServer({ handler: (s: TLSSocket) => { s.on('data', () => s.end()); s.on('end', () => { serverSawEnd = true; }); } });
    try {
      const conn = await connect(opts(srv.port));
      await conn.write(enc('bye'));
      assert.equal(await conn.read(), null);
      await conn.close();
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(serverSawEnd, true);
    } finally { await srv.close(); }
  });

  it('pads records when asked (recordPaddingBlock) and emits NSS key log lines', async () => {
    const srv = await startNodeTlsServer();
    const lines: string[] = [];
    try {
      const conn = await connect({ ...opts(srv.port), recordPaddingBlock: 512, onKeyLog: (l) => lines.push(l) });
      await conn.write(enc('padded'));
      assert.equal(new TextDecoder().decode(await readExactly(() => conn.read(), 6)), 'padded');
      await conn.close();
      assert.deepEqual(lines.map((l) => l.split(' ')[0]), ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0', 'EXPORTER_SECRET']);
      for (const l of lines) assert.match(l, /^[A-Z_0-9]+ [0-9a-f]{64} ([0-9a-f]{64}|[0-9a-f]{96})$/);
    } finally { await srv.close(); }
  });

  it('works through the WHATWG readable/writable streams', async () => {
    const srv = await startNodeTlsServer({ handler: (s: TLSSocket) => { s.on('data', (d: Buffer) => s.end(Buffer.from(d.toString().toUpperCase()))); } });
    try {
      const conn = await connect(opts(srv.port));
      const w = conn.writable.getWriter();
      await w.write(enc('stream me'));
      w.releaseLock();
      let text = '';
      for await (const chunk of conn.readable as unknown as AsyncIterable<Uint8Array>) text += new TextDecoder().decode(chunk);
      assert.equal(text, 'STREAM ME');
    } finally { await srv.close(); }
  });

  describe('certificate failures', () => {
    async function failing(key: 'expired' | 'other' | 'ecdsa', extra: object, code: string, alertNumber: number) {
      let serverError = '';
      const srv = await startNodeTlsServer({ key });
      srv.server.on('tlsClientError', (e) => { serverError = e.message; });
      try {
        await assert.rejects(connect({ ...opts(srv.port), ...extra }), (e: TlsError) => {
          assert.equal(e.code, code, e.message);
          return true;
        });
        await new Promise((r) => setTimeout(r, 100));
        assert.match(serverError, new RegExp(`alert number ${alertNumber}`), `server saw: ${serverError}`);
      } finally { await srv.close(); }
    }
    it('a wrong hostname', () => failing('ecdsa', { servername: 'wrong.example' }, 'bad_certificate/hostname_mismatch', 42));
    it('an unknown CA', () => failing('other', {}, 'unknown_ca/unknown_ca', 48));
    it('an expired certificate', () => failing('expired', {}, 'certificate_expired/expired', 45));
    it('a certificate not yet valid at an injected clock', () => failing('ecdsa', { now: () => new Date('2024-06-01T00:00:00Z') }, 'certificate_expired/not_yet_valid', 45));

    it('rejectUnauthorized: false completes and records why', async () => {
      const srv = await startNodeTlsServer({ key: 'other' });
      try {
        const conn = await connect({ ...opts(srv.port), rejectUnauthorized: false });
        assert.equal(conn.info.authorized, false);
        assert.equal(conn.info.authorizationError?.code, 'unknown_ca/unknown_ca');
        await conn.close();
      } finally { await srv.close(); }
    });
  });

  it('answers a CertificateRequest with an empty Certificate when it has no identity', async () => {
    const srv = await startNodeTlsServer({ clientCert: 'request' });
    try {
      const conn = await connect(opts(srv.port));
      assert.equal(conn.info.clientCertificateRequested, true);
      assert.equal(conn.info.clientCertificateSent, false);
      await conn.write(enc('no cert'));
      assert.equal(new TextDecoder().decode(await readExactly(() => conn.read(), 7)), 'no cert');
      await conn.close();
    } finally { await srv.close(); }
  });

  it('explains a server that requires a client certificate', async () => {
    const srv = await startNodeTlsServer({ clientCert: 'require' });
    try {
      // TLS 1.3: the server rejects us when it reads our empty Certificate, so the alert usually arrives on
      // the first read. When our Finished is still on its way (an asynchronous provider seals it later), the
      // server's close resets the connection and the kernel may drop the alert: then connect() itself fails,
      // and must still say that the server asked for a certificate and none was sent.
      const e = await connect(opts(srv.port)).then((conn) => conn.read().then(() => undefined, (x: unknown) => x), (x: unknown) => x);
      assert.ok(e instanceof TlsError, String(e));
      if (e.code === 'peer_alert/certificate_required') assert.match(e.message, /requires a client certificate/);
      else assert.match(`${e.code} ${e.message}`, /^transport\/\S+ .*asked for a client certificate.*isotls sent no certificate/);
    } finally { await srv.close(); }
  });

  it('times out against a server that never answers, instead of hanging', async () => {
    const silent = createNetServer((s) => { s.on('error', () => undefined); });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const started = Date.now();
      await assert.rejects(connect({ ...opts(port), handshakeTimeout: 500 }), (e: TlsError) => e.code === 'transport/handshake_timeout');
      assert.ok(Date.now() - started < 5000);
    } finally { silent.close(); }
  });

  it('reports a refused TCP connection', async () => {
    const probe = createNetServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    await assert.rejects(connect(opts(port)), (e: TlsError) => e.code === 'transport/connect_failed' && /ECONNREFUSED/.test(e.message));
  });

  it('explains a server that shares no cipher suite', async () => {
    const srv = await startNodeTlsServer({ ciphersuites: 'TLS_AES_256_GCM_SHA384' });
    try {
      await assert.rejects(connect({ ...opts(srv.port), cipherSuites: ['TLS_AES_128_GCM_SHA256'] }), (e: TlsError) => {
        assert.equal(e.code, 'peer_alert/handshake_failure');
        assert.equal(e.alertFrom, 'peer');
        assert.match(e.message, /no shared cipher suite/);
        return true;
      });
    } finally { await srv.close(); }
  });
});
