import type { Aead, AeadAlgorithm } from '../crypto/aead.js';
import { TlsError } from '../errors.js';
import { ContentType } from '../wire/constants.js';
import { encodeRecordHeader, MAX_CIPHERTEXT, MAX_PLAINTEXT, RECORD_HEADER_LENGTH } from '../wire/record-header.js';
import { allocRecord, type RecordProtection } from './protection.js';

/**
 * One direction of TLS 1.3 record protection (RFC 8446 §5.2–5.3): an AEAD
 * keyed once for this traffic key, the write_iv, and the 64-bit sequence
 * number. No I/O here.
 */
export class Tls13Direction implements RecordProtection {
  private readonly aead: Aead;
  private seq = 0;

  /** The AEAD tag's length: a record's inner plaintext is its fragment less this (RFC 8449 limits count it). */
  readonly tagLength: number;

  constructor(algorithm: AeadAlgorithm, key: Uint8Array, private readonly iv: Uint8Array) {
    this.aead = algorithm.create(key);
    this.tagLength = algorithm.tagLength;
  }

  get sequenceNumber(): number { return this.seq; }

  /** RFC 8446 §5.3: nonce = iv XOR (seq as 64-bit big-endian, left-padded). A fresh buffer: the AEAD may still be reading the last one. */
  private nextNonce(): Uint8Array {
    // Numbers are exact to 2^53; a key would be rotated long before (RFC 8446 §5.5 limits).
    if (this.seq >= Number.MAX_SAFE_INTEGER) throw new TlsError('internal_error', 'sequence_overflow', 'tls: record sequence number exhausted');
    const n = this.iv.slice();
    let s = this.seq++;
    for (let i = 11; i >= 4 && s > 0; i--) { n[i] = n[i]! ^ (s & 0xff); s = Math.floor(s / 256); }
    return n;
  }

  /**
   * Protects one record: TLSInnerPlaintext = content || type || zeros(padding),
   * sealed under the AAD of the outer header (opaque_type 23, legacy 0x0303).
   */
  async seal(type: number, content: Uint8Array, padding = 0): Promise<Uint8Array> {
    if (content.length > MAX_PLAINTEXT) throw new RangeError('record content exceeds 2^14 bytes');
    const innerLength = content.length + 1 + padding;
    const length = innerLength + this.aead.tagLength;
    if (length > MAX_CIPHERTEXT) throw new RangeError('padding makes the record exceed 2^14+256 bytes');
    // One buffer for the whole record: header, then the inner plaintext, sealed in place.
    // Three bytes of slack put the body on a 4-byte boundary, where noble's word-wise code runs fastest.
    const out = allocRecord(length);
    encodeRecordHeader(ContentType.application_data, 0x0303, length, out);
    out.set(content, RECORD_HEADER_LENGTH);
    out[RECORD_HEADER_LENGTH + content.length] = type; // zero padding follows: the buffer is zeroed
    const body = out.subarray(RECORD_HEADER_LENGTH);
    const sealed = await this.aead.seal(this.nextNonce(), out.subarray(0, RECORD_HEADER_LENGTH), body.subarray(0, innerLength), body);
    if (sealed !== body) body.set(sealed); // a provider that ignored `out` returned its own buffer
    return out;
  }

  /** Deprotects one record; returns the real content type and content. */
  async open(header: Uint8Array, fragment: Uint8Array, inPlace = true): Promise<{ type: number; content: Uint8Array }> {
    // RFC 8446 §5.2: every protected record is sent as application_data
    if (header[0] !== ContentType.application_data) throw new TlsError('unexpected_message', 'unprotected_record', `tls: unprotected record of content type ${header[0]} after keys were established`);
    // The fragment is the deframer's own copy, so it is decrypted in place.
    const inner = await this.aead.open(this.nextNonce(), header, fragment, inPlace ? fragment.subarray(0, Math.max(0, fragment.length - this.aead.tagLength)) : undefined);
    if (!inner) throw new TlsError('bad_record_mac', 'decryption_failed', 'tls: a record failed authentication (bad_record_mac): it was altered in transit or keys disagree');
    // RFC 8446 §5.4: strip zero padding; the last non-zero byte is the content type.
    let i = inner.length - 1;
    while (i >= 0 && inner[i] === 0) i--;
    if (i < 0) throw new TlsError('unexpected_message', 'no_content_type', 'tls: decrypted record holds only padding, no content type');
    // RFC 8446 §5.4: TLSInnerPlaintext must not exceed 2^14 + 1 bytes
    if (inner.length > MAX_PLAINTEXT + 1) throw new TlsError('record_overflow', 'plaintext_too_long', `tls: decrypted record of ${inner.length} bytes exceeds 2^14+1`);
    return { type: inner[i]!, content: inner.subarray(0, i) };
  }
}
