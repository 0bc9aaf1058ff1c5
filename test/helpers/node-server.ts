import * as tls from 'node:tls';
import { constants } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pki, serverIdentity, type ServerKeyType } from './pki.js';

export interface NodeServerOptions {
  key?: ServerKeyType | 'expired' | 'other';
  /** A certificate chain and key of the test's own, instead of `key`. */
  identity?: { cert: string; key: string };
  /** TLS 1.3 suites, OpenSSL names joined by ':' (Node takes them in `ciphersuites`... via `ciphers`). */
  ciphersuites?: string;
  ecdhCurve?: string;
  alpn?: string[];
  /** Protocol version the server speaks (default TLSv1.3 only). */
  version?: 'TLSv1.2' | 'TLSv1.3';
  /** DHE parameters (PEM) for TLS 1.2 DHE suites. */
  dhparam?: string;
  /** Disable RFC 5077 tickets (so resumption must use the session ID cache). */
  noTickets?: boolean;
  /** Keep a session-ID cache (newSession/resumeSession handlers). */
  sessionIdCache?: boolean;
  /** Ask for a client certificate; `require` also rejects clients without one. */
  clientCert?: 'request' | 'require';
  /** 'echo' (default) or a function handling each socket. */
  handler?: (socket: tls.TLSSocket) => void;
}

/** Starts Node's TLS server on 127.0.0.1 with an ephemeral port. Stop it with `close()`. */
export async function startNodeTlsServer(o: NodeServerOptions = {}): Promise<{ port: number; server: tls.Server; close: () => Promise<void>; sockets: Set<tls.TLSSocket> }> {
  const id = o.identity ?? serverIdentity(o.key ?? 'ecdsa');
  const sockets = new Set<tls.TLSSocket>();
  const server = tls.createServer({
    cert: id.cert, key: id.key, minVersion: o.version ?? 'TLSv1.3', maxVersion: o.version ?? 'TLSv1.3',
    ...(o.dhparam ? { dhparam: o.dhparam } : {}),
    ...(o.noTickets ? { secureOptions: constants.SSL_OP_NO_TICKET } : {}),
    ...(o.ciphersuites ? { ciphers: o.ciphersuites } : {}),
    ...(o.ecdhCurve ? { ecdhCurve: o.ecdhCurve } : {}),
    ...(o.alpn ? { ALPNProtocols: o.alpn } : {}),
    ...(o.clientCert ? { requestCert: true, rejectUnauthorized: o.clientCert === 'require', ca: pki('root-ca.crt') } : {}),
  }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (o.handler) o.handler(socket); else socket.pipe(socket);
  });
  server.on('tlsClientError', () => undefined);
  if (o.sessionIdCache) {
    const cache = new Map<string, Buffer>();
    server.on('newSession', (id: Buffer, data: Buffer, cb: () => void) => { cache.set(id.toString('hex'), data); cb(); });
    server.on('resumeSession', (id: Buffer, cb: (err: Error | null, data: Buffer | null) => void) => cb(null, cache.get(id.toString('hex')) ?? null));
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port, server, sockets,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}
