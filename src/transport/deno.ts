import { streamTransport } from './streams.js';
import { TransportError, type Transport } from './types.js';

/** The parts of the `Deno` global the adapter uses. */
export interface DenoLike {
  /** `Deno.connect`: a TCP connection with WHATWG streams. */
  connect(options: { hostname: string; port: number; transport: 'tcp' }): Promise<{
    readable: ReadableStream<Uint8Array>;
    writable: WritableStream<Uint8Array>;
    /** Turns Nagle's algorithm off. */
    setNoDelay?(noDelay?: boolean): void;
    /** Keeps the process alive while open (the default). */
    ref?(): void;
    /** Lets the process exit while only this connection is open. */
    unref?(): void;
  }>;
}

/** The `Deno` global, or undefined outside Deno. */
export function denoGlobal(): DenoLike | undefined {
  return (globalThis as { Deno?: DenoLike }).Deno;
}

/** TCP through `Deno.connect` (needs `--allow-net` for the host). */
export async function denoTcpConnect(host: string, port: number): Promise<Transport> {
  const deno = denoGlobal();
  if (!deno) throw new TransportError('no_tcp', 'Deno.connect is not available in this runtime');
  let conn;
  try {
    conn = await deno.connect({ hostname: host, port, transport: 'tcp' });
  } catch (e) {
    throw new TransportError('connect_failed', `cannot connect to ${host}:${port}: ${(e as Error)?.message ?? e}`, { cause: e });
  }
  conn.setNoDelay?.(true);
  const transport = streamTransport(conn);
  return { ...transport, keepProcessAlive: (keep: boolean) => { if (keep) conn.ref?.(); else conn.unref?.(); } };
}
