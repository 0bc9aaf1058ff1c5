import assert from 'node:assert/strict';
import { rootCertificates } from 'node:tls';
import { GENERATED_WITH_NODE, MOZILLA_ROOTS, mozillaRoots } from '../../src/roots/index.js';
import { loadCertificates } from '../../src/x509/trust-store.js';

describe('isotls/roots', () => {
  it('holds the Mozilla root set as Node ships it, and every root parses', () => {
    // the exact set depends on the Node release it was taken from
    if (process.version === GENERATED_WITH_NODE) assert.deepEqual(MOZILLA_ROOTS.map((p) => p.trim()), rootCertificates.map((p) => p.trim()));
    assert.ok(MOZILLA_ROOTS.length > 100);
    const certs = loadCertificates(mozillaRoots());
    assert.equal(certs.length, MOZILLA_ROOTS.length);
    assert.ok(certs.every((c) => c.basicConstraints?.cA !== false));
    assert.ok(certs.some((c) => /ISRG Root X1/.test(c.subject.text)));
  });
});
