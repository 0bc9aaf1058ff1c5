import assert from 'node:assert/strict';
import { Reader } from '../../src/bytes/reader.js';
import { Writer } from '../../src/bytes/writer.js';
import { decodePem, encodePem } from '../../src/bytes/pem.js';
import { fromBase64, fromHex, toBase64, toHex } from '../../src/bytes/encoding.js';
import { TlsError } from '../../src/errors.js';

describe('bytes', () => {
  it('Writer patches vector lengths and Reader reads them back', () => {
    const b = new Writer(2).u8(1).u16Vector((w) => w.u24(0x010203).opaque8(new Uint8Array([9, 9]))).u32(0xdeadbeef).finish();
    assert.equal(toHex(b), '0100060102030209' + '09deadbeef');
    const r = new Reader(b);
    assert.equal(r.u8(), 1);
    const v = r.vec16();
    assert.equal(v.u24(), 0x010203);
    assert.deepEqual(v.opaque8(), new Uint8Array([9, 9]));
    v.end();
    assert.equal(r.u32(), 0xdeadbeef);
    r.end();
  });
  it('Reader refuses to read past a sub-vector or the end, and rejects trailing bytes', () => {
    const r = new Reader(new Uint8Array([0, 2, 1, 2, 3]), 'test');
    const v = r.vec16();
    v.u16();
    assert.throws(() => v.u8(), (e: TlsError) => e.code === 'decode_error/truncated');
    assert.throws(() => r.end(), (e: TlsError) => e.code === 'decode_error/trailing_bytes');
    assert.throws(() => new Reader(new Uint8Array([0, 9, 1])).opaque16(), (e: TlsError) => e.code === 'decode_error/truncated');
    assert.throws(() => new Reader(new Uint8Array([0])).opaque8('x', 1), (e: TlsError) => e.code === 'decode_error/short_vector');
  });
  it('Writer refuses a vector longer than its length prefix', () => {
    assert.throws(() => new Writer().u8Vector((w) => w.bytes(new Uint8Array(256))), RangeError);
  });
  it('hex, base64 and PEM round-trip and agree with Buffer', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 63, 64, 65, 1000]) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);
      assert.equal(toBase64(b), Buffer.from(b).toString('base64'));
      assert.deepEqual(fromBase64(toBase64(b)), b);
      assert.deepEqual(fromHex(toHex(b)), b);
      const pem = encodePem('CERTIFICATE', b);
      assert.deepEqual(decodePem(`junk\n${pem}more junk\n${pem}`).map((x) => x.der), [b, b]);
    }
    assert.throws(() => fromHex('abc'));
    assert.throws(() => fromBase64('ab$d'));
  });
});
