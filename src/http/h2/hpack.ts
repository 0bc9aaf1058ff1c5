import { TlsError } from '../../errors.js';
import { latin1 } from '../http-error.js';
import { huffmanDecode, huffmanEncode, huffmanLength } from './huffman.js';

/** RFC 7541 Appendix A: the static table, index 1–61. */
const STATIC: readonly [string, string][] = [
  [':authority', ''], [':method', 'GET'], [':method', 'POST'], [':path', '/'], [':path', '/index.html'],
  [':scheme', 'http'], [':scheme', 'https'], [':status', '200'], [':status', '204'], [':status', '206'],
  [':status', '304'], [':status', '400'], [':status', '404'], [':status', '500'], ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'], ['accept-language', ''], ['accept-ranges', ''], ['accept', ''], ['access-control-allow-origin', ''],
  ['age', ''], ['allow', ''], ['authorization', ''], ['cache-control', ''], ['content-disposition', ''],
  ['content-encoding', ''], ['content-language', ''], ['content-length', ''], ['content-location', ''], ['content-range', ''],
  ['content-type', ''], ['cookie', ''], ['date', ''], ['etag', ''], ['expect', ''],
  ['expires', ''], ['from', ''], ['host', ''], ['if-match', ''], ['if-modified-since', ''],
  ['if-none-match', ''], ['if-range', ''], ['if-unmodified-since', ''], ['last-modified', ''], ['link', ''],
  ['location', ''], ['max-forwards', ''], ['proxy-authenticate', ''], ['proxy-authorization', ''], ['range', ''],
  ['referer', ''], ['refresh', ''], ['retry-after', ''], ['server', ''], ['set-cookie', ''],
  ['strict-transport-security', ''], ['transfer-encoding', ''], ['user-agent', ''], ['vary', ''], ['via', ''],
  ['www-authenticate', ''],
];

/** Entry overhead in the table size (RFC 7541 §4.1). */
const ENTRY_OVERHEAD = 32;
/** Integers beyond this are refused (no header block needs them; it bounds the continuation bytes too). */
const MAX_INTEGER = 2 ** 28;

const compressionError = (message: string): TlsError => new TlsError('http', 'hpack_compression_error', `http: HPACK: ${message}`);
const bytesOf = (s: string): Uint8Array => { const b = new Uint8Array(s.length); for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff; return b; };

/** Decodes an integer with an N-bit prefix (RFC 7541 §5.1) at `pos`; returns the value and the next position. */
export function decodeInteger(b: Uint8Array, pos: number, prefixBits: number): [number, number] {
  if (pos >= b.length) throw compressionError('a header block ends inside an integer');
  const max = (1 << prefixBits) - 1;
  let value = b[pos]! & max;
  pos++;
  if (value < max) return [value, pos];
  for (let shift = 0; ; shift += 7) {
    if (pos >= b.length) throw compressionError('a header block ends inside an integer');
    const byte = b[pos++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (value > MAX_INTEGER) throw compressionError('an integer larger than any header block needs');
    if ((byte & 0x80) === 0) return [value, pos];
  }
}

/** Encodes `value` with an N-bit prefix, the prefix's high bits set to `flags`. */
export function encodeInteger(value: number, prefixBits: number, flags: number): number[] {
  const max = (1 << prefixBits) - 1;
  if (value < max) return [flags | value];
  const out = [flags | max];
  for (value -= max; value >= 128; value = Math.floor(value / 128)) out.push((value % 128) | 0x80);
  out.push(value);
  return out;
}

/**
 * The HPACK decoder of one HTTP/2 connection (RFC 7541 §3, §6): a dynamic
 * table bounded by the size we advertised, and a bound on each decoded header
 * list (RFC 9113 §6.5.2 SETTINGS_MAX_HEADER_LIST_SIZE) so a small block cannot
 * expand into megabytes of fields.
 */
export class HpackDecoder {
  private readonly table: [string, string][] = [];
  private size = 0;
  private maxSize: number;

  constructor(private readonly settingsMaxSize = 4096, private readonly maxListSize = 64 * 1024) {
    this.maxSize = settingsMaxSize;
  }

  /** The dynamic table, newest first, and its size (for tests). */
  get dynamicTable(): { entries: [string, string][]; size: number } { return { entries: this.table.map((e) => [e[0], e[1]]), size: this.size }; }

  private entry(index: number): [string, string] {
    if (index === 0) throw compressionError('index 0');
    if (index <= STATIC.length) return STATIC[index - 1]!;
    const e = this.table[index - STATIC.length - 1];
    if (!e) throw compressionError(`index ${index} is beyond the tables`);
    return e;
  }

  private insert(name: string, value: string): void {
    const size = name.length + value.length + ENTRY_OVERHEAD;
    this.table.unshift([name, value]);
    this.size += size;
    this.evict();
  }

  private evict(): void {
    while (this.size > this.maxSize) {
      const e = this.table.pop()!;
      this.size -= e[0].length + e[1].length + ENTRY_OVERHEAD;
    }
  }

  private string(b: Uint8Array, pos: number): [string, number] {
    if (pos >= b.length) throw compressionError('a header block ends before a string');
    const huffman = (b[pos]! & 0x80) !== 0;
    const [len, start] = decodeInteger(b, pos, 7);
    if (start + len > b.length) throw compressionError('a string is longer than its header block');
    const raw = b.subarray(start, start + len);
    return [latin1(huffman ? huffmanDecode(raw) : raw), start + len];
  }

  /** Decodes one complete header block into its field list. */
  decode(block: Uint8Array): [string, string][] {
    const fields: [string, string][] = [];
    let listSize = 0;
    let pos = 0;
    let sawField = false;
    const add = (name: string, value: string): void => {
      listSize += name.length + value.length + ENTRY_OVERHEAD;
      if (listSize > this.maxListSize) throw new TlsError('http', 'header_too_large', `http: the response's header list exceeds ${this.maxListSize} bytes`);
      fields.push([name, value]);
      sawField = true;
    };
    while (pos < block.length) {
      const first = block[pos]!;
      if (first & 0x80) { // §6.1 indexed field
        const [index, next] = decodeInteger(block, pos, 7);
        const [n, v] = this.entry(index);
        add(n, v);
        pos = next;
      } else if ((first & 0xe0) === 0x20) { // §6.3 dynamic table size update, only before the first field
        const [size, next] = decodeInteger(block, pos, 5);
        if (sawField) throw compressionError('a table size update after a header field');
        if (size > this.settingsMaxSize) throw compressionError(`a table size update to ${size}, above our limit of ${this.settingsMaxSize}`);
        this.maxSize = size;
        this.evict();
        pos = next;
      } else { // §6.2 literals: with incremental indexing (01), without (0000), never indexed (0001)
        const indexing = (first & 0xc0) === 0x40;
        const [index, afterIndex] = decodeInteger(block, pos, indexing ? 6 : 4);
        let name: string;
        pos = afterIndex;
        if (index === 0) [name, pos] = this.string(block, pos);
        else name = this.entry(index)[0];
        let value: string;
        [value, pos] = this.string(block, pos);
        if (indexing) this.insert(name, value);
        add(name, value);
      }
    }
    return fields;
  }
}

/** Static-table positions by name, and by name and value. */
let staticByName: Map<string, number> | undefined;
let staticByPair: Map<string, number> | undefined;

/**
 * The HPACK encoder of our requests. It never adds to the peer's dynamic
 * table (every block starts by setting it to size 0, which RFC 7541 §4.2
 * allows at any time), so no state can drift between the two ends: fields use
 * static indexes where they match and literals otherwise, Huffman-coded when
 * shorter. Fields a peer should not index (authorization, cookies) are sent
 * as never-indexed literals (§7.1.3).
 */
export class HpackEncoder {
  private first = true;

  encode(fields: [string, string][]): Uint8Array {
    if (!staticByName) {
      staticByName = new Map(); staticByPair = new Map();
      STATIC.forEach(([n, v], i) => { if (!staticByName!.has(n)) staticByName!.set(n, i + 1); staticByPair!.set(`${n}\0${v}`, i + 1); });
    }
    const out: number[] = [];
    if (this.first) { out.push(0x20); this.first = false; }
    for (const [name, value] of fields) {
      const pair = staticByPair!.get(`${name}\0${value}`);
      if (pair !== undefined) { out.push(...encodeInteger(pair, 7, 0x80)); continue; }
      const sensitive = name === 'authorization' || name === 'cookie' || name === 'proxy-authorization';
      const nameIndex = staticByName!.get(name);
      out.push(...encodeInteger(nameIndex ?? 0, 4, sensitive ? 0x10 : 0x00));
      if (nameIndex === undefined) pushString(out, name);
      pushString(out, value);
    }
    return Uint8Array.from(out);
  }
}

function pushString(out: number[], s: string): void {
  const raw = bytesOf(s);
  const hl = huffmanLength(raw);
  if (hl < raw.length) { out.push(...encodeInteger(hl, 7, 0x80)); for (const b of huffmanEncode(raw)) out.push(b); } else { out.push(...encodeInteger(raw.length, 7, 0)); for (const b of raw) out.push(b); }
}
