/**
 * isotls: a TLS 1.3 client in TypeScript for every JavaScript runtime.
 *
 *   const conn = await connect({ host: 'example.com', port: 443, ca: pem });
 *   await conn.write(bytes); const reply = await conn.read(); await conn.close();
 */
import { TlsConnection } from './connection.js';
import { TlsError } from './errors.js';
import { resolveOptions, type ConnectOptions } from './options.js';
import { dialTcp } from './transport/dial.js';
import { TransportError, type Transport } from './transport/types.js';

export { TlsConnection } from './connection.js';
export { TlsError, type AlertName } from './errors.js';
export type { ConnectOptions } from './options.js';
export type { ConnectionInfo, PeerCertificate } from './info.js';
export type { Transport } from './transport/types.js';
export { TransportError } from './transport/types.js';
export { memoryPair } from './transport/memory.js';
export { streamTransport } from './transport/streams.js';
export { websocketTransport, relayUrl } from './transport/websocket.js';
export { GATEWAY_CLIENT_CERTIFICATE_POLICY, type ClientCertificatePolicy, type ExternalSigner, type IdentityInput } from './identity.js';
export type { CertificateRequestInfo, ClientIdentity } from './handshake/client-auth.js';
export type { TlsSession } from './handshake/config.js';

/** Opens a TLS connection: over `options.transport`, or by dialling `host:port` with the runtime's TCP (or `relay`). */
export async function connect(options: ConnectOptions): Promise<TlsConnection> {
  const resolved = resolveOptions(options);
  let transport: Transport | undefined = options.transport;
  if (!transport) {
    if (!options.host || !options.port) throw new TlsError('config', 'no_transport', 'tls: pass `transport`, or `host` and `port`');
    try {
      transport = await dialTcp(options.host, options.port, { timeoutMs: resolved.timeoutMs, ...(options.relay ? { relay: options.relay } : {}) });
    } catch (e) {
      if (e instanceof TransportError && e.reason === 'no_tcp') throw new TlsError('config', 'no_tcp', `tls: ${e.message}`, { cause: e });
      if (e instanceof TransportError) throw new TlsError('transport', e.reason, `tls: ${e.message}`, { cause: e });
      throw new TlsError('transport', 'connect_failed', `tls: ${(e as Error)?.message ?? e}`, { cause: e });
    }
  }
  return TlsConnection.handshake(transport, options, resolved);
}
