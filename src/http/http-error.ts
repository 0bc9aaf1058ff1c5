import { TlsError } from '../errors.js';

/** An HTTP-level failure: `http/<reason>`, the message prefixed `http:`. */
export const httpError = (reason: string, message: string): TlsError => new TlsError('http', reason, `http: ${message}`);

/** Bytes as a Latin-1 string (HTTP field sections and HPACK strings are octets). */
export function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode(...b.subarray(i, i + 4096));
  return s;
}
