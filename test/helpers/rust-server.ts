import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runningServers } from './openssl-server.js';
import { ROOT } from './vectors.js';

/** The rustls peer (test/peers/rust), built by .ci/run or on first use into .peers/rust-peer/. */
const SOURCE = join(ROOT, 'test', 'peers', 'rust');
const TARGET = join(ROOT, '.peers', 'rust-peer');
export const RUST_PEER_BINARY = join(TARGET, 'release', 'isotls-rust-peer');

/** Builds the peer if missing or older than its source; false when cargo is not installed. */
export function buildRustPeer(): boolean {
  const source = join(SOURCE, 'src', 'main.rs');
  if (existsSync(RUST_PEER_BINARY) && statSync(RUST_PEER_BINARY).mtimeMs >= statSync(source).mtimeMs) return true;
  if (spawnSync('cargo', ['--version'], { stdio: 'ignore' }).status !== 0) return false;
  const r = spawnSync('cargo', ['build', '--release', '--quiet'], { cwd: SOURCE, encoding: 'utf8', env: { ...process.env, CARGO_TARGET_DIR: TARGET } });
  if (r.status !== 0) throw new Error(`cargo build of the rustls peer failed:\n${r.stderr}`);
  return true;
}

/** Starts the rustls echo server on 127.0.0.1 with a chain and key (PEM files). */
export async function startRustServer(chainFile: string, keyFile: string): Promise<{ port: number; close(): Promise<void> }> {
  const proc: ChildProcessWithoutNullStreams = spawn(RUST_PEER_BINARY, [chainFile, keyFile], { stdio: ['pipe', 'pipe', 'pipe'] });
  runningServers.add(proc);
  proc.on('exit', () => runningServers.delete(proc));
  let out = '', err = '';
  proc.stderr.on('data', (d) => { err += d; });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the rustls peer did not start: ${err}`)), 10000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /\{"port":(\d+)\}/.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the rustls peer exited (${code}): ${err}`)); });
  });
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  return {
    port,
    close: async () => {
      if (proc.exitCode === null) { proc.stdin.end(); proc.kill('SIGTERM'); await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]); }
    },
  };
}
