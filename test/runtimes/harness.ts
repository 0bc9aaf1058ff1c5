import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import http2 from 'node:http2';
import * as tls from 'node:tls';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { clientText } from '../helpers/clients.js';
import { ROOT_CA, serverIdentity } from '../helpers/pki.js';
import { ROOT } from '../helpers/vectors.js';
import type { FetchConfig, FetchReport } from './fetch-scenario.js';
import type { ScenarioConfig, ScenarioReport } from './scenario.js';

export const OUT_DIR = join(ROOT, '.tmp', 'runtimes');
mkdirSync(OUT_DIR, { recursive: true });
/** Runtimes from npm that .ci/run installs into .peers/<name> (kept out of the lockfile: their other-platform binaries are not on every registry mirror). */
export const bin = (name: string, dir = name) => join(ROOT, '.peers', dir, 'node_modules', '.bin', name);

export interface SeenConnection { subject: string; authorized: boolean; bytes: number; ended: boolean }

/**
 * Node's TLS server (TLS 1.2 and 1.3) that requires a client certificate
 * from client CA A, echoes everything, and records what it saw per connection.
 */
export async function startEchoServer(): Promise<{ port: number; seen: SeenConnection[]; close(): Promise<void> }> {
  const id = serverIdentity('ecdsa');
  const seen: SeenConnection[] = [];
  const sockets = new Set<tls.TLSSocket>();
  const server = tls.createServer({
    cert: id.cert, key: id.key, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3',
    requestCert: true, rejectUnauthorized: true, ca: clientText('client-ca-A.crt'),
  }, (s) => {
    sockets.add(s);
    const rec: SeenConnection = { subject: String(s.getPeerCertificate().subject?.CN), authorized: s.authorized, bytes: 0, ended: false };
    seen.push(rec);
    s.on('data', (d: Buffer) => { rec.bytes += d.length; });
    s.on('end', () => { rec.ended = true; });
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () => new Promise<void>((res) => { for (const s of sockets) s.destroy(); server.close(() => res()); }),
  };
}

export function scenarioConfig(port: number, extra: Partial<ScenarioConfig> = {}): ScenarioConfig {
  return {
    host: '127.0.0.1', port, servername: 'isotls.test', ca: ROOT_CA(),
    tls13: { cert: clientText('client-ecdsa-p256.crt'), key: clientText('client-ecdsa-p256.pkcs8.pem') },
    tls12: { cert: clientText('client-rsa2048.crt'), key: clientText('client-rsa2048.pkcs8.pem') },
    ...extra,
  };
}

export interface RuntimeResult { greeting: string | null; report: ScenarioReport }

/** Runs a command, returns the JSON its last stdout line holds (or throws with its output). */
export function runJson(command: string, args: string[], timeoutMs = 120_000): Promise<RuntimeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${command} timed out after ${timeoutMs} ms\n${out}\n${err}`)); }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      let parsed: any;
      try { parsed = JSON.parse(last); } catch { return reject(new Error(`${command} exited ${code} without a JSON result\nstdout: ${out}\nstderr: ${err}`)); }
      if (parsed.error || code !== 0) return reject(new Error(`${command} failed (exit ${code}): ${JSON.stringify(parsed.error)}\nstderr: ${err}`));
      resolve(parsed as RuntimeResult);
    });
  });
}

/** One line per version with the timings, printed under the test. */
export function printReport(r: ScenarioReport): void {
  for (const v of r.runs) {
    const mbps = (v.echoedBytes / 1048576) / (v.echoMs / 1000);
    console.log(`      ${r.runtime}: ${v.version} ${v.cipherSuite} (${v.cryptoProvider} crypto) handshake ${v.handshakeMs} ms, 1 MiB echo in ${v.chunks} chunks ${v.echoMs} ms (${mbps.toFixed(1)} MiB/s), KeyUpdate sent/received ${v.keyUpdates.sent}/${v.keyUpdates.received}, close ${v.closeMs} ms`);
  }
}

/** What every runtime must show: the example's echo, both versions, 1 MiB, a KeyUpdate, the server's view. */
export function checkResult(r: RuntimeResult, seen: SeenConnection[], runtime: RegExp, crypto: string): void {
  assert.match(r.report.runtime, runtime);
  // the default provider is the fastest the runtime has: node:crypto where it exists, else WebCrypto
  assert.deepEqual(r.report.runs.map((v) => v.cryptoProvider), [crypto, crypto], `crypto provider in ${r.report.runtime}`);
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


/**
 * The same scenario through `isotls/relay` (the runtime's WebSocket to the relay, the relay to the server):
 * both versions, 1 MiB each, KeyUpdate, client certificates verified by the server, and the relay's own
 * counters show that both connections went through it.
 */
export function checkRelayResult(r: RuntimeResult, seen: SeenConnection[], relayStats: { accepted: number; bytes: number }, runtime: RegExp): void {
  assert.match(r.report.runtime, runtime);
  assert.equal(r.greeting, null);
  assert.deepEqual(r.report.runs.map((v) => v.version), ['TLSv1.3', 'TLSv1.2']);
  for (const v of r.report.runs) {
    assert.equal(v.echoedBytes, 1 << 20);
    assert.equal(v.clientCertificateSent, true);
  }
  assert.ok(r.report.runs[0]!.keyUpdates.sent >= 1 && r.report.runs[0]!.keyUpdates.received >= 1, 'KeyUpdate both ways in TLS 1.3');
  assert.deepEqual(seen.map((s) => [s.subject, s.authorized]), [['client-ecdsa-p256', true], ['client-rsa2048', true]]);
  assert.deepEqual(seen.map((s) => s.bytes), [1 << 20, 1 << 20]);
  assert.equal(relayStats.accepted, 2, 'both connections went through the relay');
  assert.ok(relayStats.bytes > 2 << 20, `the relay carried ${relayStats.bytes} bytes (at least the 2 MiB sent)`);
  printReport({ ...r.report, runtime: `${r.report.runtime} via isotls/relay` });
}

/** The text /gzip answers (gzip-encoded). */
export const GZIP_TEXT = 'isotls/fetch in every runtime. '.repeat(200);

/**
 * Node's http2 secure server with allowHTTP1 (h2 or HTTP/1.1 by ALPN), requiring a client
 * certificate from client CA A: /whoami (protocol, the client's CN, its port), /sha256 (of the
 * request body), /gzip. Records each request's protocol and subject.
 */
export async function startFetchServer(): Promise<{ port: number; seen: { proto: string; cn: string }[]; close(): Promise<void> }> {
  const id = serverIdentity('ecdsa');
  const seen: { proto: string; cn: string }[] = [];
  const server = http2.createSecureServer({ cert: id.cert, key: id.key, allowHTTP1: true, requestCert: true, rejectUnauthorized: true, ca: clientText('client-ca-A.crt') }, (req, res) => {
    const socket = req.socket as tls.TLSSocket;
    const cn = String(socket.getPeerCertificate().subject?.CN);
    const hash = createHash('sha256');
    let length = 0;
    req.on('data', (d: Buffer) => { hash.update(d); length += d.length; });
    req.on('end', () => {
      seen.push({ proto: req.httpVersion, cn });
      if (req.url === '/gzip') { res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain' }); res.end(gzipSync(GZIP_TEXT)); return; }
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url === '/sha256') res.end(JSON.stringify({ sha256: hash.digest('hex'), length }));
      else res.end(JSON.stringify({ proto: req.httpVersion, cn, remotePort: socket.remotePort }));
    });
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => { sessions.add(s); s.on('close', () => sessions.delete(s)); });
  const sockets = new Set<tls.TLSSocket>();
  server.on('secureConnection', (s: tls.TLSSocket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port, seen,
    close: () => new Promise<void>((r) => { for (const s of sessions) s.destroy(); for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

export function fetchConfig(port: number, relay?: string): FetchConfig {
  return {
    base: `https://127.0.0.1:${port}`, servername: 'isotls.test', ca: ROOT_CA(),
    cert: clientText('client-ecdsa-p256.crt'), key: clientText('client-ecdsa-p256.pkcs8.pem'),
    ...(relay ? { relay } : {}),
  };
}

/** What every runtime must show for isotls/fetch: h2 with the client certificate, the body intact both ways, one connection shared, HTTP/1.1 on request. */
export function checkFetchReport(r: FetchReport, seen: { proto: string; cn: string }[], runtime: RegExp): void {
  assert.match(r.runtime, runtime);
  assert.deepEqual([r.get.proto, r.get.cn], ['2.0', 'client-ecdsa-p256']);
  assert.equal(r.post.length, 300_000);
  assert.equal(r.post.received, r.post.sent);
  assert.deepEqual(r.gzip, { encoding: 'gzip', text: GZIP_TEXT });
  assert.equal(r.concurrent.length, 10);
  assert.ok(r.concurrent.every((w) => w.proto === '2.0' && w.remotePort === r.get.remotePort), 'the ten concurrent requests shared the h2 connection');
  assert.deepEqual([r.http1.proto, r.http1.cn], ['1.1', 'client-ecdsa-p256']);
  assert.equal(seen.length, 14);
  assert.ok(seen.every((s) => s.cn === 'client-ecdsa-p256'));
  console.log(`      ${r.runtime}: isotls/fetch h2 (${seen.filter((s) => s.proto === '2.0').length} requests on one connection) and HTTP/1.1, mTLS, 300 KB POST, gzip`);
}
