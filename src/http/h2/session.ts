import { concat } from '../../bytes/index.js';
import { TlsError } from '../../errors.js';
import { ByteReader } from '../byte-reader.js';
import { StaleConnectionError, type Duplex, type ExchangeRequest, type ExchangeResponse } from '../exchange.js';
import { HpackDecoder, HpackEncoder } from './hpack.js';
import { encodeFrame, errorCode, errorName, FLAG, FRAME, H2ConnectionError, MAX_WINDOW, parseFrameHeader, PREFACE, SETTING, settingsPayload, u32, u32Bytes, unpad, type Frame, type H2ErrorName } from './frames.js';

/** Our receive window per stream (SETTINGS_INITIAL_WINDOW_SIZE) and for the connection. */
const STREAM_WINDOW = 4 * 1024 * 1024;
const CONNECTION_WINDOW = 16 * 1024 * 1024;
/** The frame size we accept (the default; we never raise it). */
const MAX_FRAME = 16384;
/** A header block may span at most this many CONTINUATION frames (the 2024 CONTINUATION flood). */
const MAX_CONTINUATIONS = 32;
/** Frames that cost us work but carry no request progress (PING, SETTINGS, empty DATA, PRIORITY, unknown) allowed per second. */
const CONTROL_BUDGET_PER_SECOND = 1000;
/** How long the server's first SETTINGS may take. */
const SETTINGS_WAIT_MS = 30_000;
/** After this many of our own stream resets, the connection takes no new streams (we must not look like a rapid-reset attack). */
const MAX_OWN_RESETS = 200;

/** Names that are meaningful only to HTTP/1.1 and malformed in HTTP/2 (RFC 9113 §8.2.2). */
const CONNECTION_SPECIFIC = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host', 'http2-settings']);
/** Request headers the client owns (framing and routing); never copied from the caller. */
const CLIENT_OWNED = new Set([...CONNECTION_SPECIFIC, 'content-length', 'te', 'trailer', 'expect']);

const streamError = (reason: string, message: string): TlsError => new TlsError('http', reason, `http: HTTP/2 ${message}`);

interface Stream {
  id: number;
  method: string;
  /** Window the server grants us to send on this stream. */
  sendWindow: number;
  /** Bytes the server may still send before we grant more. */
  recvWindow: number;
  /** Bytes the application consumed since we last granted them back. */
  consumed: number;
  head: { resolve: (r: { status: number; fields: [string, string][] }) => void; reject: (e: unknown) => void; done: boolean };
  queue: Uint8Array[];
  ended: boolean;
  error: unknown;
  wake: (() => void) | undefined;
  /** Content-Length of the response, to check against the DATA received. */
  expected: number | undefined;
  received: number;
  /** Whether the final response head has arrived (later HEADERS are trailers). */
  gotHead: boolean;
  /** Whether we have sent END_STREAM. */
  localDone: boolean;
  sendWake: (() => void) | undefined;
}

/**
 * An HTTP/2 connection (RFC 9113) as a client: many streams at once over one
 * TLS connection, HPACK, flow control both ways, SETTINGS, PING, GOAWAY and
 * RST_STREAM. Every peer-driven loop is bounded (header blocks, CONTINUATION
 * frames, control frames per second, decoded header lists).
 */
export class H2Connection {
  readonly protocol = 'h2';
  readonly multiplexed = true;
  closed = false;
  /** Set when the server sent GOAWAY (or we are closing): no new streams. */
  private goingAway = false;
  private lastStreamId = 0;
  private nextId = 1;
  private readonly streams = new Map<number, Stream>();
  private readonly reader: ByteReader;
  private readonly decoder: HpackDecoder;
  private readonly encoder = new HpackEncoder();
  private peerMaxConcurrent = 100;
  private peerInitialWindow = 65535;
  private peerMaxFrame = 16384;
  private connSendWindow = 65535;
  private connRecvWindow = CONNECTION_WINDOW;
  private connConsumed = 0;
  private writing: Promise<void> = Promise.resolve();
  private controlCount = 0;
  private controlSince = 0;
  private ownResets = 0;
  private sendWaiters: (() => void)[] = [];
  /** Called when a stream ends (the pool can hand the free slot to a waiting request) and once when the connection ends. */
  onStreamFreed: (() => void) | undefined;
  onClosed: (() => void) | undefined;
  /** Resolves once the server's first SETTINGS has arrived. */
  readonly ready: Promise<void>;
  private readyResolve!: () => void;
  private readyReject!: (e: unknown) => void;
  private serverSettingsSeen = false;
  private readyTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly io: Duplex, private readonly maxHeaderListSize: number, private readonly now: () => number = () => Date.now()) {
    this.reader = new ByteReader(io);
    this.decoder = new HpackDecoder(4096, maxHeaderListSize);
    this.ready = new Promise((res, rej) => { this.readyResolve = res; this.readyReject = rej; });
    this.ready.catch(() => undefined);
    const settings = settingsPayload([[SETTING.ENABLE_PUSH, 0], [SETTING.INITIAL_WINDOW_SIZE, STREAM_WINDOW], [SETTING.MAX_HEADER_LIST_SIZE, maxHeaderListSize], [SETTING.MAX_CONCURRENT_STREAMS, 0]]);
    // RFC 9113 §3.4: the server's preface is a SETTINGS frame; one that never comes must not hold requests forever.
    this.readyTimer = setTimeout(() => { void this.connectionError(new H2ConnectionError('SETTINGS_TIMEOUT', `the server sent no SETTINGS within ${SETTINGS_WAIT_MS} ms`)); }, SETTINGS_WAIT_MS);
    (this.readyTimer as { unref?: () => void }).unref?.();
    this.send(concat(PREFACE, encodeFrame(FRAME.SETTINGS, 0, 0, settings), encodeFrame(FRAME.WINDOW_UPDATE, 0, 0, u32Bytes(CONNECTION_WINDOW - 65535))));
    void this.readLoop();
  }

  available(): boolean {
    return !this.closed && !this.goingAway && this.streams.size < this.peerMaxConcurrent && this.nextId < 2 ** 31 - 1 && this.ownResets < MAX_OWN_RESETS;
  }

  /** Active streams (for tests and the pool). */
  get activeStreams(): number { return this.streams.size; }

  private send(bytes: Uint8Array): Promise<void> {
    const p = this.writing.then(() => this.io.write(bytes));
    this.writing = p.catch(() => undefined);
    return p;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.goingAway = true;
    await this.send(encodeFrame(FRAME.GOAWAY, 0, 0, u32Bytes(0, 0))).catch(() => undefined);
    this.shutdown(new TlsError('closed', 'client_closed', 'http: the connection was closed by the client'));
  }

  private shutdown(error: unknown): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.readyTimer);
    this.goingAway = true;
    this.readyReject(error);
    for (const s of this.streams.values()) this.failStream(s, error);
    this.streams.clear();
    for (const w of this.sendWaiters.splice(0)) w();
    this.onClosed?.();
    void this.io.close().catch(() => undefined);
  }

  /** Ends the connection for a protocol violation (RFC 9113 §5.4.1). */
  private async connectionError(e: H2ConnectionError): Promise<void> {
    await this.send(encodeFrame(FRAME.GOAWAY, 0, 0, concat(u32Bytes(this.lastStreamId, errorCode(e.h2code)), new TextEncoder().encode(e.message.slice(0, 100))))).catch(() => undefined);
    this.shutdown(e);
  }

  private failStream(s: Stream, error: unknown): void {
    if (!s.head.done) { s.head.done = true; s.head.reject(error); }
    if (s.error === undefined && !s.ended) s.error = error;
    s.wake?.(); s.sendWake?.();
  }

  private finishStream(s: Stream): void {
    if (!this.streams.delete(s.id)) return;
    // With no stream open the connection is idle: it must not keep a finished program running.
    if (this.streams.size === 0) this.io.keepProcessAlive?.(false);
    this.onStreamFreed?.();
    // A connection that takes no new streams (GOAWAY received, too many of our resets) ends with its last stream.
    if (this.streams.size === 0 && !this.closed && (this.goingAway || this.ownResets >= MAX_OWN_RESETS)) void this.close();
  }

  private resetStream(s: Stream, code: H2ErrorName): void {
    this.ownResets++;
    this.finishStream(s);
    void this.send(encodeFrame(FRAME.RST_STREAM, 0, s.id, u32Bytes(errorCode(code)))).catch(() => undefined);
  }

  // ---- reading -------------------------------------------------------------

  private async readLoop(): Promise<void> {
    try {
      for (;;) {
        const frame = await this.readFrame();
        if (frame === null) { this.shutdown(new StaleConnectionError(streamError('connection_closed', 'the server closed the connection'))); return; }
        this.countControl(frame);
        await this.handle(frame);
      }
    } catch (e) {
      if (e instanceof H2ConnectionError) await this.connectionError(e);
      else this.shutdown(e);
    }
  }

  private async readFrame(): Promise<Frame | null> {
    if (this.reader.atEnd) return null;
    await this.reader.whenReadable();
    if (this.reader.atEnd) return null;
    const h = parseFrameHeader(await this.reader.readExact(9, 'an HTTP/2 frame header'));
    if (h.length > MAX_FRAME) throw new H2ConnectionError('FRAME_SIZE_ERROR', `a ${h.length}-byte frame, above our SETTINGS_MAX_FRAME_SIZE ${MAX_FRAME}`);
    const payload = await this.reader.readExact(h.length, 'an HTTP/2 frame');
    return { type: h.type, flags: h.flags, stream: h.stream, payload };
  }

  /** Bounds the frames that cost work without progress (SETTINGS/PING floods, empty DATA, PRIORITY, unknown types). */
  private countControl(f: Frame): void {
    const costly = f.type === FRAME.PING || f.type === FRAME.SETTINGS || f.type === FRAME.PRIORITY || f.type > FRAME.CONTINUATION || (f.type === FRAME.DATA && f.payload.length === 0 && !(f.flags & FLAG.END_STREAM)) || f.type === FRAME.WINDOW_UPDATE;
    if (!costly) return;
    const t = this.now();
    if (t - this.controlSince > 1000) { this.controlSince = t; this.controlCount = 0; }
    if (++this.controlCount > CONTROL_BUDGET_PER_SECOND) throw new H2ConnectionError('ENHANCE_YOUR_CALM', `more than ${CONTROL_BUDGET_PER_SECOND} control frames in a second`);
  }

  private async handle(f: Frame): Promise<void> {
    if (!this.serverSettingsSeen) {
      if (f.type !== FRAME.SETTINGS || (f.flags & FLAG.ACK)) throw new H2ConnectionError('PROTOCOL_ERROR', 'the server preface does not start with SETTINGS');
      this.serverSettingsSeen = true;
      clearTimeout(this.readyTimer);
    }
    switch (f.type) {
      case FRAME.SETTINGS: return this.onSettings(f);
      case FRAME.PING:
        if (f.stream !== 0) throw new H2ConnectionError('PROTOCOL_ERROR', 'PING on a stream');
        if (f.payload.length !== 8) throw new H2ConnectionError('FRAME_SIZE_ERROR', 'PING that is not 8 bytes');
        if (!(f.flags & FLAG.ACK)) void this.send(encodeFrame(FRAME.PING, FLAG.ACK, 0, f.payload)).catch(() => undefined);
        return;
      case FRAME.GOAWAY: return this.onGoaway(f);
      case FRAME.WINDOW_UPDATE: return this.onWindowUpdate(f);
      case FRAME.HEADERS: return this.onHeaders(f);
      case FRAME.DATA: return this.onData(f);
      case FRAME.RST_STREAM: return this.onReset(f);
      case FRAME.PRIORITY:
        if (f.stream === 0) throw new H2ConnectionError('PROTOCOL_ERROR', 'PRIORITY on stream 0');
        if (f.payload.length !== 5) throw new H2ConnectionError('FRAME_SIZE_ERROR', 'PRIORITY that is not 5 bytes');
        return;
      case FRAME.PUSH_PROMISE: throw new H2ConnectionError('PROTOCOL_ERROR', 'PUSH_PROMISE although we disabled server push');
      case FRAME.CONTINUATION: throw new H2ConnectionError('PROTOCOL_ERROR', 'CONTINUATION without a HEADERS frame before it');
      default: return; // RFC 9113 §4.1: unknown frame types are ignored
    }
  }

  private onSettings(f: Frame): void {
    if (f.stream !== 0) throw new H2ConnectionError('PROTOCOL_ERROR', 'SETTINGS on a stream');
    if (f.flags & FLAG.ACK) {
      if (f.payload.length !== 0) throw new H2ConnectionError('FRAME_SIZE_ERROR', 'a SETTINGS acknowledgement with a payload');
      return;
    }
    if (f.payload.length % 6 !== 0) throw new H2ConnectionError('FRAME_SIZE_ERROR', 'SETTINGS whose length is not a multiple of 6');
    const v = new DataView(f.payload.buffer, f.payload.byteOffset, f.payload.byteLength);
    for (let i = 0; i < f.payload.length; i += 6) {
      const id = v.getUint16(i), value = v.getUint32(i + 2);
      switch (id) {
        case SETTING.ENABLE_PUSH: if (value > 1) throw new H2ConnectionError('PROTOCOL_ERROR', 'SETTINGS_ENABLE_PUSH above 1'); break;
        case SETTING.MAX_CONCURRENT_STREAMS: this.peerMaxConcurrent = value; break;
        case SETTING.INITIAL_WINDOW_SIZE: {
          if (value > MAX_WINDOW) throw new H2ConnectionError('FLOW_CONTROL_ERROR', 'SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1');
          const delta = value - this.peerInitialWindow;
          this.peerInitialWindow = value;
          for (const s of this.streams.values()) {
            s.sendWindow += delta;
            if (s.sendWindow > MAX_WINDOW) throw new H2ConnectionError('FLOW_CONTROL_ERROR', 'a stream window above 2^31-1');
            s.sendWake?.();
          }
          break;
        }
        case SETTING.MAX_FRAME_SIZE:
          if (value < 16384 || value > 16777215) throw new H2ConnectionError('PROTOCOL_ERROR', `SETTINGS_MAX_FRAME_SIZE ${value} outside 2^14..2^24-1`);
          this.peerMaxFrame = value;
          break;
        default: break; // HEADER_TABLE_SIZE: our encoder keeps the peer's table empty; MAX_HEADER_LIST_SIZE is advisory; unknown ids are ignored
      }
    }
    void this.send(encodeFrame(FRAME.SETTINGS, FLAG.ACK, 0)).catch(() => undefined);
    this.readyResolve();
  }

  private onGoaway(f: Frame): void {
    if (f.stream !== 0) throw new H2ConnectionError('PROTOCOL_ERROR', 'GOAWAY on a stream');
    if (f.payload.length < 8) throw new H2ConnectionError('FRAME_SIZE_ERROR', 'GOAWAY shorter than 8 bytes');
    const last = u32(f.payload, 0) & 0x7fffffff;
    const code = u32(f.payload, 4);
    this.goingAway = true;
    // Streams above `last` were not processed: they may be retried on a new connection (RFC 9113 §6.8).
    for (const s of [...this.streams.values()]) {
      if (s.id > last) {
        this.finishStream(s);
        this.failStream(s, new StaleConnectionError(streamError('goaway', `the server sent GOAWAY (${errorName(code)}) before processing stream ${s.id}`)));
      }
    }
    this.onStreamFreed?.();
    if (this.streams.size === 0) this.shutdown(new StaleConnectionError(streamError('goaway', `the server sent GOAWAY (${errorName(code)})`)));
  }

  private onWindowUpdate(f: Frame): void {
    if (f.payload.length !== 4) throw new H2ConnectionError('FRAME_SIZE_ERROR', 'WINDOW_UPDATE that is not 4 bytes');
    const inc = u32(f.payload, 0) & 0x7fffffff;
    if (f.stream === 0) {
      if (inc === 0) throw new H2ConnectionError('PROTOCOL_ERROR', 'a connection WINDOW_UPDATE of 0');
      this.connSendWindow += inc;
      if (this.connSendWindow > MAX_WINDOW) throw new H2ConnectionError('FLOW_CONTROL_ERROR', 'the connection send window above 2^31-1');
      for (const w of this.sendWaiters.splice(0)) w();
      return;
    }
    const s = this.streams.get(f.stream);
    if (!s) { this.checkKnownStream(f.stream); return; }
    if (inc === 0) { this.resetStream(s, 'PROTOCOL_ERROR'); this.failStream(s, streamError('h2_stream_error', 'a stream WINDOW_UPDATE of 0')); return; }
    s.sendWindow += inc;
    if (s.sendWindow > MAX_WINDOW) { this.resetStream(s, 'FLOW_CONTROL_ERROR'); this.failStream(s, streamError('h2_stream_error', 'a stream window above 2^31-1')); return; }
    s.sendWake?.();
  }

  /** A frame for a stream we do not have: closed ones are ignored, idle or server-initiated ones are a protocol error. */
  private checkKnownStream(id: number): void {
    if (id % 2 === 0 || id >= this.nextId) throw new H2ConnectionError('PROTOCOL_ERROR', `a frame for stream ${id}, which we never opened`);
  }

  private async onHeaders(first: Frame): Promise<void> {
    if (first.stream === 0) throw new H2ConnectionError('PROTOCOL_ERROR', 'HEADERS on stream 0');
    const pieces = [unpad(first, first.flags & FLAG.PRIORITY ? 5 : 0)];
    let size = pieces[0]!.length;
    let flags = first.flags;
    for (let n = 0; !(flags & FLAG.END_HEADERS); n++) {
      if (n >= MAX_CONTINUATIONS) throw new H2ConnectionError('ENHANCE_YOUR_CALM', `a header block in more than ${MAX_CONTINUATIONS} CONTINUATION frames`);
      const c = await this.readFrame();
      if (c === null) throw new H2ConnectionError('PROTOCOL_ERROR', 'the connection ended inside a header block');
      if (c.type !== FRAME.CONTINUATION || c.stream !== first.stream) throw new H2ConnectionError('PROTOCOL_ERROR', 'a header block interrupted by another frame');
      size += c.payload.length;
      if (size > this.maxHeaderListSize) throw new H2ConnectionError('ENHANCE_YOUR_CALM', `a header block over ${this.maxHeaderListSize} bytes`);
      pieces.push(c.payload);
      flags = c.flags;
    }
    // The block is decoded even for a stream we reset: the HPACK table is shared by the whole connection.
    let fields: [string, string][];
    try {
      fields = this.decoder.decode(concat(...pieces));
    } catch (e) {
      if (e instanceof TlsError && e.code === 'http/header_too_large') {
        const s = this.streams.get(first.stream);
        if (s) { this.resetStream(s, 'PROTOCOL_ERROR'); this.failStream(s, e); }
        return;
      }
      throw new H2ConnectionError('COMPRESSION_ERROR', e instanceof Error ? e.message : String(e));
    }
    const s = this.streams.get(first.stream);
    if (!s) { this.checkKnownStream(first.stream); return; }
    const endStream = (first.flags & FLAG.END_STREAM) !== 0;
    try {
      if (!s.gotHead) {
        const head = responseHead(fields);
        if (head.status < 200) {
          if (endStream) throw streamError('h2_stream_error', 'an interim response that ends the stream');
          return;
        }
        s.gotHead = true;
        const cl = fields.filter(([n]) => n === 'content-length').map(([, v]) => v);
        if (cl.length > 0) {
          if (cl.some((v) => !/^\d{1,15}$/.test(v)) || new Set(cl).size !== 1) throw streamError('bad_content_length', `response Content-Length "${cl.join(', ')}"`);
          s.expected = s.method === 'HEAD' || head.status === 204 || head.status === 304 ? undefined : Number(cl[0]);
        }
        s.head.done = true;
        s.head.resolve(head);
      } else {
        // Trailers: they must end the stream and carry no pseudo-headers.
        if (!endStream) throw streamError('h2_stream_error', 'a second header block that does not end the stream');
        if (fields.some(([n]) => n.startsWith(':'))) throw streamError('h2_stream_error', 'pseudo-header fields in trailers');
      }
    } catch (e) {
      this.resetStream(s, 'PROTOCOL_ERROR');
      this.failStream(s, e);
      return;
    }
    if (endStream) this.endRemote(s);
  }

  private endRemote(s: Stream): void {
    if (s.expected !== undefined && s.received !== s.expected) {
      this.resetStream(s, 'PROTOCOL_ERROR');
      this.failStream(s, streamError('truncated_body', `the response body has ${s.received} bytes, its Content-Length says ${s.expected}`));
      return;
    }
    s.ended = true;
    s.wake?.();
    if (s.localDone) this.finishStream(s);
  }

  private onData(f: Frame): void {
    if (f.stream === 0) throw new H2ConnectionError('PROTOCOL_ERROR', 'DATA on stream 0');
    // Flow control counts the whole frame, padding included (RFC 9113 §6.9.1).
    this.connRecvWindow -= f.payload.length;
    if (this.connRecvWindow < 0) throw new H2ConnectionError('FLOW_CONTROL_ERROR', 'the server sent more than the connection window');
    this.connConsumed += f.payload.length;
    this.grantConnection();
    const s = this.streams.get(f.stream);
    if (!s) { this.checkKnownStream(f.stream); return; }
    if (!s.gotHead) { this.resetStream(s, 'PROTOCOL_ERROR'); this.failStream(s, streamError('h2_stream_error', 'DATA before the response headers')); return; }
    if (s.ended) { this.resetStream(s, 'STREAM_CLOSED'); return; }
    s.recvWindow -= f.payload.length;
    if (s.recvWindow < 0) { this.resetStream(s, 'FLOW_CONTROL_ERROR'); this.failStream(s, streamError('h2_flow_control_error', 'the server sent more than the stream window')); return; }
    const data = unpad(f);
    s.consumed += f.payload.length - data.length; // padding is consumed at once
    if (data.length > 0) {
      s.received += data.length;
      if (s.expected !== undefined && s.received > s.expected) { this.resetStream(s, 'PROTOCOL_ERROR'); this.failStream(s, streamError('bad_content_length', 'the response body is longer than its Content-Length')); return; }
      s.queue.push(data);
      s.wake?.();
    }
    if (f.flags & FLAG.END_STREAM) this.endRemote(s);
  }

  private onReset(f: Frame): void {
    if (f.stream === 0) throw new H2ConnectionError('PROTOCOL_ERROR', 'RST_STREAM on stream 0');
    if (f.payload.length !== 4) throw new H2ConnectionError('FRAME_SIZE_ERROR', 'RST_STREAM that is not 4 bytes');
    const s = this.streams.get(f.stream);
    if (!s) { this.checkKnownStream(f.stream); return; }
    const code = u32(f.payload, 0);
    this.finishStream(s);
    const error = streamError('h2_stream_reset', `stream reset by the server: ${errorName(code)}`);
    // REFUSED_STREAM means the request was not processed (RFC 9113 §8.7): safe to retry.
    this.failStream(s, code === errorCode('REFUSED_STREAM') && !s.gotHead ? new StaleConnectionError(error) : error);
  }

  /** Grants the connection window back in large steps. */
  private grantConnection(): void {
    if (this.connConsumed >= CONNECTION_WINDOW / 2) {
      const n = this.connConsumed;
      this.connConsumed = 0;
      this.connRecvWindow += n;
      void this.send(encodeFrame(FRAME.WINDOW_UPDATE, 0, 0, u32Bytes(n))).catch(() => undefined);
    }
  }

  // ---- a request -------------------------------------------------------------

  async exchange(req: ExchangeRequest): Promise<ExchangeResponse> {
    await this.ready;
    if (!this.available()) throw new StaleConnectionError(streamError('connection_closed', 'the connection takes no new streams'));
    const id = this.nextId;
    this.nextId += 2;
    let resolveHead!: Stream['head']['resolve'], rejectHead!: Stream['head']['reject'];
    const headPromise = new Promise<{ status: number; fields: [string, string][] }>((res, rej) => { resolveHead = res; rejectHead = rej; });
    const s: Stream = {
      id, method: req.method, sendWindow: this.peerInitialWindow, recvWindow: STREAM_WINDOW, consumed: 0,
      head: { resolve: resolveHead, reject: rejectHead, done: false },
      queue: [], ended: false, error: undefined, wake: undefined, expected: undefined, received: 0, gotHead: false, localDone: false, sendWake: undefined,
    };
    this.streams.set(id, s);
    this.io.keepProcessAlive?.(true);
    const body = req.body;
    const fields: [string, string][] = [[':method', req.method], [':scheme', 'https'], [':authority', req.url.host], [':path', `${req.url.pathname}${req.url.search}`]];
    req.headers.forEach((value, name) => { if (!CLIENT_OWNED.has(name)) fields.push([name, value]); });
    const length = body === null ? (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH' ? 0 : undefined) : body.length;
    if (length !== undefined) fields.push(['content-length', String(length)]);
    this.sendHeaders(id, this.encoder.encode(fields), body === null);
    if (body === null) s.localDone = true;
    const sending = body === null ? Promise.resolve() : this.sendBody(s, body.open()).catch((e: unknown) => {
      if (this.streams.has(id)) { this.resetStream(s, 'CANCEL'); this.failStream(s, e); }
    });
    const onAbort = (): void => { if (this.streams.has(id)) this.resetStream(s, 'CANCEL'); this.failStream(s, req.signal!.reason); };
    req.signal?.addEventListener('abort', onAbort, { once: true });
    let head;
    try {
      head = await headPromise;
    } catch (e) {
      req.signal?.removeEventListener('abort', onAbort);
      throw e;
    }
    void sending;
    const stream = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        for (;;) {
          if (s.queue.length > 0) {
            const piece = s.queue.shift()!;
            controller.enqueue(piece);
            this.grantStream(s, piece.length);
            return;
          }
          if (s.error !== undefined) { req.signal?.removeEventListener('abort', onAbort); controller.error(req.signal?.aborted ? req.signal.reason : new TypeError('fetch failed: the response body could not be read', { cause: s.error })); return; }
          if (s.ended) { req.signal?.removeEventListener('abort', onAbort); controller.close(); return; }
          await new Promise<void>((r) => { s.wake = r; });
          s.wake = undefined;
        }
      },
      cancel: () => {
        req.signal?.removeEventListener('abort', onAbort);
        if (this.streams.has(id)) this.resetStream(s, 'CANCEL');
      },
    }, { highWaterMark: 0 });
    return { status: head.status, statusText: '', fields: head.fields, body: stream };
  }

  /** Grants a stream's window back once half of it was consumed by the application. */
  private grantStream(s: Stream, n: number): void {
    s.consumed += n;
    if (s.ended || !this.streams.has(s.id) || s.consumed < STREAM_WINDOW / 2) return;
    const grant = s.consumed;
    s.consumed = 0;
    s.recvWindow += grant;
    void this.send(encodeFrame(FRAME.WINDOW_UPDATE, 0, s.id, u32Bytes(grant))).catch(() => undefined);
  }

  /** HEADERS, and CONTINUATION frames when the block exceeds the server's frame size. */
  private sendHeaders(id: number, block: Uint8Array, endStream: boolean): void {
    const max = this.peerMaxFrame;
    const frames: Uint8Array[] = [];
    for (let off = 0; off === 0 || off < block.length; off += max) {
      const piece = block.subarray(off, off + max);
      const last = off + max >= block.length;
      if (off === 0) frames.push(encodeFrame(FRAME.HEADERS, (last ? FLAG.END_HEADERS : 0) | (endStream ? FLAG.END_STREAM : 0), id, piece));
      else frames.push(encodeFrame(FRAME.CONTINUATION, last ? FLAG.END_HEADERS : 0, id, piece));
    }
    void this.send(concat(...frames)).catch(() => undefined);
  }

  /** DATA frames within both send windows and the server's frame size; END_STREAM at the end. */
  private async sendBody(s: Stream, source: Uint8Array | ReadableStream<Uint8Array>): Promise<void> {
    const sendPiece = async (data: Uint8Array): Promise<void> => {
      for (let off = 0; off < data.length;) {
        while (s.sendWindow <= 0 || this.connSendWindow <= 0) {
          if (s.error !== undefined || this.closed || !this.streams.has(s.id)) throw s.error ?? streamError('connection_closed', 'the stream ended while sending');
          await new Promise<void>((r) => { if (s.sendWindow <= 0) s.sendWake = r; else this.sendWaiters.push(r); });
          s.sendWake = undefined;
        }
        if (s.error !== undefined || !this.streams.has(s.id)) throw s.error ?? streamError('connection_closed', 'the stream ended while sending');
        const n = Math.min(data.length - off, s.sendWindow, this.connSendWindow, this.peerMaxFrame);
        s.sendWindow -= n; this.connSendWindow -= n;
        await this.send(encodeFrame(FRAME.DATA, 0, s.id, data.subarray(off, off + n)));
        off += n;
      }
    };
    if (source instanceof Uint8Array) await sendPiece(source);
    else {
      const reader = source.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (!(value instanceof Uint8Array)) throw new TypeError('a request body stream must yield Uint8Array chunks');
          await sendPiece(value);
        }
      } catch (e) { void reader.cancel(e).catch(() => undefined); throw e; }
    }
    if (!this.streams.has(s.id)) return;
    await this.send(encodeFrame(FRAME.DATA, FLAG.END_STREAM, s.id));
    s.localDone = true;
    if (s.ended) this.finishStream(s);
  }
}

/** Checks a response header list (RFC 9113 §8.3.2, §8.2) and returns its status and regular fields. */
function responseHead(fields: [string, string][]): { status: number; fields: [string, string][] } {
  let status: number | undefined;
  const regular: [string, string][] = [];
  for (const [name, value] of fields) {
    if (name.startsWith(':')) {
      if (name !== ':status' || status !== undefined || regular.length > 0) throw streamError('h2_stream_error', `a malformed response: pseudo-header ${name}`);
      if (!/^\d{3}$/.test(value)) throw streamError('bad_status', `the server answered with status "${value}"`);
      status = Number(value);
      continue;
    }
    if (name !== name.toLowerCase() || name === '' || CONNECTION_SPECIFIC.has(name)) throw streamError('h2_stream_error', `a malformed response: field "${name}"`);
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c === 0 || c === 0x0a || c === 0x0d) throw streamError('bad_header_value', `the value of response header "${name}" holds a NUL, CR or LF`);
    }
    regular.push([name, value]);
  }
  if (status === undefined) throw streamError('h2_stream_error', 'a response without :status');
  return { status, fields: regular };
}
