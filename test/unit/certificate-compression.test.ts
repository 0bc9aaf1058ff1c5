import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { TlsError } from '../../src/errors.js';
import { decompressCertificate, runtimeCertCompression } from '../../src/handshake/certificate-compression.js';

/** RFC 8879 decompression limits: declared size checked first, inflation stopped at it, exact length required. */
const code = async (p: Promise<unknown>) => { try { await p; return 'ok'; } catch (e) { assert.ok(e instanceof TlsError, String(e)); return e.code; } };

describe('certificate compression (RFC 8879) limits', () => {
  const message = new Uint8Array(5000).map((_, i) => (i * 31) & 0xff);
  const z = new Uint8Array(deflateSync(message));

  it('this runtime offers zlib (DecompressionStream "deflate")', () => {
    assert.ok(runtimeCertCompression().includes('zlib'));
  });
  it('inflates a zlib CompressedCertificate of the declared length', async () => {
    const out = await decompressCertificate({ algorithm: 1, uncompressedLength: message.length, compressed: z }, [1], 1 << 18);
    assert.deepEqual(out, message);
  });
  it('refuses an algorithm it did not offer, and a declared size over the limit before inflating', async () => {
    assert.equal(await code(decompressCertificate({ algorithm: 2, uncompressedLength: message.length, compressed: z }, [1], 1 << 18)), 'illegal_parameter/unoffered_certificate_compression');
    assert.equal(await code(decompressCertificate({ algorithm: 1, uncompressedLength: (1 << 18) + 1, compressed: z }, [1], 1 << 18)), 'bad_certificate/compressed_certificate_too_large');
  });
  it('a decompression bomb stops at the declared length: 64 MiB of zeros declared as 1 KiB', async () => {
    const bomb = new Uint8Array(deflateSync(Buffer.alloc(64 << 20)));
    const t0 = Date.now();
    assert.equal(await code(decompressCertificate({ algorithm: 1, uncompressedLength: 1024, compressed: bomb }, [1], 1 << 18)), 'bad_certificate/compressed_certificate_length_mismatch');
    assert.ok(Date.now() - t0 < 2000, 'stopped early, not after inflating 64 MiB');
  });
  it('shorter than declared, or not zlib at all, is bad_certificate', async () => {
    assert.equal(await code(decompressCertificate({ algorithm: 1, uncompressedLength: message.length + 1, compressed: z }, [1], 1 << 18)), 'bad_certificate/compressed_certificate_length_mismatch');
    assert.equal(await code(decompressCertificate({ algorithm: 1, uncompressedLength: 10, compressed: new Uint8Array([1, 2, 3, 4, 5]) }, [1], 1 << 18)), 'bad_certificate/bad_compressed_certificate');
  });
});
