/**
 * RFC 6455 framing for the relay's server side: decoding masked client
 * frames incrementally and encoding unmasked server frames. No I/O here.
 */

export const Opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface Frame { fin: boolean; opcode: number; payload: Uint8Array }

/** A protocol violation; `code` is the RFC 6455 §7.4.1 close code to send. */
export class FrameError extends Error {
  constructor(readonly code: number, message: string) { super(message); }
}

/**
 * Decodes client frames from a byte stream, one complete frame at a time.
 * Chunks are kept as they came and a frame's bytes are copied out once, when
 * the whole frame is there: linear in the input, however small the chunks
 * (concatenating on every push was quadratic for a frame split into many
 * TCP segments).
 */
export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private buffered = 0;

  constructor(private readonly maxPayload: number) {}

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** The first `n` buffered bytes (n ≤ buffered), copied only when they span chunks. */
  private peek(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length >= n) return first.subarray(0, n);
    const out = new Uint8Array(n);
    let o = 0;
    for (const c of this.chunks) { const take = Math.min(c.length, n - o); out.set(c.subarray(0, take), o); o += take; if (o === n) break; }
    return out;
  }

  /** Removes the first `n` buffered bytes, returning them in one new array. */
  private take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length, n - o);
      out.set(c.subarray(0, k), o);
      o += k;
      if (k === c.length) this.chunks.shift(); else this.chunks[0] = c.subarray(k);
    }
    this.buffered -= n;
    return out;
  }

  /** The next complete frame, or null when more bytes are needed. Throws FrameError on a violation. */
  next(): Frame | null {
    if (this.buffered < 2) return null;
    const h = this.peek(Math.min(this.buffered, 14));
    const fin = (h[0]! & 0x80) !== 0;
    if (h[0]! & 0x70) throw new FrameError(1002, 'reserved bits set');
    const opcode = h[0]! & 0x0f;
    const masked = (h[1]! & 0x80) !== 0;
    if (!masked) throw new FrameError(1002, 'client frames must be masked (RFC 6455 §5.1)');
    let len = h[1]! & 0x7f;
    let off = 2;
    if (len === 126) {
      if (h.length < 4) return null;
      len = (h[2]! << 8) | h[3]!;
      off = 4;
    } else if (len === 127) {
      if (h.length < 10) return null;
      // Anything above 2^32 is over every limit we accept; the high word must be zero.
      if (h[2]! | h[3]! | h[4]! | h[5]!) throw new FrameError(1009, 'frame too large');
      len = ((h[6]! << 24) >>> 0) + (h[7]! << 16) + (h[8]! << 8) + h[9]!;
      off = 10;
    }
    if (opcode >= 0x8) {
      // RFC 6455 §5.5: control frames are unfragmented and carry at most 125 bytes.
      if (!fin || len > 125) throw new FrameError(1002, 'bad control frame');
    } else if (opcode !== Opcode.continuation && opcode !== Opcode.text && opcode !== Opcode.binary) {
      throw new FrameError(1002, `unknown opcode ${opcode}`);
    }
    if (len > this.maxPayload) throw new FrameError(1009, `frame of ${len} bytes exceeds the relay's limit of ${this.maxPayload}`);
    if (this.buffered < off + 4 + len) return null;
    const frame = this.take(off + 4 + len);
    const mask = frame.subarray(off, off + 4);
    const payload = frame.subarray(off + 4);
    for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!;
    return { fin, opcode, payload };
  }
}

/** One unmasked server frame (FIN set). */
export function encodeFrame(opcode: number, payload: Uint8Array): Uint8Array {
  const n = payload.length;
  const head = n < 126 ? 2 : n < 0x10000 ? 4 : 10;
  const out = new Uint8Array(head + n);
  out[0] = 0x80 | opcode;
  if (n < 126) out[1] = n;
  else if (n < 0x10000) { out[1] = 126; out[2] = n >>> 8; out[3] = n & 0xff; }
  else {
    out[1] = 127;
    // Payloads here are far below 2^32: bytes 2..5 stay zero.
    out[6] = n >>> 24; out[7] = (n >>> 16) & 0xff; out[8] = (n >>> 8) & 0xff; out[9] = n & 0xff;
  }
  out.set(payload, head);
  return out;
}

/** A close frame with a status code and a reason cut to fit the 125-byte control frame limit. */
export function encodeClose(code: number, reason: string): Uint8Array {
  let r = new TextEncoder().encode(reason);
  if (r.length > 123) r = r.subarray(0, 123);
  const p = new Uint8Array(2 + r.length);
  p[0] = code >>> 8; p[1] = code & 0xff; p.set(r, 2);
  return encodeFrame(Opcode.close, p);
}
