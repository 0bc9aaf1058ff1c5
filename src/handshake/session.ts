import { TlsError } from '../errors.js';
import type { NewSessionTicket } from '../wire/tls13-messages.js';
import { ExtensionType, ProtocolVersion } from '../wire/constants.js';
import type { Tls13Suite } from './cipher-suites.js';
import type { ClientConfig, HandshakeResult, Tls12Session, Tls13Session, TlsSession } from './config.js';
import { hkdfExpandLabel } from './key-schedule-13.js';
import { judgeChain } from './server-auth.js';

/** A stored session that passed `sessionToOffer`, with its authentication as judged under this connection's options. */
export interface OfferableSession<S extends TlsSession = TlsSession> {
  session: S;
  /** Undefined when the stored chain is authorized now; the reason otherwise (only with rejectUnauthorized: false). */
  authorizationError: TlsError | undefined;
}

/** RFC 8446 §4.6.1: a ticket may not be used for longer than 7 days, whatever its lifetime says. */
const MAX_TICKET_AGE_MS = 7 * 24 * 3600 * 1000;

/**
 * TLS 1.3 tickets already offered in a ClientHello. A ticket is offered once
 * (RFC 8446 §C.4: reuse lets a network observer link connections); the next
 * connection uses a newer ticket, which the resumed connection receives.
 */
const OFFERED_TICKETS = new WeakSet<Uint8Array>();

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
  const now = cfg.now();
  if (s.version === 'TLSv1.2') {
    if (!cfg.versions.includes(ProtocolVersion.TLSv1_2) || !cfg.continue12) return { skipped: 'TLS 1.2 is not offered on this connection' };
    if (!cfg.suites12.some((suite) => suite.id === s.cipherSuite)) return { skipped: 'its cipher suite is not offered on this connection' };
    if (s.extendedMasterSecret !== true) return { skipped: 'it was made without the extended master secret (RFC 7627 §5.3)' };
  } else {
    if (!cfg.versions.includes(ProtocolVersion.TLSv1_3)) return { skipped: 'TLS 1.3 is not offered on this connection' };
    if (!pskSuite(cfg, s)) return { skipped: 'no TLS 1.3 cipher suite offered on this connection has the hash of its suite' };
  }
  if (!sameName(s.verifiedName, cfg.verifyName)) return { skipped: `it was verified for ${s.verifiedName ?? '(no name)'}, this connection is for ${cfg.verifyName ?? '(no name)'}` };
  if (cfg.rejectUnauthorized && !s.authorized) return { skipped: `the connection that made it did not authorize the server (${s.authorizationError?.code ?? 'unknown reason'})` };
  const leaf = s.peerCertificates[0];
  if (!leaf) return { skipped: 'it holds no server certificate' };
  if (now.getTime() > leaf.notAfter.getTime()) return { skipped: `the server certificate expired at ${leaf.notAfter.toISOString()}` };
  if (now.getTime() < leaf.notBefore.getTime()) return { skipped: `the server certificate is not valid before ${leaf.notBefore.toISOString()}` };
  if (s.version === 'TLSv1.3') {
    const age = now.getTime() - s.receivedAt;
    if (age < 0) return { skipped: 'it was received in the future of this connection\'s clock' };
    if (age > Math.min(s.lifetime * 1000, MAX_TICKET_AGE_MS)) return { skipped: `its ticket lifetime (${s.lifetime} s) has passed` };
    if (OFFERED_TICKETS.has(s.ticket)) return { skipped: 'its ticket was already offered once (use the newer conn.session of the connection that resumed it)' };
  }
  let authorizationError: TlsError | undefined;
  try {
    authorizationError = await judgeChain(cfg, s.peerCertificates);
  } catch (e) {
    if (!(e instanceof TlsError)) throw e;
    return { skipped: `its certificate chain is not accepted by this connection: ${e.code}` };
  }
  if (s.version === 'TLSv1.3') OFFERED_TICKETS.add(s.ticket);
  return { offer: { session: s, authorizationError } };
}

/** Whether this TLS 1.3 session's ticket was already offered (tickets are used once). */
export function ticketOffered(s: Tls13Session): boolean {
  return OFFERED_TICKETS.has(s.ticket);
}

/** The first offered TLS 1.3 suite whose hash is the ticket's (RFC 8446 §4.2.11: the PSK is bound to its hash). */
export function pskSuite(cfg: ClientConfig, s: Tls13Session): Tls13Suite | undefined {
  const made = cfg.suites13.find((x) => x.id === s.cipherSuite);
  const hashName = made?.hash.name ?? hashOfSuiteId(s.cipherSuite);
  return cfg.suites13.find((x) => x.hash.name === hashName);
}

/** RFC 8446 Appendix B.4: TLS_AES_256_GCM_SHA384 (0x1302) is the one SHA-384 suite; the others use SHA-256. */
function hashOfSuiteId(id: number): string { return id === 0x1302 ? 'SHA-384' : 'SHA-256'; }

/** What a ticket's session carries over from the handshake that made it. */
export type TicketAuthentication = Pick<HandshakeResult, 'authorized' | 'authorizationError' | 'peerCertificates' | 'group' | 'signatureScheme' | 'alpnProtocol'>;

/** RFC 8446 §4.6.1: the session a NewSessionTicket stands for, with the handshake's authentication. */
export function sessionFromTicket(result: TicketAuthentication, suite: Tls13Suite, resumptionMasterSecret: Uint8Array, t: NewSessionTicket, cfg: ClientConfig): Tls13Session | undefined {
  // a lifetime of 0 means "do not cache" (§4.6.1)
  if (t.lifetime === 0) return undefined;
  const early = t.extensions.get(ExtensionType.early_data);
  let maxEarlyData = 0;
  if (early) {
    if (early.length !== 4) throw new TlsError('decode_error', 'bad_early_data_extension', 'tls: the early_data extension of a NewSessionTicket must hold a 4-byte max_early_data_size');
    maxEarlyData = ((early[0]! << 24) | (early[1]! << 16) | (early[2]! << 8) | early[3]!) >>> 0;
  }
  const now = cfg.now().getTime();
  return {
    version: 'TLSv1.3', cipherSuite: suite.id,
    psk: hkdfExpandLabel(suite.hash, resumptionMasterSecret, 'resumption', t.nonce, suite.hash.outputLen),
    ticket: t.ticket, ticketAgeAdd: t.ageAdd, lifetime: t.lifetime, receivedAt: now, maxEarlyData,
    serverName: cfg.serverName, verifiedName: cfg.verifyName, authorized: result.authorized, authorizationError: result.authorizationError,
    peerCertificates: result.peerCertificates, group: result.group, signatureAlgorithm: result.signatureScheme, alpnProtocol: result.alpnProtocol, createdAt: now,
  };
}

/** RFC 8446 §4.2.11.1: obfuscated_ticket_age = (age in ms + ticket_age_add) mod 2^32. */
export function obfuscatedTicketAge(s: Tls13Session, now: number): number {
  return ((now - s.receivedAt) + s.ticketAgeAdd) >>> 0;
}

export type { Tls12Session, Tls13Session };

function sameName(a: string | undefined, b: string | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase());
}
