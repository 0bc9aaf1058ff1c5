import { TlsError } from '../errors.js';

/**
 * A decoded ASN.1 element: the tag, the raw TLV bytes, the content bytes and
 * the children. The decoder is strict DER (X.690 §10): definite, minimal
 * lengths; constructed encodings only for SEQUENCE, SET and tagged types;
 * nothing trailing. It reads the input in place (views, no copies) except the
 * content of primitive elements, and never recurses deeper than MAX_DEPTH.
 */
export interface DerNode {
  tagClass: 'universal' | 'application' | 'context' | 'private';
  tag: number;
  constructed: boolean;
  /** The whole TLV as it appeared in the input (signatures cover these bytes). */
  raw: Uint8Array;
  /** Content octets of a primitive element. */
  content: Uint8Array;
  children: DerNode[];
}

const CLASSES = ['universal', 'application', 'context', 'private'] as const;
/** Nesting far beyond any certificate's (about 10); hostile input cannot exhaust the stack. */
const MAX_DEPTH = 64;

function malformed(what: string): TlsError {
  return new TlsError('bad_certificate', 'malformed_certificate', `tls: malformed ${what}`);
}

/** Decodes the element at `start` of `b` (ending by `end`); returns it and where the next begins. */
function decodeAt(b: Uint8Array, start: number, end: number, depth: number, what: string): { node: DerNode; next: number } {
  if (depth > MAX_DEPTH) throw malformed(`${what}: nested more than ${MAX_DEPTH} levels`);
  let p = start;
  if (p >= end) throw malformed(`${what}: truncated element`);
  const id = b[p++]!;
  const tagClass = CLASSES[id >> 6]!;
  const constructed = (id & 0x20) !== 0;
  let tag = id & 0x1f;
  if (tag === 0x1f) {
    // X.690 §8.1.2.4: high tag number, base 128, no leading 0x80, and only for numbers of 31 and up
    tag = 0;
    if (p < end && b[p] === 0x80) throw malformed(`${what}: tag number not minimally encoded`);
    for (;;) {
      if (p >= end) throw malformed(`${what}: truncated tag`);
      const x = b[p++]!;
      tag = tag * 128 + (x & 0x7f);
      if (tag > 0x1fffff) throw malformed(`${what}: tag number too large`);
      if (!(x & 0x80)) break;
    }
    if (tag < 31) throw malformed(`${what}: tag number not minimally encoded`);
  }
  if (p >= end) throw malformed(`${what}: truncated length`);
  let length = b[p++]!;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0) throw malformed('DER: indefinite length');
    if (n > 4) throw malformed(`${what}: length of ${n} bytes`);
    if (p + n > end) throw malformed(`${what}: truncated length`);
    if (b[p] === 0) throw malformed('DER: length with a leading zero byte');
    length = 0;
    for (let k = 0; k < n; k++) length = length * 256 + b[p++]!;
    if (length < 128) throw malformed('DER: long-form length for a short value');
  }
  const contentStart = p, contentEnd = p + length;
  if (contentEnd > end) throw malformed(`${what}: element of ${length} bytes overruns its container`);
  const raw = b.subarray(start, contentEnd);
  let content: Uint8Array = EMPTY;
  let children: DerNode[] = [];
  if (constructed) {
    // DER: only SEQUENCE, SET and tagged types may be constructed (constructed strings are BER)
    if (tagClass === 'universal' && tag !== 16 && tag !== 17) throw malformed('DER: constructed encoding of a primitive type');
    children = [];
    for (let q = contentStart; q < contentEnd;) {
      const r = decodeAt(b, q, contentEnd, depth + 1, what);
      children.push(r.node);
      q = r.next;
    }
  } else {
    if (tagClass === 'universal' && (tag === 16 || tag === 17)) throw malformed('DER: primitive SEQUENCE or SET');
    content = b.slice(contentStart, contentEnd);
  }
  return { node: { tagClass, tag, constructed, raw, content, children }, next: contentEnd };
}

const EMPTY = new Uint8Array(0);

/** Decodes exactly one element; trailing bytes are an error. The input is copied once, so later changes to it do not reach the tree. */
export function decodeDer(bytes: Uint8Array, what = 'DER'): DerNode {
  const copy = bytes.slice();
  const { node, next } = decodeAt(copy, 0, copy.length, 0, what);
  if (next !== copy.length) throw malformed(`${what}: ${copy.length - next} trailing bytes`);
  return node;
}

// ---- readers for universal types; each checks the tag it expects ----

export const TAG = { BOOLEAN: 1, INTEGER: 2, BIT_STRING: 3, OCTET_STRING: 4, NULL: 5, OID: 6, UTF8String: 12, SEQUENCE: 16, SET: 17, PrintableString: 19, T61String: 20, IA5String: 22, UTCTime: 23, GeneralizedTime: 24, UniversalString: 28, BMPString: 30 } as const;

export function expect(n: DerNode | undefined, tag: number, what: string, tagClass: DerNode['tagClass'] = 'universal'): DerNode {
  if (!n || n.tag !== tag || n.tagClass !== tagClass) throw malformed(`${what}: unexpected element`);
  return n;
}

export function seq(n: DerNode | undefined, what: string): DerNode[] { return expect(n, TAG.SEQUENCE, what).children; }

export function oid(n: DerNode | undefined, what: string): string {
  const c = expect(n, TAG.OID, what).content;
  if (c.length === 0) throw malformed(`${what}: empty OID`);
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < c.length; i++) {
    v = v * 128 + (c[i]! & 0x7f);
    if (!(c[i]! & 0x80)) { parts.push(v); v = 0; }
    else if (v > 2 ** 40) throw malformed(`${what}: OID arc too large`);
  }
  if (c[c.length - 1]! & 0x80) throw malformed(`${what}: truncated OID`);
  const first = parts.shift()!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...parts].join('.');
}

/** An INTEGER's content as unsigned big-endian bytes (leading zero stripped). */
export function integerBytes(n: DerNode | undefined, what: string): Uint8Array {
  const c = expect(n, TAG.INTEGER, what).content;
  if (c.length === 0) throw malformed(`${what}: empty INTEGER`);
  // DER (X.690 §8.3.2): no redundant leading 0x00 or 0xFF octet
  if (c.length > 1 && ((c[0] === 0 && !(c[1]! & 0x80)) || (c[0] === 0xff && c[1]! & 0x80))) throw malformed(`${what}: INTEGER not minimally encoded`);
  return c[0] === 0 && c.length > 1 ? c.subarray(1) : c;
}

export function bitString(n: DerNode | undefined, what: string): Uint8Array {
  const c = expect(n, TAG.BIT_STRING, what).content;
  if (c.length === 0 || c[0] !== 0) throw malformed(`${what}: BIT STRING with unused bits`);
  return c.subarray(1);
}

export function bool(n: DerNode, what: string): boolean {
  const c = expect(n, TAG.BOOLEAN, what).content;
  // DER (X.690 §11.1): TRUE is 0xFF, FALSE is 0x00
  if (c.length !== 1 || (c[0] !== 0 && c[0] !== 0xff)) throw malformed(`${what}: BOOLEAN not in DER form`);
  return c[0] !== 0;
}

export function stringValue(n: DerNode, what: string): string {
  const c = n.content;
  switch (n.tag) {
    case TAG.BMPString: { let s = ''; for (let i = 0; i + 1 < c.length; i += 2) s += String.fromCharCode((c[i]! << 8) | c[i + 1]!); return s; }
    case TAG.UniversalString: { let s = ''; for (let i = 0; i + 3 < c.length; i += 4) s += String.fromCodePoint(((c[i]! << 24) | (c[i + 1]! << 16) | (c[i + 2]! << 8) | c[i + 3]!) >>> 0); return s; }
    case TAG.UTF8String: return new TextDecoder('utf-8', { fatal: false }).decode(c);
    case TAG.PrintableString: case TAG.IA5String: case TAG.T61String: case 26: return String.fromCharCode(...c);
    default: throw malformed(`${what}: not a string type (tag ${n.tag})`);
  }
}

/** UTCTime (RFC 5280 §4.1.2.5.1: YYMMDDHHMMSSZ, 50-99 is 19xx) or GeneralizedTime (YYYYMMDDHHMMSSZ). */
export function time(n: DerNode | undefined, what: string): Date {
  if (!n) throw malformed(what);
  const s = String.fromCharCode(...n.content);
  let m: RegExpExecArray | null;
  let year: number;
  if (n.tag === TAG.UTCTime && (m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s))) {
    const yy = +m[1]!; year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (n.tag === TAG.GeneralizedTime && (m = /^(\d\d\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s))) {
    year = +m[1]!;
  } else {
    throw malformed(`${what}: time "${s}" is not UTCTime or GeneralizedTime in Zulu form`);
  }
  const d = new Date(Date.UTC(year, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  if (Number.isNaN(d.getTime())) throw malformed(`${what}: invalid date "${s}"`);
  return d;
}
