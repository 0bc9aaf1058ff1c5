/**
 * isotls/tls13: the same client without TLS 1.2 (no CBC, DHE, TLS 1.2 PRF),
 * for bundles where size matters and every server speaks TLS 1.3.
 *
 *   import { connect } from 'isotls/tls13';
 */
import { connectWith } from './connect.js';
import type { TlsConnection } from './connection.js';
import type { ConnectOptions } from './options.js';

export * from './public-api.js';

/** Opens a TLS 1.3 connection; a server that offers only TLS 1.2 fails with protocol_version. */
export function connect(options: ConnectOptions): Promise<TlsConnection> {
  return connectWith(options);
}
