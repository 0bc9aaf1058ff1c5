import { TlsError } from './errors.js';
import type { ConnectOptions } from './options.js';

/**
 * Pure checks of the `connect()` options bag, before anything is loaded or
 * dialled: each option has the type and range its doc comment states, or
 * connect() fails with `config/bad_option` naming the option and what it got.
 * The table must list every option (the compiler checks it).
 */
type Check = (v: unknown) => string | undefined;

const isBytes = (v: unknown) => v instanceof Uint8Array;
const str: Check = (v) => (typeof v === 'string' ? undefined : 'a string');
const nonEmptyStr: Check = (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'a non-empty string');
const bool: Check = (v) => (typeof v === 'boolean' ? undefined : 'true or false');
const fn: Check = (v) => (typeof v === 'function' ? undefined : 'a function');
const obj: Check = (v) => (typeof v === 'object' && v !== null ? undefined : 'an object');
const bytes: Check = (v) => (isBytes(v) ? undefined : 'bytes (a Uint8Array or Buffer)');
const strings: Check = (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'an array of strings');
const certInput: Check = (v) => (typeof v === 'string' || isBytes(v) || (Array.isArray(v) && v.every((x) => typeof x === 'string' || isBytes(x))) ? undefined : 'PEM text, DER bytes, or an array of them');
const isStore = (v: unknown) => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'isotls-trust-store';
const int = (min: number, max: number): Check => (v) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? undefined : `an integer from ${min} to ${max}`);
const millis: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? undefined : 'a positive number of milliseconds');
const oneOf = (...values: string[]): Check => (v) => (typeof v === 'string' && values.includes(v) ? undefined : `one of ${values.join(', ')}`);
const withMethods = (...names: string[]): Check => (v) => (typeof v === 'object' && v !== null && names.every((n) => typeof (v as Record<string, unknown>)[n] === 'function') ? undefined : `an object with ${names.join(', ')} methods`);
const keyInput: Check = (v) => (typeof v === 'string' || isBytes(v) || (typeof v === 'object' && v !== null && Array.isArray((v as { algorithms?: unknown }).algorithms) && typeof (v as { sign?: unknown }).sign === 'function') ? undefined : 'PEM text, DER bytes, or an external signer { algorithms, sign }');
const commonName: Check = (v) => (typeof v === 'string' || (typeof v === 'object' && v !== null && typeof (v as { value?: unknown }).value === 'string' && typeof (v as { wildcard?: unknown }).wildcard === 'boolean') ? undefined : 'a string or { value: string, wildcard: boolean }');
const signal: Check = (v) => (typeof v === 'object' && v !== null && typeof (v as AbortSignal).aborted === 'boolean' && typeof (v as AbortSignal).addEventListener === 'function' ? undefined : 'an AbortSignal');
const identities: Check = (v) => (Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null) ? undefined : 'an array of { alias?, cert, key, passphrase?, pfx? } objects');
const session: Check = (v) => {
  const s = v as Record<string, unknown>;
  const common = typeof v === 'object' && v !== null && typeof s.cipherSuite === 'number' && Array.isArray(s.peerCertificates) && typeof s.authorized === 'boolean';
  const ok = common && (s.version === 'TLSv1.2'
    ? isBytes(s.masterSecret) && (s.masterSecret as Uint8Array).length === 48 && isBytes(s.sessionId) && (s.ticket === undefined || isBytes(s.ticket))
    : s.version === 'TLSv1.3' && isBytes(s.psk) && [32, 48].includes((s.psk as Uint8Array).length) && isBytes(s.ticket) && (s.ticket as Uint8Array).length > 0
      && Number.isInteger(s.ticketAgeAdd) && Number.isInteger(s.lifetime) && typeof s.receivedAt === 'number');
  return ok ? undefined : 'a session from an earlier connection (conn.session)';
};

const CHECKS: Record<keyof ConnectOptions, Check> = {
  host: nonEmptyStr, port: int(1, 65535), transport: withMethods('read', 'write', 'close'), relay: nonEmptyStr,
  servername: nonEmptyStr, ca: (v) => (isStore(v) ? undefined : certInput(v)), trustStore: (v) => (isStore(v) ? undefined : 'a TrustStore from createTrustStore() or mozillaRoots()'),
  profile: oneOf('webpki', 'rfc5280', 'private'), allowCommonNameFallback: bool, sendExpiredClientCertificate: bool, rejectUnauthorized: bool,
  minVersion: oneOf('TLSv1.2', 'TLSv1.3'), maxVersion: oneOf('TLSv1.2', 'TLSv1.3'), cipherSuites: strings, minDHSize: int(1024, 16384),
  session, onDebug: fn, pskKeyExchangeModes: (v) => (Array.isArray(v) && v.length > 0 && v.every((m) => m === 'psk_dhe_ke' || m === 'psk_ke') ? undefined : "a non-empty array of 'psk_dhe_ke' / 'psk_ke'"),
  cert: certInput, key: keyInput, passphrase: str, pfx: bytes, identities, selectIdentity: fn, clientCertificatePolicy: obj, postHandshakeAuth: bool,
  checkServerIdentity: fn, expectedCommonName: commonName, pins: strings,
  groups: strings, signatureAlgorithms: strings, ALPNProtocols: strings, compatibilityMode: bool, grease: bool, recordSizeLimit: int(64, 16385), earlyData: bytes, earlyDataRetry: bool, echConfigList: bytes, greaseEch: bool,
  certificateCompression: (v) => (v === false || (Array.isArray(v) && v.every((a) => a === 'zlib' || a === 'brotli')) ? undefined : "false or an array of 'zlib' / 'brotli'"),
  recordPaddingBlock: int(0, 16384), keyUpdateAfterRecords: int(1, 2 ** 24),
  handshakeTimeout: millis, readTimeout: millis, maxHandshakeMessageSize: int(1024, 2 ** 24), signal,
  verifier: withMethods('verify'), random: fn, now: fn, crypto: (v) => (typeof v === 'string' ? oneOf('pure', 'webcrypto', 'node')(v) : withMethods('verify', 'sign')(v)), onKeyLog: fn,
};

export function checkOptions(o: unknown): asserts o is ConnectOptions {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new TlsError('config', 'bad_option', `tls: connect() takes an options object, got ${o === null ? 'null' : Array.isArray(o) ? 'an array' : typeof o}`);
  const bag = o as Record<string, unknown>;
  for (const [name, check] of Object.entries(CHECKS) as [string, Check][]) {
    const v = bag[name];
    if (v === undefined) continue;
    const want = check(v);
    if (want) throw new TlsError('config', 'bad_option', `tls: \`${name}\` must be ${want}; got ${describe(v)}`);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return typeof v;
}
