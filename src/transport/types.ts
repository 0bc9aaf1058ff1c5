/**
 * A byte pipe to the peer. It knows nothing of TLS: the connection reads
 * whatever bytes arrived and writes whole records. A new runtime needs only
 * these three functions.
 */
export interface Transport {
  /** The next bytes from the peer, or null once the peer has closed its side. */
  read(): Promise<Uint8Array | null>;
  /** Resolves when the bytes have been handed to the runtime (this is the backpressure point). */
  write(data: Uint8Array): Promise<void>;
  /** Closes both directions; safe to call more than once. */
  close(): Promise<void>;
  /** Optional (Node, Bun, Deno): whether this connection keeps the process alive; pools turn it off while a connection is idle. */
  keepProcessAlive?(keep: boolean): void;
}

/** Thrown by transports; the connection turns it into a TlsError with code `transport/...`. */
export class TransportError extends Error {
  /** `reason` becomes the second half of the connection's `transport/<reason>` error code. */
  constructor(readonly reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
  }
}
