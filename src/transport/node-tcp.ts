import * as net from 'node:net';
import { nodeSocketConnect, type NodeNetModule } from './node-socket.js';

export { nodeSocketTransport, type NodeLikeSocket } from './node-socket.js';
import type { Transport } from './types.js';

export { toNodeDuplex, type ByteStream, type NodeDuplexSocket } from './node-duplex.js';

/**
 * TCP through `node:net` (Node and Bun), for users who build their own
 * transport (`isotls/transport/node`). `connect({ host, port })` reaches the
 * same code without this file's static `node:*` import.
 */
export function nodeTcpConnect(host: string, port: number, options: { timeoutMs?: number } = {}): Promise<Transport> {
  return nodeSocketConnect(net as unknown as NodeNetModule, host, port, options);
}
