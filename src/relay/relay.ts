import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import { encodeClose, encodeFrame, FrameDecoder, FrameError, Opcode } from './frames.js';

/**
 * A WebSocket→TCP relay for browsers: a page opens
 * `ws://relay/?target=host:port` and the relay forwards binary messages to
 * that TCP address and back. The TLS inside stays end to end; the relay sees
 * only ciphertext. It is not an open proxy: see docs/runtimes.md, "The relay's
 * security model".
 */
export interface RelayOptions {
  /** `host:port` targets the relay may reach; `host:*` allows every port. Default: loopback hosts only. */
  allow?: string[];
  /** Allowed `Origin` header values, or '*'. Default: pages served from loopback (http(s)://127.0.0.1, localhost, [::1]). */
  origins?: string[] | '*';
  /** Concurrent relayed connections. Default 64. */
  maxConnections?: number;
  /** Bytes relayed per connection, both directions together. Default 256 MiB. */
  maxBytesPerConnection?: number;
  /** Largest WebSocket frame payload accepted from a client. Default 1 MiB. */
  maxFrameBytes?: number;
  /** A connection with no traffic for this long is closed. Default 60 000 ms. */
  idleTimeoutMs?: number;
  /** Time allowed to reach the target. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Refuse a client whose first bytes are not a TLS handshake record (so the relay cannot carry other protocols). Default true. */
  requireTls?: boolean;
  /** Receives one line per event (accepted, refused, closed) for logs. */
  log?: (line: string) => void;
}

/** A relay made by `createRelay`: listen, close, and counters. */
export interface Relay {
  /** Handles an HTTP upgrade request; attach to an existing server's 'upgrade' event. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Uint8Array): void;
  /** Starts a standalone relay server on `host` (default 127.0.0.1) and `port` (0 = any free port). */
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  /** Stops accepting, closes every relayed connection and the server. */
  close(): Promise<void>;
  /** Current and total counts, for monitoring and tests. */
  readonly stats: { active: number; accepted: number; refused: number; bytes: number };
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Makes the WebSocket→TCP relay for runtimes without TCP (browsers): forwards only to the `allow` list, checks Origin, lets only TLS through. Call `listen()` to start it. */
export function createRelay(options: RelayOptions = {}): Relay {
  const allow = new Set(options.allow ?? LOOPBACK_HOSTS.map((h) => `${h}:*`));
  const maxConnections = options.maxConnections ?? 64;
  const maxBytes = options.maxBytesPerConnection ?? 256 * 1024 * 1024;
  const maxFrame = options.maxFrameBytes ?? 1024 * 1024;
  const idleMs = options.idleTimeoutMs ?? 60_000;
  const connectMs = options.connectTimeoutMs ?? 10_000;
  const requireTls = options.requireTls ?? true;
  const log = options.log ?? (() => undefined);
  const stats = { active: 0, accepted: 0, refused: 0, bytes: 0 };
  const live = new Set<() => void>();
  let server: Server | undefined;

  const originAllowed = (origin: string | undefined): boolean => {
    if (options.origins === '*') return true;
    if (origin === undefined) return true; // not a browser: Origin is what stops a foreign web page
    if (options.origins) return options.origins.includes(origin);
    try {
      const u = new URL(origin);
      return (u.protocol === 'http:' || u.protocol === 'https:') && LOOPBACK_HOSTS.includes(u.hostname);
    } catch { return false; }
  };

  const targetAllowed = (host: string, port: number): boolean => {
    const h = host.includes(':') ? `[${host}]` : host;
    return allow.has(`${h}:${port}`) || allow.has(`${h}:*`);
  };

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Uint8Array): void {
    const refuseHttp = (status: string, why: string) => {
      stats.refused++;
      log(`refused ${req.socket.remoteAddress}: ${why}`);
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${why}\n`);
    };
    const key = req.headers['sec-websocket-key'];
    if (req.method !== 'GET' || String(req.headers.upgrade).toLowerCase() !== 'websocket' || typeof key !== 'string' || !/^[A-Za-z0-9+/]{22}==$/.test(key)) {
      return refuseHttp('400 Bad Request', 'not a WebSocket upgrade');
    }
    if (req.headers['sec-websocket-version'] !== '13') return refuseHttp('426 Upgrade Required', 'WebSocket version 13 required');
    const origin = req.headers.origin;
    if (!originAllowed(origin)) return refuseHttp('403 Forbidden', `origin ${origin} is not allowed`);

    const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);

    const url = new URL(req.url ?? '/', 'http://relay');
    const target = url.searchParams.get('target');
    let closed = false;
    let tcp: net.Socket | undefined;
    let bytes = 0;
    let sawFirstByte = false;
    const pending: Uint8Array[] = [];
    const closeWs = (code: number, reason: string) => {
      if (closed) return;
      closed = true;
      live.delete(shutdown);
      stats.active--;
      log(`closed ${target ?? '?'}: ${code} ${reason}`);
      if (!socket.destroyed) socket.end(encodeClose(code, reason));
      setTimeout(() => socket.destroy(), 1000).unref();
      tcp?.destroy();
    };
    const shutdown = () => closeWs(1001, 'relay shutting down');
    // Accepted at the WebSocket level so that every refusal below reaches the page as a close reason.
    stats.active++;
    live.add(shutdown);

    const m = target ? /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(target) : null;
    if (!m) { stats.refused++; return closeWs(1008, 'missing or malformed ?target=host:port'); }
    const host = m[1]!.startsWith('[') ? m[1]!.slice(1, -1) : m[1]!;
    const port = Number(m[2]);
    if (port < 1 || port > 65535 || !targetAllowed(host, port)) { stats.refused++; return closeWs(1008, `target ${target} is not in the relay's allowlist`); }
    if (stats.active > maxConnections) { stats.refused++; return closeWs(1013, `connection limit (${maxConnections}) reached`); }
    stats.accepted++;
    log(`accepted ${req.socket.remoteAddress} -> ${target}`);

    const count = (n: number): boolean => {
      bytes += n; stats.bytes += n;
      if (bytes > maxBytes) { closeWs(1009, `byte limit (${maxBytes}) reached`); return false; }
      return true;
    };

    const decoder = new FrameDecoder(maxFrame);
    const toTarget = (payload: Uint8Array) => {
      if (payload.length === 0) return;
      if (requireTls && !sawFirstByte) {
        // A TLS client's first record is a handshake record (type 22, version 3.x).
        if (payload[0] !== 0x16 || (payload.length > 1 && payload[1] !== 0x03)) return closeWs(1008, 'the first bytes are not a TLS handshake record');
      }
      sawFirstByte = true;
      if (!count(payload.length)) return;
      if (!tcp || tcp.connecting) { pending.push(payload); return; }
      if (!tcp.write(payload)) { socket.pause(); tcp.once('drain', () => socket.resume()); }
    };
    const onWsData = (chunk: Uint8Array) => {
      decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      try {
        for (let f = decoder.next(); f && !closed; f = decoder.next()) {
          switch (f.opcode) {
            case Opcode.binary: case Opcode.continuation: toTarget(f.payload); break;
            case Opcode.text: return closeWs(1003, 'the relay carries binary messages only');
            case Opcode.ping: socket.write(encodeFrame(Opcode.pong, f.payload)); break;
            case Opcode.pong: break;
            case Opcode.close: return closeWs(1000, 'closed by client');
          }
        }
      } catch (e) {
        if (e instanceof FrameError) return closeWs(e.code, e.message);
        throw e;
      }
    };

    tcp = net.connect({ host, port });
    tcp.setNoDelay(true);
    const connectTimer = setTimeout(() => closeWs(1011, `cannot reach ${target}: timed out`), connectMs);
    socket.pause(); // nothing more is read from the page until the target answers
    tcp.once('connect', () => {
      clearTimeout(connectTimer);
      socket.resume();
      for (const p of pending.splice(0)) tcp!.write(p);
    });
    tcp.on('data', (chunk: Buffer) => {
      if (closed || !count(chunk.length)) return;
      if (!socket.write(encodeFrame(Opcode.binary, chunk))) { tcp!.pause(); socket.once('drain', () => tcp!.resume()); }
    });
    tcp.on('end', () => closeWs(1000, 'target closed'));
    tcp.on('error', (e) => { clearTimeout(connectTimer); closeWs(1011, `target ${target}: ${e.message}`); });
    tcp.setTimeout(idleMs, () => closeWs(1001, 'idle timeout'));

    socket.on('data', onWsData);
    socket.on('error', () => closeWs(1011, 'client socket error'));
    socket.on('close', () => closeWs(1006, 'client went away'));
    if (head.length) onWsData(head);
  }

  return {
    handleUpgrade,
    stats,
    async listen(port = 0, host = '127.0.0.1') {
      server = createServer((_req, res) => { res.writeHead(426, { 'Content-Type': 'text/plain' }); res.end('isotls relay: WebSocket only\n'); });
      server.on('upgrade', handleUpgrade);
      await new Promise<void>((res, rej) => { server!.once('error', rej); server!.listen(port, host, () => res()); });
      const addr = server.address() as net.AddressInfo;
      return { port: addr.port, url: `ws://${host.includes(':') ? `[${host}]` : host}:${addr.port}/` };
    },
    async close() {
      for (const stop of [...live]) stop();
      if (server) await new Promise<void>((res) => { server!.close(() => res()); server!.closeAllConnections?.(); });
    },
  };
}
