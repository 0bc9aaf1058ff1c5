import { formatRecord, RecordTracer } from './trace.js';

/** The Transport shape (declared here: debug/ imports only bytes/ and wire/). */
export interface ByteTransport {
  /** Next bytes, or null at the end. */
  read(): Promise<Uint8Array | null>;
  /** Sends bytes. */
  write(data: Uint8Array): Promise<void>;
  /** Closes both directions. */
  close(): Promise<void>;
}

/**
 * Wraps a transport and logs every TLS record in both directions, annotated
 * from the wire codecs. Pass the result as `transport` to `connect()`.
 */
export function tracingTransport<T extends ByteTransport>(inner: T, log: (line: string) => void): ByteTransport {
  const sent = new RecordTracer('client'), received = new RecordTracer('server');
  return {
    async read() {
      const chunk = await inner.read();
      if (chunk === null) log('← server closed the transport');
      else for (const r of received.push(chunk)) log(formatRecord(r));
      return chunk;
    },
    async write(data) {
      for (const r of sent.push(data)) log(formatRecord(r));
      return inner.write(data);
    },
    close: () => inner.close(),
  };
}

/**
 * Collects `onKeyLog` lines into SSLKEYLOGFILE text for Wireshark
 * (Edit › Preferences › Protocols › TLS › (Pre)-Master-Secret log filename).
 */
export function keyLogCollector(): {
  /** Pass as `connect({ onKeyLog })`. */
  onKeyLog: (line: string) => void;
  /** The lines collected so far, as an SSLKEYLOGFILE. */
  text(): string;
} {
  const lines: string[] = [];
  return { onKeyLog: (line) => { lines.push(line); }, text: () => lines.map((l) => `${l}\n`).join('') };
}
