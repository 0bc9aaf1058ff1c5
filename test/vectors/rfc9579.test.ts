import assert from 'node:assert/strict';
import { X509Certificate as X509 } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import { join } from 'node:path';
import { defaultProvider } from '../../src/crypto/provider.js';
import { TlsError } from '../../src/errors.js';
import { connect } from '../../src/index.js';
import { buildIdentities } from '../../src/identity.js';
import { parsePkcs12 } from '../../src/x509/pkcs12.js';
import { ROOT_CA, serverIdentity } from '../helpers/pki.js';
import { ROOT } from '../helpers/vectors.js';

const vector = (name: string) => new Uint8Array(Buffer.from(readFileSync(join(ROOT, 'vectors', 'pkcs12', `rfc9579-${name}.p12.b64`), 'utf8'), 'base64'));
const PASSWORD = '1234'; // RFC 9579 Appendix A

describe('PKCS#12 with PBMAC1 (RFC 9579 Appendix A)', () => {
  for (const name of ['A.1', 'A.3']) {
    it(`${name}: the PBMAC1 integrity check passes and the key matches the certificate`, () => {
      const p = parsePkcs12(vector(name), PASSWORD);
      assert.equal(p.key.kind, 'rsa');
      assert.equal(p.certificates.length, 1);
      // buildIdentities checks that the key belongs to the certificate (and fails loudly otherwise).
      const [id] = buildIdentities([{ pfx: vector(name), passphrase: PASSWORD }], defaultProvider, undefined);
      assert.ok(id && id.chain.length === 1);
    });

    it(`${name}: a wrong password fails the integrity check`, () => {
      assert.throws(() => parsePkcs12(vector(name), '12345'), (e: TlsError) => e.code === 'config/bad_passphrase');
    });
  }

  it('A.4: the PBKDF2 iteration count of the PBMAC1 parameters is the one used (not MacData.iterations)', () => {
    assert.throws(() => parsePkcs12(vector('A.4'), PASSWORD), (e: TlsError) => e.code === 'config/bad_passphrase');
  });

  it('A.5: the PBKDF2 salt is the one used (MacData.macSalt is ignored)', () => {
    assert.throws(() => parsePkcs12(vector('A.5'), PASSWORD), (e: TlsError) => e.code === 'config/bad_passphrase');
  });

  it('A.6: PBMAC1 parameters without the PBKDF2 keyLength are refused', () => {
    assert.throws(() => parsePkcs12(vector('A.6'), PASSWORD), (e: TlsError) => e.code === 'config/malformed_pkcs12' && /keyLength/.test(e.message));
  });
});

describe('PKCS#12 with PBMAC1: the identity in a real mTLS handshake', function () {
  this.timeout(30_000);
  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
    // The RFC's certificate expired in June 2023, so the server cannot accept the chain; it still verifies
    // the CertificateVerify signature (proof of the key) and reports the expiry as the only problem.
    it(`${version}: Node's tls server receives the RFC 9579 A.1 certificate and verifies its CertificateVerify`, async () => {
      const leaf = parsePkcs12(vector('A.1'), PASSWORD).certificates[0]!;
      const pem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(leaf.der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
      const id = serverIdentity('ecdsa');
      const seen: string[] = [];
      // The RFC's certificate is self-signed: the server trusts it directly.
      const server = tls.createServer({ cert: id.cert, key: id.key, minVersion: version, maxVersion: version, requestCert: true, rejectUnauthorized: false, ca: pem }, (s) => {
        const peer = s.getPeerX509Certificate();
        seen.push(`${peer?.fingerprint256 === new X509(Buffer.from(leaf.der)).fingerprint256 ? 'the A.1 certificate' : 'another certificate'}, ${s.authorized ? 'authorized' : s.authorizationError}`);
        s.end('ok');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      try {
        const port = (server.address() as { port: number }).port;
        // the RFC's certificate expired in 2023: the pre-flight would refuse it, so it is sent on purpose
        const conn = await connect({ host: '127.0.0.1', port, servername: 'isotls.test', ca: ROOT_CA(), pfx: vector('A.1'), passphrase: PASSWORD, sendExpiredClientCertificate: true, minVersion: version, maxVersion: version });
        assert.equal(conn.info.clientCertificateSent, true);
        assert.equal(new TextDecoder().decode((await conn.read())!), 'ok');
        await conn.close();
        assert.deepEqual(seen, ['the A.1 certificate, CERT_HAS_EXPIRED']);
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
    });
  }
});
