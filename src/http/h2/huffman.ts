import { HUFFMAN_CODES, HUFFMAN_LENGTHS } from './huffman-table.js';
import { TlsError } from '../../errors.js';

/** Per code length, code → symbol (built once). */
let byLength: Map<number, number>[] | undefined;
function table(): Map<number, number>[] {
  if (!byLength) {
    byLength = Array.from({ length: 31 }, () => new Map<number, number>());
    for (let s = 0; s < 256; s++) byLength[HUFFMAN_LENGTHS[s]!]!.set(HUFFMAN_CODES[s]!, s);
  }
  return byLength;
}

const compressionError = (message: string): TlsError => new TlsError('http', 'hpack_compression_error', `http: HPACK: ${message}`);

/** Decodes a Huffman-coded string (RFC 7541 §5.2): padding must be under 8 bits and all ones; EOS is refused. */
export function huffmanDecode(data: Uint8Array): Uint8Array {
  const t = table();
  const out: number[] = [];
  let code = 0, len = 0;
  for (const byte of data) {
    for (let bit = 7; bit >= 0; bit--) {
      code = (code << 1) | ((byte >> bit) & 1);
      len++;
      const sym = len >= 5 ? t[len]?.get(code) : undefined;
      if (sym !== undefined) { out.push(sym); code = 0; len = 0; continue; }
      // No code is longer than 30 bits; 30 ones is EOS, which must not appear in a string.
      if (len >= 30) throw compressionError('the EOS symbol or an invalid code inside a Huffman string');
    }
  }
  if (len > 7) throw compressionError('Huffman padding longer than 7 bits');
  if (code !== (1 << len) - 1) throw compressionError('Huffman padding that is not a prefix of EOS');
  return Uint8Array.from(out);
}

/** Length in bytes of the Huffman encoding of `data`. */
export function huffmanLength(data: Uint8Array): number {
  let bits = 0;
  for (const b of data) bits += HUFFMAN_LENGTHS[b]!;
  return Math.ceil(bits / 8);
}

/** Huffman-encodes `data`, padded with the most significant bits of EOS (ones). */
export function huffmanEncode(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(huffmanLength(data));
  let acc = 0, bits = 0, o = 0;
  for (const b of data) {
    const code = HUFFMAN_CODES[b]!, len = HUFFMAN_LENGTHS[b]!;
    // Feed the code in pieces so `acc` never holds more than 31 bits.
    for (let remaining = len; remaining > 0;) {
      const take = Math.min(remaining, 24);
      acc = (acc << take) | ((code >>> (remaining - take)) & ((1 << take) - 1));
      bits += take;
      remaining -= take;
      while (bits >= 8) { bits -= 8; out[o++] = (acc >>> bits) & 0xff; }
      acc &= (1 << bits) - 1;
    }
  }
  if (bits > 0) out[o++] = ((acc << (8 - bits)) | ((1 << (8 - bits)) - 1)) & 0xff;
  return out;
}
