import { connect, proxyTransport, TlsError, TransportError, type ConnectionInfo, type ConnectOptions, type TlsConnection } from '../index.js';
import { acceptEncoding, decodeContent } from './content-decoding.js';
import { StaleConnectionError, type ExchangeResponse } from './exchange.js';
import { H1Connection } from './h1-connection.js';
import { H2Connection } from './h2/session.js';
import { ConnectionPool } from './pool.js';
import { followRedirect, isRedirect, type RedirectState } from './redirect.js';
import { extractBody, type RequestBody } from './request-body.js';
import { tlsKey } from './tls-key.js';

/** Every connect() option except where to connect: trust, client certificates, versions, suites, crypto, … */
export type FetchTlsOptions = Omit<ConnectOptions, 'host' | 'port' | 'transport' | 'relay'>;

/** `fetch()`'s init plus the TLS options of this request. */
export interface FetchInit extends RequestInit {
  /** TLS options for this request; they replace the Client's own field by field. */
  tls?: FetchTlsOptions;
}

/** Options of a `Client`. */
export interface ClientOptions {
  /** TLS options of every request (a request's `tls` overrides them field by field). */
  tls?: FetchTlsOptions;
  /** `'auto'` (default): offer h2 and http/1.1 by ALPN and speak what the server picks; `false`: HTTP/1.1 only. */
  http2?: 'auto' | false;
  /** Connections per origin (and TLS identity) at most; default 6. */
  maxConnectionsPerOrigin?: number;
  /** How long an idle connection is kept; default 30 s (less when the server's Keep-Alive says so). */
  keepAliveMs?: number;
  /** An HTTP CONNECT proxy, `http://[user:password@]host:port`. */
  proxy?: string;
  /** A WebSocket relay (`isotls/relay`) for runtimes without TCP (browsers). */
  relay?: string;
  /** Largest response header section (and trailer section) accepted; default 64 KiB. */
  maxHeaderSize?: number;
  /** How long the response head may take once the request is sent; default 300 s (as undici). `http/headers_timeout`. */
  headersTimeoutMs?: number;
  /** How long the response body may go without a byte; default 300 s. `http/body_timeout`. */
  bodyTimeoutMs?: number;
  /** Called with what each new TLS connection negotiated (version, suite, ALPN, the server's chain, …). */
  onConnect?: (info: ConnectionInfo, origin: string) => void;
}

/** Statuses whose responses have no body (Fetch standard "null body status"). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH']);

/** A platform-like network error: `TypeError('fetch failed')` whose `cause` is the TlsError. */
function networkError(cause: unknown): TypeError {
  if (cause instanceof TypeError && cause.message.startsWith('fetch failed')) return cause;
  return new TypeError('fetch failed', { cause });
}

/** A connection the pool holds: HTTP/1.1 (one exchange at a time) or HTTP/2 (shared). */
type Conn = H1Connection | H2Connection;

/**
 * An HTTPS client with a keep-alive connection pool: `fetch()` as the platform
 * has it, over isotls, so a request can carry a client certificate and trust a
 * private CA in any runtime.
 */
export class Client {
  private readonly pool: ConnectionPool<Conn>;
  private readonly options: ClientOptions;
  /** TLS option sets seen, by canonical key, numbered so pool keys and stats hold no key material. */
  private readonly identities = new Map<string, number>();
  private nextIdentity = 1;

  /** A client with its own pool; nothing is dialled until the first request. */
  constructor(options: ClientOptions = {}) {
    this.options = options;
    const max = options.maxConnectionsPerOrigin ?? 6;
    // Bad options are config errors, like connect()'s: a NaN timeout would fire at once, a zero limit would hang.
    const bad = (name: string, what: string) => new TlsError('config', 'invalid_option', `tls: Client option ${name} must be ${what}`);
    if (!Number.isInteger(max) || max < 1) throw bad('maxConnectionsPerOrigin', 'a positive integer');
    for (const name of ['keepAliveMs', 'headersTimeoutMs', 'bodyTimeoutMs', 'maxHeaderSize'] as const) {
      const v = options[name];
      if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)) throw bad(name, 'a positive number');
    }
    if (options.http2 !== undefined && options.http2 !== 'auto' && options.http2 !== false) throw bad('http2', "'auto' or false");
    this.pool = new ConnectionPool<Conn>(max);
  }

  /** Open and idle connections per pool key (origin and TLS identity). */
  connectionStats(): { key: string; open: number; idle: number }[] { return this.pool.stats(); }

  /** Closes every connection; later requests are refused. */
  close(): Promise<void> { return this.pool.close(); }

  /** `fetch()` over this client's pool. */
  async fetch(input: string | URL | Request, init: FetchInit = {}): Promise<Response> {
    const req = await this.prepare(input, init);
    req.signal?.throwIfAborted();
    const state: RedirectState = { url: req.url, method: req.method, headers: req.headers, body: req.body, tls: req.tls, count: 0 };
    for (;;) {
      if (state.url.protocol !== 'https:') throw networkError(new TlsError('http', 'unsupported_scheme', `http: isotls/fetch speaks https only, not ${state.url.protocol} (${state.url.href})`));
      const res = await this.send(state, req.signal);
      const location = isRedirect(res.status) ? res.headers.get('location') : null;
      if (location === null || req.redirect === 'manual') return finish(res, state.url, state.count > 0);
      if (req.redirect === 'error') { await res.body?.cancel(); throw networkError(new TlsError('http', 'redirect_refused', `http: the server redirected (${res.status}) and redirect is "error"`)); }
      await drain(res);
      followRedirect(state, res.status, location);
    }
  }

  private async prepare(input: string | URL | Request, init: FetchInit) {
    const request = typeof Request !== 'undefined' && input instanceof Request ? input : undefined;
    let url: URL;
    try { url = new URL(request ? request.url : String(input)); } catch { throw new TypeError(`fetch: invalid URL ${String(input).slice(0, 100)}`); }
    if (url.username || url.password) throw new TypeError('fetch: a URL with credentials is not allowed (use an Authorization header)');
    let method = (init.method ?? request?.method ?? 'GET');
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(method)) throw new TypeError(`fetch: "${method}" is not a valid method`);
    if (NORMALIZED_METHODS.has(method.toUpperCase())) method = method.toUpperCase();
    if (FORBIDDEN_METHODS.has(method.toUpperCase())) throw new TypeError(`fetch: method ${method} is forbidden`);
    const headers = new Headers(init.headers ?? request?.headers);
    const rawBody = init.body !== undefined ? init.body : request?.body ? new Uint8Array(await request.clone().arrayBuffer()) : null;
    if (rawBody !== null && (method === 'GET' || method === 'HEAD')) throw new TypeError(`fetch: a ${method} request cannot have a body`);
    const body = await extractBody(rawBody);
    if (body?.contentType && !headers.has('content-type')) headers.set('content-type', body.contentType);
    if (!headers.has('accept')) headers.set('accept', '*/*');
    const encodings = acceptEncoding();
    if (encodings && !headers.has('accept-encoding')) headers.set('accept-encoding', encodings);
    if (!headers.has('user-agent')) headers.set('user-agent', 'isotls');
    const tls: FetchTlsOptions = { ...this.options.tls, ...init.tls };
    const signal = init.signal ?? request?.signal ?? undefined;
    const redirect = init.redirect ?? request?.redirect ?? 'follow';
    return { url, method, headers, body, tls, signal, redirect };
  }

  /** One request and its response head, on a pooled connection; a stale kept-alive connection is retried once on a fresh one. */
  private async send(state: RedirectState, signal: AbortSignal | undefined): Promise<Response> {
    const host = state.url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = state.url.port ? Number(state.url.port) : 443;
    const key = `${state.url.origin} tls#${this.identityOf(state.tls)}`;
    for (let attempt = 0; ; attempt++) {
      let conn: Conn;
      let fresh: boolean;
      try {
        ({ conn, fresh } = await this.pool.acquire(key, () => this.dial(key, state.url.origin, host, port, state.tls, signal), signal));
      } catch (e) {
        if (signal?.aborted) throw signal.reason;
        throw networkError(e);
      }
      // One signal for this exchange: the caller's, or our own timeouts. An aborted HTTP/1.1 exchange takes its
      // connection with it; on HTTP/2 only the stream is reset (by the session).
      const guard = new AbortController();
      const forward = (): void => guard.abort(signal!.reason);
      signal?.addEventListener('abort', forward, { once: true });
      const onAbort = (): void => { if (!conn.multiplexed) void this.pool.discard(key, conn); };
      guard.signal.addEventListener('abort', onAbort, { once: true });
      const release = (): void => { signal?.removeEventListener('abort', forward); guard.signal.removeEventListener('abort', onAbort); };
      const headersMs = this.options.headersTimeoutMs ?? 300_000;
      const headersTimer = setTimeout(() => guard.abort(new TlsError('http', 'headers_timeout', `http: no response head within ${headersMs} ms`)), headersMs);
      let res: ExchangeResponse;
      try {
        res = await conn.exchange({ method: state.method, url: state.url, headers: state.headers, body: state.body, maxHeaderSize: this.options.maxHeaderSize ?? 64 * 1024, signal: guard.signal });
      } catch (e) {
        release();
        if (!conn.multiplexed) void this.pool.discard(key, conn);
        if (guard.signal.aborted) throw abortError(guard.signal.reason);
        // A kept-alive connection found closed, or an HTTP/2 stream refused or cut by GOAWAY before processing: retry on another.
        if (e instanceof StaleConnectionError && (!fresh || conn.multiplexed) && attempt < 2 && (state.body === null || state.body.replayable)) continue;
        throw networkError(e instanceof StaleConnectionError ? e.cause : e);
      } finally {
        clearTimeout(headersTimer);
      }
      const body = res.body === null ? null : untilDone(res.body, release, guard, this.options.bodyTimeoutMs ?? 300_000);
      if (body === null) release();
      return toResponse(res, body, state.method);
    }
  }

  /** The number of a TLS option set; numbers are never reused, so an evicted entry can only cost a reuse. */
  private identityOf(tls: FetchTlsOptions): number {
    const k = tlsKey(tls);
    let id = this.identities.get(k);
    if (id === undefined) {
      id = this.nextIdentity++;
      if (this.identities.size >= 256) this.identities.delete(this.identities.keys().next().value!);
      this.identities.set(k, id);
    }
    return id;
  }

  private async dial(key: string, origin: string, host: string, port: number, tls: FetchTlsOptions, signal: AbortSignal | undefined): Promise<Conn> {
    let transport;
    try {
      transport = this.options.proxy ? await proxyTransport({ proxy: this.options.proxy, host, port }) : undefined;
    } catch (e) {
      // The proxy's TransportError becomes the TlsError every other network failure is.
      throw e instanceof TransportError ? new TlsError('transport', e.reason, `tls: ${e.message}`, { cause: e }) : e;
    }
    const session = this.pool.session(key) as ConnectOptions['session'];
    const tlsConn: TlsConnection = await connect({
      ...tls,
      host, port, transport, relay: this.options.relay,
      ALPNProtocols: this.options.http2 === false ? ['http/1.1'] : ['h2', 'http/1.1'],
      ...(session !== undefined && tls.session === undefined ? { session } : {}),
      ...(signal !== undefined && tls.signal === undefined ? { signal } : {}),
    });
    this.options.onConnect?.(tlsConn.info, origin);
    const maxHeaderSize = this.options.maxHeaderSize ?? 64 * 1024;
    if (tlsConn.info.alpnProtocol === 'h2') {
      const h2 = new H2Connection(tlsConn, maxHeaderSize);
      h2.onStreamFreed = () => { this.pool.remember(key, tlsConn.session); this.pool.notify(key); };
      h2.onClosed = () => { void this.pool.discard(key, h2); };
      return h2;
    }
    const conn = new H1Connection(tlsConn, (c) => {
      this.pool.remember(key, tlsConn.session);
      this.pool.release(key, c, Math.min(this.options.keepAliveMs ?? 30000, Math.max(1000, (c.serverKeepAliveMs ?? Infinity) - 1000)), c.whenIdleBroken());
    });
    conn.onClosed = () => { void this.pool.discard(key, conn); };
    return conn;
  }
}

/** The caller's abort reason as it is; our own timeouts as the network errors they are. */
function abortError(reason: unknown): unknown {
  return reason instanceof TlsError ? networkError(reason) : reason;
}

/**
 * The body as the caller reads it: `done` runs once it has been read to its end, failed, or was cancelled;
 * a read that waits longer than `idleMs` aborts the exchange (`http/body_timeout`).
 */
function untilDone(body: ReadableStream<Uint8Array>, done: () => void, guard: AbortController, idleMs: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      const timer = setTimeout(() => guard.abort(new TlsError('http', 'body_timeout', `http: the response body sent nothing for ${idleMs} ms`)), idleMs);
      try {
        const { done: end, value } = await reader.read();
        if (end) { done(); controller.close(); } else controller.enqueue(value);
      } catch (e) {
        done();
        controller.error(guard.signal.aborted ? abortError(guard.signal.reason) : e);
      } finally {
        clearTimeout(timer);
      }
    },
    cancel: async (reason) => { done(); await reader.cancel(reason); },
  }, { highWaterMark: 0 });
}

function toResponse(res: ExchangeResponse, body: ReadableStream<Uint8Array> | null, method: string): Response {
  if (res.status < 200 || res.status > 599) {
    void body?.cancel();
    throw networkError(new TlsError('http', 'bad_status', `http: the server answered with status ${res.status}`));
  }
  const headers = new Headers();
  for (const [name, value] of res.fields) headers.append(name, value);
  let content = body;
  if (content !== null && (NULL_BODY.has(res.status) || method === 'HEAD')) { void content.cancel(); content = null; }
  if (content !== null) content = decodeContent(content, headers.get('content-encoding'));
  return new Response(content, { status: res.status, statusText: res.statusText, headers });
}

function finish(res: Response, url: URL, redirected: boolean): Response {
  Object.defineProperty(res, 'url', { value: url.href });
  Object.defineProperty(res, 'redirected', { value: redirected });
  return res;
}

/** Reads a redirect's body (up to 64 KiB) so its connection can be reused; a longer one is cancelled. */
async function drain(res: Response): Promise<void> {
  if (!res.body) return;
  const reader = res.body.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.length;
      if (total > 64 * 1024) { await reader.cancel(); return; }
    }
  } catch { /* the connection is discarded; the redirect is followed on another */ }
}

let defaultClient: Client | undefined;

/** `fetch()` with the module's default `Client` (6 connections per origin, 30 s keep-alive). */
export function fetch(input: string | URL | Request, init?: FetchInit): Promise<Response> {
  defaultClient ??= new Client();
  return defaultClient.fetch(input, init);
}
