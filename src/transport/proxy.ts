import { dialTcp } from './dial.js';
import { TransportError, type Transport } from './types.js';

/** Options of `proxyTransport`: the proxy, the target, and how to reach the proxy. */
export interface ProxyTransportOptions {
  /** The HTTP proxy: `http://[user:password@]host:port` (credentials become Basic Proxy-Authorization). */
  proxy: string;
  /** Where the tunnel should lead (the TLS server). */
  host: string;
  /** Port of the TLS server behind the proxy. */
  port: number;
  /** Extra request headers for the proxy (e.g. a bearer token). */
  headers?: Record<string, string>;
  /** How long the proxy may take to connect and answer; default 30 s. */
  timeoutMs?: number;
  /** Makes the TCP connection to the proxy (default: the runtime's TCP, as connect() dials). */
  dial?: (host: string, port: number) => Promise<Transport>;
}

/** The proxy's answer head may not grow beyond this (RFC 9110 sets no limit; proxies send a few hundred bytes). */
const MAX_RESPONSE_HEAD = 16 * 1024;

function parseProxyUrl(proxy: string): { host: string; port: number; auth: string | undefined } {
  let u: URL;
  try { u = new URL(proxy); } catch { throw new TransportError('bad_proxy', `proxy "${proxy}" is not a URL (expected http://host:port)`); }
  if (u.protocol !== 'http:') throw new TransportError('bad_proxy', `proxy "${proxy}": only http:// proxies are supported (the CONNECT request travels in the clear; the tunnel carries TLS)`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = u.port ? Number(u.port) : 80;
  const auth = u.username || u.password ? `Basic ${btoa(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`)}` : undefined;
  return { host, port, auth };
}

/**
 * A Transport through an HTTP proxy's CONNECT tunnel (RFC 9110 §9.3.6): dials
 * the proxy, asks it for `host:port`, and on a 2xx answer hands over the raw
 * tunnel, with any bytes that arrived after the answer's head delivered first.
 * Any other answer is a `proxy_refused` TransportError naming the status;
 * `connect({ transport, servername: host })` then runs TLS through it.
 */
export async function proxyTransport(o: ProxyTransportOptions): Promise<Transport> {
  const proxy = parseProxyUrl(o.proxy);
  const target = `${o.host.includes(':') ? `[${o.host}]` : o.host}:${o.port}`;
  const dial = o.dial ?? ((h: string, p: number) => dialTcp(h, p, { timeoutMs: o.timeoutMs ?? 30000 }));
  const inner = await dial(proxy.host, proxy.port);
  const headers: Record<string, string> = { Host: target, ...(proxy.auth ? { 'Proxy-Authorization': proxy.auth } : {}), ...(o.headers ?? {}) };
  for (const [k, v] of Object.entries(headers)) {
    if (/[\r\n:]/.test(k) || /[\r\n]/.test(v)) { await inner.close(); throw new TransportError('bad_proxy', `proxy header "${k}" contains a line break or colon`); }
  }
  const request = `CONNECT ${target} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const answer = (async () => {
      await inner.write(new TextEncoder().encode(request));
      return readResponseHead(inner);
    })();
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new TransportError('proxy_timeout', `the proxy ${proxy.host}:${proxy.port} did not answer CONNECT within ${o.timeoutMs ?? 30000} ms`)), o.timeoutMs ?? 30000); });
    const { status, statusLine, rest } = await Promise.race([answer, timeout]);
    if (status < 200 || status > 299) throw new TransportError('proxy_refused', `the proxy ${proxy.host}:${proxy.port} refused CONNECT ${target}: ${statusLine}`);
    return withPrefix(inner, rest);
  } catch (e) {
    await inner.close().catch(() => undefined);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/** Reads the proxy's status line and headers (up to the blank line); returns what followed them. */
async function readResponseHead(t: Transport): Promise<{ status: number; statusLine: string; rest: Uint8Array }> {
  let buf = new Uint8Array(0);
  for (;;) {
    const end = indexOfBlankLine(buf);
    if (end >= 0) {
      const head = new TextDecoder('latin1').decode(buf.subarray(0, end));
      const statusLine = head.split('\r\n')[0]!;
      const m = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(statusLine);
      if (!m) throw new TransportError('proxy_refused', `the proxy did not answer in HTTP: "${statusLine.slice(0, 80)}"`);
      return { status: Number(m[1]), statusLine, rest: buf.slice(end + 4) };
    }
    if (buf.length > MAX_RESPONSE_HEAD) throw new TransportError('proxy_refused', `the proxy's answer head exceeds ${MAX_RESPONSE_HEAD} bytes`);
    const chunk = await t.read();
    if (chunk === null) throw new TransportError('proxy_refused', 'the proxy closed the connection before answering CONNECT');
    const next = new Uint8Array(buf.length + chunk.length);
    next.set(buf); next.set(chunk, buf.length);
    buf = next;
  }
}

function indexOfBlankLine(b: Uint8Array): number {
  for (let i = 0; i + 3 < b.length; i++) if (b[i] === 13 && b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) return i;
  return -1;
}

/** `inner`, with `prefix` delivered by the first read. */
function withPrefix(inner: Transport, prefix: Uint8Array): Transport {
  let pending: Uint8Array | undefined = prefix.length ? prefix : undefined;
  return {
    read() { if (pending) { const p = pending; pending = undefined; return Promise.resolve(p); } return inner.read(); },
    write: (d) => inner.write(d),
    close: () => inner.close(),
    keepProcessAlive: (keep) => inner.keepProcessAlive?.(keep),
  };
}
