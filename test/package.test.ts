import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './helpers/vectors.js';

describe('package', function () {
  this.timeout(120000);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

  it('declares ESM, no side effects, Node ≥ 20 and only its four runtime dependencies (@noble)', () => {
    assert.equal(pkg.name, 'isotls');
    assert.equal(pkg.type, 'module');
    assert.equal(pkg.sideEffects, false);
    assert.equal(pkg.engines.node, '>=20');
    assert.deepEqual(Object.keys(pkg.dependencies).sort(), ['@noble/ciphers', '@noble/curves', '@noble/hashes', '@noble/post-quantum']);
  });

  it('has an entry point for every transport, x509, relay, roots, debug, fetch and the TLS 1.3-only client', () => {
    for (const sub of ['.', './tls13', './x509', './relay', './roots', './debug', './fetch', './transport/node', './transport/deno', './transport/workers', './transport/websocket', './transport/streams', './transport/memory']) {
      assert.ok(pkg.exports[sub]?.types && pkg.exports[sub]?.import, `exports["${sub}"] with types`);
    }
    assert.equal(pkg.scripts.size, 'tsx bench/size.ts');
  });

  it('builds dist/ with types, and every export resolves to a built file that loads', async () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    for (const [sub, target] of Object.entries(pkg.exports as Record<string, { types: string; import: string } | string>)) {
      if (typeof target === 'string') continue;
      assert.ok(existsSync(join(ROOT, target.types)), `${sub}: ${target.types}`);
      assert.ok(existsSync(join(ROOT, target.import)), `${sub}: ${target.import}`);
      await import(pathToFileURL(join(ROOT, target.import)).href);
    }
    // The bin: built, with its shebang, and it runs.
    const bin = join(ROOT, pkg.bin.isotls as string);
    assert.ok(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n'), 'dist/cli/main.js starts with its shebang');
    const help = spawnSync(process.execPath, [bin, 'help'], { encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^usage: isotls <command>/);
    const main = await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href);
    assert.equal(typeof main.connect, 'function');
    assert.equal(typeof main.TlsError, 'function');
  });
});
