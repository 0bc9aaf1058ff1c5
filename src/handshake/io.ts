import type { RecordProtection } from '../record/protection.js';
import type { HandshakeMessage } from '../wire/handshake-message.js';
import type { ClientAuthOutcome } from './client-auth.js';

/**
 * How a handshake function talks to the peer: whole handshake messages in and
 * out, and key changes. The connection implements it over records and a
 * transport; tests can implement it over scripted byte arrays. No sockets here.
 */
export interface HandshakeIO {
  /** Sends one framed handshake message under the current write keys. */
  send(message: Uint8Array): Promise<void>;
  /** The next handshake message, which must be one of `types` (else unexpected_message). */
  expect(...types: number[]): Promise<HandshakeMessage>;
  /** Sends a change_cipher_spec record (TLS 1.2, or the RFC 8446 §D.4 compatibility dummy). */
  sendChangeCipherSpec(): Promise<void>;
  /**
   * RFC 8446 §D.4 compatibility mode: a change_cipher_spec goes out right
   * before the next protected record we send, whatever it is (our Finished,
   * or an alert if the server's flight is refused), unless one was sent already.
   */
  changeCipherSpecBeforeNextProtectedRecord(): void;
  /** TLS 1.2: waits for the server's change_cipher_spec; anything else first is unexpected_message. */
  expectChangeCipherSpec(): Promise<void>;
  /** The peer's flight ended with the message just read (`what`): fails if more handshake data is buffered. */
  endOfFlight(what: string): void;
  /**
   * RFC 8449, once the server answered record_size_limit: at most `sendContent` content bytes per record we
   * send, and records we receive may carry at most `receiveInner` bytes of (inner) plaintext.
   */
  setRecordSizeLimits(limits: { sendContent: number; receiveInner: number }): void;
  /** Tells the connection which version's record rules apply from now on. */
  setVersion(version: 'TLSv1.3' | 'TLSv1.2'): void;
  /** Records what the server asked of client authentication and what was sent, for error messages. */
  noteClientAuth(outcome: ClientAuthOutcome): void;
  /** Installs record protection for one direction. */
  installKeys(direction: 'read' | 'write', protection: RecordProtection): void;
  /** Back to plaintext writes (a HelloRetryRequest after 0-RTT data: the second ClientHello is unprotected). */
  clearWriteKeys(): void;
  /** 0-RTT: application data in records under the current (early) write keys, sent with the ClientHello's flight. */
  sendEarlyData(data: Uint8Array): Promise<void>;
}
