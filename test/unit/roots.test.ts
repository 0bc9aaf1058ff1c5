import assert from 'node:assert/strict';
import { rootCertificates } from 'node:tls';
import { GENERATED_WITH_NODE, MOZILLA_ROOTS, mozillaRoots, mozillaRootsPem } from '../../src/roots/index.js';
import { loadCertificates } from '../../src/x509/trust-store.js';
import { PROFILE_RULES, checkProfile } from '../../src/x509/profile.js';

describe('isotls/roots', () => {
  it('holds the Mozilla root set as Node ships it, and every root parses', () => {
    // the exact set depends on the Node release it was taken from
    if (process.version === GENERATED_WITH_NODE) assert.deepEqual(MOZILLA_ROOTS.map((p) => p.trim()), rootCertificates.map((p) => p.trim()));
    assert.ok(MOZILLA_ROOTS.length > 100);
    const certs = mozillaRoots().anchors;
    assert.equal(certs.length, MOZILLA_ROOTS.length);
    assert.equal(loadCertificates(mozillaRootsPem()).length, MOZILLA_ROOTS.length);
    assert.ok(certs.every((c) => c.basicConstraints?.cA !== false));
    assert.ok(certs.some((c) => /ISRG Root X1/.test(c.subject.text)));
  });

  it('is parsed once: every call returns the same TrustStore', () => {
    const a = mozillaRoots(), b = mozillaRoots();
    assert.equal(a, b);
    assert.equal(a.anchors, b.anchors);
    assert.equal(a.rootProgram, 'Mozilla');
  });

  it('names the roots that predate the Baseline Requirements root profile (exempt as vetted by the root program)', () => {
    // docs/X509.md lists these; a root-program store skips only the rules on a root's own form
    const violations = mozillaRoots().anchors.flatMap((r) => {
      try { checkProfile(r, 'anchor', 'webpki', 'serverAuth'); return []; } catch (e) { return [`${(e as { reason: string }).reason}: ${r.subject.commonName ?? r.subject.text}`]; }
    });
    assert.deepEqual(violations.sort(), [
      'anchor_authority_key_id: Certigna', 'anchor_authority_key_id: QuoVadis Root CA 2', 'anchor_authority_key_id: QuoVadis Root CA 3',
      'basic_constraints_not_critical: C=TW, O=Chunghwa Telecom Co., Ltd., OU=ePKI Root Certification Authority',
    ]);
    for (const r of mozillaRoots().anchors) checkProfile(r, 'anchor', 'webpki', 'serverAuth', { vettedRoot: true });
    assert.ok(PROFILE_RULES.filter((r) => r.rootForm).length === 2);
  });
});
