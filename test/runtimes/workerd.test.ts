import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { freePort } from '../helpers/ports.js';
import { join } from 'node:path';
import { bundle } from '../helpers/bundle.js';
import { requirePeer } from '../helpers/peers.js';
import { ROOT } from '../helpers/vectors.js';
import { createRelay } from '../../src/relay/index.js';
import type { FetchReport } from './fetch-scenario.js';
import { bin, checkFetchReport, checkRelayResult, checkResult, fetchConfig, OUT_DIR, scenarioConfig, startEchoServer, startFetchServer, type RuntimeResult } from './harness.js';

/**
 * A workerd config: the worker's outbound network is a network service that
 * allows `local`, which is what lets `connect()` reach 127.0.0.1.
 */
function workerdConfig(httpPort: number): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local"], deny = [])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${httpPort}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker.mjs", esModule = embed "worker.mjs") ],
  compatibilityDate = "2025-01-01",
  globalOutbound = "loopback",
);
`;
}

describe('runtimes: workerd runs the client bundled for Workers (cloudflare:sockets)', function () {
  this.timeout(180_000);
  let workerd: ChildProcess | undefined;
  let httpPort = 0;
  let stderr = '';

  before(async function () {
    if (!requirePeer(this, bin('workerd'), ['--version'])) return this.skip();
    await bundle(join(ROOT, 'test/runtimes/entry-worker.ts'), join(OUT_DIR, 'worker.mjs'), { platform: 'neutral', external: ['cloudflare:sockets'] });
    httpPort = await freePort();
    const configFile = join(OUT_DIR, 'workerd.capnp');
    writeFileSync(configFile, workerdConfig(httpPort));
    workerd = spawn(bin('workerd'), ['serve', configFile, '--verbose'], { stdio: ['ignore', 'pipe', 'pipe'] });
    workerd.stderr!.on('data', (d) => { stderr += d; });
    workerd.stdout!.on('data', (d) => { stderr += d; });
    // Wait until the worker answers HTTP.
    for (let i = 0; ; i++) {
      try { await fetch(`http://127.0.0.1:${httpPort}/`, { method: 'GET' }); break; } catch {
        if (i > 100 || workerd.exitCode !== null) throw new Error(`workerd did not start: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });

  after(() => { workerd?.kill('SIGKILL'); });

  it('TLS 1.3 and 1.2 with a client certificate, 1 MiB echo, KeyUpdate, close_notify', async () => {
    const server = await startEchoServer();
    try {
      const res = await fetch(`http://127.0.0.1:${httpPort}/`, { method: 'POST', body: JSON.stringify(scenarioConfig(server.port)) });
      const body = (await res.json()) as RuntimeResult & { error?: unknown };
      if (!res.ok || body.error) throw new Error(`worker failed: ${JSON.stringify(body.error)}\n${stderr}`);
      const version = (await new Promise<string>((resolve) => {
        const p = spawn(bin('workerd'), ['--version']); let o = ''; p.stdout.on('data', (d) => { o += d; }); p.on('close', () => resolve(o.trim()));
      }));
      body.report.runtime = `${body.report.runtime} (${version})`;
      checkResult(body, server.seen, /^workerd/, 'webcrypto');
    } finally {
      await server.close();
    }
  });

  it('through isotls/relay: the Worker\'s WebSocket client to the relay, the relay to the server', async () => {
    const server = await startEchoServer();
    const relay = createRelay({ allow: [`127.0.0.1:${server.port}`] });
    try {
      const { url } = await relay.listen(0, '127.0.0.1');
      const res = await fetch(`http://127.0.0.1:${httpPort}/`, { method: 'POST', body: JSON.stringify(scenarioConfig(server.port, { relay: url })) });
      const body = (await res.json()) as RuntimeResult & { error?: unknown };
      if (!res.ok || body.error) throw new Error(`worker failed: ${JSON.stringify(body.error)}\n${stderr}`);
      checkRelayResult(body, server.seen, relay.stats, /^workerd/);
    } finally {
      await relay.close();
      await server.close();
    }
  });

  it('isotls/fetch in the Worker: h2 and HTTP/1.1 with a client certificate over cloudflare:sockets', async () => {
    const server = await startFetchServer();
    try {
      const res = await fetch(`http://127.0.0.1:${httpPort}/fetch`, { method: 'POST', body: JSON.stringify(fetchConfig(server.port)) });
      const body = (await res.json()) as { report: FetchReport; error?: unknown };
      if (!res.ok || body.error) throw new Error(`worker failed: ${JSON.stringify(body.error)}\n${stderr}`);
      checkFetchReport(body.report, server.seen, /^workerd/);
    } finally {
      await server.close();
    }
  });
});
