import { Reader } from '../bytes/reader.js';
import { Writer } from '../bytes/writer.js';
import { TlsError } from '../errors.js';
import { HandshakeType } from './constants.js';
import { decodeExtensions, encodeExtensions, type Extension } from './extensions.js';
import { frameHandshake } from './handshake-message.js';

/** RFC 8446 §4.3.1. */
export function decodeEncryptedExtensions(body: Uint8Array): Map<number, Uint8Array> {
  const r = new Reader(body, 'EncryptedExtensions');
  const exts = decodeExtensions(r, 'EncryptedExtensions');
  r.end();
  return exts;
}

export function encodeEncryptedExtensions(exts: Extension[]): Uint8Array {
  const w = new Writer();
  encodeExtensions(w, exts);
  return frameHandshake(HandshakeType.encrypted_extensions, w.finish());
}

/** RFC 8446 §4.4.2. */
export interface CertificateEntry { certData: Uint8Array; extensions: Map<number, Uint8Array> }
export interface Certificate13 { context: Uint8Array; entries: CertificateEntry[] }

/** Upper bound on the number of certificates we accept in one chain. */
/** Certificates accepted in one Certificate message (the message size bounds the bytes; this bounds the parsing). */
export const MAX_CHAIN_CERTIFICATES = 64;

/** RFC 8879 §4: CompressedCertificate. */
export interface CompressedCertificate { algorithm: number; uncompressedLength: number; compressed: Uint8Array }

export function decodeCompressedCertificate(body: Uint8Array): CompressedCertificate {
  const r = new Reader(body, 'CompressedCertificate');
  const algorithm = r.u16('algorithm');
  const uncompressedLength = r.u24('uncompressed_length');
  const compressed = r.opaque24('compressed_certificate_message', 1);
  r.end();
  return { algorithm, uncompressedLength, compressed };
}

export function decodeCertificate13(body: Uint8Array): Certificate13 {
  const r = new Reader(body, 'Certificate');
  const context = r.opaque8('certificate_request_context');
  const list = r.vec24('certificate_list');
  r.end();
  const entries: CertificateEntry[] = [];
  while (!list.isEmpty()) {
    const certData = list.opaque24('cert_data', 1);
    const extensions = decodeExtensions(list, 'CertificateEntry');
    entries.push({ certData, extensions });
    if (entries.length > MAX_CHAIN_CERTIFICATES) {
      throw new TlsError('decode_error', 'chain_too_long', `tls: Certificate message holds more than ${MAX_CHAIN_CERTIFICATES} certificates`);
    }
  }
  return { context, entries };
}

export function encodeCertificate13(context: Uint8Array, certs: Uint8Array[]): Uint8Array {
  const w = new Writer(4096);
  w.opaque8(context);
  w.u24Vector((w) => { for (const c of certs) { w.opaque24(c); w.u16(0); } });
  return frameHandshake(HandshakeType.certificate, w.finish());
}

/** RFC 8446 §4.4.3. */
export interface CertificateVerify { scheme: number; signature: Uint8Array }

export function decodeCertificateVerify(body: Uint8Array): CertificateVerify {
  const r = new Reader(body, 'CertificateVerify');
  const scheme = r.u16('algorithm');
  const signature = r.opaque16('signature', 1);
  r.end();
  return { scheme, signature };
}

export function encodeCertificateVerify(cv: CertificateVerify): Uint8Array {
  return frameHandshake(HandshakeType.certificate_verify, new Writer().u16(cv.scheme).opaque16(cv.signature).finish());
}

/** RFC 8446 §4.4.4: Finished carries verify_data of exactly Hash.length bytes. */
export function decodeFinished(body: Uint8Array, hashLen: number): Uint8Array {
  if (body.length !== hashLen) {
    // RFC 8446 §4.4.4: Finished contents that are not correct are a decrypt_error, whatever is wrong with them
    throw new TlsError('decrypt_error', 'bad_finished_length', `tls: Finished of ${body.length} bytes, expected ${hashLen}`);
  }
  return body;
}

export function encodeFinished(verifyData: Uint8Array): Uint8Array {
  return frameHandshake(HandshakeType.finished, verifyData);
}

/** RFC 8446 §4.6.1. */
export interface NewSessionTicket {
  lifetime: number; ageAdd: number; nonce: Uint8Array; ticket: Uint8Array; extensions: Map<number, Uint8Array>;
}

export function decodeNewSessionTicket(body: Uint8Array): NewSessionTicket {
  const r = new Reader(body, 'NewSessionTicket');
  const lifetime = r.u32('ticket_lifetime');
  const ageAdd = r.u32('ticket_age_add');
  const nonce = r.opaque8('ticket_nonce');
  const ticket = r.opaque16('ticket', 1);
  const extensions = decodeExtensions(r, 'NewSessionTicket');
  r.end();
  // RFC 8446 §4.6.1: lifetime MUST NOT exceed 7 days.
  if (lifetime > 604800) throw new TlsError('illegal_parameter', 'ticket_lifetime_too_long', `tls: NewSessionTicket lifetime ${lifetime}s exceeds 7 days`);
  return { lifetime, ageAdd, nonce, ticket, extensions };
}

/** RFC 8446 §4.6.3. */
export const KeyUpdateRequest = { update_not_requested: 0, update_requested: 1 } as const;

export function decodeKeyUpdate(body: Uint8Array): number {
  const r = new Reader(body, 'KeyUpdate');
  const v = r.u8('request_update');
  r.end();
  if (v !== 0 && v !== 1) throw new TlsError('illegal_parameter', 'bad_key_update', `tls: KeyUpdate request_update ${v} is neither 0 nor 1`);
  return v;
}

export function encodeKeyUpdate(requestUpdate: number): Uint8Array {
  return frameHandshake(HandshakeType.key_update, new Uint8Array([requestUpdate]));
}

/** RFC 8446 §4.3.2. */
export interface CertificateRequest13 { context: Uint8Array; extensions: Map<number, Uint8Array> }

export function decodeCertificateRequest13(body: Uint8Array): CertificateRequest13 {
  const r = new Reader(body, 'CertificateRequest');
  const context = r.opaque8('certificate_request_context');
  const extensions = decodeExtensions(r, 'CertificateRequest');
  r.end();
  // signature_algorithms is mandatory here (RFC 8446 §4.3.2)
  if (!extensions.has(13)) throw new TlsError('missing_extension', 'missing_signature_algorithms', 'tls: CertificateRequest lacks signature_algorithms');
  return { context, extensions };
}
