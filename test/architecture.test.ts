import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './helpers/vectors.js';

/**
 * The layering of docs/ARCHITECTURE.md, enforced: every import in src/ must
 * point down (or within its own layer), third-party packages stay in the
 * layer that wraps them, and `node:*` is imported statically only by
 * transport adapters.
 */
type Layer = 'errors' | 'bytes' | 'wire' | 'crypto' | 'x509' | 'record' | 'handshake' | 'transport' | 'debug' | 'roots' | 'relay' | 'connection' | 'index' | 'http' | 'cli';

const MAY_IMPORT: Record<Layer, Layer[]> = {
  errors: [],
  bytes: ['errors'],
  wire: ['bytes', 'errors'],
  crypto: ['bytes', 'errors'],
  x509: ['bytes', 'crypto', 'errors'],
  record: ['bytes', 'wire', 'crypto', 'errors'],
  handshake: ['bytes', 'wire', 'crypto', 'x509', 'record', 'errors'],
  transport: [],
  debug: ['bytes', 'wire', 'errors'],
  roots: ['x509', 'bytes', 'crypto', 'errors'],
  relay: [],
  connection: ['bytes', 'wire', 'crypto', 'x509', 'record', 'handshake', 'transport', 'errors'],
  http: ['index', 'bytes', 'errors'],
  // The CLI uses the public entry points only (checked file by file below).
  cli: ['index', 'x509', 'roots', 'http', 'debug', 'transport'],
  index: ['connection', 'bytes', 'wire', 'crypto', 'x509', 'record', 'handshake', 'transport', 'errors'],
};
/** Third-party packages and the one layer allowed to use each. */
const PACKAGE_LAYER: Record<string, Layer> = { '@noble/hashes': 'crypto', '@noble/curves': 'crypto', '@noble/ciphers': 'crypto', '@noble/post-quantum': 'crypto' };
/** What the CLI may import: the package's public entry points (package.json exports), nothing behind them. */
const CLI_ENTRY_POINTS = new Set(['index.ts', 'x509/index.ts', 'roots/index.ts', 'http/index.ts', 'debug/index.ts', 'transport/node-tcp.ts']);
/** Files allowed a static node:* import (and everything under cli/, which runs in Node only). */
const NODE_ADAPTERS = new Set(['transport/node-tcp.ts', 'transport/node-duplex.ts', 'relay/relay.ts']);

export function layerOf(file: string): Layer {
  const first = file.split('/')[0]!;
  if (file === 'errors.ts') return 'errors';
  if (file === 'index.ts') return 'index';
  if (!file.includes('/')) return 'connection'; // connection.ts, options.ts, info.ts
  return first as Layer;
}

export function importsOf(source: string): string[] {
  const out: string[] = [];
  const re = /^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;
  for (let m = re.exec(source); m; m = re.exec(source)) out.push((m[1] ?? m[2])!);
  return out;
}

/** Violations for one file (path relative to src/) with the given source. */
export function checkFile(file: string, source: string): string[] {
  const problems: string[] = [];
  const from = layerOf(file);
  for (const spec of importsOf(source)) {
    if (spec.startsWith('node:')) {
      if (!NODE_ADAPTERS.has(file) && from !== 'cli') problems.push(`${file}: static import of ${spec} outside a transport adapter`);
      continue;
    }
    if (spec.startsWith('.')) {
      const target = relative('.', join(dirname(file), spec)).replace(/\.js$/, '.ts');
      if (target.startsWith('..')) { problems.push(`${file}: import ${spec} leaves src/`); continue; }
      const to = layerOf(target);
      if (to !== from && !MAY_IMPORT[from].includes(to)) problems.push(`${file} (${from}) imports ${target} (${to})`);
      else if (from === 'cli' && to !== 'cli' && !CLI_ENTRY_POINTS.has(target)) problems.push(`${file} (cli) imports ${target}, which is not a public entry point`);
      continue;
    }
    const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
    const owner = PACKAGE_LAYER[pkg];
    if (!owner) problems.push(`${file}: imports ${spec}, which is not a runtime dependency`);
    else if (owner !== from) problems.push(`${file} (${from}) imports ${pkg}, which only ${owner}/ may use`);
  }
  return problems;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture', () => {
  const src = resolve(ROOT, 'src');
  const files = walk(src).map((p) => relative(src, p).split('\\').join('/'));

  it('every import in src/ points down the layers of docs/ARCHITECTURE.md', () => {
    assert.ok(files.length > 20);
    const problems = files.flatMap((f) => checkFile(f, readFileSync(join(src, f), 'utf8')));
    assert.deepEqual(problems, []);
  });

  it('the check itself catches wrong-way, sideways, package and node:* imports', () => {
    assert.equal(checkFile('crypto/x.ts', "import { Reader } from '../wire/constants.js';").length, 1);
    assert.equal(checkFile('wire/x.ts', "import { TlsConnection } from '../connection.js';").length, 1);
    assert.equal(checkFile('record/x.ts', "import { a } from '../x509/certificate.js';").length, 1);
    assert.equal(checkFile('handshake/x.ts', "import * as net from 'node:net';").length, 1);
    assert.equal(checkFile('wire/x.ts', "import { sha256 } from '@noble/hashes/sha2.js';").length, 1);
    assert.equal(checkFile('transport/x.ts', "export { x } from '../errors.js';").length, 1);
    assert.equal(checkFile('handshake/x.ts', "import { a } from '../x509/certificate.js';\nimport type { b } from '../record/deframer.js';").length, 0);
    assert.equal(checkFile('transport/node-tcp.ts', "import * as net from 'node:net';").length, 0);
  });

  it('the core entry point never pulls in the optional root set', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      assert.ok(!file.startsWith('roots/'), `${file} is reachable from index.ts`);
      for (const spec of importsOf(readFileSync(join(src, file), 'utf8'))) if (spec.startsWith('.')) visit(relative('.', join(dirname(file), spec)).replace(/\.js$/, '.ts'));
    };
    visit('index.ts');
    assert.ok(![...seen].some((f) => f.startsWith('relay/')), 'the relay (a Node server) is reachable from index.ts');
  });

  it('the core entry point has no static node:* import anywhere in its import graph', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of importsOf(readFileSync(join(src, file), 'utf8'))) {
        assert.ok(!spec.startsWith('node:'), `${file} imports ${spec} statically and is reachable from index.ts`);
        if (spec.startsWith('.')) visit(relative('.', join(dirname(file), spec)).replace(/\.js$/, '.ts'));
      }
    };
    visit('index.ts');
    assert.ok(seen.size > 20);
  });
});
