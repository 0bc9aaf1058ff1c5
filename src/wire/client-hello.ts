import { Reader } from '../bytes/reader.js';
import { Writer } from '../bytes/writer.js';
import { HandshakeType, ProtocolVersion } from './constants.js';
import { decodeExtensions, encodeExtensions, type Extension } from './extensions.js';
import { frameHandshake } from './handshake-message.js';

/** RFC 8446 §4.1.2. */
export interface ClientHello {
  random: Uint8Array;
  legacySessionId: Uint8Array;
  cipherSuites: readonly number[];
  extensions: Extension[];
}

export function encodeClientHello(ch: ClientHello): Uint8Array {
  const w = new Writer(512);
  w.u16(ProtocolVersion.TLSv1_2);
  w.bytes(ch.random);
  w.opaque8(ch.legacySessionId);
  w.u16Vector((w) => { for (const s of ch.cipherSuites) w.u16(s); });
  w.u8Vector((w) => w.u8(0)); // legacy_compression_methods: null only
  encodeExtensions(w, ch.extensions);
  return frameHandshake(HandshakeType.client_hello, w.finish());
}

/** Decoder, for test servers and the debug trace (RFC 8446 §4.1.2). */
export function decodeClientHello(body: Uint8Array): ClientHello & { legacyVersion: number; extensionMap: Map<number, Uint8Array> } {
  const r = new Reader(body, 'ClientHello');
  const legacyVersion = r.u16('legacy_version');
  const random = r.bytes(32, 'random');
  const legacySessionId = r.opaque8('legacy_session_id');
  const suites = r.vec16('cipher_suites');
  const cipherSuites: number[] = [];
  while (!suites.isEmpty()) cipherSuites.push(suites.u16('cipher_suite'));
  r.opaque8('legacy_compression_methods', 1);
  const extensionMap = decodeExtensions(r, 'ClientHello');
  r.end();
  return { legacyVersion, random, legacySessionId, cipherSuites, extensions: [...extensionMap].map(([type, data]) => ({ type, data })), extensionMap };
}
