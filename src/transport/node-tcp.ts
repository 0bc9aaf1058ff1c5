import * as net from 'node:net';
import { ChunkQueue } from './queue.js';
import { TransportError, type Transport } from './types.js';

/** Above this many buffered bytes the socket is paused until the reader catches up. */
const HIGH_WATER = 1 << 20;

/**
 * TCP through `node:net` (Node and Bun). Imported dynamically by `connect()`
 * so the core never has a static `node:*` import.
 */
export function nodeTcpConnect(host: string, port: number, options: { timeoutMs?: number } = {}): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    const inbox = new ChunkQueue();
    let connected = false;
    const timer = options.timeoutMs ? setTimeout(() => socket.destroy(new Error(`TCP connect to ${host}:${port} timed out after ${options.timeoutMs} ms`)), options.timeoutMs) : undefined;
    socket.on('data', (chunk: Buffer) => {
      inbox.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if (inbox.bytes > HIGH_WATER) socket.pause();
    });
    socket.on('end', () => inbox.end());
    socket.on('close', () => inbox.end());
    socket.on('error', (err) => {
      const e = new TransportError(connected ? 'socket_error' : 'connect_failed', `${connected ? 'socket error' : `cannot connect to ${host}:${port}`}: ${err.message}`, { cause: err });
      inbox.end(e);
      if (!connected) { clearTimeout(timer); reject(e); }
    });
    socket.once('connect', () => {
      connected = true;
      clearTimeout(timer);
      resolve({
        async read() {
          const c = await inbox.read();
          if (socket.isPaused() && inbox.bytes < HIGH_WATER / 2) socket.resume();
          return c;
        },
        write(data) {
          return new Promise<void>((res, rej) => {
            if (socket.destroyed || !socket.writable) { rej(new TransportError('closed', 'socket is closed')); return; }
            socket.write(data, (err) => (err ? rej(new TransportError('write_failed', `socket write failed: ${err.message}`, { cause: err })) : res()));
          });
        },
        async close() {
          if (socket.destroyed) return;
          await new Promise<void>((res) => { socket.end(() => res()); setTimeout(res, 1000); });
          socket.destroy();
        },
      });
    });
  });
}
