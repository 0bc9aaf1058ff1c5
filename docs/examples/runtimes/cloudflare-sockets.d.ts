// Types for the Workers built-in module used by workers.ts (normally from @cloudflare/workers-types).
declare module 'cloudflare:sockets' {
  export function connect(address: { hostname: string; port: number }, options?: { secureTransport?: 'off' | 'on' | 'starttls' }): {
    readable: ReadableStream<Uint8Array>;
    writable: WritableStream<Uint8Array>;
    opened: Promise<unknown>;
    closed: Promise<void>;
    close(): Promise<void>;
  };
}
