import { TlsError } from '../errors.js';

/**
 * Bounds-checked reader over peer-supplied bytes. Every length-prefixed field
 * is read through `vec8/16/24`, which hands out a sub-reader limited to that
 * field; `end()` rejects trailing bytes. Nothing above this layer indexes raw
 * peer input by hand.
 */
export class Reader {
  private pos = 0;
  constructor(readonly buf: Uint8Array, readonly what = 'message') {}

  get remaining(): number { return this.buf.length - this.pos; }
  get offset(): number { return this.pos; }
  isEmpty(): boolean { return this.pos >= this.buf.length; }

  private need(n: number, field: string): void {
    if (n > this.buf.length - this.pos) {
      throw new TlsError('decode_error', 'truncated', `tls: ${this.what} truncated: ${field} needs ${n} bytes, ${this.buf.length - this.pos} left`);
    }
  }

  u8(field = 'u8'): number { this.need(1, field); return this.buf[this.pos++]!; }
  u16(field = 'u16'): number { this.need(2, field); const b = this.buf, p = this.pos; this.pos += 2; return (b[p]! << 8) | b[p + 1]!; }
  u24(field = 'u24'): number { this.need(3, field); const b = this.buf, p = this.pos; this.pos += 3; return (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!; }
  u32(field = 'u32'): number { this.need(4, field); const b = this.buf, p = this.pos; this.pos += 4; return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0; }

  /** Exactly `n` bytes, as a view (not a copy). */
  bytes(n: number, field = 'bytes'): Uint8Array {
    this.need(n, field);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  rest(): Uint8Array { return this.bytes(this.remaining); }

  /** A sub-reader over the next `n` bytes. */
  sub(n: number, field = 'field'): Reader { return new Reader(this.bytes(n, field), `${this.what}.${field}`); }
  vec8(field = 'vector'): Reader { return this.sub(this.u8(field), field); }
  vec16(field = 'vector'): Reader { return this.sub(this.u16(field), field); }
  vec24(field = 'vector'): Reader { return this.sub(this.u24(field), field); }
  /** Bytes of an opaque vector with a 1/2/3-byte length prefix, with optional bounds. */
  opaque8(field = 'opaque', min = 0): Uint8Array { return this.checkMin(this.vec8(field).rest(), min, field); }
  opaque16(field = 'opaque', min = 0): Uint8Array { return this.checkMin(this.vec16(field).rest(), min, field); }
  opaque24(field = 'opaque', min = 0): Uint8Array { return this.checkMin(this.vec24(field).rest(), min, field); }

  private checkMin(b: Uint8Array, min: number, field: string): Uint8Array {
    if (b.length < min) throw new TlsError('decode_error', 'short_vector', `tls: ${this.what}.${field} has ${b.length} bytes, at least ${min} required`);
    return b;
  }

  /** Rejects trailing bytes. */
  end(): void {
    if (this.pos !== this.buf.length) {
      throw new TlsError('decode_error', 'trailing_bytes', `tls: ${this.what} has ${this.buf.length - this.pos} trailing bytes`);
    }
  }
}
