import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT_CA, serverIdentity } from '../helpers/pki.js';
import { ROOT } from '../helpers/vectors.js';

/**
 * A program that calls the module-level `fetch` once must exit when it is done,
 * as it does with the platform's fetch: idle pooled connections (HTTP/1.1 kept
 * alive, an HTTP/2 connection with no stream) do not keep the process running.
 */
describe('isotls/fetch: idle pooled connections do not keep the process alive', function () {
  this.timeout(30000);
  let server: http2.Http2SecureServer;
  let port = 0;
  let dir = '';
  const sessions: http2.ServerHttp2Session[] = [];
  const sockets: { destroy(): void }[] = [];
  before(async () => {
    const id = serverIdentity('ecdsa');
    server = http2.createSecureServer({ cert: id.cert, key: id.key, allowHTTP1: true }, (_req, res) => res.end('ok'));
    server.on('session', (s) => sessions.push(s));
    server.on('secureConnection', (s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    dir = mkdtempSync(join(tmpdir(), 'isotls-exit-'));
  });
  after(async () => {
    for (const s of sessions) s.destroy();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  for (const http2Mode of ['auto', 'false'] as const) {
    it(`${http2Mode === 'auto' ? 'HTTP/2' : 'HTTP/1.1 keep-alive'}: the program exits right after its fetch, the server still holding the connection open`, async () => {
      const script = join(dir, `fetch-${http2Mode}.mts`);
      writeFileSync(script, `
        import { Client } from ${JSON.stringify(pathToFileURL(join(ROOT, 'src', 'http', 'index.ts')).href)};
        const client = new Client({ tls: { ca: ${JSON.stringify(ROOT_CA())}, servername: 'isotls.test' }, http2: ${http2Mode === 'auto' ? "'auto'" : 'false'} });
        const res = await client.fetch('https://127.0.0.1:${port}/');
        console.log(res.status, await res.text(), JSON.stringify(client.connectionStats().map((s) => s.open)));
      `);
      const started = Date.now();
      const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
        let stdout = '';
        child.stdout.on('data', (d) => { stdout += d; });
        const kill = setTimeout(() => child.kill('SIGKILL'), 20000);
        child.on('exit', (code) => { clearTimeout(kill); resolve({ code, stdout }); });
      });
      const ms = Date.now() - started;
      assert.equal(out.code, 0, `exited ${out.code} after ${ms} ms: ${out.stdout}`);
      assert.equal(out.stdout.trim(), '200 ok [1]', 'the connection was still open (pooled) when the program ended');
      assert.ok(ms < 10000, `the program took ${ms} ms to exit (a pooled connection kept it alive?)`);
    });
  }
});
