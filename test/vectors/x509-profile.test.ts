import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TlsError } from '../../src/errors.js';
import { PROFILE_RULES, PROFILES, verifyChain, type ValidationProfile } from '../../src/x509/index.js';
import { ROOT } from '../helpers/vectors.js';

/** vectors/x509/profile/cases.json: each certificate breaks one rule; each profile's verdict is stated. */
const dir = join(ROOT, 'vectors', 'x509', 'profile');
const read = (f: string) => readFileSync(join(dir, f), 'utf8');
interface Case { name: string; leaf: string; intermediates: string[]; anchors?: string[]; dns?: string; expect: Record<ValidationProfile, string> }
const { cases } = JSON.parse(read('cases.json')) as { cases: Case[] };

async function outcome(c: Case, profile: ValidationProfile): Promise<{ reason: string; message: string }> {
  try {
    await verifyChain({
      leaf: read(c.leaf), intermediates: c.intermediates.map(read), anchors: (c.anchors ?? ['root.crt']).map(read),
      now: new Date('2030-01-01T00:00:00Z'), profile, ...(c.dns ? { name: { dns: c.dns } } : {}),
    });
    return { reason: 'ok', message: '' };
  } catch (e) {
    assert.ok(e instanceof TlsError, String(e));
    return { reason: e.reason, message: e.message };
  }
}

describe('X.509 profiles (vectors/x509/profile)', () => {
  for (const c of cases) {
    for (const profile of PROFILES) {
      it(`${profile}: ${c.name} → ${c.expect[profile]}`, async () => {
        assert.equal((await outcome(c, profile)).reason, c.expect[profile]);
      });
    }
  }

  it('exercises every profile rule with a case that only that rule refuses', () => {
    const reasons = new Set(cases.flatMap((c) => Object.values(c.expect)));
    for (const rule of PROFILE_RULES) assert.ok(reasons.has(rule.reason), `no case for ${rule.id} (${rule.reason})`);
  });

  it('uses every certificate the builder wrote', () => {
    const used = new Set(cases.flatMap((c) => [c.leaf, ...c.intermediates, ...(c.anchors ?? ['root.crt'])]));
    const files = readdirSync(dir).filter((f) => f.endsWith('.crt'));
    assert.deepEqual(files.filter((f) => !used.has(f) && f !== 'intermediate.crt'), []);
  });

  it('says "self-signed" and names the certificate when a self-signed certificate is not trusted', async () => {
    const c = cases.find((x) => x.name.startsWith('the same self-signed'))!;
    const { message } = await outcome(c, 'webpki');
    assert.match(message, /self-signed certificate \(CN=profile\.isotls\.test\) is not trusted/);
  });

  it('names the rule, its source and the profile in the message', async () => {
    const c = cases.find((x) => x.leaf === 'leaf-no-aki.crt')!;
    const { message } = await outcome(c, 'webpki');
    assert.match(message, /refused by the webpki profile: .*authorityKeyIdentifier.*RFC 5280 §4\.2\.1\.1.*rule aki-required/);
  });
});
