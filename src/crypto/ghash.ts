/**
 * GHASH (NIST SP 800-38D §6.4) with per-key 4-bit tables: for each of the 32
 * nibble positions a 16-entry table of (nibble · x^(4p) · H), so one block
 * costs 32 lookups and no reduction. The tables take 8 KiB per traffic key
 * (two keys per connection), where 8-bit tables took 64 KiB each.
 * Words are big-endian: w0 holds bytes 0..3 of the block.
 */
export class Ghash {
  private readonly table = new Uint32Array(32 * 16 * 4);
  private z0 = 0; private z1 = 0; private z2 = 0; private z3 = 0;

  constructor(h: Uint8Array) {
    const t = this.table;
    let v0 = be32(h, 0), v1 = be32(h, 4), v2 = be32(h, 8), v3 = be32(h, 12);
    // P[j] = x^j · H; bit k (MSB first) of nibble p stands for x^(4p+k).
    for (let p = 0; p < 32; p++) {
      for (let k = 0; k < 4; k++) {
        const e = ((p * 16) + (8 >>> k)) * 4;
        t[e] = v0; t[e + 1] = v1; t[e + 2] = v2; t[e + 3] = v3;
        // multiply by x: shift right one bit, reduce with R = 0xE1 || 0^120
        const carry = v3 & 1;
        v3 = (v3 >>> 1) | (v2 << 31);
        v2 = (v2 >>> 1) | (v1 << 31);
        v1 = (v1 >>> 1) | (v0 << 31);
        v0 = (v0 >>> 1) ^ (carry ? 0xe1000000 : 0);
      }
      // fill the rest by linearity: T[n] = T[n & (n-1)] ^ T[lowest bit of n]
      const base = p * 16 * 4;
      for (let n = 1; n < 16; n++) {
        const low = n & -n;
        if (low === n) continue;
        const a = base + (n & (n - 1)) * 4, c = base + low * 4, d = base + n * 4;
        t[d] = t[a]! ^ t[c]!; t[d + 1] = t[a + 1]! ^ t[c + 1]!; t[d + 2] = t[a + 2]! ^ t[c + 2]!; t[d + 3] = t[a + 3]! ^ t[c + 3]!;
      }
    }
  }

  reset(): this { this.z0 = this.z1 = this.z2 = this.z3 = 0; return this; }

  /** Absorbs `data`, zero-padding a final partial block (GCM pads AAD and ciphertext separately). */
  update(data: Uint8Array, start = 0, end = data.length): this {
    const t = this.table;
    let z0 = this.z0, z1 = this.z1, z2 = this.z2, z3 = this.z3;
    const block = new Uint8Array(16);
    for (let p = start; p < end; p += 16) {
      let src = data, q = p;
      if (end - p < 16) { block.fill(0); block.set(data.subarray(p, end)); src = block; q = 0; }
      let n0 = 0, n1 = 0, n2 = 0, n3 = 0, b = 0, e = 0;
      b = ((z0 >>> 24) ^ src[q + 0]!) & 255;
      e = 0 + ((b >>> 4) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      e = 64 + ((b & 15) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      b = ((z0 >>> 16) ^ src[q + 1]!) & 255;
      e = 128 + ((b >>> 4) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      e = 192 + ((b & 15) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      b = ((z0 >>> 8) ^ src[q + 2]!) & 255;
      e = 256 + ((b >>> 4) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      e = 320 + ((b & 15) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      b = (z0 ^ src[q + 3]!) & 255;
      e = 384 + ((b >>> 4) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      e = 448 + ((b & 15) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      b = ((z1 >>> 24) ^ src[q + 4]!) & 255;
      e = 512 + ((b >>> 4) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      e = 576 + ((b & 15) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      b = ((z1 >>> 16) ^ src[q + 5]!) & 255;
      e = 640 + ((b >>> 4) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      e = 704 + ((b & 15) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      b = ((z1 >>> 8) ^ src[q + 6]!) & 255;
      e = 768 + ((b >>> 4) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      e = 832 + ((b & 15) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      b = (z1 ^ src[q + 7]!) & 255;
      e = 896 + ((b >>> 4) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      e = 960 + ((b & 15) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      b = ((z2 >>> 24) ^ src[q + 8]!) & 255;
      e = 1024 + ((b >>> 4) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      e = 1088 + ((b & 15) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      b = ((z2 >>> 16) ^ src[q + 9]!) & 255;
      e = 1152 + ((b >>> 4) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      e = 1216 + ((b & 15) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      b = ((z2 >>> 8) ^ src[q + 10]!) & 255;
      e = 1280 + ((b >>> 4) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      e = 1344 + ((b & 15) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      b = (z2 ^ src[q + 11]!) & 255;
      e = 1408 + ((b >>> 4) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      e = 1472 + ((b & 15) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      b = ((z3 >>> 24) ^ src[q + 12]!) & 255;
      e = 1536 + ((b >>> 4) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      e = 1600 + ((b & 15) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      b = ((z3 >>> 16) ^ src[q + 13]!) & 255;
      e = 1664 + ((b >>> 4) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      e = 1728 + ((b & 15) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      b = ((z3 >>> 8) ^ src[q + 14]!) & 255;
      e = 1792 + ((b >>> 4) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      e = 1856 + ((b & 15) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      b = (z3 ^ src[q + 15]!) & 255;
      e = 1920 + ((b >>> 4) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      e = 1984 + ((b & 15) << 2); n0 ^= t[e]!; n1 ^= t[e + 1]!; n2 ^= t[e + 2]!; n3 ^= t[e + 3]!;
      z0 = n0; z1 = n1; z2 = n2; z3 = n3;
    }
    this.z0 = z0; this.z1 = z1; this.z2 = z2; this.z3 = z3;
    return this;
  }

  /** Absorbs the final len(A) || len(C) block (bit lengths, 64-bit big-endian each). */
  lengths(aadBytes: number, dataBytes: number): this {
    const b = new Uint8Array(16);
    const v = new DataView(b.buffer);
    v.setUint32(0, Math.floor(aadBytes / 0x20000000)); v.setUint32(4, (aadBytes * 8) >>> 0);
    v.setUint32(8, Math.floor(dataBytes / 0x20000000)); v.setUint32(12, (dataBytes * 8) >>> 0);
    return this.update(b);
  }

  digestInto(out: Uint8Array, at = 0): void {
    putBe32(out, at, this.z0); putBe32(out, at + 4, this.z1); putBe32(out, at + 8, this.z2); putBe32(out, at + 12, this.z3);
  }
}

function be32(b: Uint8Array, p: number): number { return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) | 0; }
function putBe32(b: Uint8Array, p: number, v: number): void { b[p] = v >>> 24; b[p + 1] = v >>> 16; b[p + 2] = v >>> 8; b[p + 3] = v; }
