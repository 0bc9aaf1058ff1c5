import assert from 'node:assert/strict';
import type { CryptoProvider } from '../../src/crypto/provider.js';
import type { TLSSocket } from 'node:tls';
import { connect, TlsError } from '../../src/index.js';
import { readExactly } from '../helpers/data.js';
import { CLIENT_KEYS, clientText, identityFormats } from '../helpers/clients.js';
import { startNodeTlsServer } from '../helpers/node-server.js';
import { ROOT_CA } from '../helpers/pki.js';
import { PROVIDERS } from '../helpers/providers.js';

/** The provider of the describe block running (each block runs once per provider, test/helpers/providers.ts). */
let provider: CryptoProvider = PROVIDERS[0]!;
const opts = (port: number) => ({ host: '127.0.0.1', port, servername: 'isotls.test', ca: ROOT_CA(), crypto: provider });

/** A Node server that requires a client certificate from client CA A and reports the subject it verified. */
async function mtlsServer(version: 'TLSv1.2' | 'TLSv1.3', ca = clientText('client-ca-A.crt')) {
  const seen: string[] = [];
  const srv = await startNodeTlsServer({
    version, key: 'ecdsa',
    handler: (s: TLSSocket) => {
      const cert = s.getPeerCertificate();
      seen.push(s.authorized ? String(cert.subject?.CN) : `unauthorized:${s.authorizationError}`);
      s.end('ok');
    },
  });
  srv.server.setSecureContext({ cert: (await import('../helpers/pki.js')).serverIdentity('ecdsa').cert, key: (await import('../helpers/pki.js')).serverIdentity('ecdsa').key, minVersion: version, maxVersion: version, ca });
  (srv.server as unknown as { requestCert: boolean; rejectUnauthorized: boolean }).requestCert = true;
  (srv.server as unknown as { rejectUnauthorized: boolean }).rejectUnauthorized = true;
  return { ...srv, seen };
}

for (const p of PROVIDERS) describe(`interop mTLS: Node tls server with requestCert + rejectUnauthorized (${p.name} provider)`, function () {
  before(() => { provider = p; });
  this.timeout(60000);
  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
    for (const name of CLIENT_KEYS) {
      for (const [format, identity] of identityFormats(name)) {
        it(`${version}: ${name} from ${format}`, async () => {
          const srv = await mtlsServer(version);
          try {
            const conn = await connect({ ...opts(srv.port), ...identity });
            assert.equal(conn.info.version, version);
            assert.equal(new TextDecoder().decode(await readExactly(() => conn.read(), 2)), 'ok');
            assert.equal(conn.info.clientCertificateSent, true);
            assert.deepEqual(srv.seen, [name], 'the server verified our certificate');
            await conn.close();
          } finally { await srv.close(); }
        });
      }
    }
  }
});

for (const p of PROVIDERS) describe(`mTLS identities, refusals and policy (${p.name} provider)`, function () {
  before(() => { provider = p; });
  this.timeout(60000);
  const identity = (n: string) => ({ alias: n, cert: clientText(`${n}.crt`), key: clientText(`${n}.pkcs8.pem`) });

  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
    it(`${version}: picks the identity whose issuer the server names in certificate_authorities`, async () => {
      for (const [ca, expected] of [['client-ca-B.crt', 'client-b'], ['client-ca-C.crt', 'client-c'], ['client-ca-A.crt', 'client-ecdsa-p256']]) {
        const srv = await mtlsServer(version, clientText(ca));
        try {
          const conn = await connect({ ...opts(srv.port), identities: [identity('client-ecdsa-p256'), identity('client-b'), identity('client-c')] });
          await readExactly(() => conn.read(), 2);
          assert.deepEqual(srv.seen, [expected]);
          await conn.close();
        } finally { await srv.close(); }
      }
    });

    it(`${version}: selectIdentity sees the request and decides`, async () => {
      const srv = await mtlsServer(version, clientText('client-ca-C.crt'));
      let asked: string[] = [];
      try {
        const conn = await connect({
          ...opts(srv.port), identities: [identity('client-b'), identity('client-c')],
          selectIdentity: (req) => { asked = req.certificateAuthorities; return 'client-c'; },
        });
        await readExactly(() => conn.read(), 2);
        assert.deepEqual(srv.seen, ['client-c']);
        assert.match(asked.join(), /isotls Client CA C/);
        await conn.close();
      } finally { await srv.close(); }
    });

    it(`${version}: a server that requires a certificate when none is configured: the error says what it asked for`, async () => {
      const srv = await mtlsServer(version);
      try {
        const fail = async () => { const conn = await connect(opts(srv.port)); await conn.read(); };
        await assert.rejects(fail(), (e: TlsError) => {
          assert.match(e.code, /^peer_alert\/(certificate_required|handshake_failure)$/);
          assert.match(e.message, /asked for a client certificate \(acceptable issuers: CN=isotls Client CA A/);
          assert.match(e.message, /sent no certificate/);
          return true;
        });
      } finally { await srv.close(); }
    });

    it(`${version}: a server that rejects our certificate (wrong CA) by dropping the connection: the error names what was sent`, async () => {
      const srv = await mtlsServer(version, clientText('client-ca-B.crt'));
      try {
        const fail = async () => { const conn = await connect({ ...opts(srv.port), ...identity('client-ecdsa-p256') }); await conn.read(); };
        await assert.rejects(fail(), (e: TlsError) => {
          // Node destroys the socket without an alert when it rejects a client certificate
          assert.equal(e.code, 'transport/closed_without_close_notify');
          assert.match(e.message, /sent identity "client-ecdsa-p256"/);
          return true;
        });
      } finally { await srv.close(); }
    });

    it(`${version}: signs through an external signer (non-extractable WebCrypto key)`, async () => {
      const pkcs8 = new Uint8Array((await import('node:fs')).readFileSync((await import('../helpers/clients.js')).clientFile('client-ecdsa-p256.pkcs8.der'))) as Uint8Array<ArrayBuffer>;
      const webKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
      let calls = 0;
      const signer = {
        algorithms: ['ecdsa_secp256r1_sha256'],
        async sign(algorithm: string, data: Uint8Array) {
          calls++;
          assert.equal(algorithm, 'ecdsa_secp256r1_sha256');
          const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, webKey, new Uint8Array(data)));
          return p1363ToDer(raw);
        },
      };
      const srv = await mtlsServer(version);
      try {
        const conn = await connect({ ...opts(srv.port), cert: clientText('client-ecdsa-p256.crt'), key: signer });
        await readExactly(() => conn.read(), 2);
        assert.deepEqual(srv.seen, ['client-ecdsa-p256']);
        assert.equal(calls, 1);
        await conn.close();
      } finally { await srv.close(); }
    });
  }

  it('refuses, before connecting, a key that does not match its certificate', async () => {
    await assert.rejects(connect({ host: '127.0.0.1', port: 1, ca: ROOT_CA(), cert: clientText('client-ecdsa-p256.crt'), key: clientText('client-b.pkcs8.pem') }),
      (e: TlsError) => e.code === 'config/key_certificate_mismatch' && /does not match certificate "CN=client-ecdsa-p256/.test(e.message));
  });

  it('the gateway policy refuses Ed25519 and small curves locally, and accepts RSA-2048 and P-256', async () => {
    const { GATEWAY_CLIENT_CERTIFICATE_POLICY } = await import('../../src/index.js');
    await assert.rejects(connect({ host: '127.0.0.1', port: 1, ca: ROOT_CA(), ...identity('client-ed25519'), clientCertificatePolicy: GATEWAY_CLIENT_CERTIFICATE_POLICY }),
      (e: TlsError) => e.code === 'config/client_key_type_refused' && /Ed25519/.test(e.message));
    await assert.rejects(connect({ host: '127.0.0.1', port: 1, ca: ROOT_CA(), ...identity('client-ecdsa-p256'), clientCertificatePolicy: { maxChainLength: 1 } }),
      (e: TlsError) => e.code === 'config/client_chain_too_long');
    await assert.rejects(connect({ host: '127.0.0.1', port: 1, ca: ROOT_CA(), ...identity('client-rsa2048'), clientCertificatePolicy: { minRsaBits: 3072 } }),
      (e: TlsError) => e.code === 'config/client_weak_key' && /2048-bit RSA key/.test(e.message));
    const srv = await mtlsServer('TLSv1.3');
    try {
      for (const n of ['client-rsa2048', 'client-ecdsa-p256']) {
        const conn = await connect({ ...opts(srv.port), ...identity(n), clientCertificatePolicy: GATEWAY_CLIENT_CERTIFICATE_POLICY });
        await readExactly(() => conn.read(), 2);
        await conn.close();
      }
    } finally { await srv.close(); }
  });
});

/** WebCrypto ECDSA signatures are r||s; TLS wants DER. */
function p1363ToDer(sig: Uint8Array): Uint8Array {
  const int = (b: Uint8Array) => { let i = 0; while (i < b.length - 1 && b[i] === 0) i++; let v = b.subarray(i); if (v[0]! & 0x80) v = new Uint8Array([0, ...v]); return [0x02, v.length, ...v]; };
  const half = sig.length / 2;
  const body = [...int(sig.subarray(0, half)), ...int(sig.subarray(half))];
  return new Uint8Array([0x30, body.length, ...body]);
}
