import type { Aead, AeadAlgorithm } from '../crypto/aead.js';
import { TlsError } from '../errors.js';
import { encodeRecordHeader, MAX_PLAINTEXT } from '../wire/record-header.js';
import { allocRecord, encodeSequence, type RecordProtection } from './protection.js';

/**
 * TLS 1.2 AEAD record protection. GCM and CCM (RFC 5288, RFC 6655): nonce =
 * 4-byte implicit salt || 8-byte explicit nonce carried in the record (we send
 * the sequence number). ChaCha20-Poly1305 (RFC 7905): nonce = 12-byte IV XOR
 * sequence number, nothing explicit. AAD = seq || type || version || length.
 */
export class Tls12AeadDirection implements RecordProtection {
  private readonly aead: Aead;
  private seq = 0;
  private readonly explicit: boolean;

  constructor(algorithm: AeadAlgorithm, key: Uint8Array, private readonly iv: Uint8Array) {
    this.aead = algorithm.create(key);
    if (iv.length !== 4 && iv.length !== 12) throw new RangeError('TLS 1.2 AEAD IV must be 4 (GCM/CCM) or 12 (ChaCha20) bytes');
    this.explicit = iv.length === 4;
  }

  get sequenceNumber(): number { return this.seq; }

  private nonce(seq: Uint8Array): Uint8Array {
    const n = new Uint8Array(12);
    if (this.explicit) { n.set(this.iv); n.set(seq, 4); }
    else { n.set(this.iv); for (let i = 0; i < 8; i++) n[4 + i] = n[4 + i]! ^ seq[i]!; }
    return n;
  }

  private aad(seq: Uint8Array, type: number, length: number): Uint8Array {
    const a = new Uint8Array(13);
    a.set(seq); a[8] = type; a[9] = 3; a[10] = 3; a[11] = length >>> 8; a[12] = length & 0xff;
    return a;
  }

  async seal(type: number, content: Uint8Array): Promise<Uint8Array> {
    if (this.seq >= Number.MAX_SAFE_INTEGER) throw new TlsError('internal_error', 'sequence_overflow', 'tls: record sequence number exhausted');
    const seq = encodeSequence(this.seq++);
    const ex = this.explicit ? 8 : 0;
    const length = ex + content.length + this.aead.tagLength;
    const out = allocRecord(length);
    encodeRecordHeader(type, 0x0303, length, out);
    if (ex) out.set(seq, 5);
    const body = out.subarray(5 + ex);
    body.set(content);
    const sealed = await this.aead.seal(this.nonce(seq), this.aad(seq, type, content.length), body.subarray(0, content.length), body);
    if (sealed !== body) body.set(sealed);
    return out;
  }

  async open(header: Uint8Array, fragment: Uint8Array): Promise<{ type: number; content: Uint8Array }> {
    const seq = encodeSequence(this.seq++);
    const ex = this.explicit ? 8 : 0;
    const bad = () => new TlsError('bad_record_mac', 'decryption_failed', 'tls: a record failed authentication (bad_record_mac): it was altered in transit or keys disagree');
    if (fragment.length < ex + this.aead.tagLength) throw bad();
    const nonce = ex ? (() => { const n = new Uint8Array(12); n.set(this.iv); n.set(fragment.subarray(0, 8), 4); return n; })() : this.nonce(seq);
    const ct = fragment.subarray(ex);
    const contentLength = ct.length - this.aead.tagLength;
    const content = await this.aead.open(nonce, this.aad(seq, header[0]!, contentLength), ct, ct.subarray(0, contentLength));
    if (!content) throw bad();
    if (content.length > MAX_PLAINTEXT) throw new TlsError('record_overflow', 'plaintext_too_long', `tls: decrypted record of ${content.length} bytes exceeds 2^14`);
    return { type: header[0]!, content };
  }
}
