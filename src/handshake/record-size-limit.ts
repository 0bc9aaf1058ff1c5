import { TlsError } from '../errors.js';
import type { HandshakeIO } from './io.js';

/**
 * RFC 8449 record_size_limit. The client offers its limit in the ClientHello;
 * a server that answers (TLS 1.3: EncryptedExtensions; TLS 1.2: ServerHello)
 * gives its own. From then on each side sends records the other can take:
 * in TLS 1.3 the limit counts the inner plaintext (content, type byte and
 * padding), in TLS 1.2 the plaintext.
 */
export function applyRecordSizeLimit(io: HandshakeIO, data: Uint8Array, version: 'TLSv1.3' | 'TLSv1.2', ownLimit: number): void {
  if (data.length !== 2) throw new TlsError('decode_error', 'bad_record_size_limit', 'tls: record_size_limit must be a 2-byte value');
  const peer = (data[0]! << 8) | data[1]!;
  // §4: a value below 64 is a fatal illegal_parameter
  if (peer < 64) throw new TlsError('illegal_parameter', 'record_size_limit_too_small', `tls: the server's record_size_limit ${peer} is below 64`);
  const max = version === 'TLSv1.3' ? 16385 : 16384;
  // TLS 1.3: content bytes per record = limit - 1 (the content type byte counts); larger values mean "the protocol maximum"
  const send = version === 'TLSv1.3' ? Math.min(peer, max) - 1 : Math.min(peer, max);
  io.setRecordSizeLimits({ sendContent: send, receiveInner: Math.min(ownLimit, max) });
}
