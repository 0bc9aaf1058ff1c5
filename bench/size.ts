/**
 * `npm run size`: minified + gzipped size of browser bundles of the client,
 * built with esbuild the way a user's bundler would (tree-shaken, no shims).
 */
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');

export const BUNDLES = [
  { name: 'TLS 1.3-only client (isotls/tls13: connect)', code: "export { connect } from './src/tls13-only.ts';" },
  { name: 'full client (isotls: connect, TLS 1.3 + 1.2)', code: "export { connect } from './src/index.ts';" },
] as const;

export interface SizeResult { name: string; minified: number; gzipped: number; nodeImports: string[] }

export async function measure(): Promise<SizeResult[]> {
  const out: SizeResult[] = [];
  for (const b of BUNDLES) {
    const r = await esbuild.build({
      stdin: { contents: b.code, resolveDir: ROOT, loader: 'ts' }, bundle: true, minify: true, format: 'esm',
      platform: 'browser', target: 'es2022', write: false, metafile: true, logLevel: 'silent',
    });
    const js = r.outputFiles[0]!.contents;
    const imports = Object.values(r.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
    out.push({ name: b.name, minified: js.length, gzipped: gzipSync(js, { level: 9 }).length, nodeImports: imports.filter((p) => p.startsWith('node:')) });
  }
  return out;
}

/** The budget the size test enforces (bench/size-budget.json): raise it on purpose, never by accident. */
export const budget = (): Record<string, number> => JSON.parse(readFileSync(join(ROOT, 'bench', 'size-budget.json'), 'utf8'));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const b = budget();
  console.log(`esbuild ${esbuild.version}, platform browser, minified, gzip -9`);
  for (const r of await measure()) {
    console.log(`${r.name.padEnd(48)} ${String(r.minified).padStart(8)} B min  ${String(r.gzipped).padStart(7)} B gz  (budget ${b[r.name] ?? '-'} B gz)`);
  }
}
