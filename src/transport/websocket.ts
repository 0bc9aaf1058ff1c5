import { ChunkQueue } from './queue.js';
import { runtimeImport } from './runtime-import.js';
import { TransportError, type Transport } from './types.js';

/** Writes wait while more than this many bytes sit in the WebSocket's send buffer. */
const SEND_HIGH_WATER = 1 << 20;

/** The WHATWG WebSocket surface used here (browsers, Deno, Bun, Workers, Node ≥ 22). */
export interface WebSocketLike {
  binaryType: string;
  readonly bufferedAmount: number;
  readonly readyState: number;
  /** Sends one binary message. */
  send(data: Uint8Array): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** 'open', 'message', 'close', 'error'. */
  addEventListener(type: string, listener: (ev: any) => void): void;
}
/** A WebSocket constructor (the global one, the `ws` package's, or one passed in). */
export type WebSocketCtor = new (url: string) => WebSocketLike;

/** The `ws` package's WebSocket (it has the WHATWG event API this file uses), if it is installed. */
async function wsPackage(): Promise<WebSocketCtor | undefined> {
  try {
    const m = (await runtimeImport('ws')) as { WebSocket?: WebSocketCtor; default?: WebSocketCtor | { WebSocket?: WebSocketCtor } };
    const d = m.default as { WebSocket?: WebSocketCtor } | WebSocketCtor | undefined;
    return m.WebSocket ?? (typeof d === 'function' ? d : d?.WebSocket);
  } catch {
    return undefined;
  }
}

/**
 * The URL of an isotls relay (`isotls/relay`) that forwards to `host:port`.
 * `relay` is the relay's ws:// or wss:// address.
 */
export function relayUrl(relay: string, host: string, port: number): string {
  const u = new URL(relay);
  u.searchParams.set('target', `${host.includes(':') ? `[${host}]` : host}:${port}`);
  return u.toString();
}

/**
 * A Transport over a WebSocket carrying raw TLS records in binary messages,
 * as `isotls/relay` speaks. The TLS stays end to end: the relay sees only
 * ciphertext. Pass a URL, or a WebSocket you created (not yet open or open).
 */
export async function websocketTransport(target: string | WebSocketLike, options: { timeoutMs?: number; WebSocket?: WebSocketCtor } = {}): Promise<Transport> {
  let ws: WebSocketLike;
  if (typeof target === 'string') {
    // Node 20 has no global WebSocket without a flag: the `ws` package, when installed, stands in
    const Ctor = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketCtor }).WebSocket ?? await wsPackage();
    if (!Ctor) return Promise.reject(new TransportError('no_websocket', 'this runtime has no WebSocket: pass options.WebSocket, install the `ws` package, or (Node 20) run with --experimental-websocket'));
    try { ws = new Ctor(target); } catch (e) {
      return Promise.reject(new TransportError('connect_failed', `cannot open WebSocket ${target}: ${(e as Error)?.message ?? e}`, { cause: e }));
    }
  } else {
    ws = target;
  }
  ws.binaryType = 'arraybuffer';
  const inbox = new ChunkQueue();
  let opened = ws.readyState === 1;

  return new Promise((resolve, reject) => {
    const timer = options.timeoutMs && !opened ? setTimeout(() => { reject(new TransportError('connect_failed', `WebSocket did not open within ${options.timeoutMs} ms`)); ws.close(); }, options.timeoutMs) : undefined;
    ws.addEventListener('message', (ev: { data: unknown }) => {
      if (ev.data instanceof ArrayBuffer) inbox.push(new Uint8Array(ev.data));
      else if (ArrayBuffer.isView(ev.data)) inbox.push(new Uint8Array(ev.data.buffer, ev.data.byteOffset, ev.data.byteLength));
      else inbox.end(new TransportError('protocol', 'the WebSocket peer sent a text message; a TLS relay sends only binary messages'));
    });
    ws.addEventListener('close', (ev: { code: number; reason: string }) => {
      clearTimeout(timer);
      // 1000 (normal) and 1005 (no status) end the byte stream; TLS then decides whether that was a clean close.
      if (ev.code === 1000 || ev.code === 1005) inbox.end();
      else inbox.end(new TransportError(ev.code === 1008 ? 'relay_refused' : 'closed', `WebSocket closed with code ${ev.code}${ev.reason ? `: ${ev.reason}` : ''}`));
      if (!opened) reject(new TransportError(ev.code === 1008 ? 'relay_refused' : 'connect_failed', `WebSocket closed before opening (code ${ev.code}${ev.reason ? `: ${ev.reason}` : ''})`));
    });
    ws.addEventListener('error', () => {
      // Browsers give no detail here; the close event that follows carries the code.
      inbox.end(new TransportError('socket_error', 'WebSocket error'));
    });
    const ready = () => {
      opened = true;
      clearTimeout(timer);
      resolve({
        read: () => inbox.read(),
        async write(data) {
          if (ws.readyState !== 1) throw new TransportError('closed', 'WebSocket is closed');
          ws.send(data);
          // WebSocket.send never blocks; waiting for the buffer to drain is the write backpressure.
          while (ws.bufferedAmount > SEND_HIGH_WATER && ws.readyState === 1) await new Promise((r) => setTimeout(r, 5));
        },
        async close() {
          if (ws.readyState === 0 || ws.readyState === 1) ws.close(1000);
          inbox.end();
        },
      });
    };
    if (opened) ready(); else ws.addEventListener('open', ready);
  });
}
