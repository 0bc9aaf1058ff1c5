import { httpError, latin1 } from './http-error.js';

/** A parsed HTTP/1.x response head (RFC 9112 §4, §5). */
export interface ResponseHead {
  /** 1 for HTTP/1.1, 0 for HTTP/1.0. */
  minorVersion: number;
  status: number;
  statusText: string;
  /** Field lines in order, names lower-cased, values with surrounding whitespace removed. */
  fields: [string, string][];
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Field values may hold VCHAR, obs-text, SP and HTAB (RFC 9110 §5.5); NUL, CR, LF and other controls are refused. */
function checkValue(name: string, value: string): void {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) throw httpError('bad_header_value', `the value of response header "${name}" holds control character 0x${c.toString(16).padStart(2, '0')}`);
  }
}

/** Parses the bytes of a response's status line and field lines (the CRLF CRLF already removed). */
export function parseResponseHead(bytes: Uint8Array): ResponseHead {
  const lines = latin1(bytes).split('\r\n');
  const m = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/.exec(lines[0]!);
  if (!m) throw httpError('bad_status_line', `the server's status line is not HTTP/1.x: "${lines[0]!.slice(0, 60)}"`);
  const statusText = m[3] ?? '';
  checkValue('reason phrase', statusText);
  const fields: [string, string][] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    // RFC 9112 §5.2: obs-fold is not for responses we can trust; refuse rather than unfold.
    if (line.startsWith(' ') || line.startsWith('\t')) throw httpError('obs_fold', 'the response folds a header line (obs-fold, RFC 9112 §5.2)');
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    // RFC 9112 §5.1: no whitespace between the field name and the colon.
    if (!TOKEN.test(name)) throw httpError('bad_header', `the response has a malformed header line: "${line.slice(0, 60)}"`);
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    checkValue(name, value);
    fields.push([name.toLowerCase(), value]);
  }
  return { minorVersion: Number(m[1]), status: Number(m[2]), statusText, fields };
}

/** How the response body is delimited (RFC 9112 §6.3). */
export type BodyFraming = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' };

/** All values of a field, comma lists split (RFC 9110 §5.3). */
export function fieldValues(head: ResponseHead, name: string): string[] {
  return head.fields.filter(([n]) => n === name).flatMap(([, v]) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/**
 * RFC 9112 §6.3, with what request smuggling relies on refused: both
 * Content-Length and Transfer-Encoding, a Transfer-Encoding other than
 * chunked, and Content-Length values that disagree or are not decimal.
 */
export function bodyFraming(head: ResponseHead, method: string): BodyFraming {
  if (method === 'HEAD' || head.status === 204 || head.status === 304 || (head.status >= 100 && head.status < 200)) return { kind: 'none' };
  const te = head.fields.some(([n]) => n === 'transfer-encoding');
  const cl = head.fields.some(([n]) => n === 'content-length');
  if (te && cl) throw httpError('content_length_and_transfer_encoding', 'the response has both Content-Length and Transfer-Encoding (RFC 9112 §6.3: a smuggling attempt or a broken intermediary)');
  if (te) {
    const codings = fieldValues(head, 'transfer-encoding').map((c) => c.toLowerCase());
    if (codings.length !== 1 || codings[0] !== 'chunked') throw httpError('unsupported_transfer_encoding', `the response's Transfer-Encoding "${codings.join(', ')}" is not plain chunked`);
    return { kind: 'chunked' };
  }
  if (cl) {
    const values = fieldValues(head, 'content-length');
    if (values.length === 0 || values.some((v) => !/^\d{1,15}$/.test(v)) || new Set(values.map(Number)).size !== 1) {
      throw httpError('bad_content_length', `the response's Content-Length "${values.join(', ')}" is not one decimal length`);
    }
    return { kind: 'length', length: Number(values[0]) };
  }
  return { kind: 'close' };
}

/** Whether the connection may carry another request after this response (RFC 9112 §9.3). */
export function keepsAlive(head: ResponseHead, framing: BodyFraming): boolean {
  if (framing.kind === 'close') return false;
  const connection = fieldValues(head, 'connection').map((v) => v.toLowerCase());
  if (connection.includes('close')) return false;
  return head.minorVersion === 1 || connection.includes('keep-alive');
}

/** The server's Keep-Alive timeout in ms (`Keep-Alive: timeout=5`), when it gave one. */
export function keepAliveTimeout(head: ResponseHead): number | undefined {
  for (const v of fieldValues(head, 'keep-alive')) {
    const m = /^timeout\s*=\s*(\d{1,6})$/i.exec(v);
    if (m) return Number(m[1]) * 1000;
  }
  return undefined;
}

/** Request header names the client owns: the Fetch standard's forbidden names that frame or route the message. */
const CLIENT_OWNED = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'http2-settings', 'proxy-connection']);

/** Serialises a request head (RFC 9112 §3) in origin form; header names and values were checked by `Headers`. */
export function encodeRequestHead(method: string, url: URL, headers: Headers, framing: { length: number } | 'chunked' | 'none'): Uint8Array {
  let head = `${method} ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\n`;
  headers.forEach((value, name) => { if (!CLIENT_OWNED.has(name)) head += `${name}: ${value}\r\n`; });
  if (framing === 'chunked') head += 'transfer-encoding: chunked\r\n';
  else if (framing !== 'none') head += `content-length: ${framing.length}\r\n`;
  head += '\r\n';
  const out = new Uint8Array(head.length);
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c > 0xff) throw httpError('bad_request_header', 'a request header holds a character outside Latin-1');
    out[i] = c;
  }
  return out;
}
