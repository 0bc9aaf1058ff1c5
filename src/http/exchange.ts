import type { RequestBody } from './request-body.js';

/**
 * What the client asks of a connection, whichever HTTP version it speaks:
 * HTTP/1.1 (h1-connection.ts) and HTTP/2 (h2/session.ts) both implement `exchange`.
 */

/** What an HTTP connection runs over: a TlsConnection's read/write/close. */
export interface Duplex {
  read(): Promise<Uint8Array | null>;
  write(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /** Whether the connection keeps the process alive (off while idle in the pool). */
  keepProcessAlive?(keep: boolean): void;
}

/** One request as the connection sends it. */
export interface ExchangeRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: RequestBody | null;
  /** Limit of the response's header section (and of its trailers). */
  maxHeaderSize: number;
  /** When it aborts, the body stream errors with its reason (the caller closes the connection). */
  signal?: AbortSignal | undefined;
}

/** The response head and its body stream (null for responses without content). */
export interface ExchangeResponse {
  status: number;
  statusText: string;
  fields: [string, string][];
  body: ReadableStream<Uint8Array> | null;
}

/**
 * Thrown when a request cannot have been processed (a kept-alive HTTP/1.1 connection closed before any
 * response byte; an HTTP/2 stream refused or above a GOAWAY's last stream): it may be retried on another connection.
 */
export class StaleConnectionError extends Error {
  constructor(override readonly cause: unknown) { super('the kept-alive connection was closed by the server'); }
}
