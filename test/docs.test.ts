import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers/vectors.js';

describe('docs/runtimes.md', () => {
  const page = readFileSync(join(ROOT, 'docs', 'runtimes.md'), 'utf8');
  const dir = join(ROOT, 'docs', 'examples', 'runtimes');
  const examples = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));

  it('shows every runtime example exactly as the runtime tests run it', () => {
    assert.deepEqual(examples.sort(), ['browser.ts', 'bun.ts', 'deno.ts', 'node.ts', 'relay.ts', 'workers.ts']);
    for (const f of examples) {
      const code = readFileSync(join(dir, f), 'utf8').trimEnd();
      assert.ok(page.includes('```ts\n' + code + '\n```'), `docs/runtimes.md does not show docs/examples/runtimes/${f} as it is`);
    }
  });

  it('every example is imported by a runtime test', () => {
    const tests = ['entry-cli.ts', 'entry-worker.ts', 'entry-browser.ts', 'chromium.test.ts'].map((f) => readFileSync(join(ROOT, 'test', 'runtimes', f), 'utf8')).join('\n');
    for (const f of examples) assert.ok(tests.includes(`docs/examples/runtimes/${f.replace(/\.ts$/, '.js')}`), `${f} is not run by any runtime test`);
  });
});

describe('docs/X509.md', () => {
  const page = readFileSync(join(ROOT, 'docs', 'X509.md'), 'utf8');
  it('lists every profile rule with the profiles, reason and source the code gives it', async () => {
    const { PROFILE_RULES, PROFILES } = await import('../src/x509/profile.js');
    for (const rule of PROFILE_RULES) {
      const row = page.split('\n').find((l) => l.startsWith(`| \`${rule.id}\``));
      assert.ok(row, `docs/X509.md has no row for rule ${rule.id}`);
      const cells = row.split('|').map((c) => c.trim());
      // | rule | applies to | webpki | rfc5280 | private | reason | source |
      assert.deepEqual(cells.slice(3, 6), PROFILES.map((p) => (rule.profiles.includes(p) ? '✔' : '—')), `profiles of ${rule.id}`);
      assert.equal(cells[6], `\`${rule.reason}\``, `reason of ${rule.id}`);
      assert.equal(cells[7], rule.source, `source of ${rule.id}`);
    }
  });
});
