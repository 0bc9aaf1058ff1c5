import { TlsError } from '../errors.js';
import { ProtocolVersion } from '../wire/constants.js';
import type { ClientConfig, TlsSession } from './config.js';
import { judgeChain } from './server-auth.js';

/** A stored session that passed `sessionToOffer`, with its authentication as judged under this connection's options. */
export interface OfferableSession {
  session: TlsSession;
  /** Undefined when the stored chain is authorized now; the reason otherwise (only with rejectUnauthorized: false). */
  authorizationError: TlsError | undefined;
}

/**
 * Decides whether `cfg.session` may be offered on this connection (as Go's
 * `loadSession` does): a resumed session skips the server's certificate, so it
 * is offered only when the connection that made it authenticated the server
 * at least as strictly as this one would. The stored chain is judged again
 * now, under this connection's trust anchors, clock, name, pins and identity
 * checks. Returns the session to offer, or the reason it is not offered (a
 * full handshake follows; nothing fails).
 */
export async function sessionToOffer(cfg: ClientConfig): Promise<{ offer: OfferableSession } | { skipped: string } | undefined> {
  const s = cfg.session;
  if (!s) return undefined;
  if (s.version !== 'TLSv1.2' || !cfg.versions.includes(ProtocolVersion.TLSv1_2) || !cfg.continue12) return { skipped: 'TLS 1.2 is not offered on this connection' };
  if (!cfg.suites12.some((suite) => suite.id === s.cipherSuite)) return { skipped: 'its cipher suite is not offered on this connection' };
  if (s.extendedMasterSecret !== true) return { skipped: 'it was made without the extended master secret (RFC 7627 §5.3)' };
  if (!sameName(s.verifiedName, cfg.verifyName)) return { skipped: `it was verified for ${s.verifiedName ?? '(no name)'}, this connection is for ${cfg.verifyName ?? '(no name)'}` };
  if (cfg.rejectUnauthorized && !s.authorized) return { skipped: `the connection that made it did not authorize the server (${s.authorizationError?.code ?? 'unknown reason'})` };
  const leaf = s.peerCertificates[0];
  if (!leaf) return { skipped: 'it holds no server certificate' };
  const now = cfg.now();
  if (now.getTime() > leaf.notAfter.getTime()) return { skipped: `the server certificate expired at ${leaf.notAfter.toISOString()}` };
  if (now.getTime() < leaf.notBefore.getTime()) return { skipped: `the server certificate is not valid before ${leaf.notBefore.toISOString()}` };
  let authorizationError: TlsError | undefined;
  try {
    authorizationError = await judgeChain(cfg, s.peerCertificates);
  } catch (e) {
    if (!(e instanceof TlsError)) throw e;
    return { skipped: `its certificate chain is not accepted by this connection: ${e.code}` };
  }
  return { offer: { session: s, authorizationError } };
}

function sameName(a: string | undefined, b: string | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase());
}
