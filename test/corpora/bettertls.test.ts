import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { platformProvider } from '../../src/crypto/platform.js';
import type { CryptoProvider } from '../../src/crypto/provider.js';
import { TlsError } from '../../src/errors.js';
import { fromBase64 } from '../../src/bytes/encoding.js';
import { parseCertificate } from '../../src/x509/certificate.js';
import { parseIp } from '../../src/x509/hostname.js';
import { createTrustStore } from '../../src/x509/trust-store.js';
import { validatePath } from '../../src/x509/verify-chain.js';
import { IN_CI } from '../helpers/peers.js';
import { ROOT } from '../helpers/vectors.js';

/**
 * Netflix BetterTLS: the path-building and name-constraints suites, exported
 * by BetterTLS's own command (test/corpora/fetch.sh writes
 * .peers/bettertls/tests.json with certificates made that day), run through
 * validatePath with the default (webpki) profile. Each case: certificates
 * (leaf first, then what the server would send), the host name, ACCEPT or
 * REJECT; failureIsWarning marks cases BetterTLS itself only warns about.
 */
const FILE = join(ROOT, '.peers', 'bettertls', 'tests.json');

interface Export {
  betterTlsRevision: string;
  trustRoot: string;
  suites: Record<string, { testCases: { id: number; certificates: string[]; hostname: string; expected: 'ACCEPT' | 'REJECT'; failureIsWarning: boolean }[] }>;
}

describe('Netflix BetterTLS (exported tests, webpki profile)', function () {
  this.timeout(300000);
  if (!existsSync(FILE)) {
    if (IN_CI) it('has its tests', () => assert.fail('.peers/bettertls/tests.json is missing in CI: .ci/run must run test/corpora/fetch.sh'));
    else console.log('      (skipped: BetterTLS not exported; run bash test/corpora/fetch.sh)');
    return;
  }
  let data: Export;
  let provider: CryptoProvider;
  before(async () => { data = JSON.parse(readFileSync(FILE, 'utf8')) as Export; provider = await platformProvider(); });
  const totals = { passed: 0, run: 0, warnings: 0 };
  after(() => console.log(`bettertls: ${totals.passed}/${totals.run}${totals.warnings ? ` (${totals.warnings} more differ only where BetterTLS marks failure as a warning)` : ''}`));

  for (const suite of ['pathbuilding', 'nameconstraints']) {
    it(`${suite}: every case gives BetterTLS's expected answer`, async () => {
      const store = createTrustStore([parseCertificate(fromBase64(data.trustRoot))]);
      const cases = data.suites[suite]!.testCases;
      assert.ok(cases.length > 50, `${suite} has ${cases.length} cases`);
      const failures: string[] = [];
      let passed = 0;
      for (const c of cases) {
        let outcome = 'ok';
        try {
          // some REJECT cases carry deliberately malformed certificates: refusing to parse them is a refusal
          const [leaf, ...rest] = c.certificates.map((b) => parseCertificate(fromBase64(b)));
          await validatePath({
            leaf: leaf!, intermediates: rest, anchors: store, provider, purpose: 'serverAuth',
            name: parseIp(c.hostname) ? { ip: c.hostname } : { dns: c.hostname },
          });
        } catch (e) {
          if (!(e instanceof TlsError)) throw e;
          outcome = e.reason;
        }
        const pass = (c.expected === 'ACCEPT') === (outcome === 'ok');
        if (pass) { passed++; continue; }
        if (c.failureIsWarning) { totals.warnings++; continue; }
        failures.push(`#${c.id} expected ${c.expected}, got ${outcome}`);
      }
      totals.passed += passed; totals.run += passed + failures.length;
      console.log(`      bettertls ${suite}: ${passed}/${passed + failures.length}`);
      assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failures`);
    });
  }
});
