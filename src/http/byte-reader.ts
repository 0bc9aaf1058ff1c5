import { httpError } from './http-error.js';

/** Where an HTTP connection's bytes come from: a TlsConnection, or anything with the same `read()`. */
export interface ByteSource {
  read(): Promise<Uint8Array | null>;
}


/**
 * Buffered reading for the HTTP/1.1 codec: header sections up to a limit,
 * CRLF-terminated lines, and body bytes. One read of the source is in flight
 * at most, so an idle connection can watch for the server's close (`whenReadable`)
 * and the next exchange picks up the same read.
 */
export class ByteReader {
  private buf: Uint8Array = new Uint8Array(0);
  private pending: Promise<void> | undefined;
  private ended = false;

  constructor(private readonly source: ByteSource) {}

  /** Bytes held but not yet consumed. */
  get buffered(): number { return this.buf.length; }

  /** Whether the source has ended (after the buffered bytes). */
  get atEnd(): boolean { return this.ended && this.buf.length === 0; }

  /** Resolves once bytes are buffered or the source has ended (an idle connection's watch). */
  whenReadable(): Promise<void> {
    if (this.buf.length > 0 || this.ended) return Promise.resolve();
    return this.fill();
  }

  private fill(): Promise<void> {
    this.pending ??= this.source.read().then((chunk) => {
      this.pending = undefined;
      if (chunk === null) { this.ended = true; return; }
      if (chunk.length === 0) return;
      if (this.buf.length === 0) { this.buf = chunk; return; }
      const joined = new Uint8Array(this.buf.length + chunk.length);
      joined.set(this.buf); joined.set(chunk, this.buf.length);
      this.buf = joined;
    }, (e: unknown) => { this.pending = undefined; throw e; });
    return this.pending;
  }

  private take(n: number): Uint8Array {
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /**
   * The bytes before the next empty line (CRLF CRLF), consumed with it; null when
   * the source ended before a single byte (a keep-alive connection the server closed).
   * Refuses sections over `limit` bytes before reading further.
   */
  async readHead(limit: number): Promise<Uint8Array | null> {
    let searched = 0;
    for (;;) {
      const end = indexOfCrlfCrlf(this.buf, Math.max(0, searched - 3));
      // RFC 9112 §2.2 lets a recipient accept a bare LF; we refuse it (and a bare CR) as response splitting does with them.
      const scanned = end >= 0 ? end + 4 : this.buf.length;
      for (let i = Math.max(0, searched - 1); i < scanned; i++) {
        const c = this.buf[i];
        if ((c === 0x0a && this.buf[i - 1] !== 0x0d) || (c === 0x0d && i + 1 < this.buf.length && this.buf[i + 1] !== 0x0a)) {
          throw httpError('bare_line_break', 'the response header section holds a bare CR or LF');
        }
      }
      if (end >= 0) {
        if (end > limit) throw httpError('header_too_large', `the response's header section exceeds ${limit} bytes`);
        const head = this.take(end);
        this.take(4);
        return head;
      }
      searched = this.buf.length;
      if (this.buf.length > limit) throw httpError('header_too_large', `the response's header section exceeds ${limit} bytes`);
      if (this.ended) {
        if (this.buf.length === 0) return null;
        throw httpError('truncated_head', 'the server closed the connection in the middle of a response header section');
      }
      await this.fill();
    }
  }

  /** One CRLF-terminated line without its CRLF (chunk sizes, trailers), at most `limit` bytes. */
  async readLine(limit: number, what: string): Promise<Uint8Array> {
    let searched = 0;
    for (;;) {
      const lf = this.buf.indexOf(0x0a, searched);
      if (lf >= 0) {
        if (lf === 0 || this.buf[lf - 1] !== 0x0d) throw httpError('bare_line_break', `${what} ends with a bare LF`);
        if (lf - 1 > limit) throw httpError('line_too_long', `${what} exceeds ${limit} bytes`);
        const line = this.take(lf - 1);
        this.take(2);
        return line;
      }
      searched = this.buf.length;
      if (this.buf.length > limit + 1) throw httpError('line_too_long', `${what} exceeds ${limit} bytes`);
      if (this.ended) throw httpError('truncated_body', `the server closed the connection in the middle of ${what}`);
      await this.fill();
    }
  }

  /** Up to `max` bytes (at least one), or null at the end of the source. */
  async readSome(max: number): Promise<Uint8Array | null> {
    while (this.buf.length === 0) {
      if (this.ended) return null;
      await this.fill();
    }
    return this.take(Math.min(max, this.buf.length)).slice();
  }

  /** Exactly `n` bytes; the end of the source first is `truncated_body`. */
  async readExact(n: number, what: string): Promise<Uint8Array> {
    while (this.buf.length < n) {
      if (this.ended) throw httpError('truncated_body', `the server closed the connection in the middle of ${what}`);
      await this.fill();
    }
    return this.take(n).slice();
  }
}

function indexOfCrlfCrlf(b: Uint8Array, from: number): number {
  for (let i = b.indexOf(0x0d, from); i >= 0 && i + 3 < b.length; i = b.indexOf(0x0d, i + 1)) {
    if (b[i + 1] === 0x0a && b[i + 2] === 0x0d && b[i + 3] === 0x0a) return i;
  }
  return -1;
}
