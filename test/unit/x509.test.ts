import assert from 'node:assert/strict';
import { defaultProvider } from '../../src/crypto/provider.js';
import { TlsError } from '../../src/errors.js';
import { loadCertificates } from '../../src/x509/trust-store.js';
import { basicVerifier } from '../../src/x509/verify-chain.js';
import { checkServerName, dnsNameMatches, parseIp } from '../../src/x509/hostname.js';
import { parseCertificate } from '../../src/x509/certificate.js';
import { checkNameConstraints, isValidDnsSan } from '../../src/x509/name-constraints.js';
import { pki } from '../helpers/pki.js';
import { hex, readVectorJson } from '../helpers/vectors.js';

const NOW = new Date('2030-01-01T00:00:00Z');
const [root] = loadCertificates(pki('root-ca.crt'));
const [inter] = loadCertificates(pki('intermediate-ca.crt'));
const [leaf] = loadCertificates(pki('server-ecdsa.crt'));
const [otherRoot] = loadCertificates(pki('other-root-ca.crt'));
const verifier = basicVerifier({ anchors: [root!], provider: defaultProvider });
const code = async (f: () => unknown) => { try { await f(); return 'ok'; } catch (e) { assert.ok(e instanceof TlsError, String(e)); return e.code; } };

describe('x509 (foundation verifier)', () => {
  it('matches DNS names per RFC 6125: case, trailing dot, left-most wildcard only', () => {
    assert.ok(dnsNameMatches('isotls.test', 'ISOTLS.test.'));
    assert.ok(dnsNameMatches('*.isotls.test', 'api.isotls.test'));
    assert.ok(!dnsNameMatches('*.isotls.test', 'isotls.test'));
    assert.ok(!dnsNameMatches('*.isotls.test', 'a.b.isotls.test'));
    assert.ok(!dnsNameMatches('f*o.isotls.test', 'foo.isotls.test'));
    assert.ok(!dnsNameMatches('*.*.test', 'a.b.test'));
    assert.ok(!dnsNameMatches('*.com', 'example.com'));
    assert.ok(!dnsNameMatches('api.*.test', 'api.isotls.test'));
  });
  it('compares IDNA A-labels as ASCII and refuses U-label input', () => {
    assert.ok(dnsNameMatches('xn--bcher-kva.example', 'XN--BCHER-KVA.example'));
    assert.ok(dnsNameMatches('*.xn--bcher-kva.example', 'shop.xn--bcher-kva.example'));
    assert.ok(!dnsNameMatches('xn--bcher-kva.example', 'bucher.example'));
    assert.equal(checkServerName(leaf!, 'bücher.example').ok, false);
  });
  it('parses IPv4 and IPv6 literals and matches iPAddress SANs, never DNS SANs, for IP hosts', () => {
    assert.deepEqual(parseIp('127.0.0.1'), new Uint8Array([127, 0, 0, 1]));
    assert.deepEqual(parseIp('::1'), Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? 1 : 0)));
    assert.deepEqual(parseIp('[2001:db8::7]')?.[15], 7);
    assert.equal(parseIp('256.0.0.1'), undefined);
    assert.equal(parseIp('isotls.test'), undefined);
    assert.equal(parseIp('1::2::3'), undefined);
    assert.deepEqual(checkServerName(leaf!, '127.0.0.1'), { ok: true });
    assert.deepEqual(checkServerName(leaf!, '::1'), { ok: true });
    assert.equal(checkServerName(leaf!, '10.0.0.1').ok, false);
  });
  it('never falls back to the subject CN', () => {
    // the RFC 8448 server certificate has CN=rsa and no subjectAltName
    const msg = hex(readVectorJson('tls13/rfc8448-simple-1rtt.json').values.certificate);
    const rfcCert = parseCertificate(msg.subarray(11, 11 + ((msg[8]! << 16) | (msg[9]! << 8) | msg[10]!)));
    assert.equal(rfcCert.subject.commonName, 'rsa');
    assert.equal(rfcCert.subjectAltNames.dns.length, 0);
    assert.equal(checkServerName(rfcCert, 'rsa').ok, false);
  });
  it('verifies leaf → intermediate → root, with the chain in any order and superfluous certificates', async () => {
    assert.equal((await verifier.verify([leaf!, inter!], 'isotls.test', NOW)).length, 3);
    assert.equal((await verifier.verify([leaf!, otherRoot!, inter!], 'api.isotls.test', NOW)).length, 3);
  });
  it('names each failure with a stable code', async () => {
    assert.equal(await code(() => verifier.verify([leaf!], 'isotls.test', NOW)), 'unknown_ca/unknown_ca');
    assert.equal(await code(() => verifier.verify([leaf!, inter!], 'other.test', NOW)), 'bad_certificate/hostname_mismatch');
    assert.equal(await code(() => verifier.verify([leaf!, inter!], 'isotls.test', new Date('2051-01-01'))), 'certificate_expired/expired');
    assert.equal(await code(() => verifier.verify([leaf!, inter!], 'isotls.test', new Date('2020-01-01'))), 'certificate_expired/not_yet_valid');
    // a leaf (cA false) presented as the issuer of another certificate
    const [rsaLeaf] = loadCertificates(pki('server-rsa.crt'));
    const fakeIssued = { ...leaf!, issuer: rsaLeaf!.subject, fingerprintSHA256hex: 'X' };
    // its authorityKeyIdentifier still names the real intermediate, so the RSA leaf is not even a candidate issuer
    assert.equal(await code(() => basicVerifier({ anchors: [root!], provider: defaultProvider }).verify([fakeIssued, rsaLeaf!], undefined, NOW)), 'unknown_ca/unknown_ca');
    // the intermediate's signature broken
    const broken = { ...inter!, signature: inter!.signature.slice() };
    const at = broken.signature.length - 3;
    broken.signature[at] = broken.signature[at]! ^ 1;
    assert.equal(await code(() => basicVerifier({ anchors: [root!], provider: defaultProvider }).verify([leaf!, broken], 'isotls.test', NOW)), 'bad_certificate/bad_signature');
  });
  it('rejects malformed DER: truncation and trailing bytes', async () => {
    const der = leaf!.der;
    assert.equal(await code(() => parseCertificate(der.subarray(0, der.length - 1))), 'bad_certificate/malformed_certificate');
    assert.equal(await code(() => parseCertificate(new Uint8Array([...der, 0]))), 'bad_certificate/malformed_certificate');
    assert.equal(await code(() => parseCertificate(new Uint8Array([0x30, 0x03, 0x02, 0x01]))), 'bad_certificate/malformed_certificate');
    // BER, not DER: the outer length re-encoded in a longer form than needed
    const long = new Uint8Array([der[0]!, 0x83, 0x00, der[2]!, der[3]!, ...der.subarray(4)]);
    assert.equal(der[1], 0x82);
    assert.equal(await code(() => parseCertificate(long)), 'bad_certificate/malformed_certificate');
  });

  it('URI name constraints: a host or a .domain; a URI without a host (or with an IP) satisfies no permitted URI subtree', () => {
    const [leaf] = loadCertificates(pki('server-ecdsa.crt'));
    const withUris = (uri: string[]) => ({ ...leaf!, subjectAltNames: { ...leaf!.subjectAltNames, dns: [], ip: [], uri } });
    const nc = (value: string) => ({ permitted: [{ type: 'uri' as const, value }], excluded: [] });
    const ok = (uri: string, base: string) => { try { checkNameConstraints(withUris([uri]), leaf!, nc(base)); return true; } catch (e) { assert.equal((e as TlsError).reason, 'name_constraint_violation'); return false; } };
    assert.equal(ok('https://api.example.com/x', '.example.com'), true);
    assert.equal(ok('https://user@api.example.com:8443/x', '.example.com'), true);
    assert.equal(ok('https://example.com/', '.example.com'), false);
    assert.equal(ok('https://example.com/', 'example.com'), true);
    assert.equal(ok('https://api.example.com/', 'example.com'), false);
    assert.equal(ok('urn:uuid:7e1d0c3e-0000-4000-8000-000000000000', '.example.com'), false);
    assert.equal(ok('https://10.0.0.1/', '.example.com'), false);
  });

  it('DNS SANs that can be judged against DNS constraints are host names', () => {
    for (const good of ['example.com', '*.example.com', 'a-b.example.com.', '_acme.example.com']) assert.equal(isValidDnsSan(good), true, good);
    for (const bad of ['', 'a..example.com', 'attacker.test/.allowed.test', 'x y.example', '-a.example', 'a.*.example', 'a'.repeat(64) + '.example']) assert.equal(isValidDnsSan(bad), false, bad);
  });
});
