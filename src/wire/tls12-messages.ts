import { Reader } from '../bytes/reader.js';
import { Writer } from '../bytes/writer.js';
import { TlsError } from '../errors.js';
import { HandshakeType } from './constants.js';
import { frameHandshake } from './handshake-message.js';
import { MAX_CHAIN_CERTIFICATES } from './tls13-messages.js';

/** TLS 1.2 Certificate (RFC 5246 §7.4.2): certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>. */
export function decodeCertificate12(body: Uint8Array): Uint8Array[] {
  const r = new Reader(body, 'Certificate');
  const list = r.vec24('certificate_list');
  r.end();
  const out: Uint8Array[] = [];
  while (!list.isEmpty()) {
    out.push(list.opaque24('ASN.1Cert', 1));
    if (out.length > MAX_CHAIN_CERTIFICATES) throw new TlsError('decode_error', 'chain_too_long', `tls: Certificate message holds more than ${MAX_CHAIN_CERTIFICATES} certificates`);
  }
  return out;
}

export function encodeCertificate12(certs: Uint8Array[]): Uint8Array {
  const w = new Writer(4096);
  w.u24Vector((w) => { for (const c of certs) w.opaque24(c); });
  return frameHandshake(HandshakeType.certificate, w.finish());
}

/** ServerKeyExchange (RFC 8422 §5.4 for ECDHE, RFC 5246 §7.4.3 for DHE) with its TLS 1.2 signature. */
export type ServerKeyExchange =
  | { kind: 'ecdhe'; group: number; publicKey: Uint8Array; params: Uint8Array; scheme: number; signature: Uint8Array }
  | { kind: 'dhe'; p: Uint8Array; g: Uint8Array; publicKey: Uint8Array; params: Uint8Array; scheme: number; signature: Uint8Array };

export function decodeServerKeyExchange(body: Uint8Array, kind: 'ecdhe' | 'dhe'): ServerKeyExchange {
  const r = new Reader(body, 'ServerKeyExchange');
  const start = r.offset;
  let result: ServerKeyExchange;
  if (kind === 'ecdhe') {
    const curveType = r.u8('curve_type');
    // RFC 8422 §5.4: only named_curve (3) is allowed
    if (curveType !== 3) throw new TlsError('illegal_parameter', 'unsupported_curve_type', `tls: ServerKeyExchange curve_type ${curveType} is not named_curve`);
    const group = r.u16('namedcurve');
    const publicKey = r.opaque8('public', 1);
    const params = body.subarray(start, r.offset);
    const scheme = r.u16('signature_algorithm');
    const signature = r.opaque16('signature', 1);
    result = { kind, group, publicKey, params, scheme, signature };
  } else {
    const p = r.opaque16('dh_p', 1);
    const g = r.opaque16('dh_g', 1);
    const publicKey = r.opaque16('dh_Ys', 1);
    const params = body.subarray(start, r.offset);
    const scheme = r.u16('signature_algorithm');
    const signature = r.opaque16('signature', 1);
    result = { kind, p, g, publicKey, params, scheme, signature };
  }
  r.end();
  return result;
}

export function encodeServerKeyExchangeEcdhe(group: number, publicKey: Uint8Array, scheme: number, signature: Uint8Array): Uint8Array {
  return frameHandshake(HandshakeType.server_key_exchange, new Writer().u8(3).u16(group).opaque8(publicKey).u16(scheme).opaque16(signature).finish());
}

export function ecdheParams(group: number, publicKey: Uint8Array): Uint8Array {
  return new Writer().u8(3).u16(group).opaque8(publicKey).finish();
}

/** RFC 5246 §7.4.7: ECDHE sends the point in an opaque8, DHE sends Yc in an opaque16. */
export function encodeClientKeyExchange(kind: 'ecdhe' | 'dhe', publicKey: Uint8Array): Uint8Array {
  const w = new Writer();
  if (kind === 'ecdhe') w.opaque8(publicKey); else w.opaque16(publicKey);
  return frameHandshake(HandshakeType.client_key_exchange, w.finish());
}

/** RFC 5246 §7.4.4. */
export interface CertificateRequest12 { certificateTypes: number[]; signatureSchemes: number[]; authorities: Uint8Array[] }

export function decodeCertificateRequest12(body: Uint8Array): CertificateRequest12 {
  const r = new Reader(body, 'CertificateRequest');
  const types = r.vec8('certificate_types');
  const certificateTypes: number[] = [];
  while (!types.isEmpty()) certificateTypes.push(types.u8());
  const algs = r.vec16('supported_signature_algorithms');
  const signatureSchemes: number[] = [];
  // RFC 5246 §7.4.4: supported_signature_algorithms<2..2^16-2>
  if (algs.isEmpty() || algs.remaining % 2 !== 0) throw new TlsError('decode_error', 'bad_signature_algorithms', 'tls: CertificateRequest has an empty or odd-length supported_signature_algorithms');
  while (!algs.isEmpty()) signatureSchemes.push(algs.u16());
  const cas = r.vec16('certificate_authorities');
  const authorities: Uint8Array[] = [];
  while (!cas.isEmpty()) authorities.push(cas.opaque16('DistinguishedName', 1));
  r.end();
  return { certificateTypes, signatureSchemes, authorities };
}

/** RFC 5246 §7.4.5: ServerHelloDone is empty. */
export function decodeServerHelloDone(body: Uint8Array): void {
  if (body.length !== 0) throw new TlsError('decode_error', 'trailing_bytes', `tls: ServerHelloDone has ${body.length} trailing bytes`);
}

/** RFC 5077 §3.3: NewSessionTicket in TLS 1.2. */
export function decodeNewSessionTicket12(body: Uint8Array): { lifetimeHint: number; ticket: Uint8Array } {
  const r = new Reader(body, 'NewSessionTicket');
  const lifetimeHint = r.u32('ticket_lifetime_hint');
  const ticket = r.opaque16('ticket');
  r.end();
  return { lifetimeHint, ticket };
}
