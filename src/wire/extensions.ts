import { Reader } from '../bytes/reader.js';
import { Writer } from '../bytes/writer.js';
import { TlsError } from '../errors.js';
import { ExtensionType, nameOf } from './constants.js';

/** RFC 8446 §4.2: one extension, its data left encoded for the message codec to read. */
export interface Extension { type: number; data: Uint8Array }

/** Reads an extensions block; duplicates are a malformed block (RFC 8446 §4.2; decode_error, as BoringSSL sends). */
export function decodeExtensions(r: Reader, what: string): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  const list = r.vec16(`${what}.extensions`);
  while (!list.isEmpty()) {
    const type = list.u16('extension_type');
    const data = list.opaque16('extension_data');
    if (out.has(type)) {
      throw new TlsError('decode_error', 'duplicate_extension', `tls: ${what} repeats the ${nameOf(ExtensionType, type)} extension`);
    }
    out.set(type, data);
  }
  return out;
}

export function encodeExtensions(w: Writer, exts: Extension[]): void {
  w.u16Vector((w) => { for (const e of exts) w.u16(e.type).opaque16(e.data); });
}

/**
 * Rejects extensions the peer was not allowed to send in this message
 * (RFC 8446 §4.2: a client MUST abort with unsupported_extension).
 */
export function checkAllowedExtensions(exts: Map<number, Uint8Array>, allowed: ReadonlySet<number>, what: string): void {
  for (const type of exts.keys()) {
    if (!allowed.has(type)) {
      throw new TlsError('unsupported_extension', 'unsolicited_extension', `tls: ${what} carries the ${nameOf(ExtensionType, type)} extension, which the client did not offer or which is not allowed there`);
    }
  }
}

// ---- individual extension bodies (client side encoders, server side decoders) ----

export function encodeServerName(host: string): Uint8Array {
  const w = new Writer();
  // RFC 6066 §3: ServerNameList with one host_name entry (type 0).
  w.u16Vector((w) => { w.u8(0); w.opaque16(new TextEncoder().encode(host)); });
  return w.finish();
}

export function encodeU16List(values: readonly number[]): Uint8Array {
  const w = new Writer();
  w.u16Vector((w) => { for (const v of values) w.u16(v); });
  return w.finish();
}

export function encodeSupportedVersionsClient(versions: readonly number[]): Uint8Array {
  const w = new Writer();
  w.u8Vector((w) => { for (const v of versions) w.u16(v); });
  return w.finish();
}

export function encodeAlpn(protocols: readonly string[]): Uint8Array {
  const w = new Writer();
  w.u16Vector((w) => { for (const p of protocols) w.opaque8(new TextEncoder().encode(p)); });
  return w.finish();
}

/** RFC 7301 §3.1: the server's answer holds exactly one protocol name. */
export function decodeAlpnServer(data: Uint8Array): string {
  const r = new Reader(data, 'application_layer_protocol_negotiation');
  const list = r.vec16('protocol_name_list');
  r.end();
  const name = list.opaque8('protocol_name', 1);
  list.end();
  return new TextDecoder().decode(name);
}

export interface KeyShareEntry { group: number; keyExchange: Uint8Array }

export function encodeKeyShareClient(entries: readonly KeyShareEntry[]): Uint8Array {
  const w = new Writer();
  w.u16Vector((w) => { for (const e of entries) w.u16(e.group).opaque16(e.keyExchange); });
  return w.finish();
}

export function decodeKeyShareServer(data: Uint8Array): KeyShareEntry {
  const r = new Reader(data, 'key_share');
  const group = r.u16('group');
  const keyExchange = r.opaque16('key_exchange', 1);
  r.end();
  return { group, keyExchange };
}

export function encodeKeyShareServer(e: KeyShareEntry): Uint8Array {
  return new Writer().u16(e.group).opaque16(e.keyExchange).finish();
}

/** RFC 8446 §4.2.8: in a HelloRetryRequest, key_share holds only the selected group. */
export function decodeKeyShareHrr(data: Uint8Array): number {
  const r = new Reader(data, 'key_share');
  const group = r.u16('selected_group');
  r.end();
  return group;
}

export function decodeSupportedVersionServer(data: Uint8Array): number {
  const r = new Reader(data, 'supported_versions');
  const v = r.u16('selected_version');
  r.end();
  return v;
}

export function decodeCookie(data: Uint8Array): Uint8Array {
  const r = new Reader(data, 'cookie');
  const c = r.opaque16('cookie', 1);
  r.end();
  return c;
}

export function encodeCookie(cookie: Uint8Array): Uint8Array {
  return new Writer().opaque16(cookie).finish();
}

export function decodeU16List(data: Uint8Array, what: string): number[] {
  const r = new Reader(data, what);
  const list = r.vec16(what);
  r.end();
  const out: number[] = [];
  if (list.remaining % 2 !== 0) throw new TlsError('decode_error', 'odd_length_list', `tls: ${what} list has an odd length`);
  // every u16 list in a TLS extension is <2..2^16-2> (signature_algorithms, supported_groups, …)
  if (list.isEmpty()) throw new TlsError('decode_error', 'empty_list', `tls: ${what} list is empty`);
  while (!list.isEmpty()) out.push(list.u16());
  return out;
}

/** RFC 8446 §4.2.4: certificate_authorities, a list of DER DistinguishedNames. */
export function decodeCertificateAuthorities(data: Uint8Array): Uint8Array[] {
  const r = new Reader(data, 'certificate_authorities');
  const list = r.vec16('authorities');
  r.end();
  const out: Uint8Array[] = [];
  while (!list.isEmpty()) out.push(list.opaque16('DistinguishedName', 1));
  return out;
}
