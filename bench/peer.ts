import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BenchPeer { port: number; stop(): Promise<void> }

/** Starts bench/peer-server.ts in a child process with these node:tls server options; resolves with its port. */
export function startPeer(options: Record<string, unknown>): Promise<BenchPeer> {
  const script = fileURLToPath(new URL('./peer-server.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench peer exited with ${code}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (!out.includes('\n') || !line) return;
      const { port } = JSON.parse(line) as { port: number };
      resolve({ port, stop: () => new Promise<void>((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); }) });
    });
  });
}
