import { Reader } from '../bytes/reader.js';
import { Writer } from '../bytes/writer.js';
import { TlsError } from '../errors.js';
import { HandshakeType } from './constants.js';
import { decodeExtensions, encodeExtensions, type Extension } from './extensions.js';
import { frameHandshake } from './handshake-message.js';

/** RFC 8446 §4.1.3: SHA-256("HelloRetryRequest"), the random that marks an HRR. */
export const HRR_RANDOM = new Uint8Array([
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
]);

export interface ServerHello {
  legacyVersion: number;
  random: Uint8Array;
  legacySessionIdEcho: Uint8Array;
  cipherSuite: number;
  compressionMethod: number;
  extensions: Map<number, Uint8Array>;
  isHelloRetryRequest: boolean;
}

export function decodeServerHello(body: Uint8Array): ServerHello {
  const r = new Reader(body, 'ServerHello');
  const legacyVersion = r.u16('legacy_version');
  const random = r.bytes(32, 'random');
  const legacySessionIdEcho = r.opaque8('legacy_session_id_echo');
  if (legacySessionIdEcho.length > 32) throw new TlsError('decode_error', 'bad_session_id', 'tls: ServerHello session id longer than 32 bytes');
  const cipherSuite = r.u16('cipher_suite');
  const compressionMethod = r.u8('legacy_compression_method');
  // RFC 5246 §7.4.1.3: the extensions block may be absent entirely in TLS 1.2.
  const extensions = r.isEmpty() ? new Map<number, Uint8Array>() : decodeExtensions(r, 'ServerHello');
  r.end();
  let isHrr = true;
  for (let i = 0; i < 32; i++) if (random[i] !== HRR_RANDOM[i]) { isHrr = false; break; }
  return { legacyVersion, random, legacySessionIdEcho, cipherSuite, compressionMethod, extensions, isHelloRetryRequest: isHrr };
}

/** Encoder, for test servers and trace replays. */
export function encodeServerHello(sh: { random: Uint8Array; sessionId: Uint8Array; cipherSuite: number; extensions: Extension[]; legacyVersion?: number }): Uint8Array {
  const w = new Writer();
  w.u16(sh.legacyVersion ?? 0x0303).bytes(sh.random).opaque8(sh.sessionId).u16(sh.cipherSuite).u8(0);
  encodeExtensions(w, sh.extensions);
  return frameHandshake(HandshakeType.server_hello, w.finish());
}
