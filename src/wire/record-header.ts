import { TlsError } from '../errors.js';

/** RFC 8446 §5.1: the 5-byte TLSPlaintext / TLSCiphertext header. */
export const RECORD_HEADER_LENGTH = 5;
/** RFC 8446 §5.1: plaintext fragments are at most 2^14 bytes. */
export const MAX_PLAINTEXT = 16384;
/** RFC 8446 §5.2: TLSCiphertext.length must not exceed 2^14 + 256. */
export const MAX_CIPHERTEXT = 16384 + 256;

export interface RecordHeader { type: number; version: number; length: number }

export function decodeRecordHeader(b: Uint8Array, at = 0): RecordHeader {
  const type = b[at]!;
  const version = (b[at + 1]! << 8) | b[at + 2]!;
  const length = (b[at + 3]! << 8) | b[at + 4]!;
  if (type < 20 || type > 23) {
    throw new TlsError('unexpected_message', 'unknown_record_type', `tls: record of unknown content type ${type}`);
  }
  if ((version >>> 8) !== 0x03) {
    throw new TlsError('decode_error', 'bad_record_version', `tls: record with version 0x${version.toString(16)} is not TLS`);
  }
  if (length > MAX_CIPHERTEXT) {
    throw new TlsError('record_overflow', 'record_too_long', `tls: record of ${length} bytes exceeds the 2^14+256 limit`);
  }
  return { type, version, length };
}

export function encodeRecordHeader(type: number, version: number, length: number, out: Uint8Array, at = 0): void {
  out[at] = type;
  out[at + 1] = version >>> 8;
  out[at + 2] = version & 0xff;
  out[at + 3] = length >>> 8;
  out[at + 4] = length & 0xff;
}
