/**
 * The isotls/fetch case every runtime runs (bundled, the same code in Node,
 * Deno, Bun, workerd and Chromium): mutual TLS to a real server that speaks
 * h2 and HTTP/1.1, a GET, a 300 KB POST checked by SHA-256 on both ends, a
 * gzip response, ten concurrent GETs on one h2 connection, and HTTP/1.1 when
 * h2 is turned off. Uses only web-platform globals.
 */
import { Client } from '../../src/http/index.js';
import { runtimeName } from './scenario.js';

export interface FetchConfig { base: string; servername: string; ca: string; cert: string; key: string; relay?: string }
export interface WhoAmI { proto: string; cn: string | null; remotePort: number }
export interface FetchReport {
  runtime: string;
  get: WhoAmI;
  post: { sent: string; received: string; length: number };
  gzip: { encoding: string | null; text: string };
  concurrent: WhoAmI[];
  http1: WhoAmI;
}

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

export async function runFetchScenario(cfg: FetchConfig): Promise<FetchReport> {
  const tls = { ca: cfg.ca, cert: cfg.cert, key: cfg.key, servername: cfg.servername };
  const client = new Client({ tls, ...(cfg.relay ? { relay: cfg.relay } : {}) });
  const h1 = new Client({ tls, http2: false, ...(cfg.relay ? { relay: cfg.relay } : {}) });
  try {
    const get = await (await client.fetch(`${cfg.base}/whoami`)).json() as WhoAmI;
    const body = new Uint8Array(300_000);
    for (let o = 0; o < body.length; o += 65536) crypto.getRandomValues(body.subarray(o, o + 65536));
    const sent = hex(await crypto.subtle.digest('SHA-256', body));
    const echoed = await (await client.fetch(`${cfg.base}/sha256`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } })).json() as { sha256: string; length: number };
    const gz = await client.fetch(`${cfg.base}/gzip`);
    const gzip = { encoding: gz.headers.get('content-encoding'), text: await gz.text() };
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => client.fetch(`${cfg.base}/whoami`).then((r) => r.json() as Promise<WhoAmI>)));
    const http1 = await (await h1.fetch(`${cfg.base}/whoami`)).json() as WhoAmI;
    return { runtime: runtimeName(), get, post: { sent, received: echoed.sha256, length: echoed.length }, gzip, concurrent, http1 };
  } finally {
    await client.close();
    await h1.close();
  }
}
