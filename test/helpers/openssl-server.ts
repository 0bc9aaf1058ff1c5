import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { freePort } from './ports.js';
import { pkiPath, type ServerKeyType } from './pki.js';

export interface OpenSslServer {
  port: number;
  /** Everything s_server printed so far. */
  output: () => string;
  waitFor: (pattern: RegExp, ms?: number) => Promise<void>;
  send: (stdin: string) => void;
  close: () => Promise<void>;
}

/** Every s_server still running, killed by the root hook even if a test timed out. */
export const runningServers = new Set<ChildProcessWithoutNullStreams>();

/**
 * `openssl s_server` on 127.0.0.1 with the test PKI, TLS 1.3 only (or 1.2, or whatever it allows with 'any'), serving
 * one connection. `mode`: 'www' (status page), 'rev' (reverses lines) or
 * 'interactive' (stdin/stdout: k/K/Q commands). Stopped by `close()`.
 */
export async function startOpenSslServer(o: { key?: ServerKeyType | 'other'; mode?: 'www' | 'rev' | 'interactive'; args?: string[]; version?: '1.2' | '1.3' | 'any'; naccept?: number } = {}): Promise<OpenSslServer> {
  const key = o.key ?? 'ecdsa';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const args = ['s_server', '-accept', `127.0.0.1:${port}`, '-naccept', String(o.naccept ?? 1), ...(o.version === 'any' ? [] : [o.version === '1.2' ? '-tls1_2' : '-tls1_3']),
      // 'other' is a server certificate from a root the tests do not trust
      ...(key === 'other' ? ['-cert', pkiPath('other-server.crt'), '-key', pkiPath('other-server.key')]
        : ['-cert', pkiPath(`server-${key}.crt`), '-key', pkiPath(`server-${key}.key`), '-cert_chain', pkiPath('intermediate-ca.crt')]),
      ...(o.mode === 'www' ? ['-www'] : o.mode === 'rev' ? ['-rev'] : []), ...(o.args ?? [])];
    const proc: ChildProcessWithoutNullStreams = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    runningServers.add(proc);
    proc.on('exit', () => runningServers.delete(proc));
    let out = '';
    proc.stdout.on('data', (d) => { out += d.toString(); });
    proc.stderr.on('data', (d) => { out += d.toString(); });
    const exited = new Promise<void>((r) => proc.on('exit', () => r()));
    const waitFor = async (pattern: RegExp, ms = 10000) => {
      const end = Date.now() + ms;
      while (!pattern.test(out)) {
        if (Date.now() > end) throw new Error(`s_server output did not match ${pattern} within ${ms} ms:\n${out}`);
        if (proc.exitCode !== null && !pattern.test(out)) throw new Error(`s_server exited (${proc.exitCode}) before ${pattern}:\n${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      await waitFor(/ACCEPT/, 5000);
    } catch (e) {
      proc.kill('SIGKILL');
      if (/Address already in use|bind/i.test(out) && attempt < 4) continue;
      throw e;
    }
    return {
      port, output: () => out, waitFor,
      send: (s) => { proc.stdin.write(s); },
      close: async () => { if (proc.exitCode === null) { proc.kill('SIGTERM'); await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]); if (proc.exitCode === null) proc.kill('SIGKILL'); } },
    };
  }
  throw new Error('could not start openssl s_server');
}
