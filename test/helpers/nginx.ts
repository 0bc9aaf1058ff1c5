import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, waitForTcp } from './ports.js';

/** Debian installs nginx in /usr/sbin, which is not on every PATH. */
export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ?? 'nginx';

export interface Nginx { port: number; dir: string; accessLog(): string; stop(): Promise<void> }

/**
 * Debian's nginx on 127.0.0.1 in the foreground, with its configuration, logs
 * and files in a temporary folder: TLS with `ssl_verify_client on` (client CA
 * given), HTTP/1.1 and HTTP/2 by ALPN, `locations` added to the server block,
 * `files` written under its document root. Resolves once it accepts TCP.
 */
export async function startNginx(o: { cert: string; key: string; clientCa: string; locations: string; files?: Record<string, Uint8Array | string> }): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'isotls-nginx-'));
  const port = await freePort();
  mkdirSync(join(dir, 'www'));
  for (const [name, data] of Object.entries(o.files ?? {})) {
    mkdirSync(dirname(join(dir, 'www', name)), { recursive: true });
    writeFileSync(join(dir, 'www', name), data);
  }
  writeFileSync(join(dir, 'server.pem'), o.cert);
  writeFileSync(join(dir, 'server.key'), o.key);
  writeFileSync(join(dir, 'client-ca.pem'), o.clientCa);
  const root = process.getuid?.() === 0;
  const conf = `
${root ? 'user root;' : ''}
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log ${dir}/access.log combined;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  log_format tls '$request proto=$server_protocol cn=$ssl_client_s_dn verify=$ssl_client_verify conn=$connection';
  server {
    listen 127.0.0.1:${port} ssl http2;
    ssl_certificate ${dir}/server.pem;
    ssl_certificate_key ${dir}/server.key;
    ssl_client_certificate ${dir}/client-ca.pem;
    ssl_verify_client on;
    keepalive_requests 10000;
    access_log ${dir}/tls.log tls;
    root ${dir}/www;
${o.locations}
  }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const test = spawnSync(NGINX, ['-t', '-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
  if (test.status !== 0) throw new Error(`nginx -t failed: ${test.stderr}`);
  const proc = spawn(NGINX, ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  if (!(await waitForTcp(port))) { proc.kill('SIGKILL'); throw new Error(`nginx did not listen on ${port}: ${existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''}`); }
  return {
    port, dir,
    accessLog: () => (existsSync(join(dir, 'tls.log')) ? readFileSync(join(dir, 'tls.log'), 'utf8') : ''),
    stop: async () => { proc.kill('SIGTERM'); await exited; rmSync(dir, { recursive: true, force: true }); },
  };
}
