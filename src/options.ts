import type { CryptoProvider } from './crypto/provider.js';
import { pureProvider } from './crypto/provider.js';
import { loadProvider, platformProvider, type ProviderName } from './crypto/platform.js';
import type { RandomSource } from './crypto/random.js';
import { TlsError } from './errors.js';
import { DEFAULT_TLS13_SUITES, isTls13SuiteName, tls13Suite } from './handshake/cipher-suites.js';
import type { ClientConfig, TlsSession } from './handshake/config.js';
import { DEFAULT_CERT_SIGNATURE_SCHEMES, DEFAULT_SIGNATURE_SCHEMES, TLS12_EXTRA_SIGNATURE_SCHEMES } from './handshake/signature-schemes.js';
import type { Tls12Support } from './handshake/tls12-support.js';
import type { Transport } from './transport/types.js';
import { SignatureScheme } from './wire/constants.js';
import { DEFAULT_MAX_HANDSHAKE_MESSAGE } from './wire/handshake-message.js';
import type { CertificateInput, TrustStore } from './x509/trust-store.js';
import { parseProfile, type ValidationProfile } from './x509/profile.js';
import { checkOptions } from './options-check.js';
import { loadIdentities, loadTrustAnchors } from './options-load.js';
import type { Certificate } from './x509/certificate.js';
import { parsePin } from './handshake/server-auth.js';
import { PskMode } from './handshake/client-hello.js';
import { chooseEchConfig } from './handshake/ech.js';
import { CERT_COMPRESSION, runtimeCertCompression } from './handshake/certificate-compression.js';
import { basicVerifier, type ServerCertificateVerifier } from './x509/verify-chain.js';
import { parseIp } from './x509/hostname.js';
import { type ClientCertificatePolicy, type ExternalSigner, type IdentityInput } from './identity.js';
import type { SelectIdentity } from './handshake/client-auth.js';

/**
 * Options for `connect()`. Names follow node:tls where the concept is the same.
 */
export interface ConnectOptions {
  /** Host to dial (with `port`) and, unless `servername` is set, the identity to verify. */
  host?: string;
  port?: number;
  /** Use this transport instead of dialling `host:port`. */
  transport?: Transport;
  /**
   * A WebSocket relay (`isotls/relay`, ws:// or wss://) to reach `host:port` through, for runtimes
   * without TCP (browsers). The relay forwards ciphertext only; TLS stays end to end.
   */
  relay?: string;
  /** SNI and the name the certificate must match. Default: `host`. IP literals send no SNI and are matched against iPAddress SANs. */
  servername?: string;
  /**
   * Trust anchors: PEM text (bundles allowed), DER bytes, bytes holding PEM, a list of them, or a TrustStore.
   * Required (or `trustStore`) unless `rejectUnauthorized` is false or a `verifier` is given.
   */
  ca?: CertificateInput | TrustStore;
  /** Trust anchors parsed once (`createTrustStore(pems)`, `mozillaRoots()`), shared by every connection. */
  trustStore?: TrustStore;
  /**
   * The certificate rules applied to the server's chain (docs/X509.md): 'webpki' (default: RFC 5280 and the
   * CA/Browser Forum profile), 'rfc5280', or 'private' (private PKIs: missing key identifiers, a root's
   * non-critical basicConstraints, a leaf without extendedKeyUsage or with cA=TRUE accepted).
   */
  profile?: ValidationProfile;
  /** Default true. When false the handshake completes and the reason is in `info.authorizationError`. */
  rejectUnauthorized?: boolean;
  /** Lowest version offered. Default 'TLSv1.2'. */
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Highest version offered. Default 'TLSv1.3'. */
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /**
   * IANA names, TLS 1.3 and TLS 1.2 mixed, in preference order. Default TLS 1.3: AES-128-GCM, AES-256-GCM,
   * ChaCha20-Poly1305, AES-128-CCM (CCM_8 only if listed). Default TLS 1.2: ECDHE+AEAD, DHE+AEAD, CCM_8, then
   * CBC (see docs/SECURITY.md). A version is offered only if at least one of its suites is.
   */
  cipherSuites?: string[];
  /** Smallest DHE group accepted from a TLS 1.2 server, in bits. Default 2048. */
  minDHSize?: number;
  /**
   * A session from an earlier `conn.session`, to resume: a TLS 1.2 session, or a TLS 1.3 ticket offered as a
   * PSK (RFC 8446 §2.2; each ticket once). It is offered only if the connection that made it authenticated the
   * server as this one would now: same name, authorized when this connection requires it, leaf unexpired, the
   * ticket within its lifetime (at most 7 days), and the stored chain accepted by this connection's
   * `ca`/`trustStore`/`verifier`, pins, `checkServerIdentity` and `expectedCommonName`. Otherwise a full
   * handshake happens and `onDebug` and `info.sessionNotOffered` say why.
   */
  session?: TlsSession;
  /**
   * TLS 1.3 resumption modes offered with a ticket (RFC 8446 §4.2.9). Default ['psk_dhe_ke']: a fresh (EC)DHE
   * exchange keeps forward secrecy. 'psk_ke' (no key exchange: resumed traffic is only as secret as the
   * ticket key) is offered only when listed.
   */
  pskKeyExchangeModes?: ('psk_dhe_ke' | 'psk_ke')[];
  /**
   * 0-RTT (RFC 8446 §2.3): bytes sent with the ClientHello when resuming a TLS 1.3 `session` whose ticket allows
   * early data (`session.maxEarlyData`), the same suite and ALPN are offered, and no HelloRetryRequest comes.
   * Early data can be REPLAYED by an attacker: send only requests that are safe to repeat (docs/SECURITY.md).
   * `info.earlyDataAccepted` says whether the server took them; rejected early data is lost unless
   * `earlyDataRetry` is true.
   */
  earlyData?: Uint8Array;
  /** When the server rejects the early data (or it could not be sent), write it as normal data after the handshake. Default false. */
  earlyDataRetry?: boolean;
  /** Receives debugging notes, e.g. why a `session` was not offered. */
  onDebug?: (message: string) => void;
  /** Client certificate chain (mTLS): PEM text or DER, leaf first. */
  cert?: CertificateInput;
  /** Client private key (PKCS#8, encrypted PKCS#8, PKCS#1, SEC1; PEM or DER) or an external signer. */
  key?: string | Uint8Array | ExternalSigner;
  /** Passphrase for an encrypted `key` or `pfx`. */
  passphrase?: string;
  /** PKCS#12 (.p12/.pfx) with the client key and chain. */
  pfx?: Uint8Array;
  /** Several client identities (a keystore); chosen per server by certificate_authorities, or by `selectIdentity`. */
  identities?: IdentityInput[];
  /** Picks the identity for a CertificateRequest: return an alias, an identity, or null for none. */
  selectIdentity?: SelectIdentity;
  /**
   * An expired or not-yet-valid client certificate is refused before connecting
   * (`config/client_certificate_expired`, `config/client_certificate_not_yet_valid`); true sends it anyway.
   */
  sendExpiredClientCertificate?: boolean;
  /** Refuse locally identities a strict server will reject (see GATEWAY_CLIENT_CERTIFICATE_POLICY). */
  clientCertificatePolicy?: ClientCertificatePolicy;
  /** Offer post-handshake client authentication (TLS 1.3, RFC 8446 §4.6.2). Default false. */
  postHandshakeAuth?: boolean;
  /**
   * Replaces the host-name check (as in node:tls): return an Error to refuse the certificate. Without it, a
   * certificate that does not match the host is refused even with `rejectUnauthorized: false`.
   */
  checkServerIdentity?: (servername: string, leaf: Certificate) => Error | undefined;
  /**
   * Match the leaf's subject CN against this name (exactly, or with wildcard: true as a `*.` pattern) INSTEAD
   * of matching the host name against its subjectAltNames: what gateway products call "match Common Name".
   * The chain is still validated.
   */
  expectedCommonName?: string | { value: string; wildcard: boolean };
  /**
   * Legacy: when the leaf has no DNS or IP subjectAltName at all, match the host name against its subject CN
   * (as OpenSSL's default and node:tls do). Default false (RFC 9525 §6.3: the CN is not consulted).
   */
  allowCommonNameFallback?: boolean;
  /** SPKI pins, `sha256/<base64>`: some certificate of the chain must match, in addition to (or with rejectUnauthorized: false instead of) the chain check. */
  pins?: string[];
  /**
   * Key exchange groups in preference order. Default: X25519MLKEM768 (the hybrid post-quantum group that
   * Chrome, Firefox, Go and OpenSSL 3.5 use, TLS 1.3 only), x25519, secp256r1, secp384r1; key shares are sent
   * for the first and, when the first is X25519MLKEM768, for x25519 too (as Chrome does), so servers without
   * ML-KEM need no HelloRetryRequest. x448 and secp521r1 are supported when listed. In TLS 1.2 this list also limits the
   * curve of the server's ECDSA certificate and of our own (RFC 8422 §5.1.1): leaving out secp256r1 makes
   * ECDSA P-256 servers unusable over TLS 1.2, and with the default list a P-521 client key adds secp521r1 at
   * the end.
   */
  groups?: ('X25519MLKEM768' | 'x25519' | 'x448' | 'secp256r1' | 'secp384r1' | 'secp521r1')[];
  /** Signature schemes accepted in CertificateVerify (IANA names). */
  signatureAlgorithms?: string[];
  ALPNProtocols?: string[];
  /**
   * GREASE (RFC 8701): reserved values in the ClientHello's cipher suites, groups, versions, a key share and
   * two extensions, as browsers send them, so servers that fail on unknown values fail visibly. Default true.
   */
  grease?: boolean;
  /**
   * RFC 8449 record_size_limit: the largest record the server may send us (in TLS 1.3 the content plus its
   * type byte, in TLS 1.2 the plaintext; capped at each version's maximum). Always offered; default 16385.
   * A smaller value (at least 64) suits receivers short of memory. The server's own limit, when it answers,
   * bounds the records we send.
   */
  recordSizeLimit?: number;
  /**
   * RFC 8879 certificate compression offered in TLS 1.3: the server may send its chain compressed. Default:
   * what the runtime can decompress with DecompressionStream (zlib everywhere it exists, brotli where the
   * runtime has it); `false` offers none. The declared size is bounded by `maxHandshakeMessageSize`.
   */
  certificateCompression?: ('zlib' | 'brotli')[] | false;
  /**
   * Encrypted Client Hello (RFC 9849): the ECHConfigList from the server's DNS HTTPS record (you resolve it).
   * The real server name then travels encrypted; the visible ClientHello names the config's public name.
   * TLS 1.3 only; no session resumption or client certificate on the outer handshake. If the server rejects
   * ECH, connect() fails with `ech_required/ech_rejected` after authenticating the server as the public
   * name, and `error.echRetryConfigs` holds the configs to retry with.
   */
  echConfigList?: Uint8Array;
  /**
   * Without `echConfigList`: send a GREASE encrypted_client_hello extension (RFC 9849 §6.2), so connections
   * that use ECH do not stand out among those that do not. Default false.
   */
  greaseEch?: boolean;
  /** Middlebox compatibility mode (RFC 8446 §D.4). Default true. */
  compatibilityMode?: boolean;
  /** Pad every protected record's inner plaintext to a multiple of this many bytes (RFC 8446 §5.4). Default: no padding. */
  recordPaddingBlock?: number;
  /**
   * Send a KeyUpdate once the current write key has protected this many records. Default 2^23
   * (8.4 million records), below the RFC 8446 §5.5 AES-GCM limit of 2^24.5 full-size records.
   */
  keyUpdateAfterRecords?: number;
  /** Milliseconds allowed for TCP connect plus handshake. Default 30000. */
  handshakeTimeout?: number;
  /**
   * Milliseconds one `read()` may wait for application data (or close_notify) before it fails with
   * `transport/read_timeout`; the connection is then closed. Default: no limit (a read waits for the server).
   */
  readTimeout?: number;
  /**
   * Largest handshake message accepted, in bytes (checked from its header, before it is buffered). Default
   * 262144 (256 KiB): certificate chains of 128 KiB and more work. At most 64 certificates are accepted in a
   * Certificate message whatever its size.
   */
  maxHandshakeMessageSize?: number;
  /** Aborts dialling and the handshake; `connect()` then rejects with `closed/aborted`. */
  signal?: AbortSignal;
  /** Replaces the certificate verifier (the RFC 5280 path builder plugs in here). */
  verifier?: ServerCertificateVerifier;
  /** Injectable randomness (tests). Default: WebCrypto getRandomValues. */
  random?: RandomSource;
  /** Injectable clock for certificate validity. Default: `() => new Date()`. */
  now?: () => Date;
  /**
   * The cryptography: `'node'` (node:crypto, in Node, Bun and Deno), `'webcrypto'`
   * (crypto.subtle, falling back to pure code per algorithm), `'pure'` (@noble
   * and isotls's own code, everywhere), or a provider object. Default: the
   * fastest the runtime has, in that order. `info.cryptoProvider` says which ran.
   */
  crypto?: CryptoProvider | ProviderName;
  /** Receives NSS key log lines (SSLKEYLOGFILE format) for debugging with Wireshark. Without it, in Node and Bun, lines go to the file the SSLKEYLOGFILE environment variable names, when it is set. */
  onKeyLog?: (line: string) => void;
}

const GROUPS = ['X25519MLKEM768', 'x25519', 'x448', 'secp256r1', 'secp384r1', 'secp521r1'] as const;
const DEFAULT_GROUPS = ['X25519MLKEM768', 'x25519', 'secp256r1', 'secp384r1'] as const;

export interface ResolvedOptions { handshake: ClientConfig; servername: string | undefined; paddingBlock: number; timeoutMs: number; readTimeoutMs: number | undefined; keyUpdateAfterRecords: number; maxHandshakeMessageSize: number }

/**
 * Checks and resolves the user's options. `tls12` is the TLS 1.2 support the
 * full client passes; without it (the TLS 1.3-only build) only TLS 1.3 is offered.
 */
export function resolveOptions(o: ConnectOptions, tls12?: Tls12Support, chosen: CryptoProvider = pureProvider): ResolvedOptions {
  checkOptions(o); // types and ranges of every option (options-check.ts); below, only what depends on several

  const provider = o.random ? { ...chosen, random: o.random } : chosen;
  const VERSIONS = ['TLSv1.2', 'TLSv1.3'];
  const min = o.minVersion ?? 'TLSv1.2', max = o.maxVersion ?? 'TLSv1.3';
  if (VERSIONS.indexOf(min) > VERSIONS.indexOf(max)) throw new TlsError('config', 'unsupported_version', `tls: minVersion ${min} is above maxVersion ${max}`);
  const names = o.cipherSuites ?? [...DEFAULT_TLS13_SUITES, ...(tls12?.suites ?? []).map((s) => s.name)];
  for (const n of names) {
    if (isTls13SuiteName(n) || tls12?.byName(n)) continue;
    const why = tls12 ? '' : ' (this is the TLS 1.3-only client, isotls/tls13; TLS 1.2 suites need the full client)';
    throw new TlsError('config', 'unknown_cipher_suite', `tls: unknown or unsupported cipher suite "${n}"${why}`);
  }
  const suites13 = max === 'TLSv1.3' ? names.filter(isTls13SuiteName).map((n) => tls13Suite(n, provider)) : [];
  const suites12 = min === 'TLSv1.2' && tls12 ? names.map((n) => tls12.byName(n)).filter((d) => d !== undefined).map((d) => tls12.resolve(d, provider)) : [];
  // Encrypted Client Hello is TLS 1.3 only: with it, the ClientHello offers nothing else
  const ech = o.echConfigList ? chooseEchConfig(o.echConfigList) : undefined;
  if (ech && !suites13.length) throw new TlsError('config', 'ech_needs_tls13', 'tls: `echConfigList` needs TLS 1.3 (maxVersion and cipherSuites allow none)');
  if (ech) suites12.length = 0;
  const versions = [...(suites13.length ? [0x0304] : []), ...(suites12.length ? [0x0303] : [])];
  if (versions.length === 0) throw new TlsError('config', 'no_cipher_suites', `tls: no cipher suite is usable with versions ${min}..${max}`);
  const minDH = o.minDHSize ?? 2048;
  const identity = o.servername ?? o.host;
  const isIp = identity !== undefined && parseIp(identity) !== undefined;
  const rejectUnauthorized = o.rejectUnauthorized ?? true;
  const anchors = loadTrustAnchors(o);
  if (!o.verifier && anchors.anchors.length === 0 && rejectUnauthorized) {
    throw new TlsError('config', 'no_trust_anchors', 'tls: no trust anchors: pass `ca` (PEM or DER) or a `trustStore`, a `verifier`, or rejectUnauthorized: false');
  }
  const profile = parseProfile(o.profile, 'profile');
  const identities = loadIdentities(o, provider);
  // RFC 8422 §5.1.1: in TLS 1.2 the client's supported_groups also names the curve of its own ECDSA key,
  // and servers (OpenSSL) refuse a P-521 client certificate whose curve the client did not list
  const p521Identity = identities.some((id) => id.signer.schemes.includes(SignatureScheme.ecdsa_secp521r1_sha512));
  const groupNames = o.groups ?? [...DEFAULT_GROUPS, ...(p521Identity && suites12.length ? ['secp521r1' as const] : [])];
  for (const g of groupNames) if (!GROUPS.includes(g)) throw new TlsError('config', 'unknown_group', `tls: unsupported group "${g}"; supported: ${GROUPS.join(', ')}`);
  if (groupNames.length === 0) throw new TlsError('config', 'no_groups', 'tls: groups is empty');
  const schemeIds = (names: readonly string[]) => names.map((n) => {
    const id = (SignatureScheme as Record<string, number>)[n];
    if (id === undefined) throw new TlsError('config', 'unknown_signature_algorithm', `tls: unknown signature algorithm "${n}"`);
    return id;
  });
  if (o.ALPNProtocols) for (const p of o.ALPNProtocols) if (p.length === 0 || new TextEncoder().encode(p).length > 255) throw new TlsError('config', 'bad_alpn', `tls: ALPN protocol name "${p}" must be 1..255 bytes`);
  const padding = o.recordPaddingBlock ?? 0;
  for (const pin of o.pins ?? []) parsePin(pin); // malformed pins fail here, before any connection
  const servername = isIp ? undefined : identity;
  const keyUpdateAfter = o.keyUpdateAfterRecords ?? 2 ** 23;
  return {
    servername,
    paddingBlock: padding,
    timeoutMs: o.handshakeTimeout ?? 30000,
    readTimeoutMs: o.readTimeout,
    maxHandshakeMessageSize: o.maxHandshakeMessageSize ?? DEFAULT_MAX_HANDSHAKE_MESSAGE,
    keyUpdateAfterRecords: keyUpdateAfter,
    handshake: {
      provider,
      now: o.now ?? (() => new Date()),
      serverName: servername,
      verifyName: identity,
      versions, suites13, suites12, continue12: tls12?.handshake, minDHSize: minDH, session: o.session, debug: o.onDebug,
      grease: o.grease ?? true,
      recordSizeLimit: o.recordSizeLimit ?? 16385,
      ech,
      greaseEch: o.greaseEch ?? false,
      certCompression: (o.certificateCompression === false ? [] : o.certificateCompression ?? runtimeCertCompression()).map((a) => CERT_COMPRESSION[a]),
      maxHandshakeMessageSize: o.maxHandshakeMessageSize ?? DEFAULT_MAX_HANDSHAKE_MESSAGE,
      earlyData: o.earlyData,
      pskModes: (o.pskKeyExchangeModes ?? ['psk_dhe_ke']).map((m) => (m === 'psk_ke' ? PskMode.psk_ke : PskMode.psk_dhe_ke)),
      identities,
      selectIdentity: o.selectIdentity,
      postHandshakeAuth: o.postHandshakeAuth ?? false,
      checkServerIdentity: o.checkServerIdentity, expectedCommonName: o.expectedCommonName, pins: o.pins,
      allowCommonNameFallback: o.allowCommonNameFallback ?? false,
      groups: groupNames.map((g) => provider.groups[g]),
      signatureSchemes: schemeIds(o.signatureAlgorithms ?? DEFAULT_SIGNATURE_SCHEMES),
      signatureSchemes12: schemeIds(o.signatureAlgorithms ?? [...DEFAULT_SIGNATURE_SCHEMES, ...TLS12_EXTRA_SIGNATURE_SCHEMES]),
      certSignatureSchemes: schemeIds(DEFAULT_CERT_SIGNATURE_SCHEMES),
      alpn: o.ALPNProtocols,
      verifier: o.verifier ?? basicVerifier({ anchors, provider, profile }),
      rejectUnauthorized,
      compatibilityMode: o.compatibilityMode ?? true,
    },
  };
}

/**
 * The provider `crypto` names (or the platform's fastest). Asynchronous: the
 * node provider loads `node:crypto` at run time so that the core bundles for
 * browsers.
 */
export async function chooseProvider(o: ConnectOptions): Promise<CryptoProvider> {
  const c = o.crypto;
  if (c === undefined) return platformProvider();
  if (typeof c !== 'string') return c;
  const p = await loadProvider(c);
  if (!p) throw new TlsError('config', 'crypto_unavailable', `tls: the ${c} crypto provider is not available in this runtime${c === 'node' ? ' (it needs node:crypto: Node, Bun or Deno)' : c === 'webcrypto' ? ' (no crypto.subtle)' : ''}`);
  return p;
}
