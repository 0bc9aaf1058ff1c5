import { equalBytes } from '../bytes/encoding.js';
import { Reader } from '../bytes/reader.js';
import { Writer } from '../bytes/writer.js';
import { HPKE_AEADS, HPKE_KDF_SHA256, HPKE_KEM_X25519_SHA256, setupBaseSender } from '../crypto/hpke.js';
import type { HashAlgorithm } from '../crypto/hash.js';
import { hkdfExtract } from '../crypto/hmac.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { TlsError } from '../errors.js';
import { ExtensionType } from '../wire/constants.js';
import type { Extension } from '../wire/extensions.js';
import { hkdfExpandLabel } from './key-schedule-13.js';

/**
 * Encrypted Client Hello (RFC 9849), client side: the ECHConfigList a DNS
 * HTTPS record carries, the encrypted ClientHelloInner inside the
 * ClientHelloOuter's encrypted_client_hello extension, and the server's
 * acceptance signal. One ECHConfig version (0xfe0d), DHKEM(X25519,
 * HKDF-SHA256) with HKDF-SHA256 and AES-128/256-GCM or ChaCha20-Poly1305.
 */
export const ECH_VERSION = 0xfe0d;

export interface EchConfig {
  /** The whole ECHConfig as encoded (HPKE info is "tls ech" || 0 || this). */
  raw: Uint8Array;
  configId: number;
  publicKey: Uint8Array;
  suite: { kdf: number; aead: number };
  maximumNameLength: number;
  publicName: string;
}

const bad = (why: string) => new TlsError('config', 'bad_ech_config', `tls: \`echConfigList\`: ${why}`);

/** The first ECHConfig of the list that this client can use; a list with none usable is a config error. */
export function chooseEchConfig(list: Uint8Array): EchConfig {
  let r: Reader;
  try { r = new Reader(list, 'ECHConfigList').vec16('ECHConfigList'); } catch { throw bad('not an ECHConfigList (a 2-byte length, then ECHConfigs)'); }
  const skipped: string[] = [];
  try {
    while (r.remaining > 0) {
      const start = r.offset;
      const version = r.u16('version');
      const contents = r.vec16('contents');
      const raw = list.subarray(2 + start, 2 + r.offset);
      if (version !== ECH_VERSION) { skipped.push(`version 0x${version.toString(16)}`); continue; }
      const configId = contents.u8('config_id');
      const kem = contents.u16('kem_id');
      const publicKey = contents.opaque16('public_key', 1);
      const suites = contents.vec16('cipher_suites');
      const offered: { kdf: number; aead: number }[] = [];
      while (suites.remaining > 0) offered.push({ kdf: suites.u16('kdf_id'), aead: suites.u16('aead_id') });
      const maximumNameLength = contents.u8('maximum_name_length');
      const publicName = new TextDecoder().decode(contents.opaque8('public_name', 1));
      const exts = contents.vec16('extensions');
      let mandatoryUnknown = false;
      while (exts.remaining > 0) { const type = exts.u16('extension type'); exts.opaque16('extension data'); if (type & 0x8000) mandatoryUnknown = true; }
      contents.end();
      if (kem !== HPKE_KEM_X25519_SHA256) { skipped.push(`KEM 0x${kem.toString(16)}`); continue; }
      if (mandatoryUnknown) { skipped.push('a mandatory extension this client does not know'); continue; }
      const suite = offered.find((s) => s.kdf === HPKE_KDF_SHA256 && HPKE_AEADS[s.aead]);
      if (!suite) { skipped.push('no HKDF-SHA256 suite with a supported AEAD'); continue; }
      if (publicKey.length !== 32) { skipped.push(`an X25519 key of ${publicKey.length} bytes`); continue; }
      if (!validPublicName(publicName)) { skipped.push(`the public name ${JSON.stringify(publicName)}, not a host name`); continue; }
      return { raw, configId, publicKey, suite, maximumNameLength, publicName };
    }
  } catch (e) {
    if (e instanceof TlsError && e.code.startsWith('config/')) throw e;
    throw bad(`malformed ECHConfig (${(e as Error).message.replace(/^tls: /, '')})`);
  }
  throw bad(`no ECHConfig this client can use${skipped.length ? ` (skipped: ${skipped.join('; ')})` : ''}`);
}

/** The encrypted_client_hello extension of ClientHelloInner: just the type byte, inner (1). */
export const ECH_INNER_EXTENSION = new Uint8Array([1]);

/** ECHClientHello of type outer (0) with `payload` (RFC 9849 §5). */
export function encodeOuterEch(cfg: EchConfig, enc: Uint8Array, payload: Uint8Array): Uint8Array {
  return new Writer(payload.length + enc.length + 16).u8(0).u16(cfg.suite.kdf).u16(cfg.suite.aead).u8(cfg.configId).opaque16(enc).opaque16(payload).finish();
}

/** RFC 9849 §6.1.3: padding so the inner ClientHello does not reveal the server name's length. */
export function innerPadding(encodedLength: number, serverName: string | undefined, maximumNameLength: number): number {
  const named = serverName === undefined ? maximumNameLength + 9 : Math.max(0, maximumNameLength - serverName.length);
  const total = encodedLength + named;
  return named + (31 - ((total + 31) % 32));
}

/** The HPKE context that seals the inner ClientHello: info = "tls ech" || 0x00 || ECHConfig. */
export async function echSealer(provider: CryptoProvider, cfg: EchConfig) {
  const info = new Uint8Array([...new TextEncoder().encode('tls ech'), 0, ...cfg.raw]);
  return setupBaseSender(provider, cfg.suite.aead, cfg.publicKey, info, provider.random);
}

/**
 * RFC 9849 §7.2: the server accepted ECH when the last 8 bytes of
 * ServerHello.random equal HKDF-Expand-Label(HKDF-Extract(0, inner random),
 * "ech accept confirmation", Transcript-Hash(ClientHelloInner ||
 * ServerHello with those 8 bytes zeroed), 8).
 */
export function echAccepted(hash: HashAlgorithm, innerHello: Uint8Array, innerRandom: Uint8Array, serverHello: Uint8Array): boolean {
  // ServerHello message: type(1) length(3) version(2) random(32): the last 8 random bytes are at 30..38
  const zeroed = serverHello.slice();
  zeroed.fill(0, 4 + 2 + 24, 4 + 2 + 32);
  const th = hash.create().update(innerHello).update(zeroed).peek();
  const expected = hkdfExpandLabel(hash, hkdfExtract(hash, new Uint8Array(0), innerRandom), 'ech accept confirmation', th, 8);
  const got = serverHello.subarray(4 + 2 + 24, 4 + 2 + 32);
  let diff = 0;
  for (let i = 0; i < 8; i++) diff |= expected[i]! ^ got[i]!;
  return diff === 0;
}

/**
 * RFC 9849 §7.2.1: a HelloRetryRequest accepting ECH carries in its
 * encrypted_client_hello extension HKDF-Expand-Label(HKDF-Extract(0, inner
 * random), "hrr ech accept confirmation", Transcript-Hash(message_hash of
 * ClientHelloInner1 || HelloRetryRequest with those 8 bytes zeroed), 8).
 */
export function echHrrAccepted(hash: HashAlgorithm, innerHello: Uint8Array, innerRandom: Uint8Array, hrr: Uint8Array, confirmation: Uint8Array | undefined): boolean {
  if (!confirmation || confirmation.length !== 8) return false;
  const pattern = [0xfe, 0x0d, 0x00, 0x08, ...confirmation];
  let at = -1;
  for (let i = 0; i + pattern.length <= hrr.length && at < 0; i++) if (pattern.every((b, j) => hrr[i + j] === b)) at = i;
  if (at < 0) return false;
  const zeroed = hrr.slice();
  zeroed.fill(0, at + 4, at + 12);
  const innerHash = hash.digest(innerHello);
  const messageHash = new Uint8Array([254, 0, 0, innerHash.length, ...innerHash]);
  const th = hash.create().update(messageHash).update(zeroed).peek();
  const expected = hkdfExpandLabel(hash, hkdfExtract(hash, new Uint8Array(0), innerRandom), 'hrr ech accept confirmation', th, 8);
  let diff = 0;
  for (let i = 0; i < 8; i++) diff |= expected[i]! ^ confirmation[i]!;
  return diff === 0;
}

/**
 * RFC 9849 §6.2 GREASE ECH: an outer ECHClientHello for a config that does
 * not exist (random config id, a random X25519-sized enc, a random payload of
 * a length real inner ClientHellos have), so ECH use does not stand out.
 */
export function greaseEchExtension(random: (n: number) => Uint8Array): Uint8Array {
  const [id, size] = random(2) as unknown as [number, number];
  const payloadLength = 160 + (size % 4) * 32 + 16;
  const cfg: EchConfig = { raw: new Uint8Array(0), configId: id, publicKey: new Uint8Array(0), suite: { kdf: HPKE_KDF_SHA256, aead: 0x0001 }, maximumNameLength: 0, publicName: '' };
  return encodeOuterEch(cfg, random(32), random(payloadLength));
}

/** Whether `data` is a well-formed ECHConfigList: a 2-byte length, then whole ECHConfigs (version, length, contents). */
export function isEchConfigList(data: Uint8Array): boolean {
  try {
    const r = new Reader(data, 'ECHConfigList');
    const list = r.vec16('ECHConfigList');
    r.end();
    if (list.remaining === 0) return false;
    while (list.remaining > 0) { list.u16('version'); list.vec16('contents'); }
    return true;
  } catch { return false; }
}

/** RFC 9849 §4: a public_name must be a host name in preferred name syntax, and not an IPv4 address. */
export function validPublicName(name: string): boolean {
  if (name.length === 0 || name.length > 253 || name.endsWith('.')) return false;
  const labels = name.split('.');
  if (!labels.every((l) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l))) return false;
  // an all-numeric last label (or a hex number) makes it parse as an IPv4 address (WHATWG URL rules)
  const last = labels[labels.length - 1]!;
  return !/^(0x[0-9a-f]*|[0-9]+)$/i.test(last);
}

/** Extensions never referenced from the inner ClientHello: the name is secret even when it equals the public one. */
const NEVER_COMPRESSED = new Set<number>([ExtensionType.server_name, ExtensionType.encrypted_client_hello, ExtensionType.pre_shared_key, ExtensionType.ech_outer_extensions]);

/**
 * RFC 9849 §5.1: the longest run of consecutive inner extensions that ClientHelloOuter carries
 * byte for byte is replaced by one ech_outer_extensions listing their types; the server copies them
 * back from the outer ClientHello, in order, so the ClientHelloInner it rebuilds is the one we hashed.
 */
export function compressInnerExtensions(inner: readonly Extension[], outer: ReadonlyMap<number, Uint8Array>): Extension[] {
  let best = { start: 0, length: 0 };
  for (let i = 0, start = 0; i <= inner.length; i++) {
    const e = inner[i];
    const same = e !== undefined && !NEVER_COMPRESSED.has(e.type) && outer.has(e.type) && equalBytes(outer.get(e.type)!, e.data);
    if (!same) {
      if (i - start > best.length) best = { start, length: i - start };
      start = i + 1;
    }
  }
  if (best.length === 0) return [...inner];
  const run = inner.slice(best.start, best.start + best.length);
  const list = new Uint8Array(1 + 2 * run.length);
  list[0] = 2 * run.length;
  run.forEach((e, i) => { list[1 + 2 * i] = e.type >> 8; list[2 + 2 * i] = e.type & 0xff; });
  return [...inner.slice(0, best.start), { type: ExtensionType.ech_outer_extensions, data: list }, ...inner.slice(best.start + best.length)];
}
