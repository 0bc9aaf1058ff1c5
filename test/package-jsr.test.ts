import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requirePeer } from './helpers/peers.js';
import { ROOT } from './helpers/vectors.js';

const bin = join(ROOT, '.peers', 'deno', 'node_modules', '.bin', 'deno');
const json = (f: string) => JSON.parse(readFileSync(join(ROOT, f), 'utf8'));

/**
 * jsr.json (for `deno add jsr:@isotls/isotls`): the same entry points, version
 * and licence as the npm package, and `deno publish --dry-run` accepts it
 * (type check, slow-types check, every file resolvable).
 */
describe('JSR package', function () {
  this.timeout(300_000);

  it('names the same entry points (as TypeScript sources), version and licence as package.json', () => {
    const jsr = json('jsr.json'), npm = json('package.json');
    assert.equal(jsr.version, npm.version);
    assert.equal(jsr.license, npm.license);
    const npmExports = Object.fromEntries(Object.entries(npm.exports as Record<string, { import: string }>).filter(([k]) => k !== './package.json')
      .map(([k, v]) => [k, v.import.replace(/^\.\/dist\//, './src/').replace(/\.js$/, '.ts')]));
    assert.deepEqual(jsr.exports, npmExports);
  });

  it('passes `deno publish --dry-run`', function () {
    if (!requirePeer(this, bin, ['--version'])) return this.skip();
    // --sloppy-imports: our sources import './x.js' for './x.ts' (NodeNext style); deno publish rewrites them
    const r = spawnSync(bin, ['publish', '--dry-run', '--sloppy-imports', '--allow-dirty', '--config', 'jsr.json'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(`${r.stdout}${r.stderr}`, /Success Dry run complete/);
  });
});
