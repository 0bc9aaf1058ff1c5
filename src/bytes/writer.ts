/**
 * Growable byte writer. Length prefixes are patched in by scope
 * (`w.u16Vector(() => ...)`), so no caller computes a length by hand.
 */
export class Writer {
  private buf: Uint8Array;
  private pos = 0;
  constructor(initial = 256) { this.buf = new Uint8Array(initial); }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  get length(): number { return this.pos; }
  u8(v: number): this { this.ensure(1); this.buf[this.pos++] = v & 0xff; return this; }
  u16(v: number): this { this.ensure(2); this.buf[this.pos++] = (v >>> 8) & 0xff; this.buf[this.pos++] = v & 0xff; return this; }
  u24(v: number): this { this.ensure(3); this.buf[this.pos++] = (v >>> 16) & 0xff; this.buf[this.pos++] = (v >>> 8) & 0xff; this.buf[this.pos++] = v & 0xff; return this; }
  u32(v: number): this { this.ensure(4); this.u16(v >>> 16); this.u16(v & 0xffff); return this; }
  bytes(b: Uint8Array): this { this.ensure(b.length); this.buf.set(b, this.pos); this.pos += b.length; return this; }

  private vector(prefix: 1 | 2 | 3, max: number, body: (w: this) => void): this {
    this.ensure(prefix);
    const at = this.pos;
    this.pos += prefix;
    body(this);
    const len = this.pos - at - prefix;
    if (len > max) throw new RangeError(`vector of ${len} bytes exceeds its ${prefix}-byte length prefix`);
    for (let i = 0; i < prefix; i++) this.buf[at + i] = (len >>> (8 * (prefix - 1 - i))) & 0xff;
    return this;
  }
  u8Vector(body: (w: this) => void): this { return this.vector(1, 0xff, body); }
  u16Vector(body: (w: this) => void): this { return this.vector(2, 0xffff, body); }
  u24Vector(body: (w: this) => void): this { return this.vector(3, 0xffffff, body); }
  opaque8(b: Uint8Array): this { return this.u8Vector((w) => w.bytes(b)); }
  opaque16(b: Uint8Array): this { return this.u16Vector((w) => w.bytes(b)); }
  opaque24(b: Uint8Array): this { return this.u24Vector((w) => w.bytes(b)); }

  finish(): Uint8Array { return this.buf.slice(0, this.pos); }
}

export function write(body: (w: Writer) => void): Uint8Array {
  const w = new Writer();
  body(w);
  return w.finish();
}
