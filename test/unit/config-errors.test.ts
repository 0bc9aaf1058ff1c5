import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, TlsError, type ConnectOptions } from '../../src/index.js';
import { memoryPair } from '../../src/transport/memory.js';
import { startNodeTlsServer } from '../helpers/node-server.js';
import { pki, pkiPath } from '../helpers/pki.js';

/**
 * Configuration input never escapes as a plain Error (security issue, part 5):
 * every bad option fails connect() with a `config/…` TlsError whose message
 * names the option (and the entry, for certificate lists), before any byte
 * is sent.
 */
const CA = pki('root-ca.crt');
const RSA_CERT = pki('clients/client-rsa2048.crt');
const RSA_KEY = () => readFileSync(pkiPath('clients/client-rsa2048.pkcs8.pem'));

/** [what, options, code, message pattern] */
const CASES: [string, unknown, string, RegExp][] = [
  ['options that are not an object', null, 'config/bad_option', /connect\(\) takes an options object, got null/],
  ['`ca` of the wrong type', { ca: 42 }, 'config/bad_option', /`ca` must be PEM text, DER bytes/],
  ['`ca` text without PEM', { ca: 'hello' }, 'config/no_certificates', /`ca` entry 1: no PEM block/],
  ['`ca` holding a private key', { ca: pki('root-ca.key') }, 'config/not_a_certificate', /`ca` entry 1: not a certificate \(PEM label 'PRIVATE KEY'\)/],
  ['`ca` list whose second entry is junk', { ca: [CA, 'junk'] }, 'config/no_certificates', /`ca` entry 2:/],
  ['`ca` bundle whose third block is a key', { ca: CA + CA + pki('root-ca.key') }, 'config/not_a_certificate', /`ca` entry 3: not a certificate/],
  ['`ca` PEM with broken base64', { ca: '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n' }, 'config/malformed_pem', /not valid base64/],
  ['`ca` DER that is not a certificate', { ca: new Uint8Array([0x30, 3, 2, 1, 1]) }, 'config/malformed_certificate', /`ca` entry 1:/],
  ['`ca` bytes that are neither PEM nor DER', { ca: new Uint8Array([1, 2, 3]) }, 'config/not_a_certificate', /`ca` entry 1: neither PEM text nor a DER certificate/],
  ['`key` that is not a key', { ca: CA, cert: RSA_CERT, key: 'nope' }, 'config/no_private_key', /`cert`\/`key`: no PEM private key/],
  ['`key` that does not match `cert`', { ca: CA, cert: RSA_CERT, key: pki('clients/client-ecdsa-p256.pkcs8.pem') }, 'config/key_certificate_mismatch', /`cert`\/`key`: the private key does not match/],
  ['`cert` without `key`', { ca: CA, cert: RSA_CERT }, 'config/incomplete_identity', /`cert`\/`key`: pass both cert and key/],
  ['`pfx` that is not PKCS#12', { ca: CA, pfx: new Uint8Array([1, 2, 3]), passphrase: 'x' }, 'config/malformed_pkcs12', /`pfx`:/],
  ['an entry of `identities` without a key', { ca: CA, identities: [{ cert: RSA_CERT, key: RSA_KEY() }, {}] }, 'config/incomplete_identity', /`identities\[1\]`: pass both/],
  ['a `pins` entry of the wrong form', { ca: CA, pins: ['abc'] }, 'config/bad_pin', /pin "abc"/],
  ['`port` as a string', { ca: CA, host: 'x', port: 'abc' }, 'config/bad_option', /`port` must be an integer from 1 to 65535; got "abc"/],
  ['a negative `handshakeTimeout`', { ca: CA, handshakeTimeout: -1 }, 'config/bad_option', /`handshakeTimeout` must be a positive number/],
  ['`readTimeout` NaN', { ca: CA, readTimeout: NaN }, 'config/bad_option', /`readTimeout`/],
  ['`ALPNProtocols` as a string', { ca: CA, ALPNProtocols: 'h2' }, 'config/bad_option', /`ALPNProtocols` must be an array of strings/],
  ['`cipherSuites` as a string', { ca: CA, cipherSuites: 'TLS_AES_128_GCM_SHA256' }, 'config/bad_option', /`cipherSuites`/],
  ['an unknown cipher suite', { ca: CA, cipherSuites: ['TLS_FOO'] }, 'config/unknown_cipher_suite', /"TLS_FOO"/],
  ['an unknown group', { ca: CA, groups: ['ffdhe2048'] }, 'config/unknown_group', /"ffdhe2048"/],
  ['`servername` as a number', { ca: CA, servername: 5 }, 'config/bad_option', /`servername` must be a non-empty string/],
  ['a `session` that is not one', { ca: CA, session: { version: 'TLSv1.2' } }, 'config/bad_option', /`session` must be a session from an earlier connection/],
  ['`signal` that is not an AbortSignal', { ca: CA, signal: {} }, 'config/bad_option', /`signal` must be an AbortSignal/],
  ['`transport` without methods', { ca: CA, transport: {} }, 'config/bad_option', /`transport` must be an object with read, write, close methods/],
  ['`maxHandshakeMessageSize` too small', { ca: CA, maxHandshakeMessageSize: 10 }, 'config/bad_option', /`maxHandshakeMessageSize`/],
  ['no trust anchors', {}, 'config/no_trust_anchors', /no trust anchors/],
];

describe('configuration errors are TlsErrors that name the option', () => {
  for (const [what, options, code, pattern] of CASES) {
    it(what, async () => {
      const [c, s] = memoryPair();
      const withTransport = options !== null && typeof options === 'object' && !('transport' in options) ? { ...options, transport: c } : options;
      await assert.rejects(connect(withTransport as ConnectOptions), (e: unknown) => {
        assert.ok(e instanceof TlsError, `not a TlsError: ${e}`);
        assert.equal(e.code, code, e.message);
        assert.match(e.message, pattern);
        assert.equal(e.alert, undefined, 'no alert for a local configuration error');
        return true;
      });
      // nothing was sent: the check happens before the handshake
      const sent = await Promise.race([s.read(), new Promise((r) => setTimeout(() => r('nothing'), 20))]);
      assert.equal(sent, 'nothing');
    });
  }

  it('one PEM holding certificate and key works as both `cert` and `key`; in `ca` a key block is refused', async () => {
    const both = pki('clients/client-rsa2048.crt') + pki('clients/client-rsa2048.pkcs8.pem');
    const [c] = memoryPair();
    const pending = connect({ ca: CA, cert: both, key: both, transport: c, handshakeTimeout: 200 });
    await assert.rejects(pending, (e: TlsError) => e.code === 'transport/handshake_timeout', 'the options were accepted (the silent peer times out)');
    await assert.rejects(connect({ ca: both, transport: memoryPair()[0] }), (e: TlsError) => e.code === 'config/not_a_certificate');
  });

  it('`ca`, `cert` and `key` given as Buffers holding PEM (readFileSync) work against a real server', async () => {
    const seen: string[] = [];
    const srv = await startNodeTlsServer({ clientCert: 'request', handler: (s) => { seen.push(String(s.getPeerCertificate().subject?.CN)); s.pipe(s); } });
    try {
      for (const key of [RSA_KEY(), readFileSync(pkiPath('clients/client-rsa2048.pkcs1.pem')), readFileSync(pkiPath('clients/client-rsa2048.pkcs8.der'))]) {
        const conn = await connect({
          host: '127.0.0.1', port: srv.port, servername: 'localhost',
          ca: readFileSync(pkiPath('root-ca.crt')), cert: readFileSync(pkiPath('clients/client-rsa2048.crt')), key,
        });
        assert.equal(conn.info.authorized, true);
        assert.equal(conn.info.clientCertificateSent, true);
        await conn.write(new Uint8Array([1]));
        await conn.read();
        await conn.close();
      }
      assert.deepEqual(seen, ['client-rsa2048', 'client-rsa2048', 'client-rsa2048']);
    } finally { await srv.close(); }
  });
});

describe('a plain HTTP server on the TLS port', () => {
  it('is reported as such, not as a record of unknown content type 72', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => { res.end('hello'); });
    // a raw HTTP/1.1 answer to garbage: Node's HTTP server replies 400 Bad Request to a ClientHello
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      await assert.rejects(connect({ host: '127.0.0.1', port, ca: CA }), (e: TlsError) => e.code === 'transport/plaintext_http' && /plain HTTP: is this the TLS port\?/.test(e.message));
    } finally { server.close(); server.closeAllConnections?.(); }
  });
});
