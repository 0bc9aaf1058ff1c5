import { TransportError, type Transport } from './types.js';

/**
 * A Transport over any WHATWG `{ readable, writable }` pair (Deno.Conn-style
 * sockets, Workers sockets, TransformStreams). Reads pull from the reader;
 * writes await the writer, which carries the stream's backpressure.
 */
export function streamTransport(pair: { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> }): Transport {
  const reader = pair.readable.getReader();
  const writer = pair.writable.getWriter();
  let closed = false;
  return {
    async read() {
      try {
        const r = await reader.read();
        return r.done ? null : r.value;
      } catch (e) {
        throw new TransportError('read_failed', `transport read failed: ${(e as Error)?.message ?? e}`, { cause: e });
      }
    },
    async write(data) {
      try { await writer.write(data); } catch (e) { throw new TransportError('write_failed', `transport write failed: ${(e as Error)?.message ?? e}`, { cause: e }); }
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([writer.close(), reader.cancel()]);
    },
  };
}
