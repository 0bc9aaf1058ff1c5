import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Agent, fetch as undiciFetch } from 'undici';
import { Client } from '../src/http/index.js';
import { fmt, fmtRatio, interleaved, median, ratios, type Contender } from './timing.js';

const pki = (n: string) => readFileSync(fileURLToPath(new URL(`../vectors/pki/${n}`, import.meta.url)), 'utf8');
const MiB = 1024 * 1024;

/** Starts bench/http-server.ts in its own process. */
async function startServer(): Promise<{ port: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./http-server.ts', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.once('exit', (c) => reject(new Error(`bench http server exited with ${c}`)));
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]!) as { port: number }).port); });
  });
  return { port, stop: () => new Promise<void>((r) => { child.removeAllListeners('exit'); child.once('exit', () => r()); child.kill('SIGTERM'); }) };
}

type Fetch = (url: string) => Promise<Response>;

/** 100 GETs of /small with 10 in flight; every body checked. */
async function hundredSmall(f: Fetch, url: string): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < 100) {
      next++;
      const res = await f(url);
      const body = new Uint8Array(await res.arrayBuffer());
      if (res.status !== 200 || body.length !== 100 || body[0] !== 0x73) throw new Error(`bad small response: ${res.status} ${body.length}`);
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
}

/** Reads a whole body, checking its length and content. */
async function download(f: Fetch, url: string, n: number): Promise<void> {
  const res = await f(url);
  const reader = res.body!.getReader();
  let got = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (value[0] !== 0x61 || value[value.length - 1] !== 0x61) throw new Error('bad download bytes');
    got += value.length;
  }
  if (got !== n) throw new Error(`downloaded ${got} of ${n}`);
}

/**
 * `npm run bench http`: isotls/fetch against undici's fetch (the package Node's
 * own fetch is built from) to the same server in the same run, interleaved:
 * requests/s for 100 small GETs with 10 in flight over HTTP/1.1 keep-alive and
 * over h2, and MiB/s for a 64 MiB download over each. Both clients keep their
 * connections between rounds (a pool's steady state); each response is checked.
 */
export async function benchHttp(): Promise<string[]> {
  const rows: string[] = [];
  const say = (s: string) => { console.log(s); rows.push(s); };
  const server = await startServer();
  const ca = pki('root-ca.crt');
  const base = `https://127.0.0.1:${server.port}`;
  const isoH1 = new Client({ tls: { ca, servername: 'isotls.test' }, http2: false });
  const isoH2 = new Client({ tls: { ca, servername: 'isotls.test' } });
  const undiciH1 = new Agent({ connect: { ca, servername: 'isotls.test' } });
  const undiciH2 = new Agent({ connect: { ca, servername: 'isotls.test' }, allowH2: true });
  const iso = (c: Client): Fetch => (u) => c.fetch(u);
  const und = (a: Agent): Fetch => (u) => undiciFetch(u, { dispatcher: a }) as unknown as Promise<Response>;
  // Check the protocols before timing.
  const probeH2 = await (await isoH2.fetch(`${base}/small`)).arrayBuffer();
  if (probeH2.byteLength !== 100) throw new Error('probe');
  say(`${'scenario'.padEnd(40)} ${'isotls'.padStart(10)} ${'undici'.padStart(10)}  ${'isotls/undici'.padStart(18)}`);
  try {
    for (const [proto, i, u] of [['h1', iso(isoH1), und(undiciH1)], ['h2', iso(isoH2), und(undiciH2)]] as const) {
      const small: Contender[] = [['isotls', () => hundredSmall(i, `${base}/small`)], ['undici', () => hundredSmall(u, `${base}/small`)]];
      const m = await interleaved(small, { rounds: 7, ms: 300, warmup: 2 });
      const rps = (r: number[]) => fmt(median(r) * 100, 0);
      say(`${`http_${proto}_100_small_gets_10_in_flight (req/s)`.padEnd(40)} ${rps(m.get('isotls')!).padStart(10)} ${rps(m.get('undici')!).padStart(10)}  ${fmtRatio(ratios(m.get('isotls')!, m.get('undici')!)).padStart(18)}`);
    }
    const n = 64 * MiB;
    for (const [proto, i, u] of [['h1', iso(isoH1), und(undiciH1)], ['h2', iso(isoH2), und(undiciH2)]] as const) {
      const big: Contender[] = [['isotls', () => download(i, `${base}/bytes?n=${n}`, n)], ['undici', () => download(u, `${base}/bytes?n=${n}`, n)]];
      const m = await interleaved(big, { rounds: 5, ms: 1, warmup: 1 });
      const mib = (r: number[]) => fmt(median(r) * (n / MiB), 1);
      say(`${`http_${proto}_download_64MiB (MiB/s)`.padEnd(40)} ${mib(m.get('isotls')!).padStart(10)} ${mib(m.get('undici')!).padStart(10)}  ${fmtRatio(ratios(m.get('isotls')!, m.get('undici')!)).padStart(18)}`);
    }
  } finally {
    await isoH1.close(); await isoH2.close(); await undiciH1.close(); await undiciH2.close();
    await server.stop();
  }
  return rows;
}
