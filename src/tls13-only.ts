/**
 * isotls/tls13: the same client without TLS 1.2 (no CBC, DHE, TLS 1.2 PRF),
 * for bundles where size matters and every server speaks TLS 1.3.
 *
 *   import { connect } from 'isotls/tls13';
 */
import { connectWith } from './connect.js';
import type { TlsConnection } from './connection.js';
import type { ConnectOptions } from './options.js';

export { TlsConnection } from './connection.js';
export { TlsError, type AlertName, type ErrorCategory } from './errors.js';
export type { ConnectOptions } from './options.js';
export type { ConnectionInfo, PeerCertificate } from './info.js';
export type { Transport } from './transport/types.js';
export { TransportError } from './transport/types.js';
export { streamTransport } from './transport/streams.js';
export { websocketTransport, relayUrl, type WebSocketLike, type WebSocketCtor } from './transport/websocket.js';
export { proxyTransport, type ProxyTransportOptions } from './transport/proxy.js';
export { GATEWAY_CLIENT_CERTIFICATE_POLICY, type ClientCertificatePolicy, type ExternalSigner, type IdentityInput } from './identity.js';
export type { CertificateRequestInfo, ClientIdentity, SelectIdentity, Signer } from './handshake/client-auth.js';
export type { CryptoProvider, AeadName, GroupName } from './crypto/provider.js';
export type { Aead, AeadAlgorithm, Awaitable } from './crypto/aead.js';
export type { HashAlgorithm, HashName, IncrementalHash } from './crypto/hash.js';
export type { KeyExchangeGroup, KeyPair } from './crypto/key-exchange.js';
export type { PublicKey, SignatureAlgorithm } from './crypto/signatures.js';
export type { RsaPublicKey } from './crypto/rsa.js';
export type { PrivateKey } from './crypto/sign.js';
export type { ProviderName } from './crypto/platform.js';
export type { RandomSource } from './crypto/random.js';
export type { NewSessionTicket } from './wire/tls13-messages.js';

/** Opens a TLS 1.3 connection; a server that offers only TLS 1.2 fails with protocol_version. */
export function connect(options: ConnectOptions): Promise<TlsConnection> {
  return connectWith(options);
}
