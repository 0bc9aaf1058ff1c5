import { TlsError } from '../errors.js';
import { HandshakeType, nameOf } from './constants.js';

/**
 * RFC 8446 §4: a handshake message with its 4-byte header. `raw` is kept as
 * received, because the transcript hashes the bytes on the wire, never a
 * re-encoding.
 */
export interface HandshakeMessage { type: number; body: Uint8Array; raw: Uint8Array }

/**
 * Default upper bound on one handshake message we are willing to buffer:
 * 256 KiB, as Go allows for Certificate messages, so long legitimate chains
 * (big SAN lists, embedded SCTs, several intermediates) fit. The number of
 * certificates is bounded separately (MAX_CHAIN_CERTIFICATES).
 */
export const DEFAULT_MAX_HANDSHAKE_MESSAGE = 256 * 1024;

export function frameHandshake(type: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out[0] = type;
  out[1] = body.length >>> 16;
  out[2] = (body.length >>> 8) & 0xff;
  out[3] = body.length & 0xff;
  out.set(body, 4);
  return out;
}

/**
 * Reassembles handshake messages from record fragments (a message may span
 * records, and a record may hold several messages).
 */
export class HandshakeAssembler {
  private pending = new Uint8Array(0);

  constructor(private readonly maxMessage = DEFAULT_MAX_HANDSHAKE_MESSAGE) {}

  push(fragment: Uint8Array): void {
    if (this.pending.length === 0) { this.pending = fragment.slice(); return; }
    const next = new Uint8Array(this.pending.length + fragment.length);
    next.set(this.pending);
    next.set(fragment, this.pending.length);
    this.pending = next;
  }

  /** The next complete message, or null if more bytes are needed. */
  next(): HandshakeMessage | null {
    if (this.pending.length < 4) return null;
    const len = (this.pending[1]! << 16) | (this.pending[2]! << 8) | this.pending[3]!;
    // checked from the header, before the body is buffered
    if (len > this.maxMessage) {
      throw new TlsError('decode_error', 'handshake_message_too_long',
        `tls: ${nameOf(HandshakeType, this.pending[0]!)} message of ${len} bytes exceeds the ${this.maxMessage}-byte limit (maxHandshakeMessageSize)`);
    }
    if (this.pending.length < 4 + len) return null;
    const raw = this.pending.slice(0, 4 + len);
    this.pending = this.pending.slice(4 + len);
    return { type: raw[0]!, body: raw.subarray(4), raw };
  }

  /** True when a partial message is buffered (a key change must not happen mid-message, RFC 8446 §5.1). */
  hasPartial(): boolean { return this.pending.length > 0; }
}
