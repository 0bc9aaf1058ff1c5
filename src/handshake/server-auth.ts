import { fromBase64, equalBytes } from '../bytes/encoding.js';
import { TlsError } from '../errors.js';
import type { Certificate } from '../x509/certificate.js';
import { checkServerName, dnsNameMatches } from '../x509/hostname.js';
import type { ClientConfig } from './config.js';

/**
 * Server authentication after the signature over the handshake checked out:
 * the chain (validity, trust), the identity (name), and optional pins.
 *
 * - A chain failure is fatal unless `rejectUnauthorized` is false, in which
 *   case it is recorded as `authorizationError`.
 * - The identity is checked by `checkServerIdentity` when given (its verdict
 *   is final), else against `expectedCommonName` and the host name, else
 *   against the host name. A name mismatch is fatal even with
 *   `rejectUnauthorized: false`: only an explicit `checkServerIdentity` can
 *   accept another name.
 * - `pins` (SHA-256 of a SubjectPublicKeyInfo in the chain, `sha256/<base64>`)
 *   must match when given, whatever `rejectUnauthorized` says.
 */
export function authenticateServer(cfg: ClientConfig, chain: Certificate[]): TlsError | undefined {
  const leaf = chain[0]!;
  let chainError: TlsError | undefined;
  try {
    cfg.verifier.verify(chain, undefined, cfg.now());
  } catch (e) {
    if (!(e instanceof TlsError)) throw e;
    chainError = e;
  }

  if (cfg.checkServerIdentity) {
    const err = cfg.checkServerIdentity(cfg.verifyName ?? '', leaf);
    if (err) throw new TlsError('bad_certificate', 'hostname_mismatch', `tls: checkServerIdentity refused the certificate: ${err.message}`, { cause: err });
  } else {
    if (cfg.expectedCommonName !== undefined) checkCommonName(leaf, cfg.expectedCommonName);
    if (cfg.verifyName !== undefined) {
      const id = checkServerName(leaf, cfg.verifyName);
      if (!id.ok) throw new TlsError('bad_certificate', 'hostname_mismatch', `tls: certificate "${leaf.subject.text}" is not valid for ${cfg.verifyName}: ${id.reason}`);
    }
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
  const bytes = m ? fromBase64(m[1]!) : undefined;
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
