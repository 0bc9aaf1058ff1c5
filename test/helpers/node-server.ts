import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { pki, serverIdentity, type ServerKeyType } from './pki.js';

export interface NodeServerOptions {
  key?: ServerKeyType | 'expired' | 'other';
  /** TLS 1.3 suites, OpenSSL names joined by ':' (Node takes them in `ciphersuites`... via `ciphers`). */
  ciphersuites?: string;
  ecdhCurve?: string;
  alpn?: string[];
  /** Ask for a client certificate; `require` also rejects clients without one. */
  clientCert?: 'request' | 'require';
  /** 'echo' (default) or a function handling each socket. */
  handler?: (socket: tls.TLSSocket) => void;
}

/** Starts Node's TLS server on 127.0.0.1 with an ephemeral port. Stop it with `close()`. */
export async function startNodeTlsServer(o: NodeServerOptions = {}): Promise<{ port: number; server: tls.Server; close: () => Promise<void>; sockets: Set<tls.TLSSocket> }> {
  const id = serverIdentity(o.key ?? 'ecdsa');
  const sockets = new Set<tls.TLSSocket>();
  const server = tls.createServer({
    cert: id.cert, key: id.key, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3',
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port, server, sockets,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}
