import { TlsError } from './errors.js';

/**
 * What a peer can make the client do without sending application data.
 * Each kind of record or message that carries no data is counted; any
 * application data resets the counts. Past a limit the connection fails with
 * `unexpected_message`, so a read() can never spin on an endless stream of
 * such records (the class of GO-2026-4870, unauthenticated KeyUpdate floods).
 * BoringSSL's limits are the model: 32 KeyUpdates, 32 empty records and 4
 * warning alerts in a row.
 */
export const FLOOD_LIMITS = {
  /** TLS 1.3 KeyUpdate messages (RFC 8446 §4.6.3). */
  key_update: 32,
  /** TLS 1.3 NewSessionTicket messages (RFC 8446 §4.6.1). */
  new_session_ticket: 32,
  /** TLS 1.3 post-handshake CertificateRequests (RFC 8446 §4.6.2), answered only with postHandshakeAuth. */
  certificate_request: 32,
  /** TLS 1.3 compatibility-mode change_cipher_spec records, dropped during the handshake (RFC 8446 §5). */
  change_cipher_spec: 32,
  /** Application-data records with no content, including TLS 1.3 records of padding only. */
  empty_record: 32,
  /** TLS 1.2 warning alerts and user_canceled (RFC 5246 §7.2). */
  warning_alert: 4,
  /** TLS 1.2 HelloRequests, each refused with a no_renegotiation warning (RFC 5746 §4.2). */
  hello_request: 4,
} as const;

export type FloodKind = keyof typeof FLOOD_LIMITS;

export class FloodGuard {
  private readonly counts = new Map<FloodKind, number>();

  /** Counts one more record or message of `kind`; throws once more than its limit arrived without data between. */
  note(kind: FloodKind): void {
    const n = (this.counts.get(kind) ?? 0) + 1;
    if (n > FLOOD_LIMITS[kind]) {
      throw new TlsError('unexpected_message', `too_many_${kind}s`, `tls: the peer sent more than ${FLOOD_LIMITS[kind]} ${kind.replace(/_/g, ' ')} messages without application data between them`);
    }
    this.counts.set(kind, n);
  }

  /** Application data arrived: the peer is making progress. */
  progress(): void { this.counts.clear(); }
}
