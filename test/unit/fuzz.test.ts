import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodePem } from '../../src/bytes/pem.js';
import { TlsError } from '../../src/errors.js';
import { decodeClientHello } from '../../src/wire/client-hello.js';
import { decodeServerHello } from '../../src/wire/server-hello.js';
import { decodeCertificate13, decodeCertificateRequest13, decodeCertificateVerify, decodeEncryptedExtensions, decodeNewSessionTicket } from '../../src/wire/tls13-messages.js';
import { decodeCertificate12, decodeCertificateRequest12, decodeServerKeyExchange } from '../../src/wire/tls12-messages.js';
import { parseCertificate } from '../../src/x509/certificate.js';
import { parsePkcs12 } from '../../src/x509/pkcs12.js';
import { parsePrivateKey } from '../../src/x509/private-key.js';
import { clientBytes, clientText } from '../helpers/clients.js';
import { pki, ROOT_CA } from '../helpers/pki.js';
import { connect } from '../../src/index.js';
import { memoryPair } from '../../src/transport/memory.js';
import { runFakeServer } from '../helpers/fake-server.js';
import { mutations } from '../helpers/mutate.js';

/**
 * Mutation fuzzing of every parser that reads peer- or file-supplied bytes:
 * flipped bytes, truncations and extensions must end in a TlsError (or a
 * successful parse), never a TypeError, RangeError or other exception.
 */
function fuzz(name: string, seed: Uint8Array, parse: (b: Uint8Array) => unknown, count = 3000): void {
  let rejected = 0;
  for (const m of mutations(seed, count, seed.length * 7919 + name.length)) {
    try { parse(m); } catch (e) {
      if (!(e instanceof TlsError)) assert.fail(`${name}: ${(e as Error)?.constructor?.name}: ${(e as Error)?.message} on input ${Buffer.from(m).toString('hex').slice(0, 120)}`);
      rejected++;
    }
  }
  assert.ok(rejected > count / 10, `${name}: only ${rejected} of ${count} mutations were rejected`);
}

const hexBytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
const rfc8448 = JSON.parse(readFileSync(new URL('../../vectors/tls13/rfc8448-simple-1rtt.json', import.meta.url), 'utf8')).values;
const body = (h: string) => hexBytes(h).subarray(4);

describe('mutation fuzzing: parsers only ever throw TlsError', function () {
  this.timeout(120000);
  it('ClientHello and ServerHello', () => {
    fuzz('ClientHello', body(rfc8448.client_hello), decodeClientHello);
    fuzz('ServerHello', body(rfc8448.server_hello), decodeServerHello);
  });
  it('TLS 1.3 EncryptedExtensions, Certificate, CertificateVerify, NewSessionTicket, CertificateRequest', () => {
    fuzz('EncryptedExtensions', body(rfc8448.encrypted_extensions), decodeEncryptedExtensions);
    fuzz('Certificate', body(rfc8448.certificate), (b) => decodeCertificate13(b).entries.map((e) => parseCertificate(e.certData)), 1500);
    fuzz('CertificateVerify', body(rfc8448.certificate_verify), decodeCertificateVerify);
    fuzz('NewSessionTicket', body(rfc8448.new_session_ticket), decodeNewSessionTicket);
    fuzz('CertificateRequest', new Uint8Array([0, 0, 8, 0, 13, 0, 4, 0, 2, 4, 3]), decodeCertificateRequest13);
  });
  it('TLS 1.2 Certificate, ServerKeyExchange, CertificateRequest', () => {
    const trace = JSON.parse(readFileSync(new URL('../../vectors/tls12/tls12-ecdhe-rsa-aes128-cbc-sha-trace.json', import.meta.url), 'utf8')).values;
    fuzz('Certificate12', hexBytes(trace.record_server_certificate).subarray(9), (b) => decodeCertificate12(b).map(parseCertificate), 1500);
    fuzz('ServerKeyExchange', hexBytes(trace.record_server_key_exchange).subarray(9), (b) => decodeServerKeyExchange(b, 'ecdhe'));
    fuzz('CertificateRequest12', new Uint8Array([2, 1, 64, 0, 4, 4, 3, 8, 4, 0, 0]), decodeCertificateRequest12);
  });
  it('X.509 certificates (RSA, ECDSA, Ed25519, RSA-PSS)', () => {
    for (const n of ['server-rsa.crt', 'server-ecdsa.crt', 'server-ed25519.crt', 'server-rsapss.crt', 'intermediate-ca.crt']) fuzz(n, decodePem(pki(n))[0]!.der, parseCertificate, 1500);
  });
  it('private keys and PKCS#12 files', () => {
    for (const n of ['client-rsa2048.pkcs8.der', 'client-ecdsa-p256.pkcs8.der', 'client-ed25519.pkcs8.der']) fuzz(n, clientBytes(n), (b) => parsePrivateKey(b), 1000);
    fuzz('encrypted PKCS#8', decodePem(clientText('client-ecdsa-p256.enc.pem'))[0]!.der, (b) => parsePrivateKey(b, 'isotls-test'), 300);
    fuzz('PKCS#12', clientBytes('client-ecdsa-p256.p12'), (b) => parsePkcs12(b, 'isotls-test'), 300);
    const pbmac1 = new Uint8Array(Buffer.from(readFileSync(new URL('../../vectors/pkcs12/rfc9579-A.1.p12.b64', import.meta.url), 'utf8'), 'base64'));
    fuzz('PKCS#12 with PBMAC1 (RFC 9579 A.1)', pbmac1, (b) => parsePkcs12(b, '1234'), 300);
  });
});

describe('mutation fuzzing: whole handshakes', function () {
  this.timeout(120000);
  it('a mutated ServerHello or server flight ends in a specific TlsError, never an internal error or a hang', async () => {
    const codes = new Map<string, number>();
    let x = 12345;
    const rnd = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
    for (let i = 0; i < 150; i++) {
      const mutate = (raw: Uint8Array) => {
        const m = raw.slice();
        if (rnd() % 3 === 0) {
          // truncated content with a consistent header (a header promising more bytes is a stalled peer, which the handshake timeout handles)
          const t = m.slice(0, 4 + (rnd() % (m.length - 4)));
          const n = t.length - 4;
          t[1] = n >>> 16; t[2] = (n >>> 8) & 0xff; t[3] = n & 0xff;
          return t;
        }
        const at = 4 + (rnd() % (m.length - 4));
        m[at] = rnd() & 0xff;
        return m;
      };
      const target = i % 3;
      const [c, s] = memoryPair();
      const server = runFakeServer(s, target === 0 ? { mutateServerHello: mutate } : { mutate: { [target === 1 ? 'EE' : 'Certificate']: mutate } });
      let code = 'ok';
      try { const conn = await connect({ servername: 'isotls.test', ca: ROOT_CA(), transport: c, handshakeTimeout: 3000 }); await conn.close(); } catch (e) {
        assert.ok(e instanceof TlsError, String(e));
        code = e.code;
      }
      await Promise.race([server, new Promise((r) => setTimeout(r, 3000))]);
      assert.ok(!code.startsWith('internal_error'), `iteration ${i}: ${code}`);
      assert.notEqual(code, 'transport/handshake_timeout', `iteration ${i} hung`);
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    assert.ok(codes.size >= 4, `varied failures: ${[...codes.keys()].join(', ')}`);
  });
});
