import { denoGlobal, denoTcpConnect } from './deno.js';
import { nodeSocketConnect, type NodeNetModule } from './node-socket.js';
import { TransportError, type Transport } from './types.js';
import { runtimeImport } from './runtime-import.js';
import { relayUrl, websocketTransport } from './websocket.js';
import { isWorkers, workersTcpConnect, type WorkersSocketsModule } from './workers.js';


/** Which TCP the current runtime offers. */
export function runtimeTcp(): 'deno' | 'workers' | 'node' | 'none' {
  if (denoGlobal()) return 'deno';
  if (isWorkers()) return 'workers';
  const g = globalThis as { process?: { versions?: { node?: string; bun?: string } } };
  if (g.process?.versions?.node || g.process?.versions?.bun) return 'node';
  return 'none';
}

/**
 * Dials `host:port` with the runtime's own TCP (Deno.connect, Workers
 * `cloudflare:sockets`, `node:net` in Node and Bun), or through a WebSocket
 * relay when `relay` is given.
 */
export async function dialTcp(host: string, port: number, options: { timeoutMs?: number; relay?: string } = {}): Promise<Transport> {
  if (options.relay) return websocketTransport(relayUrl(options.relay, host, port), options);
  switch (runtimeTcp()) {
    case 'deno': return denoTcpConnect(host, port);
    case 'workers': return workersTcpConnect((await runtimeImport('cloudflare:sockets')) as WorkersSocketsModule, host, port);
    case 'node': return nodeSocketConnect((await runtimeImport('node:net')) as NodeNetModule, host, port, options);
    default:
      throw new TransportError('no_tcp', 'this runtime (a browser?) has no TCP socket. Run the isotls relay (`isotls/relay`) next to the server and pass `relay: "wss://relay.example/"`, or pass a `transport` (websocketTransport, streamTransport)');
  }
}
