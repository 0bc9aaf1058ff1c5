/**
 * One direction of record protection, whatever the version: the connection
 * seals whole records and opens them without knowing the cipher.
 *
 * The sequence number (and so the nonce) is taken when `seal`/`open` is
 * called, not when the provider completes: records sealed in a row get
 * consecutive numbers even if an asynchronous provider finishes them out of
 * order, and the caller sends the results in call order.
 */
export interface RecordProtection {
  readonly sequenceNumber: number;
  /** A complete record (header included) carrying `content` of the given type. */
  seal(type: number, content: Uint8Array, padding?: number): Promise<Uint8Array>;
  /**
   * The content type and content of one received record; rejects with a
   * TlsError (bad_record_mac, …). With `inPlace` false the fragment is left
   * intact, so the record can be opened again under other keys.
   */
  open(header: Uint8Array, fragment: Uint8Array, inPlace?: boolean): Promise<{ type: number; content: Uint8Array }>;
}

/** A 64-bit big-endian sequence number (exact below 2^53). */
export function encodeSequence(seq: number, out = new Uint8Array(8), at = 0): Uint8Array {
  let s = seq;
  for (let i = 7; i >= 0; i--) { out[at + i] = s & 0xff; s = Math.floor(s / 256); }
  return out;
}

/** Allocates a record buffer whose body (after the 5-byte header) starts 4-byte aligned. */
export function allocRecord(length: number): Uint8Array {
  return new Uint8Array(3 + 5 + length).subarray(3);
}
