/**
 * What both client entry points (`isotls`, `isotls/tls13`) export besides
 * `connect`: the connection and error classes, transports, client identity
 * types, and the types the options and results refer to.
 */
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
export type { TlsSession, Tls12Session, Tls13Session } from './handshake/config.js';
export { createTrustStore, type TrustStore } from './x509/trust-store.js';
export type { ValidationProfile } from './x509/profile.js';
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
