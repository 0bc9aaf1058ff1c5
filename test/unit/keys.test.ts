import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SHA256, SHA384 } from '../../src/crypto/hash.js';
import { publicKeyOf, signWith } from '../../src/crypto/sign.js';
import type { SignatureAlgorithm } from '../../src/crypto/signatures.js';
import { TlsError } from '../../src/errors.js';
import { parsePkcs12 } from '../../src/x509/pkcs12.js';
import { parsePrivateKey } from '../../src/x509/private-key.js';
import { loadCertificates } from '../../src/x509/trust-store.js';
import { pkiPath } from '../helpers/pki.js';

const file = (n: string) => pkiPath(`clients/${n}`);
const PASS = 'isotls-test';
const KEYS = ['client-rsa2048', 'client-rsa3072', 'client-rsa4096', 'client-ecdsa-p256', 'client-ecdsa-p384', 'client-ecdsa-p521', 'client-ed25519'];
const rnd = (n: number) => new Uint8Array(n).map((_, i) => (i * 97 + 1) & 0xff);
const code = (f: () => unknown) => { try { f(); return 'ok'; } catch (e) { assert.ok(e instanceof TlsError, String(e)); return e.code; } };

/** Signs with our code, verifies with node:crypto (OpenSSL) against the certificate's public key. */
function crossCheck(name: string, key: ReturnType<typeof parsePrivateKey>) {
  const cert = loadCertificates(readFileSync(file(`${name}.crt`), 'utf8'))[0]!;
  const nodeKey = createPublicKey({ key: Buffer.from(cert.publicKey.der), format: 'der', type: 'spki' });
  const msg = new TextEncoder().encode(`signed by ${name}`);
  const algs: [SignatureAlgorithm, (sig: Uint8Array) => boolean][] = key.kind === 'rsa'
    ? [[{ kind: 'rsa-pss', hash: SHA256, saltLength: 32 }, (s) => nodeVerify('sha256', msg, { key: nodeKey, padding: 6, saltLength: 32 }, s)],
       [{ kind: 'rsa-pkcs1', hash: SHA384 }, (s) => nodeVerify('sha384', msg, { key: nodeKey, padding: 1 }, s)]]
    : key.kind === 'ec' ? [[{ kind: 'ecdsa', hash: SHA256 }, (s) => nodeVerify('sha256', msg, nodeKey, s)]]
    : [[{ kind: 'ed25519' }, (s) => nodeVerify(null, msg, nodeKey, s)]];
  for (const [alg, check] of algs) assert.ok(check(signWith(alg, key, msg, rnd)), `${name} ${alg.kind}`);
  // the derived public key equals the certificate's
  const pub = publicKeyOf(key);
  if (pub.kind === 'rsa' && cert.publicKey.key.kind === 'rsa') assert.equal(pub.n, cert.publicKey.key.n);
  if (pub.kind === 'ec' && cert.publicKey.key.kind === 'ec') assert.deepEqual(pub.point, cert.publicKey.key.point);
  if (pub.kind === 'ed25519' && cert.publicKey.key.kind === 'ed25519') assert.deepEqual(pub.key, cert.publicKey.key.key);
}

describe('client keys: formats and signatures', () => {
  for (const name of KEYS) {
    for (const fmt of ['pkcs8.pem', 'pkcs8.der', 'enc.pem', 'enc-sha1.pem', 'pkcs1.pem', 'sec1.pem']) {
      if (fmt === 'pkcs1.pem' && !name.includes('rsa')) continue;
      if (fmt === 'sec1.pem' && !name.includes('ecdsa')) continue;
      it(`${name} from ${fmt}: signatures verify with OpenSSL`, () => {
        const data = fmt.endsWith('.der') ? new Uint8Array(readFileSync(file(`${name}.${fmt}`))) : readFileSync(file(`${name}.${fmt}`), 'utf8');
        crossCheck(name, parsePrivateKey(data, PASS));
      });
    }
    it(`${name} from PKCS#12 (PBES2/AES-256, HMAC-SHA256 MAC)`, () => {
      const p12 = parsePkcs12(new Uint8Array(readFileSync(file(`${name}.p12`))), PASS);
      assert.equal(p12.certificates[0]!.subject.commonName, name);
      assert.equal(p12.friendlyName, name);
      crossCheck(name, p12.key);
    });
  }

  it('RSA-PSS signatures are randomised, ECDSA and Ed25519 deterministic', () => {
    const ec = parsePrivateKey(readFileSync(file('client-ecdsa-p256.pkcs8.pem'), 'utf8'));
    const msg = new Uint8Array([1]);
    assert.deepEqual(signWith({ kind: 'ecdsa', hash: SHA256 }, ec, msg, rnd), signWith({ kind: 'ecdsa', hash: SHA256 }, ec, msg, (n) => new Uint8Array(n)));
    const rsa = parsePrivateKey(readFileSync(file('client-rsa2048.pkcs8.pem'), 'utf8'));
    const alg: SignatureAlgorithm = { kind: 'rsa-pss', hash: SHA256, saltLength: 32 };
    assert.notDeepEqual(signWith(alg, rsa, msg, (n) => new Uint8Array(n).fill(1)), signWith(alg, rsa, msg, (n) => new Uint8Array(n).fill(2)));
  });

  it('names the curve of an EC key it cannot sign with (a throwaway secp256k1 key made by openssl genpkey)', () => {
    const secp256k1 = `-----BEGIN PRIVATE KEY-----
MIGEAgEAMBAGByqGSM49AgEGBSuBBAAKBG0wawIBAQQgtv+hmnJJHFSKTSpfIPvK
6xZ+XBOxAJ1PpfLAg+dh+D+hRANCAARlbN4rI9uuIUEcxffcqxNQPG2VCCAtliVp
IGI9qdkGkwV6tRrc7Q4S1LuBa7kH+RMtH0emEvBEPctgaxpozV8U
-----END PRIVATE KEY-----`;
    assert.throws(() => parsePrivateKey(secp256k1), (e: TlsError) => e.code === 'config/unsupported_key' && /curve secp256k1 are not supported \(P-256, P-384 and P-521 are\)/.test(e.message));
  });

  for (const name of KEYS) {
    it(`${name}: the Triple DES PKCS#12 (PBE-SHA1-3DES for key and certificates, SHA-1 MAC, as Windows exports) reads, and its key signs for its certificate`, () => {
      const p12 = parsePkcs12(new Uint8Array(readFileSync(file(`${name}.legacy.p12`))), PASS);
      assert.equal(p12.certificates[0]!.subject.commonName, name);
      crossCheck(name, p12.key);
      assert.equal(code(() => parsePkcs12(new Uint8Array(readFileSync(file(`${name}.legacy.p12`))), 'wrong')), 'config/bad_passphrase');
    });
  }

  it('explains wrong passphrases, missing passphrases and legacy files', () => {
    assert.equal(code(() => parsePrivateKey(readFileSync(file('client-rsa2048.enc.pem'), 'utf8'), 'wrong')), 'config/bad_passphrase');
    assert.equal(code(() => parsePrivateKey(readFileSync(file('client-rsa2048.enc.pem'), 'utf8'))), 'config/passphrase_required');
    assert.equal(code(() => parsePkcs12(new Uint8Array(readFileSync(file('client-rsa2048.p12'))), 'wrong')), 'config/bad_passphrase');
    let message = '';
    // RC2-40 (what `openssl pkcs12 -export -legacy` writes for certificates) stays refused with advice
    try { parsePkcs12(new Uint8Array(readFileSync(file('client-ecdsa-p256.rc2.p12'))), PASS); } catch (e) { message = (e as Error).message; assert.equal((e as TlsError).code, 'config/legacy_encryption'); }
    assert.match(message, /re-export/);
    assert.equal(code(() => parsePrivateKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')), 'config/malformed_key');
  });

  it('agrees with node:crypto on which keys are which', () => {
    for (const name of KEYS) {
      const nodeKey = createPrivateKey(readFileSync(file(`${name}.pkcs8.pem`), 'utf8'));
      const ours = parsePrivateKey(readFileSync(file(`${name}.pkcs8.pem`), 'utf8'));
      assert.equal(ours.kind === 'rsa' ? 'rsa' : ours.kind === 'ec' ? 'ec' : 'ed25519', nodeKey.asymmetricKeyType);
    }
  });
});
