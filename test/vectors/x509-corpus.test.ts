import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TlsError } from '../../src/errors.js';
import { API_GATEWAY_PROFILE, verifyChain } from '../../src/x509/index.js';
import { ROOT } from '../helpers/vectors.js';

/** vectors/x509/cases.json: every case through the standalone verifyChain, expecting the named reason. */
const dir = join(ROOT, 'vectors', 'x509');
const read = (f: string) => readFileSync(join(dir, f), 'utf8');
const { cases } = JSON.parse(read('cases.json')) as { cases: { name: string; leaf: string; intermediates: string[]; anchors?: string[]; purpose: 'serverAuth' | 'clientAuth'; dns?: string; now?: string; profile?: string; expect: string }[] };

describe('X.509 corpus through verifyChain (vectors/x509)', () => {
  it('covers every reason it claims to', () => {
    const reasons = new Set(cases.map((c) => c.expect));
    for (const r of ['ok', 'unknown_ca', 'hostname_mismatch', 'eku_mismatch', 'unsupported_critical_extension', 'weak_signature_algorithm', 'weak_key', 'not_a_ca', 'path_length_exceeded', 'chain_too_long', 'expired', 'not_yet_valid', 'name_constraint_violation', 'bad_signature']) assert.ok(reasons.has(r), r);
  });
  for (const c of cases) {
    it(`${c.name}: ${c.expect}`, async () => {
      let outcome = 'ok';
      try {
        const path = await verifyChain({
          leaf: read(c.leaf), intermediates: c.intermediates.map(read), anchors: (c.anchors ?? ['../pki/root-ca.crt']).map(read),
          purpose: c.purpose, now: new Date(c.now ?? '2030-01-01T00:00:00Z'), ...(c.dns ? { name: { dns: c.dns } } : {}),
          ...(c.profile === 'api-gateway' ? API_GATEWAY_PROFILE : {}),
        });
        assert.equal(path[path.length - 1]!.subject.commonName, c.anchors ? 'isotls Test Intermediate CA' : 'isotls Test Root CA');
      } catch (e) {
        assert.ok(e instanceof TlsError, String(e));
        outcome = e.reason;
        assert.match(e.message, /"(CN|O)=|certificate path/, 'the message names the certificate');
      }
      assert.equal(outcome, c.expect);
    });
  }
});
