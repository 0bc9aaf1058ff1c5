import { streamTransport } from './streams.js';
import { TransportError, type Transport } from './types.js';

/** A socket from `connect()` of `cloudflare:sockets` (Cloudflare Workers, workerd). */
export interface WorkersSocket {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
  opened: Promise<unknown>;
  /** Closes both directions of the socket. */
  close(): Promise<void>;
}

/** The `cloudflare:sockets` module surface used to dial. */
export interface WorkersSocketsModule {
  /** Opens a TCP socket (`secureTransport: "off"`: plain TCP, TLS is isotls's). */
  connect(address: { hostname: string; port: number }, options?: { secureTransport?: 'off' }): WorkersSocket;
}

/**
 * Wraps a Workers socket as a Transport, waiting until it is open so a
 * refused connection fails here rather than at the first read.
 */
export async function workersTransport(socket: WorkersSocket): Promise<Transport> {
  try {
    await socket.opened;
  } catch (e) {
    throw new TransportError('connect_failed', `cannot open the socket: ${(e as Error)?.message ?? e}`, { cause: e });
  }
  const inner = streamTransport(socket);
  return {
    read: () => inner.read(),
    write: (data) => inner.write(data),
    async close() { await inner.close(); await socket.close().catch(() => undefined); },
  };
}

/** Dials `host:port` with a `cloudflare:sockets` module (plain TCP: isotls does the TLS). */
export function workersTcpConnect(sockets: WorkersSocketsModule, host: string, port: number): Promise<Transport> {
  let socket: WorkersSocket;
  try {
    socket = sockets.connect({ hostname: host, port }, { secureTransport: 'off' });
  } catch (e) {
    return Promise.reject(new TransportError('connect_failed', `cannot connect to ${host}:${port}: ${(e as Error)?.message ?? e}`, { cause: e }));
  }
  return workersTransport(socket);
}

/** True inside Cloudflare Workers / workerd. */
export function isWorkers(): boolean {
  return (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === 'Cloudflare-Workers';
}
