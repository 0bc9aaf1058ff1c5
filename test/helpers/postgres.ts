import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pki } from './pki.js';

/**
 * A real PostgreSQL server (Debian's postgresql package) for the STARTTLS
 * tests: a throwaway cluster on 127.0.0.1, TLS with the test PKI's
 * server-ecdsa chain, client certificates checked against Client CAs A and B,
 * and pg_hba.conf allowing only `hostssl … trust clientcert=verify-full`
 * (the client certificate's CN must equal the user name). Stopped by `stop()`.
 */
export function postgresBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0]!, 'bin') : undefined;
}

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = net.createServer();
  s.on('error', reject);
  s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
});

/** PostgreSQL refuses to run as root: as root, exec it as the `postgres` user the package created (setpriv execs, so signals reach postgres itself). */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--clear-groups', '--', cmd, ...args]] : [cmd, args];
}

export const SUPERUSER = 'client-ecdsa-p256';

export async function startPostgres(bin: string): Promise<{ port: number; version: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'isotls-pg-'));
  const data = join(dir, 'data');
  const own = (p: string) => { if (process.getuid?.() === 0) { const u = spawnSync('id', ['-u', 'postgres']).stdout.toString().trim(), g = spawnSync('id', ['-g', 'postgres']).stdout.toString().trim(); chownSync(p, Number(u), Number(g)); } };
  own(dir);
  // the superuser is named like the client certificate's CN, which verify-full compares with the user name
  const [initCmd, initArgs] = asPostgres(join(bin, 'initdb'), ['-D', data, '-U', SUPERUSER, '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const files: Record<string, string> = {
    'server.crt': pki('server-ecdsa.chain.pem'),
    'server.key': pki('server-ecdsa.key'),
    'client-cas.crt': pki('clients/client-ca-A.crt') + pki('clients/client-ca-B.crt'),
  };
  for (const [name, text] of Object.entries(files)) {
    const p = join(data, name);
    writeFileSync(p, text);
    chmodSync(p, 0o600);
    own(p);
  }
  const port = await freePort();
  writeFileSync(join(data, 'postgresql.auto.conf'), [
    `listen_addresses = '127.0.0.1'`, `port = ${port}`, `unix_socket_directories = '${dir}'`,
    `ssl = on`, `ssl_cert_file = 'server.crt'`, `ssl_key_file = 'server.key'`, `ssl_ca_file = 'client-cas.crt'`,
    `ssl_min_protocol_version = 'TLSv1.2'`, `fsync = off`, `log_connections = on`, '',
  ].join('\n'));
  writeFileSync(join(data, 'pg_hba.conf'), [
    '# TLS with a client certificate whose CN is the user name, nothing else',
    'hostssl all all 127.0.0.1/32 trust clientcert=verify-full',
    'host    all all 127.0.0.1/32 reject', '',
  ].join('\n'));
  const [cmd, args] = asPostgres(join(bin, 'postgres'), ['-D', data]);
  const proc: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`postgres did not start:\n${log}`)), 20000);
    const onData = (d: Buffer) => { log += d.toString(); if (/ready to accept connections/.test(log)) { clearTimeout(timer); resolve(); } };
    proc.stdout!.on('data', onData); proc.stderr!.on('data', onData);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`postgres exited (${code}):\n${log}`)); });
  });
  proc.removeAllListeners('exit');
  const version = spawnSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout.trim();
  return {
    port, version,
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGINT'); // fast shutdown
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
