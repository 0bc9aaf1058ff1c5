/**
 * The end-to-end case every runtime runs (bundled by esbuild, the same code
 * in Node, Deno, Bun, workerd and Chromium): TLS 1.3 and TLS 1.2 handshakes
 * with a client certificate, 1 MiB echoed in random chunk sizes, a KeyUpdate
 * (TLS 1.3), close_notify. Uses only web-platform globals.
 */
import { connect, TlsError, type ConnectOptions, type Transport } from '../../src/index.js';

export interface ScenarioConfig {
  host: string;
  port: number;
  ca: string;
  servername: string;
  /** Client identities per version. */
  tls13: { cert: string; key: string };
  tls12: { cert: string; key: string };
  /** Set in the browser: the isotls relay to reach host:port through. */
  relay?: string;
  bytes?: number;
}

export interface VersionReport {
  version: string;
  cipherSuite: string;
  clientCertificateSent: boolean;
  handshakeMs: number;
  echoMs: number;
  echoedBytes: number;
  chunks: number;
  keyUpdates: { sent: number; received: number };
  closeMs: number;
  /** The crypto provider connect() chose in this runtime (info.cryptoProvider). */
  cryptoProvider: string;
}

export interface ScenarioReport { runtime: string; runs: VersionReport[] }

/** Runtime name and version, from whatever global this runtime has. */
export function runtimeName(): string {
  const g = globalThis as any;
  if (g.Deno?.version?.deno) return `deno ${g.Deno.version.deno}`;
  if (g.Bun?.version) return `bun ${g.Bun.version}`;
  if (g.navigator?.userAgent === 'Cloudflare-Workers') return 'workerd';
  if (g.process?.versions?.node) return `node ${g.process.versions.node}`;
  const m = /(HeadlessChrome|Chrome|Chromium)\/([\d.]+)/.exec(g.navigator?.userAgent ?? '');
  return m ? `chromium ${m[2]}` : String(g.navigator?.userAgent ?? 'unknown');
}

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let o = 0; o < n; o += 65536) crypto.getRandomValues(out.subarray(o, Math.min(n, o + 65536)));
  return out;
}

/** Chunk sizes 1..32768 drawn from crypto random bytes, summing to `total`. */
function randomChunks(total: number): number[] {
  const sizes: number[] = [];
  const r = randomBytes(4 * 4096);
  for (let left = total, i = 0; left > 0; i = (i + 1) % 4096) {
    const v = ((r[4 * i]! << 8) | r[4 * i + 1]!) % 32768 + 1;
    const n = Math.min(left, v);
    sizes.push(n);
    left -= n;
  }
  return sizes;
}

function fail(message: string): never {
  throw new Error(`scenario: ${message}`);
}

async function runVersion(cfg: ScenarioConfig, version: 'TLSv1.3' | 'TLSv1.2', transport?: Transport): Promise<VersionReport> {
  const id = version === 'TLSv1.3' ? cfg.tls13 : cfg.tls12;
  const options: ConnectOptions = {
    host: cfg.host, port: cfg.port, servername: cfg.servername, ca: cfg.ca, cert: id.cert, key: id.key,
    minVersion: version, maxVersion: version,
    ...(cfg.relay ? { relay: cfg.relay } : {}), ...(transport ? { transport } : {}),
  };
  const t0 = performance.now();
  const conn = await connect(options);
  const t1 = performance.now();
  if (conn.info.version !== version) fail(`negotiated ${conn.info.version}, wanted ${version}`);
  if (!conn.info.clientCertificateSent) fail('the client certificate was not sent');

  const total = cfg.bytes ?? 1 << 20;
  const data = randomBytes(total);
  const sizes = randomChunks(total);
  const writer = (async () => {
    let o = 0;
    for (const [i, n] of sizes.entries()) {
      await conn.write(data.subarray(o, o + n));
      o += n;
      // A KeyUpdate in the middle of the stream, asking the server to update too (RFC 8446 §4.6.3).
      if (version === 'TLSv1.3' && i === Math.floor(sizes.length / 2)) await conn.updateKeys(true);
    }
  })();
  const received = new Uint8Array(total);
  let got = 0;
  while (got < total) {
    const chunk = await conn.read();
    if (chunk === null) fail(`the server closed after ${got} of ${total} bytes`);
    if (got + chunk.length > total) fail('the server echoed more than was sent');
    received.set(chunk, got);
    got += chunk.length;
  }
  await writer;
  const t2 = performance.now();
  for (let i = 0; i < total; i++) if (received[i] !== data[i]) fail(`echoed byte ${i} differs`);
  if (version === 'TLSv1.3' && (conn.keyUpdates.sent < 1 || conn.keyUpdates.received < 1)) fail(`KeyUpdate not exchanged: ${JSON.stringify(conn.keyUpdates)}`);
  await conn.close();
  const t3 = performance.now();
  return {
    version: conn.info.version, cipherSuite: conn.info.cipherSuite, clientCertificateSent: conn.info.clientCertificateSent,
    handshakeMs: round(t1 - t0), echoMs: round(t2 - t1), echoedBytes: got, chunks: sizes.length,
    keyUpdates: { ...conn.keyUpdates }, closeMs: round(t3 - t2), cryptoProvider: conn.info.cryptoProvider,
  };
}

const round = (x: number) => Math.round(x * 10) / 10;

/** Runs both versions; `dial` (optional) makes the transport, else connect() dials host:port itself. */
export async function runScenario(cfg: ScenarioConfig, dial?: () => Promise<Transport>): Promise<ScenarioReport> {
  const runs: VersionReport[] = [];
  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) runs.push(await runVersion(cfg, version, dial ? await dial() : undefined));
  return { runtime: runtimeName(), runs };
}

/** A failure as plain JSON (the code a TlsError carries, if it is one). */
export function describeError(e: unknown): { code?: string; message: string } {
  if (e instanceof TlsError) return { code: e.code, message: e.message };
  return { message: String((e as Error)?.stack ?? e) };
}
