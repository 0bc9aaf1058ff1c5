#!/usr/bin/env node
// Builds the profile corpus (vectors/x509/profile): certificates that break one RFC 5280 or
// CA/Browser Forum rule each, made with a small DER writer so that fields OpenSSL will not emit
// (empty names, zero/negative/21-octet serials, critical key identifiers, empty name constraints,
// malformed AIA) can be written. Keys are fresh ECDSA P-256 keys from node:crypto; signatures are
// ecdsa-with-SHA256 over the DER tbsCertificate. cases.json beside this file says what each
// profile must answer. Run: node vectors/x509/profile/build.mjs (then the tests).
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// ---- DER (X.690) ----
const len = (n) => n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 255];
const tlv = (tag, body) => Buffer.concat([Buffer.from([tag, ...len(body.length)]), body]);
const seq = (...xs) => tlv(0x30, Buffer.concat(xs));
const set = (...xs) => tlv(0x31, Buffer.concat(xs));
const int = (bytes) => tlv(0x02, Buffer.from(bytes));
const small = (n) => int(n < 0x80 ? [n] : [0, n]);
const bool = (b) => tlv(0x01, Buffer.from([b ? 0xff : 0]));
const octets = (b) => tlv(0x04, Buffer.from(b));
const bits = (b) => tlv(0x03, Buffer.concat([Buffer.from([0]), Buffer.from(b)]));
const utf8 = (s) => tlv(0x0c, Buffer.from(s, 'utf8'));
const ia5 = (tag, s) => tlv(tag, Buffer.from(s, 'ascii'));
const ctx = (n, body, constructed = true) => tlv((constructed ? 0xa0 : 0x80) | n, body);
const oid = (text) => {
  const p = text.split('.').map(Number);
  const out = [40 * p[0] + p[1]];
  for (const v of p.slice(2)) {
    const enc = [v & 0x7f];
    for (let x = v >>> 7; x > 0; x >>>= 7) enc.unshift(0x80 | (x & 0x7f));
    out.push(...enc);
  }
  return tlv(0x06, Buffer.from(out));
};
const generalizedTime = (iso) => tlv(0x18, Buffer.from(iso.replace(/[-:T]/g, '').slice(0, 14) + 'Z'));

// ---- X.509 pieces (RFC 5280) ----
const ATTR = { O: '2.5.4.10', CN: '2.5.4.3' };
const name = (pairs) => seq(...pairs.map(([t, v]) => set(seq(oid(ATTR[t]), utf8(v)))));
const ext = (id, critical, value) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
const E = {
  bc: (cA, pathLen, critical = true) => ext('2.5.29.19', critical, seq(...(cA ? [bool(true)] : []), ...(pathLen !== undefined ? [small(pathLen)] : []))),
  ku: (names, critical = true) => {
    const order = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign'];
    let v = 0; for (const n of names) v |= 0x80 >> order.indexOf(n);
    return ext('2.5.29.15', critical, bits([v]));
  },
  eku: (ids) => ext('2.5.29.37', false, seq(...ids.map((i) => oid(i === 'serverAuth' ? '1.3.6.1.5.5.7.3.1' : i === 'clientAuth' ? '1.3.6.1.5.5.7.3.2' : i)))),
  ski: (keyId) => ext('2.5.29.14', false, octets(keyId)),
  aki: ({ keyId, issuer, serial, critical = false }) => ext('2.5.29.35', critical, seq(
    ...(keyId ? [ctx(0, keyId, false)] : []), ...(issuer ? [ctx(1, ctx(4, issuer))] : []), ...(serial ? [ctx(2, Buffer.from(serial), false)] : []))),
  san: (dns, critical = false) => ext('2.5.29.17', critical, seq(...dns.map((d) => ia5(0x82, d)))),
  nc: (body, critical = true) => ext('2.5.29.30', critical, body),
  aia: (body) => ext('1.3.6.1.5.5.7.1.1', false, body),
  raw: (id, critical, value) => ext(id, critical, value),
};

function newKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value (the last 65 bytes here)
  const keyId = createHash('sha1').update(spki.subarray(spki.length - 65)).digest();
  return { privateKey, spki, keyId };
}

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
let nextSerial = 0x1000;

/** One certificate: `subject`/`issuer` as [type, value] pairs, signed by `signer` (a key from newKey). */
function certificate({ subject, issuer, key, signer, exts, serial, notBefore = '2025-01-01T00:00:00', notAfter = '2049-12-31T23:59:59' }) {
  const tbs = seq(
    ctx(0, small(2)),
    int(serial ?? [(nextSerial >> 8) & 0x7f, nextSerial++ & 255]),
    ECDSA_SHA256,
    name(issuer),
    seq(generalizedTime(notBefore), generalizedTime(notAfter)),
    name(subject),
    key.spki,
    ...(exts.length ? [ctx(3, seq(...exts))] : []),
  );
  const signature = sign('sha256', tbs, signer.privateKey);
  return seq(tbs, ECDSA_SHA256, bits(signature));
}

const pem = (der) => `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
const write = (file, der) => writeFileSync(join(here, file), pem(der));

// ---- the PKI: a root, an intermediate, and one certificate per rule ----
const O = ['O', 'isotls profile corpus'];
const rootName = [O, ['CN', 'profile root']];
const root = newKey();
write('root.crt', certificate({ subject: rootName, issuer: rootName, key: root, signer: root, exts: [E.bc(true), E.ku(['keyCertSign', 'cRLSign']), E.ski(root.keyId)] }));

const interName = [O, ['CN', 'profile intermediate']];
const inter = newKey();
const caExts = (k, parent) => [E.bc(true), E.ku(['keyCertSign', 'cRLSign']), E.ski(k.keyId), E.aki({ keyId: parent.keyId })];
write('intermediate.crt', certificate({ subject: interName, issuer: rootName, key: inter, signer: root, exts: caExts(inter, root) }));

const HOST = 'profile.isotls.test';
const leafExts = (k, parent, over = {}) => [
  over.bc ?? E.bc(false), over.ku ?? E.ku(['digitalSignature']), ...(over.eku === null ? [] : [over.eku ?? E.eku(['serverAuth'])]),
  ...(over.ski === null ? [] : [E.ski(k.keyId)]), ...(over.aki === null ? [] : [over.aki ?? E.aki({ keyId: parent.keyId })]),
  ...(over.san === null ? [] : [over.san ?? E.san([HOST])]), ...(over.extra ?? []),
];
/** A leaf under `parent` (default: the intermediate). */
function leaf(file, over = {}, parent = inter, parentName = interName, extra = {}) {
  const k = newKey();
  write(file, certificate({ subject: over.subject ?? [O, ['CN', file.replace(/\.crt$/, '')]], issuer: parentName, key: k, signer: parent, exts: leafExts(k, parent, over), ...extra }));
  // keys of the leaves that the tests also serve from real servers
  if (over.serve) writeFileSync(join(here, file.replace(/\.crt$/, '.key')), k.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return k;
}

leaf('good-leaf.crt');
leaf('leaf-aki-critical.crt', { aki: E.aki({ keyId: inter.keyId, critical: true }) });
leaf('leaf-no-aki.crt', { aki: null, serve: true });
leaf('leaf-ca-true.crt', { bc: E.bc(true, 0) });
leaf('leaf-key-cert-sign.crt', { ku: E.ku(['digitalSignature', 'keyCertSign']) });
leaf('leaf-name-constraints.crt', { extra: [E.nc(seq(ctx(0, seq(ia5(0x82, HOST)))), false)] });
leaf('leaf-name-constraints-critical.crt', { extra: [E.nc(seq(ctx(0, seq(ia5(0x82, HOST)))), true)] });
leaf('leaf-empty-subject-critical-san.crt', { subject: [], san: E.san([HOST], true) });
leaf('leaf-empty-subject-san-not-critical.crt', { subject: [], san: E.san([HOST], false) });
leaf('leaf-empty-subject-no-san.crt', { subject: [], san: null });
leaf('leaf-critical-san-with-subject.crt', { san: E.san([HOST], true) });
leaf('leaf-serial-21-octets.crt', {}, inter, interName, { serial: [0x01, ...new Array(20).fill(0x5a)] });
leaf('leaf-serial-20-octets.crt', {}, inter, interName, { serial: [0x01, ...new Array(19).fill(0x5a)] });
leaf('leaf-serial-zero.crt', {}, inter, interName, { serial: [0x00] });
leaf('leaf-serial-negative.crt', {}, inter, interName, { serial: [0xff, 0x01] });
leaf('leaf-no-eku.crt', { eku: null });
leaf('leaf-aia.crt', { extra: [E.aia(seq(seq(oid('1.3.6.1.5.5.7.48.2'), ia5(0x86, 'http://ca.isotls.test/intermediate.der')), seq(oid('1.3.6.1.5.5.7.48.1'), ia5(0x86, 'http://ocsp.isotls.test/'))))] });
leaf('leaf-aia-empty.crt', { extra: [E.aia(seq())] });
leaf('leaf-aia-no-location.crt', { extra: [E.aia(seq(seq(oid('1.3.6.1.5.5.7.48.2'))))] });

// CAs that break a CA rule, each with a good leaf below it
function ca(file, over, parent = inter, parentName = interName) {
  const k = newKey();
  const n = over.subject ?? [O, ['CN', file.replace(/\.crt$/, '')]];
  write(file, certificate({ subject: n, issuer: over.issuer ?? parentName, key: k, signer: parent, exts: over.exts(k, parent) }));
  return { k, n };
}
function under(caFile, leafFile, over) {
  const c = ca(caFile, over, root, rootName);
  leaf(leafFile, over.leaf ?? {}, c.k, c.n);
}
under('ca-no-aki.crt', 'under-ca-no-aki.crt', { exts: (k) => [E.bc(true), E.ku(['keyCertSign']), E.ski(k.keyId)] });
under('ca-no-ski.crt', 'under-ca-no-ski.crt', { exts: (k, p) => [E.bc(true), E.ku(['keyCertSign']), E.aki({ keyId: p.keyId })] });
under('ca-bc-not-critical.crt', 'under-ca-bc-not-critical.crt', { exts: (k, p) => [E.bc(true, undefined, false), E.ku(['keyCertSign']), E.ski(k.keyId), E.aki({ keyId: p.keyId })] });
under('ca-nc-empty.crt', 'under-ca-nc-empty.crt', { exts: (k, p) => [...caExts(k, p), E.nc(seq())] });
under('ca-nc-empty-permitted.crt', 'under-ca-nc-empty-permitted.crt', { exts: (k, p) => [...caExts(k, p), E.nc(seq(ctx(0, Buffer.alloc(0))))] });
under('ca-eku-client-only.crt', 'under-ca-eku-client-only.crt', { exts: (k, p) => [...caExts(k, p), E.eku(['clientAuth'])] });
under('ca-empty-subject.crt', 'under-ca-empty-subject.crt', { subject: [], exts: (k, p) => caExts(k, p) });
// name constraints: permitted DNS allowed.test; the leaf's SAN is not a host name but ends in .allowed.test
under('ca-nc-dns.crt', 'under-ca-nc-dns-invalid-san.crt', { exts: (k, p) => [...caExts(k, p), E.nc(seq(ctx(0, seq(ia5(0x82, 'allowed.test')))))], leaf: { san: E.san(['attacker.test/.allowed.test']) } });
// pathLen: CA "rollover" (pathLen 0) -> its self-issued successor (same name, new key) -> leaf.
// The self-issued certificate does not count toward pathLen 0 (RFC 5280 §4.2.1.9).
{
  const oldName = [O, ['CN', 'profile rollover CA']];
  const old = newKey(), next = newKey();
  write('rollover-old.crt', certificate({ subject: oldName, issuer: rootName, key: old, signer: root, exts: [E.bc(true, 0), E.ku(['keyCertSign']), E.ski(old.keyId), E.aki({ keyId: root.keyId })] }));
  write('rollover-self-issued.crt', certificate({ subject: oldName, issuer: oldName, key: next, signer: old, exts: [E.bc(true, 0), E.ku(['keyCertSign']), E.ski(next.keyId), E.aki({ keyId: old.keyId })] }));
  leaf('under-rollover.crt', {}, next, oldName);
  // and a CA that is not self-issued in the same place exceeds pathLen 0
  const otherName = [O, ['CN', 'profile CA below rollover']], other = newKey();
  write('below-rollover-ca.crt', certificate({ subject: otherName, issuer: oldName, key: other, signer: old, exts: [E.bc(true), E.ku(['keyCertSign']), E.ski(other.keyId), E.aki({ keyId: old.keyId })] }));
  leaf('under-below-rollover-ca.crt', {}, other, otherName);
}
// roots that break a root rule (each is its own anchor in cases.json), with a leaf directly below
function rootCase(file, leafFile, exts) {
  const k = newKey();
  const n = [O, ['CN', file.replace(/\.crt$/, '')]];
  write(file, certificate({ subject: n, issuer: n, key: k, signer: k, exts: exts(k, n) }));
  leaf(leafFile, {}, k, n);
}
rootCase('root-bc-not-critical.crt', 'under-root-bc-not-critical.crt', (k) => [E.bc(true, undefined, false), E.ku(['keyCertSign']), E.ski(k.keyId)]);
rootCase('root-aki-issuer-serial.crt', 'under-root-aki-issuer-serial.crt', (k, n) => [E.bc(true), E.ku(['keyCertSign']), E.ski(k.keyId), E.aki({ keyId: k.keyId, issuer: name(n), serial: [0x10, 0x00] })]);
rootCase('root-unknown-critical.crt', 'under-root-unknown-critical.crt', (k) => [E.bc(true), E.ku(['keyCertSign']), E.ski(k.keyId), E.raw('1.3.6.1.4.1.55555.1', true, Buffer.from([5, 0]))]);
// a self-signed server certificate made as `openssl req -x509` makes it (cA=TRUE, no EKU), trusted directly
{
  const k = newKey();
  const n = [['CN', HOST]];
  write('self-signed-server.crt', certificate({ subject: n, issuer: n, key: k, signer: k, exts: [E.bc(true), E.ski(k.keyId), E.aki({ keyId: k.keyId }), E.san([HOST])] }));
}
// a gateway-style server certificate: CN=<host> and no subjectAltName at all (key written for real servers in the tests)
leaf('cn-only-server.crt', { subject: [O, ['CN', 'gateway.isotls.test']], san: null, serve: true });
console.log(`profile corpus written to ${here}`);
