import type { KeyExchangeGroup, KeyPair } from '../crypto/key-exchange.js';
import type { HandshakeMessage } from '../wire/handshake-message.js';
import type { ServerHello } from '../wire/server-hello.js';
import type { Tls13Suite } from './cipher-suites.js';
import type { Tls12Session, Tls13Session } from './config.js';
import type { OfferableSession } from './session.js';

/**
 * What the first round trip established (client.ts), handed to the
 * version-specific continuation (tls13.ts, tls12.ts).
 */
export interface HelloContext {
  random: Uint8Array;
  sessionId: Uint8Array;
  clientHello: Uint8Array;
  serverHelloMessage: HandshakeMessage;
  serverHello: ServerHello;
  shares: { group: number; pair: KeyPair; impl: KeyExchangeGroup }[];
  offeredGroups: number[];
  /** Extension types the (first) ClientHello carried: what a server's response may answer (RFC 8446 §4.2). */
  offeredExtensions: ReadonlySet<number>;
  /** The TLS 1.2 session offered in the ClientHello, if one was. */
  session: OfferableSession<Tls12Session> | undefined;
  /** Encrypted Client Hello: whether the server took the inner ClientHello (undefined without ECH). */
  echStatus?: 'accepted' | 'rejected';
  /** 0-RTT: set when early data went out with the first ClientHello, under the ticket's own suite. */
  early: { suite: Tls13Suite; secret: Uint8Array } | undefined;
  /** The TLS 1.3 ticket offered as a PSK (RFC 8446 §4.2.11), with the suite whose hash it is bound to and the modes offered. */
  psk: (OfferableSession<Tls13Session> & { suite: Tls13Suite; modes: number[] }) | undefined;
  /**
   * Rebuilds the ClientHello for a HelloRetryRequest (same random and session id). With `hrr`, the PSK is
   * offered again only if the HelloRetryRequest's suite has its hash, its binder computed over `hrr.prefix`
   * (message_hash of ClientHello1, the HelloRetryRequest) and the new ClientHello; `offeredPsk` says whether it was.
   */
  rebuild(shares: HelloContext['shares'], cookie?: Uint8Array, hrr?: { hashName: string; prefix: Uint8Array[] }): { hello: Uint8Array; offeredPsk: boolean };
  /**
   * With Encrypted Client Hello: the second ClientHello pair after a HelloRetryRequest. `hello` (the outer
   * one) is sent; `transcriptHello` (the inner one when the server accepted ECH) goes into the transcript.
   */
  retryHellos?: (shares: HelloContext['shares'], cookie: Uint8Array | undefined, hrr: { hashName: string; prefix: Uint8Array[] }) => Promise<{ hello: Uint8Array; offeredPsk: boolean; transcriptHello: Uint8Array }>;
}
