import { TlsError } from '../../errors.js';

/** Frame types (RFC 9113 §6). */
export const FRAME = { DATA: 0, HEADERS: 1, PRIORITY: 2, RST_STREAM: 3, SETTINGS: 4, PUSH_PROMISE: 5, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8, CONTINUATION: 9 } as const;
/** Frame flags. */
export const FLAG = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const;
/** SETTINGS identifiers (RFC 9113 §6.5.2). */
export const SETTING = { HEADER_TABLE_SIZE: 1, ENABLE_PUSH: 2, MAX_CONCURRENT_STREAMS: 3, INITIAL_WINDOW_SIZE: 4, MAX_FRAME_SIZE: 5, MAX_HEADER_LIST_SIZE: 6 } as const;
/** Error codes (RFC 9113 §7). */
export const H2_ERRORS = ['NO_ERROR', 'PROTOCOL_ERROR', 'INTERNAL_ERROR', 'FLOW_CONTROL_ERROR', 'SETTINGS_TIMEOUT', 'STREAM_CLOSED', 'FRAME_SIZE_ERROR', 'REFUSED_STREAM', 'CANCEL', 'COMPRESSION_ERROR', 'CONNECT_ERROR', 'ENHANCE_YOUR_CALM', 'INADEQUATE_SECURITY', 'HTTP_1_1_REQUIRED'] as const;
export type H2ErrorName = typeof H2_ERRORS[number];
export const errorCode = (name: H2ErrorName): number => H2_ERRORS.indexOf(name);
export const errorName = (code: number): string => H2_ERRORS[code] ?? `error 0x${code.toString(16)}`;

/** The client connection preface (RFC 9113 §3.4). */
export const PREFACE = new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
export const MAX_WINDOW = 2 ** 31 - 1;

/** A connection error (RFC 9113 §5.4.1): the connection ends with GOAWAY carrying `h2code`. */
export class H2ConnectionError extends TlsError {
  constructor(readonly h2code: H2ErrorName, message: string) {
    super('http', `h2_${h2code.toLowerCase()}`, `http: HTTP/2 connection error ${h2code}: ${message}`);
  }
}

export interface Frame { type: number; flags: number; stream: number; payload: Uint8Array }

/** Encodes one frame (RFC 9113 §4.1). */
export function encodeFrame(type: number, flags: number, stream: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(9 + payload.length);
  out[0] = payload.length >>> 16; out[1] = (payload.length >>> 8) & 0xff; out[2] = payload.length & 0xff;
  out[3] = type; out[4] = flags;
  new DataView(out.buffer).setUint32(5, stream & 0x7fffffff);
  out.set(payload, 9);
  return out;
}

export const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at);
export function u32Bytes(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => v.setUint32(i * 4, x));
  return out;
}

/** SETTINGS payload from pairs. */
export function settingsPayload(pairs: [number, number][]): Uint8Array {
  const out = new Uint8Array(pairs.length * 6);
  const v = new DataView(out.buffer);
  pairs.forEach(([id, value], i) => { v.setUint16(i * 6, id); v.setUint32(i * 6 + 2, value); });
  return out;
}

/** The frame header's fields. */
export function parseFrameHeader(h: Uint8Array): { length: number; type: number; flags: number; stream: number } {
  return { length: (h[0]! << 16) | (h[1]! << 8) | h[2]!, type: h[3]!, flags: h[4]!, stream: u32(h, 5) & 0x7fffffff };
}

/** Removes the padding of a PADDED frame (RFC 9113 §6.1, §6.2); `skip` bytes after the pad length (HEADERS' priority fields). */
export function unpad(f: Frame, skip = 0): Uint8Array {
  let p = f.payload;
  if (f.flags & FLAG.PADDED) {
    if (p.length < 1) throw new H2ConnectionError('PROTOCOL_ERROR', 'a padded frame without its pad length');
    const pad = p[0]!;
    if (pad + 1 + skip > p.length) throw new H2ConnectionError('PROTOCOL_ERROR', 'padding longer than the frame');
    p = p.subarray(1, p.length - pad);
  }
  if (skip > p.length) throw new H2ConnectionError('FRAME_SIZE_ERROR', 'a frame too short for its priority fields');
  return p.subarray(skip);
}
