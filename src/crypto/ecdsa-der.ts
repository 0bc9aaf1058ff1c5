/**
 * An ECDSA signature in DER (RFC 3279 §2.2.3: SEQUENCE { r INTEGER, s INTEGER })
 * as the fixed-width r || s WebCrypto verifies (IEEE P1363). Strict DER:
 * definite minimal lengths, minimal positive integers, nothing trailing;
 * anything else is undefined, which the caller treats as a bad signature.
 */
export function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array | undefined {
  let p = 0;
  const length = (): number | undefined => {
    const first = der[p++];
    if (first === undefined) return undefined;
    if (first < 0x80) return first;
    if (first !== 0x81) return undefined; // a signature never needs more than one length byte here
    const n = der[p++];
    return n !== undefined && n >= 0x80 ? n : undefined; // long form only when the short one cannot
  };
  const integer = (out: Uint8Array, at: number): boolean => {
    if (der[p++] !== 0x02) return false;
    const len = length();
    if (len === undefined || len === 0 || p + len > der.length) return false;
    let v = der.subarray(p, p + len);
    p += len;
    if (v[0]! & 0x80) return false; // negative
    if (v[0] === 0) {
      // zero is never a valid r or s; a leading zero is allowed only before a high bit
      if (len === 1 || !(v[1]! & 0x80)) return false;
      v = v.subarray(1);
    }
    if (v.length > size) return false;
    out.set(v, at + size - v.length);
    return true;
  };
  if (der[p++] !== 0x30) return undefined;
  const seqLen = length();
  if (seqLen === undefined || p + seqLen !== der.length) return undefined;
  const raw = new Uint8Array(2 * size);
  if (!integer(raw, 0) || !integer(raw, size) || p !== der.length) return undefined;
  return raw;
}
