import { ChunkQueue } from './queue.js';
import { TransportError, type Transport } from './types.js';

/** Above this many unread bytes the socket is paused until the reader catches up (read backpressure). */
const HIGH_WATER = 1 << 20;

/** The parts of a `node:net` Socket the adapter uses; typed here so this file needs no `node:*` import. */
export interface NodeLikeSocket {
  /** Turns Nagle's algorithm off (records go out as written). */
  setNoDelay(noDelay?: boolean): unknown;
  /** Bytes arrived. */
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  /** The peer ended its side, or the socket closed. */
  on(event: 'end' | 'close', listener: () => void): unknown;
  /** The socket failed. */
  on(event: 'error', listener: (err: Error) => void): unknown;
  /** The TCP connection is established. */
  once(event: 'connect', listener: () => void): unknown;
  /** Stops 'data' events (read backpressure). */
  pause(): unknown;
  /** Restarts 'data' events. */
  resume(): unknown;
  /** Whether 'data' events are stopped. */
  isPaused(): boolean;
  /** Queues bytes; `cb` runs when they are handed to the OS (or failed). */
  write(data: Uint8Array, cb: (err?: Error | null) => void): boolean;
  /** Ends our side (TCP FIN). */
  end(cb?: () => void): unknown;
  /** Closes the socket at once. */
  destroy(err?: Error): unknown;
  readonly destroyed: boolean;
  readonly writable: boolean;
  /** Lets the socket keep the process alive (the default). */
  ref?(): unknown;
  /** Lets the process exit while only this socket is open. */
  unref?(): unknown;
}

/** The `node:net` module surface used to dial (Node and Bun both provide it). */
export interface NodeNetModule {
  connect(options: { host: string; port: number }): NodeLikeSocket;
}

/**
 * Dials `host:port` with a `node:net` module and wraps the socket as a
 * Transport. The module is passed in so `connect()` can load it at run time
 * without a static `node:*` import in the core.
 */
export function nodeSocketConnect(net: NodeNetModule, host: string, port: number, options: { timeoutMs?: number } = {}): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let connected = false;
    const timer = options.timeoutMs ? setTimeout(() => socket.destroy(new Error(`TCP connect to ${host}:${port} timed out after ${options.timeoutMs} ms`)), options.timeoutMs) : undefined;
    socket.on('error', (err: Error) => {
      if (connected) return; // the transport's own listener reports it
      clearTimeout(timer);
      reject(new TransportError('connect_failed', `cannot connect to ${host}:${port}: ${err.message}`, { cause: err }));
    });
    socket.once('connect', () => {
      connected = true;
      clearTimeout(timer);
      resolve(nodeSocketTransport(socket));
    });
  });
}

/**
 * A connected `node:net` socket as a Transport: also how STARTTLS works, by
 * handing over a socket that already spoke plaintext (SMTP, IMAP, PostgreSQL's
 * SSLRequest). Remove your own 'data' listeners first, and pass as `prefix`
 * any bytes you read past the point where TLS begins; they are read first.
 */
export function nodeSocketTransport(socket: NodeLikeSocket, options: { prefix?: Uint8Array } = {}): Transport {
  socket.setNoDelay(true);
  const inbox = new ChunkQueue();
  if (options.prefix?.length) inbox.push(options.prefix.slice());
  socket.on('data', (chunk: Uint8Array) => {
    inbox.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (inbox.bytes > HIGH_WATER && !socket.isPaused()) socket.pause();
  });
  socket.on('end', () => inbox.end());
  socket.on('close', () => inbox.end());
  socket.on('error', (err: Error) => inbox.end(new TransportError('socket_error', `socket error: ${err.message}`, { cause: err })));
  if (socket.isPaused()) socket.resume(); // a socket the caller paused during its plaintext phase flows again
  return {
    async read() {
      const c = await inbox.read();
      if (socket.isPaused() && inbox.bytes < HIGH_WATER / 2) socket.resume();
      return c;
    },
    write(data) {
      // Resolves when the runtime has taken the bytes: the caller waits, which is the write backpressure.
      return new Promise<void>((res, rej) => {
        if (socket.destroyed || !socket.writable) { rej(new TransportError('closed', 'socket is closed')); return; }
        socket.write(data, (err) => (err ? rej(new TransportError('write_failed', `socket write failed: ${err.message}`, { cause: err })) : res()));
      });
    },
    keepProcessAlive(keep: boolean) {
      if (keep) socket.ref?.(); else socket.unref?.();
    },
    async close() {
      if (socket.destroyed) return;
      await new Promise<void>((res) => { socket.end(() => res()); setTimeout(res, 1000); });
      socket.destroy();
    },
  };
}
