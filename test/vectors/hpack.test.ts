import assert from 'node:assert/strict';
import { decodeInteger, encodeInteger, HpackDecoder, HpackEncoder } from '../../src/http/h2/hpack.js';
import { huffmanDecode, huffmanEncode } from '../../src/http/h2/huffman.js';
import { TlsError } from '../../src/index.js';
import { hex, readVectorJson, toHexString } from '../helpers/vectors.js';

interface Block { hex: string; headers: [string, string][]; table: [string, string][]; tableSize: number }
const doc = readVectorJson<{ integers: { value: number; prefixBits: number; hex: string }[]; sequences: { section: string; maxTableSize: number; blocks: Block[] }[] }>('hpack/rfc7541-appendix-c.json');
const code = (e: unknown) => (e instanceof TlsError ? e.code : String(e));

describe('HPACK (RFC 7541) against its Appendix C examples', () => {
  for (const c of doc.integers) {
    it(`C.1: ${c.value} with a ${c.prefixBits}-bit prefix is ${c.hex}`, () => {
      assert.equal(toHexString(Uint8Array.from(encodeInteger(c.value, c.prefixBits, 0))), c.hex);
      assert.deepEqual(decodeInteger(hex(c.hex), 0, c.prefixBits), [c.value, c.hex.length / 2]);
    });
  }

  for (const seq of doc.sequences) {
    it(`${seq.section}: ${seq.blocks.length} block(s) decoded with the dynamic table evolving as the RFC shows`, () => {
      // The C.5/C.6 decoder has a 256-byte table: the peer announced it with SETTINGS_HEADER_TABLE_SIZE.
      const decoder = new HpackDecoder(seq.maxTableSize);
      for (const block of seq.blocks) {
        assert.deepEqual(decoder.decode(hex(block.hex)), block.headers);
        assert.deepEqual(decoder.dynamicTable, { entries: block.table, size: block.tableSize });
      }
    });
  }

  it('Huffman: the C.4.1 string decodes and our encoding of it is the RFC\'s', () => {
    assert.equal(new TextDecoder().decode(huffmanDecode(hex('f1e3c2e5f23a6ba0ab90f4ff'))), 'www.example.com');
    assert.equal(toHexString(huffmanEncode(new TextEncoder().encode('www.example.com'))), 'f1e3c2e5f23a6ba0ab90f4ff');
    assert.equal(toHexString(huffmanEncode(new TextEncoder().encode('no-cache'))), 'a8eb10649cbf');
    assert.equal(toHexString(huffmanEncode(new TextEncoder().encode('custom-key'))), '25a849e95ba97d7f');
  });

  it('Huffman round trip of every octet value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    assert.deepEqual(huffmanDecode(huffmanEncode(all)), all);
  });

  it('our encoder\'s blocks decode to the same fields (static indexes, literals, never-indexed credentials, Huffman)', () => {
    const fields: [string, string][] = [[':method', 'GET'], [':scheme', 'https'], [':authority', 'api.example.com:8443'], [':path', '/v1/items?x=1'], ['authorization', 'Bearer abc'], ['x-custom', 'Ünïcode-free latin1 \u00ff'], ['accept', '*/*']];
    const enc = new HpackEncoder();
    const dec = new HpackDecoder();
    const first = enc.encode(fields);
    assert.equal(first[0], 0x20, 'the first block sets the peer\'s table to size 0');
    assert.deepEqual(dec.decode(first), fields);
    const second = enc.encode(fields);
    assert.notEqual(second[0], 0x20);
    assert.deepEqual(dec.decode(second), fields);
    assert.equal(dec.dynamicTable.size, 0, 'nothing was added to the peer\'s table');
    // Never-indexed literal with static name index 23 (authorization): 0001 1111, then 23 - 15 = 8.
    assert.ok(toHexString(first).includes('1f08'), 'authorization is a never-indexed literal');
  });

  const refusals: [string, string, number?][] = [
    ['index 0', '80'],
    ['an index beyond both tables', 'be'],
    ['a string longer than the block', '400a6375'],
    ['an integer that never ends', '1fffffffffff'],
    ['an integer above 2^28', '1fffffffff0f'],
    ['a table size update above the advertised size (4097 > 4096)', '3fe21f'],
    ['a table size update after a field', '8220'],
    ['a block ending inside an integer', 'ff'],
  ];
  for (const [name, h] of refusals) {
    it(`refuses ${name}: http/hpack_compression_error`, () => {
      assert.throws(() => new HpackDecoder().decode(hex(h)), (e) => code(e) === 'http/hpack_compression_error');
    });
  }

  it('refuses Huffman padding over 7 bits, padding that is not all ones, and EOS inside a string', () => {
    // 'a' is 00011 (5 bits); pad with 11 ones (two full bytes of padding).
    assert.throws(() => huffmanDecode(hex('1fff')), (e) => code(e) === 'http/hpack_compression_error');
    // 'a' followed by 000 padding (not EOS's ones).
    assert.throws(() => huffmanDecode(hex('18')), (e) => code(e) === 'http/hpack_compression_error');
    assert.throws(() => huffmanDecode(hex('ffffffff')), (e) => code(e) === 'http/hpack_compression_error');
    assert.equal(new TextDecoder().decode(huffmanDecode(hex('1f'))), 'a');
  });

  it('bounds the decoded header list: a small block of repeated indexed fields cannot expand past the limit', () => {
    const dec = new HpackDecoder(4096, 1024);
    // One 500-byte literal added to the table, then referenced (1 byte each) many times.
    const value = 'v'.repeat(500);
    const block = Uint8Array.from([0x40, 0x01, 0x78, ...encodeInteger(500, 7, 0), ...new TextEncoder().encode(value), ...new Array(100).fill(0xbe)]);
    assert.throws(() => dec.decode(block), (e) => code(e) === 'http/header_too_large');
  });
});
