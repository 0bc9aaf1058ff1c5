/**
 * Content-Encoding (RFC 9110 §8.4) through the runtime's DecompressionStream:
 * gzip (and x-gzip), deflate (the zlib format, as HTTP defines it), and br
 * where the runtime's DecompressionStream knows 'brotli'. Codings are undone
 * in reverse order; an unknown coding leaves the body as it came, as the
 * platform fetch does.
 */
type Format = 'gzip' | 'deflate' | 'brotli';
const FORMATS: Record<string, Format> = { gzip: 'gzip', 'x-gzip': 'gzip', deflate: 'deflate', br: 'brotli' };

let brotli: boolean | undefined;
function supports(format: Format): boolean {
  if (typeof DecompressionStream === 'undefined') return false;
  if (format !== 'brotli') return true;
  if (brotli === undefined) {
    try { new DecompressionStream(format as CompressionFormat); brotli = true; } catch { brotli = false; }
  }
  return brotli;
}

/** The Accept-Encoding this runtime can honour. */
export function acceptEncoding(): string | undefined {
  if (typeof DecompressionStream === 'undefined') return undefined;
  return supports('brotli') ? 'gzip, deflate, br' : 'gzip, deflate';
}

/** The body with the response's content codings undone, or the body unchanged when one is not known. */
export function decodeContent(body: ReadableStream<Uint8Array>, contentEncoding: string | null): ReadableStream<Uint8Array> {
  if (!contentEncoding) return body;
  const codings = contentEncoding.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0 || codings.length > 4) return body;
  const formats = codings.map((c) => FORMATS[c]);
  if (formats.some((f) => f === undefined || !supports(f))) return body;
  let out = body;
  for (const f of formats.reverse()) out = out.pipeThrough(new DecompressionStream(f as CompressionFormat) as unknown as TransformStream<Uint8Array, Uint8Array>);
  return out;
}
