import * as esbuild from 'esbuild';
import { join } from 'node:path';
import { ROOT } from './vectors.js';

/** Package names as a user writes them, mapped to the sources (what `exports` maps to dist/ after a build). */
const ENTRY_POINTS: Record<string, string> = {
  'isotls': 'src/index.ts',
  'npm:isotls': 'src/index.ts',
  'isotls/transport/workers': 'src/transport/workers.ts',
  'isotls/relay': 'src/relay/index.ts',
};

const isotlsPlugin: esbuild.Plugin = {
  name: 'isotls-source',
  setup(build) {
    build.onResolve({ filter: /^(npm:)?isotls(\/.*)?$/ }, (args) => {
      const file = ENTRY_POINTS[args.path];
      return file ? { path: join(ROOT, file) } : { errors: [{ text: `no isotls entry point ${args.path}` }] };
    });
  },
};

/**
 * Bundles `entry` into one ESM file the way a user's bundler would: the
 * browser platform gets no node:* shims (a node:* import fails the build).
 */
export async function bundle(entry: string, outfile: string, o: { platform: 'browser' | 'neutral'; external?: string[]; minify?: boolean }): Promise<esbuild.Metafile> {
  const r = await esbuild.build({
    entryPoints: [entry], outfile, bundle: true, format: 'esm', target: 'es2022', platform: o.platform,
    mainFields: ['module', 'main'], conditions: ['import'], external: o.external ?? [], minify: o.minify ?? false,
    plugins: [isotlsPlugin], metafile: true, logLevel: 'silent',
  });
  return r.metafile;
}
