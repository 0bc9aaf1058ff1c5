import type { HashAlgorithm } from '../crypto/hash.js';
import type { KeyPair } from '../crypto/key-exchange.js';
import { Writer } from '../bytes/writer.js';
import { finishedVerifyData } from './key-schedule-13.js';
import { ExtensionType, NamedGroup } from '../wire/constants.js';
import { encodeClientHello } from '../wire/client-hello.js';
import { encodeAlpn, encodeCookie, encodeKeyShareClient, encodeServerName, encodeSupportedVersionsClient, encodeU16List, type Extension } from '../wire/extensions.js';

/** Everything the ClientHello says, decided by the handshake from the user's config. */
export interface ClientHelloParams {
  random: Uint8Array;
  /** Middlebox compatibility / resumption session id (RFC 8446 §D.4, RFC 5077 §3.4), or empty. */
  sessionId: Uint8Array;
  /** TLS 1.3 suites first, then TLS 1.2 suites, each in preference order. */
  cipherSuites: number[];
  /** supported_versions, highest first; TLS 1.2-only hellos omit the extension. */
  versions: number[];
  /** Host for SNI; omitted for IP literals (RFC 6066 §3). */
  serverName: string | undefined;
  groups: number[];
  /** TLS 1.3 key shares (empty when only TLS 1.2 is offered). */
  keyShares: { group: number; pair: KeyPair }[];
  signatureSchemes: number[];
  certSignatureSchemes: number[];
  alpn: string[] | undefined;
  /** Cookie echoed after a HelloRetryRequest (RFC 8446 §4.2.2). */
  cookie?: Uint8Array;
  /** Offer post-handshake client authentication (RFC 8446 §4.2.6). */
  postHandshakeAuth?: boolean;
  /** RFC 8879 compress_certificate algorithms to offer (TLS 1.3). */
  certCompression?: number[];
  /** The encrypted_client_hello extension's data (RFC 9849): the inner marker, or the outer ECHClientHello. */
  ech?: Uint8Array;
  /** Offer 0-RTT: the empty early_data extension (RFC 8446 §4.2.10), first ClientHello only. */
  earlyData?: boolean;
  /** RFC 8449 record_size_limit to offer (the largest record we take), or undefined to not offer it. */
  recordSizeLimit?: number;
  /** TLS 1.2 extras. */
  tls12?: { ecPointFormats: boolean; encryptThenMac: boolean; sessionTicket: Uint8Array | undefined };
  /**
   * psk_key_exchange_modes (RFC 8446 §4.2.9), sent whenever TLS 1.3 is offered: servers issue tickets only
   * to clients that list a mode they can resume with.
   */
  pskModes?: number[];
  /** A TLS 1.3 PSK to offer (RFC 8446 §4.2.11): one identity, with a binder of `binderLength` zero bytes that `bindPsk` fills in. */
  psk?: { identity: Uint8Array; obfuscatedTicketAge: number; binderLength: number };
  /**
   * GREASE values (RFC 8701) to put in the cipher suites, supported_groups, supported_versions, a key share
   * (when `greaseKeyShare`) and two extensions (empty first, one byte last), so servers that choke on
   * unknown values are found now rather than when a real new value ships.
   */
  grease?: { cipher: number; group: number; version: number; extensionFirst: number; extensionLast: number; keyShare: boolean };
}

/** RFC 8701 §2: the sixteen GREASE values are 0x0A0A, 0x1A1A, …, 0xFAFA. */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && (v >> 12) === ((v >> 4) & 0x0f);
}

/** GREASE values from five random bytes (the injectable randomness); the two extension values differ. */
export function greaseValues(seed: Uint8Array, keyShare: boolean): NonNullable<ClientHelloParams['grease']> {
  const g = (b: number) => (((b & 0xf0) | 0x0a) << 8) | ((b & 0xf0) | 0x0a);
  const first = g(seed[3]!);
  let last = g(seed[4]!);
  if (last === first) last ^= 0x1010;
  return { cipher: g(seed[0]!), group: g(seed[1]!), version: g(seed[2]!), extensionFirst: first, extensionLast: last, keyShare };
}

/** RFC 8446 §4.2.9 PskKeyExchangeMode. */
export const PskMode = { psk_ke: 0, psk_dhe_ke: 1 } as const;

/** Builds the ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2) and returns it framed as a handshake message. */
export function buildClientHello(p: ClientHelloParams): Uint8Array {
  const ext: Extension[] = [];
  const offers13 = p.versions.includes(0x0304);
  const g = p.grease;
  if (g) ext.push({ type: g.extensionFirst, data: new Uint8Array(0) });
  if (p.serverName !== undefined) ext.push({ type: ExtensionType.server_name, data: encodeServerName(p.serverName) });
  if (p.tls12) {
    ext.push({ type: ExtensionType.extended_master_secret, data: new Uint8Array(0) });          // RFC 7627
    ext.push({ type: ExtensionType.renegotiation_info, data: new Uint8Array([0]) });           // RFC 5746, initial handshake
    if (p.tls12.ecPointFormats) ext.push({ type: ExtensionType.ec_point_formats, data: new Uint8Array([1, 0]) }); // uncompressed only
    if (p.tls12.encryptThenMac) ext.push({ type: ExtensionType.encrypt_then_mac, data: new Uint8Array(0) });     // RFC 7366
    ext.push({ type: ExtensionType.session_ticket, data: p.tls12.sessionTicket ?? new Uint8Array(0) });         // RFC 5077
  }
  if (offers13) ext.push({ type: ExtensionType.supported_versions, data: encodeSupportedVersionsClient(g ? [g.version, ...p.versions] : p.versions) });
  ext.push({ type: ExtensionType.supported_groups, data: encodeU16List(g ? [g.group, ...p.groups] : p.groups) });
  ext.push({ type: ExtensionType.signature_algorithms, data: encodeU16List(p.signatureSchemes) });
  ext.push({ type: ExtensionType.signature_algorithms_cert, data: encodeU16List(p.certSignatureSchemes) });
  const greaseShare = g?.keyShare ? [{ group: g.group, keyExchange: new Uint8Array([0]) }] : [];
  if (offers13) ext.push({ type: ExtensionType.key_share, data: encodeKeyShareClient([...greaseShare, ...p.keyShares.map((k) => ({ group: k.group, keyExchange: k.pair.publicKey }))]) });
  if (offers13 && p.certCompression?.length) ext.push({ type: ExtensionType.compress_certificate, data: new Uint8Array([2 * p.certCompression.length, ...p.certCompression.flatMap((a) => [a >> 8, a & 0xff])]) });
  if (p.recordSizeLimit !== undefined) ext.push({ type: ExtensionType.record_size_limit, data: new Uint8Array([p.recordSizeLimit >> 8, p.recordSizeLimit & 0xff]) });
  if (p.alpn && p.alpn.length) ext.push({ type: ExtensionType.application_layer_protocol_negotiation, data: encodeAlpn(p.alpn) });
  if (p.cookie) ext.push({ type: ExtensionType.cookie, data: encodeCookie(p.cookie) });
  if (offers13 && p.postHandshakeAuth) ext.push({ type: ExtensionType.post_handshake_auth, data: new Uint8Array(0) });
  if (offers13 && p.pskModes?.length) ext.push({ type: ExtensionType.psk_key_exchange_modes, data: new Uint8Array([p.pskModes.length, ...p.pskModes]) });
  if (offers13 && p.ech) ext.push({ type: ExtensionType.encrypted_client_hello, data: p.ech });
  if (offers13 && p.earlyData && p.psk) ext.push({ type: ExtensionType.early_data, data: new Uint8Array(0) });
  if (g) ext.push({ type: g.extensionLast, data: new Uint8Array([0]) });
  // RFC 8446 §4.2.11: pre_shared_key MUST be the last extension
  const last: Extension[] = offers13 && p.psk ? [{ type: ExtensionType.pre_shared_key, data: encodeOfferedPsk(p.psk) }] : [];
  const cipherSuites = g ? [g.cipher, ...p.cipherSuites] : p.cipherSuites;
  const hello = encodeClientHello({ random: p.random, legacySessionId: p.sessionId, cipherSuites, extensions: [...ext, ...last] });
  // RFC 7685: some servers (F5 load balancers) hang on a ClientHello of 256..511 bytes; pad it to 512
  if (hello.length <= 0xff || hello.length >= 0x200) return hello;
  const missing = 0x200 - hello.length;
  ext.push({ type: ExtensionType.padding, data: new Uint8Array(missing >= 5 ? missing - 4 : 1) });
  return encodeClientHello({ random: p.random, legacySessionId: p.sessionId, cipherSuites, extensions: [...ext, ...last] });
}

/** OfferedPsks (RFC 8446 §4.2.11) with one identity and an all-zero binder of the right length. */
export function encodeOfferedPsk(psk: NonNullable<ClientHelloParams['psk']>): Uint8Array {
  const w = new Writer(psk.identity.length + psk.binderLength + 16);
  w.u16(psk.identity.length + 6).opaque16(psk.identity).u32(psk.obfuscatedTicketAge);
  w.u16(psk.binderLength + 1).opaque8(new Uint8Array(psk.binderLength));
  return w.finish();
}

/**
 * RFC 8446 §4.2.11.2: computes the PSK binder over the transcript so far
 * (`prefix`: empty for the first ClientHello; message_hash(ClientHello1) and
 * the HelloRetryRequest for the second) and the ClientHello truncated before
 * its binders list, and writes it into the ClientHello's last bytes.
 */
export function bindPsk(hello: Uint8Array, prefix: readonly Uint8Array[], hash: HashAlgorithm, binderKey: Uint8Array): Uint8Array {
  const binderLength = hash.outputLen;
  const truncated = hello.subarray(0, hello.length - (2 + 1 + binderLength));
  const t = hash.create();
  for (const m of prefix) t.update(m);
  t.update(truncated);
  const binder = finishedVerifyData(hash, binderKey, t.peek());
  const out = hello.slice();
  out.set(binder, hello.length - binderLength);
  return out;
}

export const GROUP_IDS: Record<'x25519' | 'x448' | 'secp256r1' | 'secp384r1' | 'secp521r1' | 'X25519MLKEM768', number> = {
  x25519: NamedGroup.x25519, x448: NamedGroup.x448, secp256r1: NamedGroup.secp256r1, secp384r1: NamedGroup.secp384r1, secp521r1: NamedGroup.secp521r1, X25519MLKEM768: NamedGroup.X25519MLKEM768,
};

/** RFC 7919 groups offered in supported_groups when DHE suites are offered. */
export const FFDHE_GROUP_IDS: number[] = [NamedGroup.ffdhe2048, NamedGroup.ffdhe3072, NamedGroup.ffdhe4096, NamedGroup.ffdhe6144, NamedGroup.ffdhe8192];
