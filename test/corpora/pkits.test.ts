import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TlsError } from '../../src/errors.js';
import { parseCertificate, type Certificate } from '../../src/x509/certificate.js';
import { createTrustStore } from '../../src/x509/trust-store.js';
import { validatePath } from '../../src/x509/verify-chain.js';
import { platformProvider } from '../../src/crypto/platform.js';
import type { CryptoProvider } from '../../src/crypto/provider.js';
import { IN_CI } from '../helpers/peers.js';
import { ROOT } from '../helpers/vectors.js';
import { sectionOf, SECTIONS } from './pkits-sections.js';

/**
 * NIST PKITS through validatePath with the rfc5280 profile. The certificates
 * come from PyPI's cryptography-vectors (test/corpora/fetch.sh puts them in
 * .peers/pkits). Each end-entity certificate is validated against the PKITS
 * trust anchor with every other PKITS certificate offered as a possible
 * intermediate, so path building has to find the path the test means; the
 * expected outcome is the "Valid"/"Invalid" in its name.
 */
const DIR = join(ROOT, '.peers', 'pkits', 'certs');
// PKITS certificates are valid 2010-01-01 .. 2030-12-31
const NOW = new Date('2020-06-01T00:00:00Z');

describe('NIST PKITS (cryptography-vectors, rfc5280 profile)', function () {
  this.timeout(120000);
  if (!existsSync(DIR)) {
    if (IN_CI) it('has its certificates', () => assert.fail('.peers/pkits is missing in CI: .ci/run must run test/corpora/fetch.sh'));
    else console.log('      (skipped: PKITS not fetched; run bash test/corpora/fetch.sh)');
    return;
  }
  const files = readdirSync(DIR);
  const parsed = new Map<string, Certificate>();
  const unparsed: string[] = [];
  for (const f of files) {
    try { parsed.set(f, parseCertificate(new Uint8Array(readFileSync(join(DIR, f))))); } catch { unparsed.push(f); }
  }
  const anchor = parsed.get('TrustAnchorRootCertificate.crt')!;
  const store = createTrustStore([anchor]);
  const pool = [...parsed.entries()].filter(([f]) => !/EE\.crt$/.test(f) && f !== 'TrustAnchorRootCertificate.crt').map(([, c]) => c);
  const tests = files.filter((f) => /^(Valid|Invalid).*EE\.crt$/.test(f)).sort();

  let provider: CryptoProvider;
  before(async () => { provider = await platformProvider(); });
  const results = { passed: 0, failed: [] as string[], skipped: new Map<string, number>() };
  for (const file of tests) {
    const section = sectionOf(file);
    if (!section) { it(`${file} belongs to a known section`, () => assert.fail(`no PKITS section matches ${file}`)); continue; }
    if (section.skip) { results.skipped.set(section.skip, (results.skipped.get(section.skip) ?? 0) + 1); continue; }
    const valid = file.startsWith('Valid');
    it(`${section.id} ${file.replace(/EE\.crt$/, '')}: ${valid ? 'accepted' : 'refused'}`, async () => {
      const leaf = parsed.get(file);
      let outcome: string;
      if (!leaf) outcome = 'unparsed';
      else {
        try {
          await validatePath({ leaf, intermediates: pool, anchors: store, now: NOW, profile: 'rfc5280', provider, maxChainLength: 12 });
          outcome = 'ok';
        } catch (e) {
          if (!(e instanceof TlsError)) throw e;
          outcome = e.reason;
        }
      }
      const pass = valid ? outcome === 'ok' : outcome !== 'ok' && outcome !== 'unparsed';
      if (pass) results.passed++; else results.failed.push(`${file}: ${outcome}`);
      assert.ok(pass, `${file}: expected ${valid ? 'acceptance' : 'refusal'}, got ${outcome}`);
    });
  }
  after(() => {
    const run = results.passed + results.failed.length;
    console.log(`pkits: ${results.passed}/${run}`);
    for (const [why, n] of results.skipped) console.log(`      pkits skipped ${n}: ${why}`);
  });
  it('every PKITS section is either run or skipped with a reason; only DSA certificates and the bad-signature CA fail to parse', () => {
    assert.ok(SECTIONS.every((s) => s.skip === undefined || s.skip.length > 20));
    // BadSignedCACert's signatureValue BIT STRING declares 1 unused bit, which DER forbids for a signature:
    // it is refused as malformed, so 4.1.2 is refused as unknown_ca (its CA never enters the pool)
    assert.deepEqual(unparsed.filter((f) => !/DSA/.test(f)), ['BadSignedCACert.crt']);
  });
});
