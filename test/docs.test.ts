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
