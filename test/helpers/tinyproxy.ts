import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForTcp } from './ports.js';

export interface Tinyproxy { port: number; stop(): Promise<void> }

/**
 * Debian's tinyproxy on 127.0.0.1 (foreground, its own config in a temp
 * folder): CONNECT allowed to the ports listed in `connectPorts` (all when
 * empty), Basic auth when `auth` is given. Resolves once it accepts TCP.
 */
export async function startTinyproxy(o: { auth?: [string, string]; connectPorts?: number[] } = {}): Promise<Tinyproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'isotls-tinyproxy-'));
  const port = await freePort();
  const conf = [
    `Port ${port}`, 'Listen 127.0.0.1', 'Timeout 30', 'MaxClients 20', 'LogLevel Error', `LogFile "${join(dir, 'log')}"`, 'Allow 127.0.0.1',
    ...(o.connectPorts ?? []).map((p) => `ConnectPort ${p}`),
    ...(o.auth ? [`BasicAuth ${o.auth[0]} ${o.auth[1]}`] : []),
  ].join('\n');
  writeFileSync(join(dir, 'tinyproxy.conf'), `${conf}\n`);
  const proc = spawn('tinyproxy', ['-d', '-c', join(dir, 'tinyproxy.conf')], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  await waitForTcp(port);
  return { port, stop: async () => { proc.kill('SIGTERM'); await exited; rmSync(dir, { recursive: true, force: true }); } };
}
