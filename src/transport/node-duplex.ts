import { Duplex } from 'node:stream';

/**
 * What `toNodeDuplex` needs of a connection: a TlsConnection has it (typed
 * structurally, so this transport-layer file does not import the connection
 * layer).
 */
export interface ByteStream {
  /** Next application bytes, or null at the peer's close. */
  read(): Promise<Uint8Array | null>;
  /** Sends application bytes. */
  write(data: Uint8Array): Promise<void>;
  /** Closes (close_notify for a TLS connection). */
  close(): Promise<void>;
  readonly info?: { alpnProtocol: string | false; authorized: boolean; servername?: string | undefined };
}

/** The socket methods Node's HTTP client and drivers call on a connection they were handed. */
export interface NodeDuplexSocket extends Duplex {
  readonly encrypted: true;
  readonly alpnProtocol: string | false;
  readonly authorized: boolean;
  /** Accepted for net.Socket compatibility; the isotls connection already writes each record at once. */
  setNoDelay(noDelay?: boolean): this;
  /** Accepted for net.Socket compatibility; does nothing. */
  setKeepAlive(enable?: boolean, delay?: number): this;
  /** Emits 'timeout' (and calls `callback`) after `ms` without reads or writes; 0 turns it off. */
  setTimeout(ms: number, callback?: () => void): this;
  /** Accepted for net.Socket compatibility; does nothing. */
  ref(): this;
  /** Accepted for net.Socket compatibility; does nothing. */
  unref(): this;
}

/**
 * An isotls connection as a Node `stream.Duplex`, for code that takes a socket:
 * `http.request({ createConnection })`, undici's `connect`, database drivers.
 * Reads pull from the connection only while the stream wants data (backpressure);
 * `end()` sends close_notify; the server's close_notify ends the readable side;
 * a TLS failure destroys the stream with the TlsError.
 */
export function toNodeDuplex(conn: ByteStream): NodeDuplexSocket {
  let pulling = false;
  let idleMs = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const touch = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = idleMs > 0 ? setTimeout(() => socket.emit('timeout'), idleMs) : undefined;
  };
  const socket = new Duplex({
    read() {
      if (pulling) return;
      pulling = true;
      void (async () => {
        try {
          for (;;) {
            const chunk = await conn.read();
            touch();
            if (chunk === null) { socket.push(null); return; }
            if (!socket.push(chunk)) return; // wait for the next read() call
          }
        } catch (e) {
          socket.destroy(e as Error);
        } finally {
          pulling = false;
        }
      })();
    },
    write(chunk: Uint8Array, _encoding, callback) {
      touch();
      conn.write(chunk).then(() => callback(), (e: Error) => callback(e));
    },
    final(callback) {
      conn.close().then(() => callback(), (e: Error) => callback(e));
    },
    destroy(err, callback) {
      if (idleTimer) clearTimeout(idleTimer);
      conn.close().then(() => callback(err), () => callback(err));
    },
  }) as NodeDuplexSocket;
  Object.defineProperties(socket, {
    encrypted: { value: true },
    alpnProtocol: { get: () => conn.info?.alpnProtocol ?? false },
    authorized: { get: () => conn.info?.authorized ?? false },
  });
  socket.setNoDelay = () => socket; // isotls writes each record batch at once; Nagle is the transport's
  socket.setKeepAlive = () => socket;
  socket.setTimeout = (ms, callback) => { idleMs = ms; if (callback) socket.once('timeout', callback); touch(); return socket; };
  socket.ref = () => socket;
  socket.unref = () => socket;
  return socket;
}
