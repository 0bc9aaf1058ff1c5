import { concat } from '../bytes/index.js';
import { TlsError } from '../errors.js';
import { httpError } from './http-error.js';
import { ByteReader } from './byte-reader.js';
import { BodyReader, encodeChunk, LAST_CHUNK } from './h1-body.js';
import { bodyFraming, encodeRequestHead, keepAliveTimeout, keepsAlive, parseResponseHead, type ResponseHead } from './h1-head.js';
import { StaleConnectionError, type Duplex, type ExchangeRequest, type ExchangeResponse } from './exchange.js';

/** At most this many interim (1xx) responses before the final one. */
const MAX_INTERIM = 16;
/** Request bodies up to this size go out in the same write as the head. */
const COALESCE = 16 * 1024;

/** Fetch sends Content-Length: 0 for these methods without a body. */
const EMPTY_BODY_LENGTH = new Set(['POST', 'PUT', 'PATCH']);

/**
 * An HTTP/1.1 connection (RFC 9112): one exchange at a time; after a
 * response whose body was read to its end, and when both sides allow
 * keep-alive, `onIdle` hands it back to the pool; otherwise it is closed.
 */
export class H1Connection {
  readonly protocol = 'http/1.1';
  readonly multiplexed = false;
  private busy = false;
  /** Called once when the connection closes for good (the pool frees its place). */
  onClosed: (() => void) | undefined;
  private readonly reader: ByteReader;
  /** How many exchanges this connection has carried. */
  uses = 0;
  closed = false;
  /** The server's Keep-Alive timeout from its last response, if it gave one. */
  serverKeepAliveMs: number | undefined;

  constructor(private readonly io: Duplex, private readonly onIdle: (conn: H1Connection) => void) {
    this.reader = new ByteReader(io);
  }

  /** While idle: resolves when the server sends anything or closes (either way the connection is finished). */
  whenIdleBroken(): Promise<void> {
    return this.reader.whenReadable().catch(() => undefined);
  }

  available(): boolean { return !this.busy && !this.closed; }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClosed?.();
    await this.io.close().catch(() => undefined);
  }

  async exchange(req: ExchangeRequest): Promise<ExchangeResponse> {
    if (this.busy || this.closed) throw new Error('internal: an HTTP/1.1 connection carries one exchange at a time');
    this.busy = true;
    this.io.keepProcessAlive?.(true);
    const reused = this.uses++ > 0;
    let head: ResponseHead | undefined;
    const sending = this.send(req).then(() => undefined, (e: unknown) => e);
    try {
      head = await this.readFinalHead(req.maxHeaderSize);
    } catch (e) {
      await this.close();
      await sending;
      if (e instanceof StaleConnectionError && !reused) throw e.cause;
      throw e;
    }
    let framing;
    try { framing = bodyFraming(head, req.method); } catch (e) { void this.close(); throw e; }
    const reusable = keepsAlive(head, framing);
    this.serverKeepAliveMs = keepAliveTimeout(head);
    const finish = async (complete: boolean): Promise<void> => {
      // The request body must have gone out whole before the connection can carry another request.
      const sendError = await sending;
      if (complete && reusable && sendError === undefined && !this.closed) {
        this.busy = false;
        // An idle pooled connection must not keep a finished program running.
        this.io.keepProcessAlive?.(false);
        this.onIdle(this);
      } else await this.close();
    };
    const body = new BodyReader(this.reader, framing, req.maxHeaderSize);
    if (framing.kind === 'none') {
      void finish(true);
      return { status: head.status, statusText: head.statusText, fields: head.fields, body: null };
    }
    let settled = false;
    const settle = (complete: boolean): void => { if (!settled) { settled = true; void finish(complete); } };
    const stream = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        try {
          const piece = await body.next();
          if (piece === null) { settle(true); controller.close(); } else controller.enqueue(piece);
        } catch (e) {
          settle(false);
          controller.error(req.signal?.aborted ? req.signal.reason : new TypeError('fetch failed: the response body could not be read', { cause: e }));
        }
      },
      cancel: () => { settle(false); },
    }, { highWaterMark: 0 });
    return { status: head.status, statusText: head.statusText, fields: head.fields, body: stream };
  }

  private async readFinalHead(limit: number): Promise<ResponseHead> {
    for (let interim = 0; ; interim++) {
      let bytes: Uint8Array | null;
      try {
        bytes = await this.reader.readHead(limit);
      } catch (e) {
        // A connection that the server (or the network) closed before a response byte arrived is stale.
        if (interim === 0 && this.reader.buffered === 0 && e instanceof TlsError && /^(transport|closed)\//.test(e.code)) throw new StaleConnectionError(e);
        throw e;
      }
      if (bytes === null) {
        const closed = httpError('connection_closed', 'the server closed the connection without a response');
        throw interim === 0 ? new StaleConnectionError(closed) : closed;
      }
      const head = parseResponseHead(bytes);
      if (head.status >= 200) return head;
      if (head.status === 101) throw httpError('unexpected_upgrade', 'the server switched protocols (101) although no upgrade was requested');
      if (interim >= MAX_INTERIM) throw httpError('too_many_interim_responses', `the server sent more than ${MAX_INTERIM} interim (1xx) responses`);
    }
  }

  private async send(req: ExchangeRequest): Promise<void> {
    const b = req.body;
    const framing = b === null ? (EMPTY_BODY_LENGTH.has(req.method) ? { length: 0 } : 'none' as const) : b.length === undefined ? 'chunked' as const : { length: b.length };
    const head = encodeRequestHead(req.method, req.url, req.headers, framing);
    if (b === null) { await this.io.write(head); return; }
    const source = b.open();
    if (source instanceof Uint8Array) {
      if (source.length <= COALESCE) { await this.io.write(concat(head, source)); return; }
      await this.io.write(head);
      await this.io.write(source);
      return;
    }
    await this.io.write(head);
    const reader = source.getReader();
    let sent = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!(value instanceof Uint8Array)) throw new TypeError('a request body stream must yield Uint8Array chunks');
        if (value.length === 0) continue;
        sent += value.length;
        if (b.length !== undefined && sent > b.length) throw new TypeError('the request body is longer than its length');
        await this.io.write(b.length === undefined ? encodeChunk(value) : value);
      }
    } catch (e) {
      // A broken upload must not look like a complete one: the connection is dropped.
      void reader.cancel(e).catch(() => undefined);
      await this.close();
      throw e;
    }
    if (b.length !== undefined && sent !== b.length) { await this.close(); throw new TypeError('the request body is shorter than its length'); }
    if (b.length === undefined) await this.io.write(LAST_CHUNK);
  }
}
