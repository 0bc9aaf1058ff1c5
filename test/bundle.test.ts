import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { budget, measure } from '../bench/size.js';
import { bundle } from './helpers/bundle.js';
import { ROOT } from './helpers/vectors.js';

describe('browser bundle and size budget', function () {
  this.timeout(60_000);

  it('the core builds for the browser platform with no shims and no node:* import', async () => {
    const out = join(ROOT, '.tmp', 'core-browser.js');
    // platform browser without externals: esbuild fails the build on any node:* import it has to resolve.
    const meta = await bundle(join(ROOT, 'src/index.ts'), out, { platform: 'browser' });
    const imports = Object.values(meta.outputs).flatMap((o) => o.imports);
    assert.deepEqual(imports.filter((i) => i.path.startsWith('node:')), []);
    assert.ok(!Object.keys(meta.inputs).some((f) => f.includes('node-tcp') || f.includes('relay/')), 'no Node-only adapter in the core bundle');
    assert.doesNotMatch(readFileSync(out, 'utf8'), /require\(/);
  });

  it('a bundle that statically imports node:net does fail the browser build (the check above can fail)', async () => {
    await assert.rejects(bundle(join(ROOT, 'src/transport/node-tcp.ts'), join(ROOT, '.tmp', 'should-fail.js'), { platform: 'browser' }));
  });

  it('minified+gzipped sizes stay within bench/size-budget.json', async () => {
    const b = budget();
    const results = await measure();
    for (const r of results) {
      console.log(`      ${r.name}: ${r.minified} B minified, ${r.gzipped} B gzipped (budget ${b[r.name]})`);
      assert.deepEqual(r.nodeImports, []);
      assert.ok(b[r.name], `no budget for ${r.name}`);
      assert.ok(r.gzipped <= b[r.name]!, `${r.name} is ${r.gzipped} B gzipped, over its budget of ${b[r.name]} B: shrink it, or raise the budget on purpose`);
    }
    assert.ok(results[0]!.gzipped < results[1]!.gzipped, 'the TLS 1.3-only client is smaller than the full client');
  });
});
