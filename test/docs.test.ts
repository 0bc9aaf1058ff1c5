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

describe('docs/api (TypeDoc, `npm run docs`)', function () {
  this.timeout(180000);
  it('builds with every exported symbol documented, and the committed docs/api is what it builds', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdtempSync, rmSync, statSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const out = mkdtempSync(join(tmpdir(), 'isotls-api-'));
    try {
      // notDocumented and notExported validations are errors (typedoc.json): a missing doc comment fails here
      const r = spawnSync('bash', [join(ROOT, 'scripts', 'api-docs.sh'), '--out', out], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      const list = (dir: string, base = ''): string[] => readdirSync(join(dir, base)).flatMap((f) => (statSync(join(dir, base, f)).isDirectory() ? list(dir, join(base, f)) : [join(base, f)])).sort();
      const built = list(out), committed = list(join(ROOT, 'docs', 'api'));
      assert.deepEqual(committed, built, 'docs/api is stale: run npm run docs');
      for (const f of built) assert.equal(readFileSync(join(ROOT, 'docs', 'api', f), 'utf8'), readFileSync(join(out, f), 'utf8'), `docs/api/${f} is stale: run npm run docs`);
      assert.ok(built.length > 50, `${built.length} pages`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
