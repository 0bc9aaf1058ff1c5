/** A request body ready to send: its length when known, and a way to (re)open it. */
export interface RequestBody {
  /** Bytes, or a stream to be sent chunked (or with `length` as Content-Length). */
  open(): Uint8Array | ReadableStream<Uint8Array>;
  /** The Content-Length, when known before sending. */
  length: number | undefined;
  /** The Content-Type the body type implies (Fetch standard "extract a body"), when the caller set none. */
  contentType: string | undefined;
  /** Whether `open()` may be called again (a redirect or a retry on a fresh connection). */
  replayable: boolean;
}

/**
 * The Fetch standard's body extraction: a ReadableStream is streamed once; a
 * Blob is streamed with its size; strings, URLSearchParams, FormData (multipart
 * with its boundary), ArrayBuffers and views are encoded by the runtime's own
 * `Response` so the bytes and Content-Type match what the platform sends.
 */
export async function extractBody(body: unknown): Promise<RequestBody | null> {
  if (body === null || body === undefined) return null;
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) {
    let used = false;
    return {
      open: () => { if (used) throw new TypeError('a ReadableStream request body can be sent only once'); used = true; return body as ReadableStream<Uint8Array>; },
      length: undefined, contentType: undefined, replayable: false,
    };
  }
  if (typeof Blob !== 'undefined' && body instanceof Blob) {
    return { open: () => body.stream() as ReadableStream<Uint8Array>, length: body.size, contentType: body.type || undefined, replayable: true };
  }
  const encoded = new Response(body as ConstructorParameters<typeof Response>[0]);
  const bytes = new Uint8Array(await encoded.arrayBuffer());
  return { open: () => bytes, length: bytes.length, contentType: encoded.headers.get('content-type') ?? undefined, replayable: true };
}
