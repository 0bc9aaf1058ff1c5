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

export * from './public-api.js';
export { memoryPair } from './transport/memory.js';

/** Opens a TLS connection (TLS 1.3 or 1.2): over `options.transport`, or by dialling `host:port` with the runtime's TCP (or `relay`). */
export function connect(options: ConnectOptions): Promise<TlsConnection> {
  return connectWith(options, TLS12_SUPPORT);
}
