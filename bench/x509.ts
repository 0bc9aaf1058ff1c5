import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCertificate } from '../src/x509/certificate.js';
import { loadCertificates } from '../src/x509/trust-store.js';
import { clearSignatureCache, createTrustStore, signatureCacheStats, verifyChain } from '../src/x509/index.js';
import { mozillaRoots, mozillaRootsPem } from '../src/roots/index.js';
import { fmt, fmtRatio, interleaved, median, ratios } from './timing.js';

const read = (n: string) => readFileSync(fileURLToPath(new URL(`../vectors/${n}`, import.meta.url)), 'utf8');

/**
 * validate_chain_3: a 3-certificate path (leaf, intermediate, anchor), already
 * parsed, through isotls `verifyChain` (signatures, validity, CA flags, EKU,
 * policy, name) vs node:crypto X509Certificate doing the same checks
 * (checkIssued + verify per link, validity dates, CA flag, checkHost). Both
 * results are checked before timing. `cold`: the verified-signature cache is
 * emptied before every validation (a first handshake); `repeat`: it is warm,
 * as for the next handshake with the same server (node:crypto has no such
 * cache and verifies again).
 */
export async function benchX509(): Promise<string[]> {
  const rows: string[] = [];
  const head = `${'scenario'.padEnd(46)} ${'isotls /s'.padStart(11)} ${'node /s'.padStart(10)} ${'ratio (min–max)'.padStart(17)}`;
  console.log(head); rows.push(head);
  const chains: [string, string, string, string, string][] = [
    // two ECDSA P-256 signature checks
    ['validate_chain_3_ecdsa_p256', 'x509/long-leaf.crt', 'x509/long-3.crt', 'x509/long-2.crt', 'corpus.isotls.test'],
    // leaf RSA-2048 key; signatures: ECDSA P-256 (intermediate) and RSA-2048 PKCS#1 (root)
    ['validate_chain_3_rsa2048_leaf_mixed_sigs', 'pki/server-rsa.crt', 'pki/intermediate-ca.crt', 'pki/root-ca.crt', 'isotls.test'],
  ];
  const now = new Date('2030-01-01T00:00:00Z');
  for (const [name, leafF, interF, anchorF, host] of chains) {
    const [leaf] = loadCertificates(read(leafF)), [inter] = loadCertificates(read(interF)), [anchor] = loadCertificates(read(anchorF));
    const store = createTrustStore([anchor!]);
    const warm = () => verifyChain({ leaf: leaf!, intermediates: [inter!], trustStore: store, purpose: 'serverAuth', name: { dns: host }, now });
    const cold = () => { clearSignatureCache(); return warm(); };
    if ((await cold()).length !== 3) throw new Error(`${name}: isotls did not validate`);
    // the repeat row must really be served from the cache: two hits, no miss
    clearSignatureCache(); await warm(); await warm();
    if (signatureCacheStats.hits !== 2 || signatureCacheStats.misses !== 2) throw new Error(`${name}: the signature cache did not serve the repeat validation`);
    const [nl, ni, na] = [leafF, interF, anchorF].map((f) => new X509Certificate(read(f)));
    const theirs = () => {
      const t = now.getTime();
      for (const c of [nl!, ni!, na!]) if (t < Date.parse(c.validFrom) || t > Date.parse(c.validTo)) return false;
      return nl!.checkIssued(ni!) && nl!.verify(ni!.publicKey) && ni!.checkIssued(na!) && ni!.verify(na!.publicKey) && ni!.ca && na!.ca && nl!.checkHost(host) !== undefined;
    };
    if (!theirs()) throw new Error(`${name}: node:crypto did not validate`);
    for (const [label, ours] of [['cold', cold], ['repeat', warm]] as const) {
      const m = await interleaved([['iso', ours], ['node', theirs]], { rounds: 5, ms: 300 });
      const line = `${`${name} ${label}`.padEnd(46)} ${fmt(median(m.get('iso')!), 1).padStart(11)} ${fmt(median(m.get('node')!), 1).padStart(10)} ${fmtRatio(ratios(m.get('iso')!, m.get('node')!)).padStart(17)}`;
      console.log(line); rows.push(line);
    }
  }
  // trust anchors per connection: the 144 Mozilla roots as a TrustStore parsed once (mozillaRoots()) vs parsing
  // the PEM bundle for each connection (what a `ca: pemString` costs without the parse cache)
  {
    const pem = mozillaRootsPem();
    if (createTrustStore(pem).anchors.length !== mozillaRoots().anchors.length) throw new Error('roots: counts differ');
    const m = await interleaved([['iso', () => mozillaRoots().anchors.length], ['parse', () => createTrustStore(pem).anchors.length]], { rounds: 5, ms: 300 });
    const line = `${'mozilla_roots_per_connect (store vs parse)'.padEnd(46)} ${fmt(median(m.get('iso')!), 0).padStart(11)} ${fmt(median(m.get('parse')!), 1).padStart(10)} ${fmtRatio(ratios(m.get('iso')!, m.get('parse')!)).padStart(17)}`;
    console.log(line); rows.push(line);
  }
  // parse_certificate: DER → certificate object, the 5 certificates of the ECDSA and RSA chains and the root
  const ders = ['pki/server-ecdsa.chain.pem', 'pki/server-rsa.chain.pem', 'pki/root-ca.crt'].flatMap((f) => loadCertificates(read(f))).map((c) => c.der);
  const parsed = ders.map((d) => parseCertificate(d));
  if (parsed.some((c, i) => c.fingerprintSHA256hex !== new X509Certificate(ders[i]!).fingerprint256.replace(/:/g, ''))) throw new Error('parse_certificate: fingerprints differ from node:crypto');
  const m = await interleaved([['iso', () => { for (const d of ders) parseCertificate(d); }], ['node', () => { for (const d of ders) new X509Certificate(d); }]], { rounds: 5, ms: 300 });
  const per = (r: number[]) => median(r) * ders.length;
  const line = `${'parse_certificate (certificates/s)'.padEnd(46)} ${fmt(per(m.get('iso')!), 1).padStart(11)} ${fmt(per(m.get('node')!), 1).padStart(10)} ${fmtRatio(ratios(m.get('iso')!, m.get('node')!)).padStart(17)}`;
  console.log(line); rows.push(line);
  return rows;
}
