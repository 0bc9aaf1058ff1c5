import { TlsError } from '../errors.js';
import { ExtensionType as E, nameOf } from '../wire/constants.js';

/** The TLS 1.3 messages in which a server sends extensions. */
export type ServerMessage = 'ServerHello' | 'HelloRetryRequest' | 'EncryptedExtensions' | 'Certificate' | 'CertificateRequest' | 'NewSessionTicket';

const SH = 'ServerHello', HRR = 'HelloRetryRequest', EE = 'EncryptedExtensions', CT = 'Certificate', CR = 'CertificateRequest', NST = 'NewSessionTicket';

/**
 * Where a server may send each TLS 1.3 extension: the RFC 8446 §4.2 table
 * (server-side columns), plus the extensions of later RFCs with their own
 * columns (RFC 8449 record_size_limit, RFC 8879 compress_certificate, RFC 9345
 * delegated_credential, RFC 9149 ticket_request, ECH draft). Extensions that
 * only a client sends (padding, psk_key_exchange_modes, post_handshake_auth)
 * have an empty list; TLS 1.2-only extensions are not TLS 1.3 extensions and
 * fall under "unrecognized".
 */
const ALLOWED_IN: ReadonlyMap<number, readonly ServerMessage[]> = new Map<number, readonly ServerMessage[]>([
  [E.server_name, [EE]],
  [E.max_fragment_length, [EE]],
  [E.status_request, [CR, CT]],
  [E.supported_groups, [EE]],
  [E.signature_algorithms, [CR]],
  [E.use_srtp, [EE]],
  [E.heartbeat, [EE]],
  [E.application_layer_protocol_negotiation, [EE]],
  [E.signed_certificate_timestamp, [CR, CT]],
  [E.client_certificate_type, [EE]],
  [E.server_certificate_type, [EE]],
  [E.padding, []],
  [E.key_share, [SH, HRR]],
  [E.pre_shared_key, [SH]],
  [E.psk_key_exchange_modes, []],
  [E.early_data, [EE, NST]],
  [E.cookie, [HRR]],
  [E.supported_versions, [SH, HRR]],
  [E.certificate_authorities, [CR]],
  [E.oid_filters, [CR]],
  [E.post_handshake_auth, []],
  [E.signature_algorithms_cert, [CR]],
  [E.record_size_limit, [EE]],
  [E.compress_certificate, [CR]],
  [E.delegated_credential, [CR, CT]],
  [E.ticket_request, [EE]],
  [E.encrypted_client_hello, [EE, HRR]],
]);

/** Messages that answer the client's offers; the others (CertificateRequest, NewSessionTicket) are the server's own requests. */
const RESPONSES: ReadonlySet<ServerMessage> = new Set<ServerMessage>([SH, HRR, EE, CT]);

/**
 * RFC 8446 §4.2 for one message from the server:
 * - a recognised extension that is not specified for this message: illegal_parameter;
 * - in a response (ServerHello, HelloRetryRequest, EncryptedExtensions, a
 *   Certificate entry), an extension the client did not offer for it, or one
 *   it does not recognise: unsupported_extension (the cookie in a
 *   HelloRetryRequest is the one extension a server may send unasked);
 * - in CertificateRequest and NewSessionTicket, unrecognised extensions are
 *   ignored (§4.3.2, §4.6.1).
 * `offered` holds the extension types the client sent for this message (the
 * ClientHello's, or for a Certificate entry those it asked the server to use there).
 */
export function checkServerExtensions(exts: ReadonlyMap<number, Uint8Array>, message: ServerMessage, offered: ReadonlySet<number>): void {
  for (const type of exts.keys()) {
    const where = ALLOWED_IN.get(type);
    if (where === undefined) {
      if (RESPONSES.has(message)) throw unsupported(type, message, 'which the client does not recognise and did not offer');
      continue;
    }
    if (!where.includes(message)) {
      throw new TlsError('illegal_parameter', 'extension_not_allowed', `tls: ${message} carries the ${nameOf(E, type)} extension, which RFC 8446 §4.2 does not allow there`);
    }
    const unasked = !offered.has(type) && !(message === HRR && type === E.cookie);
    if (RESPONSES.has(message) && unasked) throw unsupported(type, message, 'which the client did not offer');
  }
}

function unsupported(type: number, message: ServerMessage, why: string): TlsError {
  return new TlsError('unsupported_extension', 'unsolicited_extension', `tls: ${message} carries the ${nameOf(E, type)} extension, ${why}`);
}

/** The table itself, for tests and docs: where a server may send `type` in TLS 1.3 (undefined: not a TLS 1.3 extension isotls knows). */
export function messagesAllowing(type: number): readonly ServerMessage[] | undefined {
  return ALLOWED_IN.get(type);
}
