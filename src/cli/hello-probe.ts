/**
 * One ClientHello, one answer: the scanner's probe. It sends a hand-built
 * ClientHello (any version 1.0–1.3, any suites, groups and signature schemes,
 * including ones isotls does not implement) and reads only as far as the
 * ServerHello or an alert. Nothing is negotiated further: a version isotls
 * would never speak (TLS 1.0/1.1) is detected, not used. Node only (node:net).
 */
import { connect as netConnect, type Socket } from 'node:net';
import { nameIn, TLS12_SUITES } from './catalog.js';

export type WireVersion = 0x0301 | 0x0302 | 0x0303 | 0x0304;

export interface HelloSpec {
  version: WireVersion;
  suites: number[];
  groups: number[];
  signatureSchemes: number[];
  /** TLS 1.3: key shares are left empty, so a server that accepts a group answers HelloRetryRequest naming it. */
  serverName: string | undefined;
}

export interface HelloAnswer {
  kind: 'server_hello' | 'hello_retry_request' | 'alert' | 'closed' | 'not_tls';
  /** The negotiated version (supported_versions in TLS 1.3). */
  version?: number;
  suite?: number;
  /** HRR's selected group. */
  group?: number;
  /** Extension types in the ServerHello. */
  extensions?: number[];
  alert?: number;
  /** TLS 1.2 with `throughKeyExchange`: the scheme the ServerKeyExchange was signed with. */
  signatureScheme?: number;
}

const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

function u16(n: number): number[] { return [(n >> 8) & 0xff, n & 0xff]; }
function vec16(b: number[]): number[] { return [...u16(b.length), ...b]; }
function ext(type: number, body: number[]): number[] { return [...u16(type), ...vec16(body)]; }

/** The ClientHello record for `spec` (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2). */
export function buildClientHello(spec: HelloSpec, random: Uint8Array): Uint8Array {
  const is13 = spec.version === 0x0304;
  const exts: number[] = [];
  if (spec.serverName) {
    const name = [...new TextEncoder().encode(spec.serverName)];
    exts.push(...ext(0x0000, vec16([0, ...vec16(name)])));
  }
  exts.push(...ext(0x000a, vec16(spec.groups.flatMap(u16))));
  exts.push(...ext(0x000b, [1, 0]));
  if (spec.version >= 0x0303) exts.push(...ext(0x000d, vec16(spec.signatureSchemes.flatMap(u16))));
  exts.push(...ext(0xff01, [0]), ...ext(0x0017, []), ...ext(0x0016, []));
  if (is13) {
    exts.push(...ext(0x002b, [2, 0x03, 0x04]));
    exts.push(...ext(0x0033, vec16([])));
    exts.push(...ext(0x002d, [1, 1])); // psk_key_exchange_modes: some servers require it with 1.3
  }
  const sessionId = is13 ? [32, ...random.subarray(0, 32)] : [0];
  const body = [...u16(is13 ? 0x0303 : spec.version), ...random.subarray(0, 32), ...sessionId, ...vec16(spec.suites.flatMap(u16)), 1, 0, ...vec16(exts)];
  const hs = [1, (body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff, ...body];
  return Uint8Array.from([0x16, 0x03, 0x01, ...u16(hs.length), ...hs]);
}

/** Handshake messages fully received so far (records reassembled), or an alert, or a sign the peer is not speaking TLS. */
function readMessages(buf: Uint8Array): { messages: Uint8Array[]; alert?: number; notTls?: boolean } {
  const stream: number[] = [];
  let p = 0;
  while (p + 5 <= buf.length) {
    const type = buf[p]!;
    if ((type !== 0x16 && type !== 0x15 && type !== 0x14) || buf[p + 1] !== 0x03) return { messages: [], notTls: true };
    const len = (buf[p + 3]! << 8) | buf[p + 4]!;
    if (p + 5 + len > buf.length) break;
    const rec = buf.subarray(p + 5, p + 5 + len);
    if (type === 0x15) return { messages: splitMessages(stream), alert: rec[1] };
    // A TLS 1.3 server in middlebox compatibility mode sends change_cipher_spec after its hello.
    if (type === 0x14) { p += 5 + len; continue; }
    for (const b of rec) stream.push(b);
    p += 5 + len;
  }
  return { messages: splitMessages(stream) };
}

function splitMessages(stream: number[]): Uint8Array[] {
  const messages: Uint8Array[] = [];
  for (let q = 0; q + 4 <= stream.length;) {
    const l = (stream[q + 1]! << 16) | (stream[q + 2]! << 8) | stream[q + 3]!;
    if (q + 4 + l > stream.length) break;
    messages.push(Uint8Array.from(stream.slice(q, q + 4 + l)));
    q += 4 + l;
  }
  return messages;
}

/** TLS 1.2 ServerKeyExchange: the group (ECDHE named curve) and the signature scheme the server signed with. */
function parseServerKeyExchange(m: Uint8Array, dhe: boolean): { group?: number; signatureScheme?: number } {
  const b = m.subarray(4);
  let p = 0;
  let group: number | undefined;
  if (dhe) { for (let i = 0; i < 3 && p + 2 <= b.length; i++) p += 2 + ((b[p]! << 8) | b[p + 1]!); } else {
    if (b[0] !== 3 || b.length < 4) return {};
    group = (b[1]! << 8) | b[2]!;
    p = 4 + b[3]!;
  }
  if (p + 2 > b.length) return { group };
  return { group, signatureScheme: (b[p]! << 8) | b[p + 1]! };
}

/**
 * The answer to a ClientHello, from the server's bytes so far; undefined while more are needed. With
 * `throughKeyExchange` a TLS 1.2 answer waits for the ServerKeyExchange (or ServerHelloDone) too.
 */
export function parseAnswer(buf: Uint8Array, throughKeyExchange = false): HelloAnswer | undefined {
  const r = readMessages(buf);
  if (r.notTls) return { kind: 'not_tls' };
  if (r.alert !== undefined && r.messages.length === 0) return { kind: 'alert', alert: r.alert };
  const first = r.messages[0];
  if (!first) return r.alert !== undefined ? { kind: 'alert', alert: r.alert } : undefined;
  if (first[0] !== 2 || first.length < 42) return { kind: 'not_tls' };
  const m = first.subarray(4);
  let p = 0;
  const legacyVersion = (m[p]! << 8) | m[p + 1]!; p += 2;
  const random = Buffer.from(m.subarray(p, p + 32)).toString('hex'); p += 32;
  const sidLen = m[p]!; p += 1 + sidLen;
  if (p + 3 > m.length) return { kind: 'not_tls' };
  const suite = (m[p]! << 8) | m[p + 1]!; p += 3;
  const extensions: number[] = [];
  let version = legacyVersion;
  let group: number | undefined;
  if (p + 2 <= m.length) {
    const end = Math.min(m.length, p + 2 + ((m[p]! << 8) | m[p + 1]!));
    p += 2;
    while (p + 4 <= end) {
      const t = (m[p]! << 8) | m[p + 1]!;
      const l = (m[p + 2]! << 8) | m[p + 3]!;
      const d = m.subarray(p + 4, p + 4 + l);
      extensions.push(t);
      if (t === 0x002b && d.length === 2) version = (d[0]! << 8) | d[1]!;
      if (t === 0x0033 && d.length >= 2) group = (d[0]! << 8) | d[1]!;
      p += 4 + l;
    }
  }
  const answer: HelloAnswer = { kind: random === HRR_RANDOM ? 'hello_retry_request' : 'server_hello', version, suite, group, extensions };
  if (!throughKeyExchange || version !== 0x0303 && version !== 0x0302 && version !== 0x0301) return answer;
  for (const msg of r.messages.slice(1)) {
    if (msg[0] === 12) return { ...answer, ...parseServerKeyExchange(msg, suiteIsDhe(suite)) };
    if (msg[0] === 14) return answer; // ServerHelloDone without a key exchange (RSA key transport)
  }
  return r.alert !== undefined ? answer : undefined;
}

/** Signed DHE suites carry finite-field parameters (p, g, Ys) in their ServerKeyExchange. */
function suiteIsDhe(s: number): boolean {
  return /^TLS_DHE_(RSA|DSS)_/.test(nameIn(TLS12_SUITES, s));
}

/** Sends one ClientHello to host:port and resolves with what came back (bounded by `timeoutMs`). */
export function sendHello(host: string, port: number, spec: HelloSpec, random: Uint8Array, o: { timeoutMs?: number; throughKeyExchange?: boolean } = {}): Promise<HelloAnswer> {
  const timeoutMs = o.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    let buf = new Uint8Array(0);
    let done = false;
    const socket: Socket = netConnect({ host, port });
    const finish = (a: HelloAnswer | Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (a instanceof Error) reject(a); else resolve(a);
    };
    const timer = setTimeout(() => finish(new Error(`${host}:${port} did not answer a ClientHello within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => socket.write(buildClientHello(spec, random)));
    socket.on('data', (d: Buffer) => {
      const joined = new Uint8Array(buf.length + d.length);
      joined.set(buf); joined.set(d, buf.length);
      buf = joined;
      const a = parseAnswer(buf, o.throughKeyExchange);
      if (a) finish(a);
      else if (buf.length > 65536) finish({ kind: 'not_tls' });
    });
    socket.on('end', () => finish(parseAnswer(buf) ?? (buf.length === 0 ? { kind: 'closed' } : { kind: 'not_tls' })));
    // A reset after the ClientHello is a refusal; a connection that never opened is an error.
    socket.on('error', (e: NodeJS.ErrnoException) => finish(buf.length > 0 ? (parseAnswer(buf) ?? { kind: 'closed' }) : e.code === 'ECONNRESET' || e.code === 'EPIPE' ? { kind: 'closed' } : e));
  });
}
