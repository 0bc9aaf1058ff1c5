import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runningServers } from './openssl-server.js';
import { IN_CI } from './peers.js';
import { ROOT } from './vectors.js';

/** The Go crypto/tls peer (test/peers/go), built by .ci/run or on first use into .peers/go-peer/. */
export const GO_PEER_SOURCE = join(ROOT, 'test', 'peers', 'go');
export const GO_PEER_BINARY = join(ROOT, '.peers', 'go-peer', 'isotls-go-peer');

/** What the Go server saw for one connection (see test/peers/go/main.go). */
export interface GoReport {
  event: 'handshake' | 'handshake_failed';
  error?: string;
  version?: string;
  cipherSuite?: string;
  curve?: string;
  didResume: boolean;
  alpn?: string;
  serverName?: string;
  peerSubjects?: string[];
  verifiedChains: number;
  echAccepted: boolean;
}

/** Builds the peer if the binary is missing or older than its source; false when Go is not installed. */
export function buildGoPeer(): boolean {
  const source = join(GO_PEER_SOURCE, 'main.go');
  if (existsSync(GO_PEER_BINARY) && statSync(GO_PEER_BINARY).mtimeMs >= statSync(source).mtimeMs) return true;
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) return false;
  const r = spawnSync('go', ['build', '-o', GO_PEER_BINARY, '.'], { cwd: GO_PEER_SOURCE, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`go build of the Go peer failed:\n${r.stderr}`);
  return true;
}

/** A `before` hook body: builds the Go peer, or skips the suite with one line (a failure in CI, where Go must be there). */
export function requireGoPeer(ctx: Mocha.Context): void {
  if (buildGoPeer()) return;
  if (IN_CI) throw new Error('Go is missing in CI: .ci/run must install it');
  console.log('      (skipped: "go" is not installed on this machine)');
  ctx.skip();
}

export interface GoServer {
  port: number;
  /** With -ech-public-name: the ECHConfigList (as a DNS HTTPS record would carry it). */
  echConfigList: Uint8Array | undefined;
  /** The next connection's report (waits for it). */
  nextReport(ms?: number): Promise<GoReport>;
  close(): Promise<void>;
}

/** Starts the Go peer on 127.0.0.1 with `args` (see main.go's flags). Stopped by close(), or when its stdin closes. */
export async function startGoServer(args: string[]): Promise<GoServer> {
  const proc: ChildProcessWithoutNullStreams = spawn(GO_PEER_BINARY, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  runningServers.add(proc);
  proc.on('exit', () => runningServers.delete(proc));
  const lines: string[] = [];
  let stderr = '';
  let buf = '';
  const waiters: (() => void)[] = [];
  proc.stdout.on('data', (d) => {
    buf += d.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) { lines.push(buf.slice(0, i)); buf = buf.slice(i + 1); }
    waiters.splice(0).forEach((w) => w());
  });
  proc.stderr.on('data', (d) => { stderr += d.toString(); });
  const exited = new Promise<void>((r) => proc.on('exit', () => { waiters.splice(0).forEach((w) => w()); r(); }));
  const nextLine = async (ms: number): Promise<string> => {
    const end = Date.now() + ms;
    while (lines.length === 0) {
      if (proc.exitCode !== null) throw new Error(`the Go peer exited (${proc.exitCode}): ${stderr}`);
      if (Date.now() > end) throw new Error(`the Go peer said nothing within ${ms} ms: ${stderr}`);
      await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 50); });
    }
    return lines.shift()!;
  };
  const first = JSON.parse(await nextLine(10000)) as { port: number; echConfigList?: string };
  const { port } = first;
  return {
    port, echConfigList: first.echConfigList ? new Uint8Array(Buffer.from(first.echConfigList, 'base64')) : undefined,
    nextReport: async (ms = 10000) => JSON.parse(await nextLine(ms)) as GoReport,
    close: async () => {
      if (proc.exitCode === null) {
        proc.stdin.end();
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
    },
  };
}
