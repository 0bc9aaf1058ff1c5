/**
 * TLS registry values as open enums: a `const` table plus `nameOf()`. Unknown
 * numbers survive decoding and print as hex, so GREASE and future values pass
 * through untouched. Values from the IANA TLS registries (RFC 8446 §B.3, §4.2).
 */

export function nameOf(table: Record<string, number>, value: number): string {
  for (const k in table) if (table[k] === value) return k;
  return `0x${value.toString(16).padStart(4, '0')}`;
}

export const ContentType = {
  change_cipher_spec: 20, alert: 21, handshake: 22, application_data: 23,
} as const;

export const HandshakeType = {
  hello_request: 0, client_hello: 1, server_hello: 2, new_session_ticket: 4, end_of_early_data: 5,
  encrypted_extensions: 8, certificate: 11, server_key_exchange: 12, certificate_request: 13,
  server_hello_done: 14, certificate_verify: 15, client_key_exchange: 16, finished: 20,
  key_update: 24, compressed_certificate: 25, message_hash: 254,
} as const;

export const ExtensionType = {
  server_name: 0, max_fragment_length: 1, status_request: 5, supported_groups: 10, ec_point_formats: 11,
  signature_algorithms: 13, use_srtp: 14, heartbeat: 15, application_layer_protocol_negotiation: 16,
  signed_certificate_timestamp: 18, client_certificate_type: 19, server_certificate_type: 20, padding: 21,
  encrypt_then_mac: 22, extended_master_secret: 23, compress_certificate: 27, record_size_limit: 28,
  delegated_credential: 34, session_ticket: 35, ticket_request: 58,
  pre_shared_key: 41, early_data: 42, supported_versions: 43, cookie: 44, psk_key_exchange_modes: 45,
  certificate_authorities: 47, oid_filters: 48, post_handshake_auth: 49, signature_algorithms_cert: 50,
  key_share: 51, encrypted_client_hello: 0xfe0d, ech_outer_extensions: 0xfd00, renegotiation_info: 0xff01,
} as const;

export const AlertLevel = { warning: 1, fatal: 2 } as const;

export const AlertDescription = {
  close_notify: 0, unexpected_message: 10, bad_record_mac: 20, record_overflow: 22, handshake_failure: 40,
  bad_certificate: 42, unsupported_certificate: 43, certificate_revoked: 44, certificate_expired: 45,
  certificate_unknown: 46, illegal_parameter: 47, unknown_ca: 48, access_denied: 49, decode_error: 50,
  decrypt_error: 51, protocol_version: 70, insufficient_security: 71, internal_error: 80,
  inappropriate_fallback: 86, user_canceled: 90, no_renegotiation: 100, missing_extension: 109,
  unsupported_extension: 110, unrecognized_name: 112, bad_certificate_status_response: 113,
  unknown_psk_identity: 115, certificate_required: 116, no_application_protocol: 120, ech_required: 121,
} as const;

export const ProtocolVersion = { TLSv1_0: 0x0301, TLSv1_2: 0x0303, TLSv1_3: 0x0304 } as const;

export const CipherSuite = {
  TLS_AES_128_GCM_SHA256: 0x1301,
  TLS_AES_256_GCM_SHA384: 0x1302,
  TLS_CHACHA20_POLY1305_SHA256: 0x1303,
  TLS_AES_128_CCM_SHA256: 0x1304,
  TLS_AES_128_CCM_8_SHA256: 0x1305,
  TLS_EMPTY_RENEGOTIATION_INFO_SCSV: 0x00ff,
} as const;

export const NamedGroup = {
  secp256r1: 0x0017, secp384r1: 0x0018, secp521r1: 0x0019, x25519: 0x001d, x448: 0x001e, X25519MLKEM768: 0x11ec,
  ffdhe2048: 0x0100, ffdhe3072: 0x0101, ffdhe4096: 0x0102, ffdhe6144: 0x0103, ffdhe8192: 0x0104,
} as const;

export const SignatureScheme = {
  rsa_pkcs1_sha1: 0x0201, ecdsa_sha1: 0x0203,
  rsa_pkcs1_sha256: 0x0401, rsa_pkcs1_sha384: 0x0501, rsa_pkcs1_sha512: 0x0601,
  ecdsa_secp256r1_sha256: 0x0403, ecdsa_secp384r1_sha384: 0x0503, ecdsa_secp521r1_sha512: 0x0603,
  rsa_pss_rsae_sha256: 0x0804, rsa_pss_rsae_sha384: 0x0805, rsa_pss_rsae_sha512: 0x0806,
  ed25519: 0x0807, ed448: 0x0808,
  rsa_pss_pss_sha256: 0x0809, rsa_pss_pss_sha384: 0x080a, rsa_pss_pss_sha512: 0x080b,
} as const;

export type CipherSuiteName = Exclude<keyof typeof CipherSuite, 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV'>;
export type NamedGroupName = keyof typeof NamedGroup;
export type SignatureSchemeName = keyof typeof SignatureScheme;
