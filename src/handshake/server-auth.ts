import { fromBase64, equalBytes, equalConstantTime } from '../bytes/encoding.js';
import type { CryptoProvider } from '../crypto/provider.js';
import type { PublicKey, SignatureAlgorithm } from '../crypto/signatures.js';
import { TlsError } from '../errors.js';
import type { Certificate } from '../x509/certificate.js';
import { checkServerName, dnsNameMatches } from '../x509/hostname.js';
import type { ClientConfig } from './config.js';

/**
 * Server authentication, and the witnesses that prove it happened. A witness
 * is a value only this module makes, and only after its check passed; the
 * steps that install application keys or finish a handshake demand one
 * (rustls' `ServerCertVerified`, Go's ordering in handshake_client_tls13.go),
 * so the order of checks is enforced by the types, not by reading the code.
 */
declare const witness: unique symbol;
/** The server's handshake signature (TLS 1.3 CertificateVerify, TLS 1.2 ServerKeyExchange) verified with its certificate's key. */
export type SignatureVerified = { readonly [witness]: 'signature' };
/** The server's Finished matched the transcript. */
export type ServerFinishedVerified = { readonly [witness]: 'finished' };
/** The server is who the options require: chain, name, pins (or a resumed session that was, judged under these options). */
export type ServerAuthenticated = { readonly [witness]: 'server'; readonly chain: Certificate[]; readonly authorizationError: TlsError | undefined };

/**
 * The leaf's key will sign the handshake, so a keyUsage extension, when
 * present, must allow digitalSignature (RFC 5280 §4.2.1.3). This is about the
 * key's use in this protocol, not about trust, so it holds whatever
 * `rejectUnauthorized` says (as BoringSSL enforces it).
 */
export function checkLeafKeyUsage(leaf: Certificate): void {
  if (leaf.keyUsage && !leaf.keyUsage.has('digitalSignature')) {
    throw new TlsError('unsupported_certificate', 'key_usage_mismatch', `tls: the server certificate "${leaf.subject.text}" has a keyUsage extension without digitalSignature, so its key may not sign the handshake`);
  }
}

/** Verifies the server's handshake signature; throws `failure()` if it does not verify. */
export async function verifyServerSignature(provider: CryptoProvider, alg: SignatureAlgorithm, key: PublicKey, signed: Uint8Array, signature: Uint8Array, failure: () => TlsError): Promise<SignatureVerified> {
  if (!(await provider.verify(alg, key, signed, signature))) throw failure();
  return {} as SignatureVerified;
}

/** Compares the server's Finished with the expected verify_data in constant time. */
export function verifyServerFinished(expected: Uint8Array, received: Uint8Array): ServerFinishedVerified {
  if (!equalConstantTime(expected, received)) throw new TlsError('decrypt_error', 'bad_finished', 'tls: the server Finished does not match the handshake transcript');
  return {} as ServerFinishedVerified;
}

/**
 * Server authentication after the handshake signature checked out: the chain
 * (validity, trust), the identity (name), and optional pins.
 *
 * - A chain failure is fatal unless `rejectUnauthorized` is false, in which
 *   case it is recorded as `authorizationError`.
 * - The identity is checked by `checkServerIdentity` when given (its verdict
 *   is final), else against `expectedCommonName` (instead of the host name),
 *   else the host name against the SANs (and the CN only with
 *   `allowCommonNameFallback` and no DNS/IP SAN). A name mismatch is fatal even with
 *   `rejectUnauthorized: false`: only an explicit `checkServerIdentity` can
 *   accept another name.
 * - `pins` (SHA-256 of a SubjectPublicKeyInfo in the chain, `sha256/<base64>`)
 *   must match when given, whatever `rejectUnauthorized` says.
 */
export async function authenticateServer(cfg: ClientConfig, chain: Certificate[], _signature: SignatureVerified): Promise<ServerAuthenticated> {
  return { chain, authorizationError: await judgeChain(cfg, chain) } as unknown as ServerAuthenticated;
}

/**
 * A resumed session: the server proved it holds the session's secret (its
 * Finished verified), and the stored chain was judged under this
 * connection's options before the session was offered (session.ts).
 */
export function authenticateResumedServer(chain: Certificate[], authorizationError: TlsError | undefined, _finished: ServerFinishedVerified): ServerAuthenticated {
  return { chain, authorizationError } as unknown as ServerAuthenticated;
}

/** The chain, name and pin checks on their own: throws what is fatal, returns what `rejectUnauthorized: false` tolerates. */
export async function judgeChain(cfg: ClientConfig, chain: Certificate[]): Promise<TlsError | undefined> {
  const leaf = chain[0]!;
  let chainError: TlsError | undefined;
  try {
    await cfg.verifier.verify(chain, undefined, cfg.now());
  } catch (e) {
    if (!(e instanceof TlsError)) throw e;
    chainError = e;
  }

  if (cfg.checkServerIdentity) {
    const err = cfg.checkServerIdentity(cfg.verifyName ?? '', leaf);
    if (err) throw new TlsError('bad_certificate', 'hostname_mismatch', `tls: checkServerIdentity refused the certificate: ${err.message}`, { cause: err });
  } else if (cfg.expectedCommonName !== undefined) {
    // "match Common Name" as gateway products do it: the CN check replaces the SAN host-name check
    checkCommonName(leaf, cfg.expectedCommonName);
  } else if (cfg.verifyName !== undefined) {
    const id = checkServerName(leaf, cfg.verifyName, { commonNameFallback: cfg.allowCommonNameFallback });
    if (!id.ok) throw new TlsError('bad_certificate', 'hostname_mismatch', `tls: certificate "${leaf.subject.text}" is not valid for ${cfg.verifyName}: ${id.reason}`);
  }

  if (cfg.pins?.length) {
    const want = cfg.pins.map(parsePin);
    const have = chain.map((c) => cfg.provider.hashes['SHA-256'].digest(c.publicKey.der));
    if (!have.some((h) => want.some((w) => equalBytes(h, w)))) {
      throw new TlsError('bad_certificate', 'pin_mismatch', `tls: no certificate in the server's chain matches the configured pins (${cfg.pins.join(', ')})`);
    }
  }

  if (chainError && cfg.rejectUnauthorized) throw chainError;
  return chainError;
}

export function parsePin(pin: string): Uint8Array {
  const m = /^sha256\/([A-Za-z0-9+/=]+)$/.exec(pin.trim());
  let bytes: Uint8Array | undefined;
  try { bytes = m ? fromBase64(m[1]!) : undefined; } catch { bytes = undefined; }
  if (!bytes || bytes.length !== 32) throw new TlsError('config', 'bad_pin', `tls: pin "${pin}" is not of the form sha256/<base64 of 32 bytes>`);
  return bytes;
}

/** `expectedCommonName`: the subject CN must equal the value, or match it as a left-most-label wildcard pattern. */
function checkCommonName(leaf: Certificate, expected: string | { value: string; wildcard: boolean }): void {
  const { value, wildcard } = typeof expected === 'string' ? { value: expected, wildcard: false } : expected;
  const cn = leaf.subject.commonName;
  const ok = cn !== undefined && (wildcard ? dnsNameMatches(value, cn) || cn.toLowerCase() === value.toLowerCase() : cn === value);
  if (!ok) throw new TlsError('bad_certificate', 'common_name_mismatch', `tls: certificate common name "${cn ?? '(none)'}" does not match the expected ${wildcard ? 'pattern' : 'name'} "${value}"`);
}
