import { TlsError } from '../errors.js';
import type { CompressedCertificate } from '../wire/tls13-messages.js';

/** RFC 8879 §3 CertificateCompressionAlgorithm code points, and the names `info.certificateCompression` reports. */
export const CERT_COMPRESSION: Record<'zlib' | 'brotli', number> = { zlib: 1, brotli: 2 };
const FORMAT: Record<number, 'deflate' | 'brotli'> = { 1: 'deflate', 2: 'brotli' };
export const nameOfCertCompression = (id: number): 'zlib' | 'brotli' => (id === 1 ? 'zlib' : 'brotli');

/** The algorithms this runtime can decompress: zlib ("deflate" in the Compression Streams standard), brotli where offered. */
export function runtimeCertCompression(): ('zlib' | 'brotli')[] {
  const can = (format: string) => {
    try { new (globalThis as { DecompressionStream?: new (f: string) => unknown }).DecompressionStream!(format); return true; } catch { return false; }
  };
  if (typeof (globalThis as { DecompressionStream?: unknown }).DecompressionStream !== 'function') return [];
  return [...(can('deflate') ? ['zlib' as const] : []), ...(can('brotli') ? ['brotli' as const] : [])];
}

const bad = (reason: string, why: string) => new TlsError('bad_certificate', reason, `tls: ${why}`);

/**
 * RFC 8879 §4: the Certificate message inside a CompressedCertificate. The
 * declared length is checked against `limit` before anything is inflated,
 * inflation stops as soon as the output would pass the declared length (no
 * decompression bomb gets further), and the result must have exactly that
 * length; a stream that does not decompress is bad_certificate.
 */
export async function decompressCertificate(cc: CompressedCertificate, offered: readonly number[], limit: number): Promise<Uint8Array> {
  if (!offered.includes(cc.algorithm)) throw new TlsError('illegal_parameter', 'unoffered_certificate_compression', `tls: the server compressed its certificate with algorithm ${cc.algorithm}, which the client did not offer`);
  if (cc.uncompressedLength > limit) throw bad('compressed_certificate_too_large', `the compressed certificate declares ${cc.uncompressedLength} bytes, more than the ${limit}-byte limit (maxHandshakeMessageSize)`);
  const Ds = (globalThis as { DecompressionStream?: new (f: string) => { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> } }).DecompressionStream!;
  const stream = new Ds(FORMAT[cc.algorithm]!);
  const writer = stream.writable.getWriter();
  writer.write(cc.compressed).then(() => writer.close()).catch(() => undefined);
  const reader = stream.readable.getReader();
  const out = new Uint8Array(cc.uncompressedLength);
  let n = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (n + value.length > out.length) {
        await reader.cancel().catch(() => undefined);
        throw bad('compressed_certificate_length_mismatch', `the compressed certificate inflates to more than its declared ${cc.uncompressedLength} bytes`);
      }
      out.set(value, n);
      n += value.length;
    }
  } catch (e) {
    if (e instanceof TlsError) throw e;
    throw bad('bad_compressed_certificate', `the compressed certificate does not decompress (${nameOfCertCompression(cc.algorithm)}): ${(e as Error)?.message ?? e}`);
  }
  if (n !== cc.uncompressedLength) throw bad('compressed_certificate_length_mismatch', `the compressed certificate inflates to ${n} bytes, not the declared ${cc.uncompressedLength}`);
  return out;
}
