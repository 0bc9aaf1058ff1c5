/**
 * isotls: a TLS 1.3 client in TypeScript for every JavaScript runtime.
 *
 *   const conn = await connect({ host: 'example.com', port: 443, ca: pem });
 *   await conn.write(bytes); const reply = await conn.read(); await conn.close();
 */
import { TlsConnection } from './connection.js';
import { TlsError } from './errors.js';
import { resolveOptions, type ConnectOptions } from './options.js';
import type { Transport } from './transport/types.js';

export { TlsConnection } from './connection.js';
export { TlsError, type AlertName } from './errors.js';
export type { ConnectOptions } from './options.js';
export type { ConnectionInfo, PeerCertificate } from './info.js';
export type { Transport } from './transport/types.js';
export { TransportError } from './transport/types.js';
export { memoryPair } from './transport/memory.js';
export { streamTransport } from './transport/streams.js';
export { GATEWAY_CLIENT_CERTIFICATE_POLICY, type ClientCertificatePolicy, type ExternalSigner, type IdentityInput } from './identity.js';
export type { CertificateRequestInfo, ClientIdentity } from './handshake/client-auth.js';
export type { TlsSession } from './handshake/config.js';

/** Opens a TLS connection: over `options.transport`, or by dialling `host:port` with the runtime's TCP. */
export async function connect(options: ConnectOptions): Promise<TlsConnection> {
  const resolved = resolveOptions(options);
  let transport: Transport | undefined = options.transport;
  if (!transport) {
    if (!options.host || !options.port) throw new TlsError('config', 'no_transport', 'tls: pass `transport`, or `host` and `port`');
    transport = await dialTcp(options.host, options.port, resolved.timeoutMs);
  }
  return TlsConnection.handshake(transport, options, resolved);
}

/** The runtime's own TCP, loaded on demand so the core has no static node:* import. */
async function dialTcp(host: string, port: number, timeoutMs: number): Promise<Transport> {
  const g = globalThis as { process?: { versions?: { node?: string } } };
  if (!g.process?.versions?.node) {
    throw new TlsError('config', 'no_tcp', 'tls: this runtime has no TCP adapter built in; pass a `transport` (a WebSocket relay in browsers, or a { readable, writable } socket via streamTransport)');
  }
  const path = './transport/node-tcp.js';
  const mod = (await import(/* @vite-ignore */ path)) as typeof import('./transport/node-tcp.js');
  try {
    return await mod.nodeTcpConnect(host, port, { timeoutMs });
  } catch (e) {
    throw new TlsError('transport', 'connect_failed', `tls: ${(e as Error).message}`, { cause: e });
  }
}
