import type { AeadAlgorithm } from '../crypto/aead.js';
import type { HandshakeMessage } from '../wire/handshake-message.js';

/**
 * How a handshake function talks to the peer: whole handshake messages in and
 * out, and key changes. The connection implements it over records and a
 * transport; tests implement it over scripted byte arrays. No sockets here.
 */
export interface HandshakeIO {
  /** Sends one framed handshake message under the current write keys. */
  send(message: Uint8Array): Promise<void>;
  /** The next handshake message, which must be one of `types` (else unexpected_message). */
  expect(...types: number[]): Promise<HandshakeMessage>;
  /** A dummy change_cipher_spec record (RFC 8446 §D.4 middlebox compatibility). */
  sendChangeCipherSpec(): Promise<void>;
  /** Installs TLS 1.3 traffic keys for one direction. */
  installKeys(direction: 'read' | 'write', aead: AeadAlgorithm, key: Uint8Array, iv: Uint8Array): void;
}
