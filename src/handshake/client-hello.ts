import type { KeyPair } from '../crypto/key-exchange.js';
import { ExtensionType, NamedGroup, ProtocolVersion } from '../wire/constants.js';
import { encodeClientHello } from '../wire/client-hello.js';
import { encodeAlpn, encodeCookie, encodeKeyShareClient, encodeServerName, encodeSupportedVersionsClient, encodeU16List, type Extension } from '../wire/extensions.js';

/** Everything the ClientHello says, decided by the handshake from the user's config. */
export interface ClientHelloParams {
  random: Uint8Array;
  /** 32 random bytes in middlebox compatibility mode, else empty (RFC 8446 §D.4). */
  sessionId: Uint8Array;
  cipherSuites: number[];
  /** Host for SNI; omitted for IP literals (RFC 6066 §3). */
  serverName: string | undefined;
  groups: number[];
  keyShares: { group: number; pair: KeyPair }[];
  signatureSchemes: number[];
  certSignatureSchemes: number[];
  alpn: string[] | undefined;
  /** Cookie echoed after a HelloRetryRequest (RFC 8446 §4.2.2). */
  cookie?: Uint8Array;
}

/** Builds the TLS 1.3 ClientHello (RFC 8446 §4.1.2) and returns it framed as a handshake message. */
export function buildClientHello(p: ClientHelloParams): Uint8Array {
  const ext: Extension[] = [];
  if (p.serverName !== undefined) ext.push({ type: ExtensionType.server_name, data: encodeServerName(p.serverName) });
  ext.push({ type: ExtensionType.supported_versions, data: encodeSupportedVersionsClient([ProtocolVersion.TLSv1_3]) });
  ext.push({ type: ExtensionType.supported_groups, data: encodeU16List(p.groups) });
  ext.push({ type: ExtensionType.signature_algorithms, data: encodeU16List(p.signatureSchemes) });
  ext.push({ type: ExtensionType.signature_algorithms_cert, data: encodeU16List(p.certSignatureSchemes) });
  ext.push({ type: ExtensionType.key_share, data: encodeKeyShareClient(p.keyShares.map((k) => ({ group: k.group, keyExchange: k.pair.publicKey }))) });
  if (p.alpn && p.alpn.length) ext.push({ type: ExtensionType.application_layer_protocol_negotiation, data: encodeAlpn(p.alpn) });
  if (p.cookie) ext.push({ type: ExtensionType.cookie, data: encodeCookie(p.cookie) });
  return encodeClientHello({ random: p.random, legacySessionId: p.sessionId, cipherSuites: p.cipherSuites, extensions: ext });
}

export const GROUP_IDS: Record<'x25519' | 'secp256r1' | 'secp384r1', number> = {
  x25519: NamedGroup.x25519, secp256r1: NamedGroup.secp256r1, secp384r1: NamedGroup.secp384r1,
};
