/**
 * The one error type isotls throws. `code` is stable and machine-readable:
 * `<category>/<reason>`, where category is the TLS alert that was sent (or
 * `peer_alert`, `transport`, `config`, `closed`) and reason names the exact
 * violation, e.g. `bad_certificate/hostname_mismatch`,
 * `illegal_parameter/unoffered_cipher_suite`, `peer_alert/handshake_failure`.
 *
 * This module imports nothing so that every layer may use it.
 */
export type AlertName =
  | 'close_notify' | 'unexpected_message' | 'bad_record_mac' | 'record_overflow'
  | 'handshake_failure' | 'bad_certificate' | 'unsupported_certificate' | 'certificate_revoked'
  | 'certificate_expired' | 'certificate_unknown' | 'illegal_parameter' | 'unknown_ca'
  | 'access_denied' | 'decode_error' | 'decrypt_error' | 'protocol_version'
  | 'insufficient_security' | 'internal_error' | 'inappropriate_fallback' | 'user_canceled'
  | 'no_renegotiation' | 'missing_extension' | 'unsupported_extension' | 'unrecognized_name'
  | 'bad_certificate_status_response' | 'unknown_psk_identity' | 'certificate_required'
  | 'no_application_protocol' | 'ech_required';

/** The part of `TlsError.code` before the slash: the TLS alert that was sent, `peer_alert` (the server sent one), `transport`, `config` (bad options, found before connecting), `closed`, or `http` (`isotls/fetch`: the server's HTTP was refused). */
export type ErrorCategory = AlertName | 'peer_alert' | 'transport' | 'config' | 'closed' | 'http';

/** Every failure isotls reports: `code` (`<category>/<reason>`) is stable and meant for programs, `message` for people. Never a bare TypeError. */
export class TlsError extends Error {
  /** Stable identifier, `<category>/<reason>`. */
  readonly code: string;
  /** The violation alone, e.g. `hostname_mismatch`. */
  readonly reason: string;
  /** The alert sent to the peer, or received from it (see `alertFrom`), when there was one. */
  readonly alert: string | undefined;
  /** Whether `alert` was sent by us (`local`) or received from the peer (`peer`). */
  readonly alertFrom: 'local' | 'peer' | undefined;

  /**
   * `ech_required/ech_rejected`: the ECHConfigList the server sent to retry with (RFC 9849 §6.1.6), when it
   * sent one. Pass it as `echConfigList` to a new connect().
   */
  readonly echRetryConfigs: Uint8Array | undefined;

  /** Made by the library; `message` gains the `tls:` prefix when it lacks it. */
  constructor(category: ErrorCategory, reason: string, message: string, options: { alert?: string; alertFrom?: 'local' | 'peer'; cause?: unknown; echRetryConfigs?: Uint8Array } = {}) {
    super(message.startsWith('tls:') ? message : `tls: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TlsError';
    this.code = `${category}/${reason}`;
    this.reason = reason;
    const isAlert = category !== 'peer_alert' && category !== 'transport' && category !== 'config' && category !== 'closed' && category !== 'http';
    this.alert = options.alert ?? (isAlert ? category : undefined);
    this.alertFrom = options.alertFrom ?? (this.alert !== undefined ? 'local' : undefined);
    this.echRetryConfigs = options.echRetryConfigs;
  }
}
