import type { HashAlgorithm, IncrementalHash } from '../crypto/hash.js';
import { HandshakeType } from '../wire/constants.js';

/**
 * The handshake transcript (RFC 8446 §4.4.1). Messages are buffered until the
 * cipher suite (and so the hash) is known, then hashed as received.
 */
export class Transcript {
  private buffered: Uint8Array[] = [];
  /** Every message added, in order (TLS 1.2 CertificateVerify signs the messages themselves). */
  readonly messages: Uint8Array[] = [];
  private state: IncrementalHash | undefined;
  private hashAlg: HashAlgorithm | undefined;

  add(raw: Uint8Array): void {
    this.messages.push(raw);
    if (this.state) this.state.update(raw); else this.buffered.push(raw);
  }

  setHash(hash: HashAlgorithm): void {
    this.hashAlg = hash;
    this.state = hash.create();
    for (const m of this.buffered) this.state.update(m);
    this.buffered = [];
  }

  get hash(): HashAlgorithm {
    if (!this.hashAlg) throw new Error('transcript hash not chosen yet');
    return this.hashAlg;
  }

  /** Transcript-Hash of everything added so far. */
  current(): Uint8Array {
    if (!this.state) throw new Error('transcript hash not chosen yet');
    return this.state.peek();
  }

  /**
   * After a HelloRetryRequest, ClientHello1 is replaced by the synthetic
   * message_hash message: 254 || 00 00 Hash.length || Hash(ClientHello1).
   */
  replaceWithMessageHash(): void {
    const digest = this.current();
    const synthetic = new Uint8Array(4 + digest.length);
    synthetic[0] = HandshakeType.message_hash;
    synthetic[3] = digest.length;
    synthetic.set(digest, 4);
    this.state = this.hash.create().update(synthetic);
    this.messages.length = 0;
    this.messages.push(synthetic);
  }

  /** All messages so far, concatenated. */
  concatenated(): Uint8Array {
    const out = new Uint8Array(this.messages.reduce((n, m) => n + m.length, 0));
    let o = 0;
    for (const m of this.messages) { out.set(m, o); o += m.length; }
    return out;
  }
}
