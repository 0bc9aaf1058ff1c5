import { decodeRecordHeader, RECORD_HEADER_LENGTH, type RecordHeader } from '../wire/record-header.js';

/** One record as it arrived: header fields plus the header bytes (the TLS 1.3 AAD) and the fragment. */
export interface RawRecord extends RecordHeader { header: Uint8Array; fragment: Uint8Array }

/**
 * Splits a byte stream into records. The header is validated (type, version,
 * length ≤ 2^14+256) as soon as its 5 bytes are in, before the body is
 * buffered, so an oversized length cannot make us wait for or allocate it.
 */
export class Deframer {
  private chunks: Uint8Array[] = [];
  private buffered = 0;

  push(data: Uint8Array): void {
    if (data.length === 0) return;
    this.chunks.push(data);
    this.buffered += data.length;
  }

  get bufferedBytes(): number { return this.buffered; }

  /** Whether the buffered bytes begin with `prefix` (false while fewer bytes are buffered). */
  startsWith(prefix: Uint8Array): boolean {
    if (this.buffered < prefix.length) return false;
    const head = this.peek(prefix.length);
    return prefix.every((b, i) => head[i] === b);
  }

  private peek(n: number): Uint8Array {
    if (this.chunks[0]!.length >= n) return this.chunks[0]!.subarray(0, n);
    const out = new Uint8Array(n);
    let o = 0;
    for (const c of this.chunks) { const take = Math.min(c.length, n - o); out.set(c.subarray(0, take), o); o += take; if (o === n) break; }
    return out;
  }

  /** Copies out `n` bytes, placed 3 bytes into a fresh buffer so a record body after the 5-byte header is 4-byte aligned. */
  private take(n: number): Uint8Array {
    const out = new Uint8Array(n + 3).subarray(3);
    out.set(this.peek(n));
    let left = n;
    while (left > 0) {
      const c = this.chunks[0]!;
      if (c.length <= left) { this.chunks.shift(); left -= c.length; } else { this.chunks[0] = c.subarray(left); left = 0; }
    }
    this.buffered -= n;
    return out;
  }

  /** The content type of the next record if it is complete, else undefined (nothing is consumed). */
  nextType(): number | undefined {
    if (this.buffered < RECORD_HEADER_LENGTH) return undefined;
    const head = this.peek(RECORD_HEADER_LENGTH);
    const length = (head[3]! << 8) | head[4]!;
    return this.buffered >= RECORD_HEADER_LENGTH + length ? head[0] : undefined;
  }

  /** The next complete record, or null if more bytes are needed. Throws on a bad header. */
  next(): RawRecord | null {
    if (this.buffered < RECORD_HEADER_LENGTH) return null;
    const h = decodeRecordHeader(this.peek(RECORD_HEADER_LENGTH));
    if (this.buffered < RECORD_HEADER_LENGTH + h.length) return null;
    const bytes = this.take(RECORD_HEADER_LENGTH + h.length);
    return { ...h, header: bytes.subarray(0, RECORD_HEADER_LENGTH), fragment: bytes.subarray(RECORD_HEADER_LENGTH) };
  }
}
