import { httpError, latin1 } from './http-error.js';
import type { ByteReader } from './byte-reader.js';
import type { BodyFraming } from './h1-head.js';


/** Largest piece handed to the body stream at once. */
const PIECE = 64 * 1024;
/** A chunk-size line with its extensions (RFC 9112 §7.1.1); real servers send a few hex digits. */
const MAX_CHUNK_LINE = 4096;

/**
 * Reads one message body as the framing says, piece by piece. `next()` returns
 * null once the body is complete; a body cut short or malformed throws
 * (`http/truncated_body`, `http/bad_chunk`, `http/header_too_large` for trailers).
 */
export class BodyReader {
  private left: number;
  private chunkLeft = 0;
  private done = false;
  private trailerBytes = 0;

  constructor(private readonly reader: ByteReader, private readonly framing: BodyFraming, private readonly maxTrailerSize: number) {
    this.left = framing.kind === 'length' ? framing.length : 0;
    if (framing.kind === 'none' || (framing.kind === 'length' && framing.length === 0)) this.done = true;
  }

  async next(): Promise<Uint8Array | null> {
    if (this.done) return null;
    switch (this.framing.kind) {
      case 'length': {
        const piece = await this.reader.readSome(Math.min(PIECE, this.left));
        if (piece === null) throw httpError('truncated_body', `the server closed the connection ${this.left} bytes before the end of its Content-Length`);
        this.left -= piece.length;
        if (this.left === 0) this.done = true;
        return piece;
      }
      case 'close': {
        const piece = await this.reader.readSome(PIECE);
        if (piece === null) this.done = true;
        return piece;
      }
      case 'chunked': return this.nextChunked();
      default: return null;
    }
  }

  private async nextChunked(): Promise<Uint8Array | null> {
    while (this.chunkLeft === 0) {
      const line = latin1(await this.reader.readLine(MAX_CHUNK_LINE, 'a chunk-size line'));
      // chunk-size [ chunk-ext ]; extensions are ignored but must not hide a second size.
      const m = /^([0-9A-Fa-f]{1,12})[ \t]*(;.*)?$/.exec(line);
      if (!m) throw httpError('bad_chunk', `malformed chunk-size line "${line.slice(0, 40)}"`);
      const size = parseInt(m[1]!, 16);
      if (size === 0) { await this.readTrailers(); this.done = true; return null; }
      this.chunkLeft = size;
    }
    const piece = await this.reader.readSome(Math.min(PIECE, this.chunkLeft));
    if (piece === null) throw httpError('truncated_body', 'the server closed the connection inside a chunk');
    this.chunkLeft -= piece.length;
    if (this.chunkLeft === 0) {
      const crlf = await this.reader.readExact(2, 'the CRLF after a chunk');
      if (crlf[0] !== 0x0d || crlf[1] !== 0x0a) throw httpError('bad_chunk', 'a chunk is longer than its declared size (no CRLF after its data)');
    }
    return piece;
  }

  /** Trailer fields (RFC 9112 §7.1.2) are read, bounded, and dropped. */
  private async readTrailers(): Promise<void> {
    for (;;) {
      const line = await this.reader.readLine(this.maxTrailerSize, 'the trailer section');
      if (line.length === 0) return;
      this.trailerBytes += line.length + 2;
      if (this.trailerBytes > this.maxTrailerSize) throw httpError('header_too_large', `the trailer section exceeds ${this.maxTrailerSize} bytes`);
      if (line[0] === 0x20 || line[0] === 0x09 || line.indexOf(0x3a) <= 0) throw httpError('bad_chunk', 'a malformed trailer line');
    }
  }
}

/** Encodes one chunk of a chunked request body (RFC 9112 §7.1). */
export function encodeChunk(data: Uint8Array): Uint8Array {
  const size = new TextEncoder().encode(`${data.length.toString(16)}\r\n`);
  const out = new Uint8Array(size.length + data.length + 2);
  out.set(size); out.set(data, size.length); out.set([0x0d, 0x0a], size.length + data.length);
  return out;
}

/** The last chunk with an empty trailer section. */
export const LAST_CHUNK = new Uint8Array([0x30, 0x0d, 0x0a, 0x0d, 0x0a]);
