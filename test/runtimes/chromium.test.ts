import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startRelay } from '../../docs/examples/runtimes/relay.js';
import { bundle } from '../helpers/bundle.js';
import { requirePeer } from '../helpers/peers.js';
import { ROOT } from '../helpers/vectors.js';
import type { FetchReport } from './fetch-scenario.js';
import { checkFetchReport, checkResult, fetchConfig, OUT_DIR, scenarioConfig, startEchoServer, startFetchServer, type RuntimeResult } from './harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Headless, no sandbox (root in CI), and no background networking: this machine's network is closed. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('runtimes: Chromium runs the browser bundle through isotls/relay', function () {
  this.timeout(180_000);
  let browser: Browser | undefined;
  let page: Server | undefined;
  let pageUrl = '';

  before(async function () {
    if (!requirePeer(this, CHROMIUM, ['--version'])) return this.skip();
    // Browser platform, no externals, no shims: a node:* import anywhere would fail this build.
    await bundle(join(ROOT, 'test/runtimes/entry-browser.ts'), join(OUT_DIR, 'browser.js'), { platform: 'browser' });
    const js = readFileSync(join(OUT_DIR, 'browser.js'));
    page = createServer((req, res) => {
      if (req.url === '/browser.js') { res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(js); return; }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><meta charset="utf-8"><title>isotls</title><script type="module" src="/browser.js"></script>');
    });
    await new Promise<void>((r) => page!.listen(0, '127.0.0.1', () => r()));
    pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await new Promise<void>((r) => (page ? page.close(() => r()) : r()));
  });

  it('TLS 1.3 and 1.2 with a client certificate, 1 MiB echo, KeyUpdate, close_notify', async () => {
    const server = await startEchoServer();
    const relay = await startRelay(server.port, pageUrl);
    try {
      const tab = await browser!.newPage();
      await tab.goto(`${pageUrl}/`);
      await tab.waitForFunction(() => typeof (globalThis as any).runIsotls === 'function');
      const cfg = scenarioConfig(server.port, { relay: relay.url });
      const r = (await tab.evaluate((c) => (globalThis as any).runIsotls(c), cfg)) as RuntimeResult & { error?: unknown };
      if (r.error) throw new Error(`page failed: ${JSON.stringify(r.error)}`);
      r.report.runtime = `chromium ${browser!.version()}`; // the user agent string is frozen at major.0.0.0
      checkResult(r, server.seen, /^chromium \d/, 'webcrypto');
      await tab.close();
    } finally {
      await relay.close();
      await server.close();
    }
  });

  it('isotls/fetch in the page through isotls/relay: h2 and HTTP/1.1 with a client certificate', async () => {
    const server = await startFetchServer();
    const relay = await startRelay(server.port, pageUrl);
    try {
      const tab = await browser!.newPage();
      await tab.goto(`${pageUrl}/`);
      await tab.waitForFunction(() => typeof (globalThis as any).runIsotlsFetch === 'function');
      const r = (await tab.evaluate((c) => (globalThis as any).runIsotlsFetch(c), fetchConfig(server.port, relay.url))) as { report: FetchReport; error?: unknown };
      if (r.error) throw new Error(`page failed: ${JSON.stringify(r.error)}`);
      r.report.runtime = `chromium ${browser!.version()}`;
      checkFetchReport(r.report, server.seen, /^chromium \d/);
      await tab.close();
    } finally {
      await relay.close();
      await server.close();
    }
  });

  it('without a relay, connect() in the page explains that a browser needs one', async () => {
    const tab = await browser!.newPage();
    await tab.goto(`${pageUrl}/`);
    await tab.waitForFunction(() => typeof (globalThis as any).connectWithoutRelay === 'function');
    const e = (await tab.evaluate((c) => (globalThis as any).connectWithoutRelay(c), scenarioConfig(1))) as { code: string; message: string };
    assert.equal(e.code, 'config/no_tcp');
    assert.match(e.message, /isotls\/relay/);
    assert.match(e.message, /relay:/);
    await tab.close();
  });
});
