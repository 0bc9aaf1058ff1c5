/**
 * isotls: a TLS 1.3 client in TypeScript for every JavaScript runtime.
 *
 *   const conn = await connect({ host: 'example.com', port: 443, ca: pem });
 *   await conn.write(bytes); const reply = await conn.read(); await conn.close();
 */
import { connectWith } from './connect.js';
import type { TlsConnection } from './connection.js';
import { TLS12_SUPPORT } from './handshake/tls12-support.js';
import type { ConnectOptions } from './options.js';

export { TlsConnection } from './connection.js';
export { TlsError, type AlertName, type ErrorCategory } from './errors.js';
export type { ConnectOptions } from './options.js';
export type { ConnectionInfo, PeerCertificate } from './info.js';
export type { Transport } from './transport/types.js';
export { TransportError } from './transport/types.js';
export { memoryPair } from './transport/memory.js';
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
export type { TlsSession, Tls12Session, Tls13Session } from './handshake/config.js';
export { createTrustStore, type TrustStore } from './x509/trust-store.js';
export type { ValidationProfile } from './x509/profile.js';

/** Opens a TLS connection (TLS 1.3 or 1.2): over `options.transport`, or by dialling `host:port` with the runtime's TCP (or `relay`). */
export function connect(options: ConnectOptions): Promise<TlsConnection> {
  return connectWith(options, TLS12_SUPPORT);
}
