import type { EchConfig } from './ech.js';
import type { KeyExchangeGroup } from '../crypto/key-exchange.js';
import type { CryptoProvider } from '../crypto/provider.js';
import type { TlsError } from '../errors.js';
import type { Certificate } from '../x509/certificate.js';
import type { ServerCertificateVerifier } from '../x509/verify-chain.js';
import type { Tls13Suite } from './cipher-suites.js';
import type { ApplicationTrafficSecret } from './key-schedule-13.js';
import type { ServerAuthenticated, ServerFinishedVerified } from './server-auth.js';
import type { Tls12Suite } from './tls12-suites.js';
import type { ClientIdentity, SelectIdentity } from './client-auth.js';
import type { Tls12Support } from './tls12-support.js';

/**
 * A TLS 1.2 session that a later connection may resume (RFC 5246 §7.4.1.2,
 * RFC 5077), with how the server was authenticated when it was made: a later
 * `connect({ session })` offers it only if that authentication still satisfies
 * the new connection's options (handshake/session.ts).
 */
/** What every resumable session records about the handshake that made it (its authentication is re-judged before reuse). */
interface SessionCommon {
  /** SNI sent when the session was made. */
  serverName: string | undefined;
  /** The name (DNS or IP literal) the server's certificate was verified for. */
  verifiedName: string | undefined;
  /** Whether the server's chain was authorized when the session was made (or re-checked on its resumption). */
  authorized: boolean;
  /** Why it was not, when it was not. */
  authorizationError: TlsError | undefined;
  /** The server's chain as it sent it, leaf first; re-validated before the session is offered again. */
  peerCertificates: Certificate[];
  /** The key exchange group and the server's signature algorithm of the handshake that made the session (reported again on resumption). */
  group: string;
  signatureAlgorithm: string;
  alpnProtocol: string | false;
  createdAt: number;
}

/** A TLS 1.2 session (session ID or RFC 5077 ticket, always with the extended master secret). */
export interface Tls12Session extends SessionCommon {
  version: 'TLSv1.2';
  cipherSuite: number;
  masterSecret: Uint8Array;
  /** Session ID from the server (may be empty with tickets). */
  sessionId: Uint8Array;
  /** RFC 5077 ticket, when the server issued one. */
  ticket: Uint8Array | undefined;
  extendedMasterSecret: true;
}

/** A TLS 1.3 ticket (RFC 8446 §4.6.1) with the PSK it stands for (§4.2.11). */
export interface Tls13Session extends SessionCommon {
  version: 'TLSv1.3';
  /** The cipher suite of the connection that made it: a resumption must use a suite with the same hash. */
  cipherSuite: number;
  /** HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length). */
  psk: Uint8Array;
  ticket: Uint8Array;
  ticketAgeAdd: number;
  /** Seconds the server allows the ticket to be used (at most 7 days). */
  lifetime: number;
  /** When the ticket arrived (milliseconds, the connection's clock): the ticket age counts from here. */
  receivedAt: number;
  /** max_early_data_size from the ticket's early_data extension; 0 when the server allows no 0-RTT. */
  maxEarlyData: number;
}

/** A session to resume (`conn.session` → `connect({ session })`): TLS 1.2 or a TLS 1.3 ticket. */
export type TlsSession = Tls12Session | Tls13Session;

/** What the client handshake needs, already resolved from the user's options. */
export interface ClientConfig {
  provider: CryptoProvider;
  now: () => Date;
  /** Sent as SNI (undefined for IP hosts). */
  serverName: string | undefined;
  /** The identity the certificate is checked against (DNS name or IP literal). */
  verifyName: string | undefined;
  /** Offered versions, highest first (0x0304, 0x0303). */
  versions: number[];
  suites13: Tls13Suite[];
  suites12: Tls12Suite[];
  /** The TLS 1.2 handshake, absent in the TLS 1.3-only build. */
  continue12: Tls12Support['handshake'] | undefined;
  /** (EC)DHE groups in preference order; for TLS 1.3 a key share is sent for the first. */
  groups: KeyExchangeGroup[];
  /** Accepted in TLS 1.3 CertificateVerify. */
  signatureSchemes: number[];
  /** Accepted in TLS 1.2 ServerKeyExchange (adds PKCS#1 v1.5). */
  signatureSchemes12: number[];
  certSignatureSchemes: number[];
  alpn: string[] | undefined;
  verifier: ServerCertificateVerifier;
  rejectUnauthorized: boolean;
  /** RFC 8446 §D.4 middlebox compatibility mode (default on). */
  compatibilityMode: boolean;
  /** Smallest DHE group accepted, in bits. */
  minDHSize: number;
  /** A session to resume (TLS 1.2 session, or TLS 1.3 ticket as a PSK); offered only if `sessionToOffer` accepts it. */
  session: TlsSession | undefined;
  /** Encrypted Client Hello (RFC 9849): the ECHConfig to use, from the user's ECHConfigList. */
  ech: EchConfig | undefined;
  /** Send a GREASE ECH extension when no ECHConfig is used (RFC 9849 §6.2). */
  greaseEch: boolean;
  /** RFC 8879 algorithms offered in compress_certificate (code points); empty: not offered. */
  certCompression: number[];
  /** Largest handshake message accepted (also bounds a compressed certificate's declared size). */
  maxHandshakeMessageSize: number;
  /** 0-RTT data to send with a resumed ClientHello (RFC 8446 §2.3), when the ticket allows it. */
  earlyData: Uint8Array | undefined;
  /** RFC 8449 record_size_limit offered (TLS 1.3 counting: 64..16385). */
  recordSizeLimit: number;
  /** Put RFC 8701 GREASE values in the ClientHello. */
  grease: boolean;
  /** psk_key_exchange_modes offered with a TLS 1.3 ticket (RFC 8446 §4.2.9): psk_dhe_ke (1), and psk_ke (0) only when asked. */
  pskModes: number[];
  /** Receives debugging notes (e.g. why a session was not offered). */
  debug: ((message: string) => void) | undefined;
  /** Client identities for mutual TLS (empty: answer a CertificateRequest with no certificate). */
  identities: ClientIdentity[];
  selectIdentity: SelectIdentity | undefined;
  /** Offer post_handshake_auth (RFC 8446 §4.2.6). */
  postHandshakeAuth: boolean;
  /** Replaces the host-name check; returns an Error to refuse. */
  checkServerIdentity: ((servername: string, leaf: Certificate) => Error | undefined) | undefined;
  /** When set, replaces the SAN host-name check with a subject CN match. */
  expectedCommonName: string | { value: string; wildcard: boolean } | undefined;
  /** Match the host against the subject CN when the leaf has no DNS/IP SAN (legacy). */
  allowCommonNameFallback: boolean;
  /** `sha256/<base64>` SPKI pins; at least one certificate in the chain must match. */
  pins: string[] | undefined;
}

export interface HandshakeResult {
  /**
   * The witnesses that the server was authenticated and its Finished verified
   * (server-auth.ts): a handshake cannot report success without them.
   */
  proof: { server: ServerAuthenticated; finished: ServerFinishedVerified };
  version: 'TLSv1.3' | 'TLSv1.2';
  cipherSuite: string;
  group: string;
  signatureScheme: string;
  alpnProtocol: string | false;
  peerCertificates: Certificate[];
  authorized: boolean;
  authorizationError: TlsError | undefined;
  clientCertificateRequested: boolean;
  /** Alias of the identity sent, when one was. */
  clientCertificateSent: string | undefined;
  helloRetried: boolean;
  resumed: boolean;
  /** RFC 9849: whether the server accepted Encrypted Client Hello; the retry configs it sent when it did not. */
  ech?: { accepted: boolean; retryConfigs?: Uint8Array };
  /** RFC 8879: whether the server's certificate came compressed, and how. */
  certificateCompression?: 'zlib' | 'brotli' | false;
  /** 0-RTT: whether early data went out with the ClientHello, and whether the server took it. */
  earlyData?: { sent: boolean; accepted: boolean };
  /** Why the `session` passed in was not offered, when it was not. */
  sessionNotOffered?: string;
  /** TLS 1.2: whether RFC 7627 extended master secret and RFC 7366 encrypt-then-MAC were negotiated. */
  extendedMasterSecret?: boolean;
  encryptThenMac?: boolean;
  /** TLS 1.3 traffic state the connection needs for KeyUpdate. */
  tls13?: { suite: Tls13Suite; clientApplicationSecret: ApplicationTrafficSecret; serverApplicationSecret: ApplicationTrafficSecret; exporterMasterSecret: Uint8Array; resumptionMasterSecret: Uint8Array; transcript: Uint8Array[] };
  /** TLS 1.2 session for resumption (only with extended master secret). */
  session?: Tls12Session;
  /** NSS key log lines (label, secret), for SSLKEYLOGFILE debugging. */
  keyLog: { clientRandom: Uint8Array; secrets: [label: string, secret: Uint8Array][] };
}
