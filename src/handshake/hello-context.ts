import type { KeyExchangeGroup, KeyPair } from '../crypto/key-exchange.js';
import type { HandshakeMessage } from '../wire/handshake-message.js';
import type { ServerHello } from '../wire/server-hello.js';
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
  session: OfferableSession | undefined;
  /** Rebuilds the ClientHello for a HelloRetryRequest (same random and session id). */
  rebuild(shares: HelloContext['shares'], cookie?: Uint8Array): Uint8Array;
}
