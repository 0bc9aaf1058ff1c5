import { AlertDescription, AlertLevel, ContentType, HandshakeType, nameOf } from '../wire/constants.js';

/** One TLS record seen on the wire, with what can be read without keys. */
export interface TracedRecord {
  direction: 'client' | 'server';
  contentType: string;
  version: string;
  length: number;
  /** Plaintext handshake messages in the record (ClientHello, ServerHello, TLS 1.2 flight); empty once encrypted. */
  handshake: string[];
  /** A plaintext alert, e.g. "fatal handshake_failure". */
  alert?: string;
}

/**
 * Splits a byte stream into TLS records and names what is readable without
 * keys. Feed it the bytes of one direction in order (chunks may split
 * records anywhere); it never throws on garbage, it reports it.
 */
export class RecordTracer {
  private buf = new Uint8Array(0);
  private encrypted = false;

  /** `direction`: whose bytes this tracer reads (names appear in the trace). */
  constructor(readonly direction: 'client' | 'server') {}

  /** Feeds bytes as they passed on the wire; returns the records completed by them (a record may span chunks). */
  push(chunk: Uint8Array): TracedRecord[] {
    const b = new Uint8Array(this.buf.length + chunk.length);
    b.set(this.buf); b.set(chunk, this.buf.length);
    const out: TracedRecord[] = [];
    let p = 0;
    while (b.length - p >= 5) {
      // Read by hand rather than with wire/'s decodeRecordHeader, which throws on what a trace must show.
      const type = b[p]!, version = (b[p + 1]! << 8) | b[p + 2]!, length = (b[p + 3]! << 8) | b[p + 4]!;
      if (b.length - p - 5 < length) break;
      const body = b.subarray(p + 5, p + 5 + length);
      const rec: TracedRecord = { direction: this.direction, contentType: nameOf(ContentType, type), version: `0x${version.toString(16).padStart(4, '0')}`, length, handshake: [] };
      if (type === ContentType.change_cipher_spec) this.encrypted = true;
      if (type === ContentType.application_data) this.encrypted = true;
      if (type === ContentType.handshake && !this.encrypted) {
        // Handshake messages: type(1) length(3) body; a message may continue in the next record, so stop at the first short one.
        for (let q = 0; q + 4 <= body.length;) {
          const mlen = (body[q + 1]! << 16) | (body[q + 2]! << 8) | body[q + 3]!;
          rec.handshake.push(nameOf(HandshakeType, body[q]!));
          q += 4 + mlen;
        }
      }
      if (type === ContentType.alert && body.length === 2 && !this.encrypted) rec.alert = `${nameOf(AlertLevel, body[0]!)} ${nameOf(AlertDescription, body[1]!)}`;
      out.push(rec);
      p += 5 + length;
    }
    this.buf = b.slice(p);
    return out;
  }
}

/** One line per record: `client → handshake 0x0301 512 [client_hello]`. */
export function formatRecord(r: TracedRecord): string {
  const arrow = r.direction === 'client' ? 'client →' : '← server';
  const what = r.handshake.length ? ` [${r.handshake.join(', ')}]` : r.alert ? ` [${r.alert}]` : '';
  return `${arrow} ${r.contentType} ${r.version} ${r.length}${what}`;
}
