import { Writer } from '../bytes/writer.js';
import { HandshakeType, ProtocolVersion } from './constants.js';
import { encodeExtensions, type Extension } from './extensions.js';
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
