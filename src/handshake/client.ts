import { equalBytes } from '../bytes/encoding.js';
import { TlsError } from '../errors.js';
import { ExtensionType, HandshakeType, ProtocolVersion } from '../wire/constants.js';
import { decodeSupportedVersionServer } from '../wire/extensions.js';
import { decodeClientHello, encodeClientHello } from '../wire/client-hello.js';
import { decodeServerHello } from '../wire/server-hello.js';
import { compressInnerExtensions, ECH_INNER_EXTENSION, echAccepted, echHrrAccepted, echSealer, greaseEchExtension, encodeOuterEch, innerPadding, type EchConfig } from './ech.js';
import { bindPsk, buildClientHello, FFDHE_GROUP_IDS, greaseValues, GROUP_IDS, isGrease } from './client-hello.js';
import type { ClientConfig, HandshakeResult, Tls12Session, Tls13Session } from './config.js';
import { EarlySecret, trafficKeys, type HandshakeTrafficSecret } from './key-schedule-13.js';
import { Tls13Direction } from '../record/tls13-protection.js';
import type { HelloContext } from './hello-context.js';
import type { HandshakeIO } from './io.js';
import { obfuscatedTicketAge, pskSuite, sessionToOffer, type OfferableSession } from './session.js';
import { continue13 } from './tls13.js';

/** RFC 8446 §4.1.3: the last 8 bytes of ServerHello.random when a TLS 1.3 server negotiates TLS 1.2 or below. */
const DOWNGRADE_TLS12 = new Uint8Array([0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01]);
const DOWNGRADE_TLS11 = new Uint8Array([0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x00]);

/**
 * The client handshake: one ClientHello offering every allowed version, then
 * the TLS 1.3 (RFC 8446) or TLS 1.2 (RFC 5246) continuation, chosen by the
 * ServerHello.
 */
export async function clientHandshake(io: HandshakeIO, cfg: ClientConfig): Promise<HandshakeResult> {
  const { provider } = cfg;
  const offers13 = cfg.versions.includes(ProtocolVersion.TLSv1_3);
  const offers12 = cfg.versions.includes(ProtocolVersion.TLSv1_2);
  const random = provider.random(32);
  // A stored session is offered only if its authentication satisfies this connection's options. With Encrypted
  // Client Hello it goes in the inner ClientHello only; the outer one carries a GREASE PSK (RFC 9849 §6.1.2).
  const loaded = await sessionToOffer(cfg);
  const offer = loaded && 'offer' in loaded ? loaded.offer : undefined;
  const sessionNotOffered = loaded && 'skipped' in loaded ? loaded.skipped : undefined;
  if (sessionNotOffered) cfg.debug?.(`session not offered: ${sessionNotOffered}`);
  const resumable = offer?.session.version === 'TLSv1.2' ? offer as OfferableSession<Tls12Session> : undefined;
  const session = resumable?.session;
  const ticket = session?.ticket;
  // a TLS 1.3 ticket is offered as a PSK with (EC)DHE (psk_dhe_ke), and without it only when asked (psk_ke)
  const offer13 = offer?.session.version === 'TLSv1.3' ? offer as OfferableSession<Tls13Session> : undefined;
  const psk: HelloContext['psk'] = offer13 ? { ...offer13, suite: pskSuite(cfg, offer13.session)!, modes: cfg.pskModes } : undefined;
  // 0-RTT (RFC 8446 §4.2.10): only with a ticket that allows this much, under the ticket's own suite and ALPN
  const earlySuite = psk && !cfg.ech && cfg.earlyData && cfg.earlyData.length <= psk.session.maxEarlyData
    && (!cfg.alpn?.length || cfg.alpn[0] === psk.session.alpnProtocol) ? cfg.suites13.find((s) => s.id === psk.session.cipherSuite) : undefined;
  if (cfg.earlyData && !earlySuite) cfg.debug?.(`early data not sent: ${!psk ? 'no TLS 1.3 ticket is offered' : cfg.ech ? 'not with Encrypted Client Hello' : cfg.earlyData.length > psk.session.maxEarlyData ? `the ticket allows ${psk.session.maxEarlyData} bytes, not ${cfg.earlyData.length}` : 'the ticket\'s suite or ALPN is not offered first'}`);
  // Resumption by session ID reuses it; a ticket (RFC 5077 §3.4) or compatibility mode uses a fresh random one.
  const sessionId = session && !ticket && session.sessionId.length ? session.sessionId
    : (offers13 && cfg.compatibilityMode) || ticket ? provider.random(32) : new Uint8Array(0);
  const offeredGroups = cfg.groups.map((g) => GROUP_IDS[g.name]);
  const hasDhe = cfg.suites12.some((s) => s.kx === 'DHE_RSA');
  // the hybrid group is TLS 1.3 only: a TLS 1.2-only ClientHello does not list it
  const groupsExt = [...offeredGroups.filter((g) => offers13 || g !== GROUP_IDS.X25519MLKEM768), ...(offers12 && hasDhe ? FFDHE_GROUP_IDS : [])];
  const suites = [...(offers13 ? cfg.suites13.map((s) => s.id) : []), ...(offers12 ? cfg.suites12.map((s) => s.id) : [])];
  const sigs = offers12 ? [...new Set([...cfg.signatureSchemes, ...cfg.signatureSchemes12])] : cfg.signatureSchemes;
  const tls12 = offers12 ? {
    ecPointFormats: cfg.suites12.some((s) => s.kx !== 'DHE_RSA'),
    encryptThenMac: cfg.suites12.some((s) => s.cipher.kind === 'cbc'),
    sessionTicket: ticket,
  } : undefined;

  // RFC 8701 GREASE, the same values in both ClientHellos (from the injectable randomness)
  const greaseSeed = cfg.grease ? provider.random(5) : undefined;
  let firstShares: HelloContext['shares'] | undefined;
  // GREASE ECH (RFC 9849 §6.2), when asked and no real config is used: an outer extension of plausible shape,
  // the same in both ClientHellos
  const greaseEch = cfg.greaseEch && !cfg.ech && offers13 ? greaseEchExtension(provider.random) : undefined;
  // RFC 9849 §6.1.2: when the inner ClientHello offers a PSK, the outer one offers a GREASE PSK of the same
  // shape (random identity, age and binder), the same in every outer ClientHello of the connection
  let greasePsk: { identity: Uint8Array; age: number; binder: Uint8Array } | undefined;
  const rebuildAs = (outer: { random: Uint8Array; serverName: string; ech: Uint8Array } | undefined): HelloContext['rebuild'] => (shares, cookie, hrr) => {
    firstShares ??= shares;
    // after a HelloRetryRequest the PSK goes again only if the suite the server chose has its hash (RFC 8446 §4.1.4)
    const withPsk = psk && (!hrr || hrr.hashName === psk.suite.hash.name) ? psk : undefined;
    if (outer && withPsk) {
      const ageBytes = greasePsk ? undefined : provider.random(4);
      greasePsk ??= { identity: provider.random(withPsk.session.ticket.length), age: ((ageBytes![0]! << 24) | (ageBytes![1]! << 16) | (ageBytes![2]! << 8) | ageBytes![3]!) >>> 0, binder: provider.random(withPsk.suite.hash.outputLen) };
    }
    const hello = buildClientHello({
      random: outer?.random ?? random, sessionId, cipherSuites: suites, versions: cfg.versions, serverName: outer ? outer.serverName : cfg.serverName, groups: groupsExt,
      ...(outer ? { ech: outer.ech } : cfg.ech ? { ech: ECH_INNER_EXTENSION } : greaseEch ? { ech: greaseEch } : {}),
      keyShares: shares, signatureSchemes: sigs, certSignatureSchemes: cfg.certSignatureSchemes, alpn: cfg.alpn,
      ...(cookie ? { cookie } : {}), ...(tls12 ? { tls12 } : {}), postHandshakeAuth: cfg.postHandshakeAuth,
      pskModes: cfg.pskModes,
      recordSizeLimit: cfg.recordSizeLimit,
      certCompression: cfg.certCompression,
      earlyData: !!earlySuite && !hrr,
      // a GREASE key share only while the shares are the first ones: after a HelloRetryRequest that asks for
      // a group, the key_share holds exactly that one share (RFC 8446 §4.1.2)
      ...(greaseSeed ? { grease: greaseValues(greaseSeed, offers13 && shares === firstShares) } : {}),
      ...(withPsk && outer ? { psk: { identity: greasePsk!.identity, obfuscatedTicketAge: greasePsk!.age, binderLength: greasePsk!.binder.length } }
        : withPsk ? { psk: { identity: withPsk.session.ticket, obfuscatedTicketAge: obfuscatedTicketAge(withPsk.session, cfg.now().getTime()), binderLength: withPsk.suite.hash.outputLen } } : {}),
    });
    if (!withPsk) return { hello, offeredPsk: false };
    if (outer) {
      const greased = hello.slice();
      greased.set(greasePsk!.binder, hello.length - greasePsk!.binder.length);
      return { hello: greased, offeredPsk: false };
    }
    const binderKey = new EarlySecret(withPsk.suite.hash, withPsk.session.psk).resumptionBinderKey();
    return { hello: bindPsk(hello, hrr?.prefix ?? [], withPsk.suite.hash, binderKey), offeredPsk: true };
  };
  // key shares: the first group's, and with X25519MLKEM768 first an X25519 share alongside (servers without ML-KEM use it)
  const shareGroups = offers13 ? [cfg.groups[0]!, ...(cfg.groups[0]!.name === 'X25519MLKEM768' ? cfg.groups.filter((g) => g.name === 'x25519') : [])] : [];
  const shares: HelloContext['shares'] = [];
  for (const g of shareGroups) shares.push({ group: GROUP_IDS[g.name], pair: await g.generate(provider.random), impl: g });
  const rebuild = rebuildAs(undefined);
  /**
   * ClientHelloOuter (RFC 9849 §6.1): the inner ClientHello without its session
   * id (EncodedClientHelloInner), padded, sealed with HPKE under the server's
   * ECH key, with the outer ClientHello (payload zeroed) as associated data.
   */
  let sealer: Awaited<ReturnType<typeof echSealer>> | undefined;
  let outerRandom: Uint8Array | undefined;
  const encryptClientHello = async (ech: EchConfig, innerHello: Uint8Array, retry?: { shares: HelloContext['shares']; cookie: Uint8Array | undefined; hrr: { hashName: string; prefix: Uint8Array[] } }): Promise<{ hello: Uint8Array; random: Uint8Array }> => {
    outerRandom ??= provider.random(32);
    // the second ClientHelloOuter (after a HelloRetryRequest) reuses the HPKE context, with an empty enc (RFC 9849 §6.1.5)
    const context = sealer ??= await echSealer(provider, ech);
    const enc = retry ? new Uint8Array(0) : context.enc;
    const random = outerRandom;
    const outerWith = (payload: Uint8Array) => rebuildAs({ random, serverName: ech.publicName, ech: encodeOuterEch(ech, enc, payload) })(retry?.shares ?? shares, retry?.cookie, retry?.hrr).hello;
    // EncodedClientHelloInner (§5.1): no legacy_session_id (the server takes the outer one), and the run of
    // extensions the outer ClientHello repeats byte for byte referenced by ech_outer_extensions
    const innerParts = decodeClientHello(innerHello.subarray(4));
    const outerExtensions = decodeClientHello(outerWith(new Uint8Array(1)).subarray(4)).extensionMap;
    const encoded = encodeClientHello({ random: innerParts.random, legacySessionId: new Uint8Array(0), cipherSuites: innerParts.cipherSuites, extensions: compressInnerExtensions(innerParts.extensions, outerExtensions) }).subarray(4);
    const plaintext = new Uint8Array(encoded.length + innerPadding(encoded.length, cfg.serverName, ech.maximumNameLength));
    plaintext.set(encoded);
    const aad = outerWith(new Uint8Array(plaintext.length + 16)).subarray(4);
    const payload = await context.seal(aad, plaintext);
    firstOuterEch ??= encodeOuterEch(ech, enc, payload);
    return { hello: outerWith(payload), random };
  };
  let firstOuterEch: Uint8Array | undefined;
  // RFC 9849 §6.1: the real ClientHello becomes the encrypted inner one; the outer one names the public name
  const inner = rebuild(shares).hello;
  const outer = cfg.ech ? await encryptClientHello(cfg.ech, inner) : undefined;
  const clientHello = outer?.hello ?? inner;
  await io.send(clientHello);
  let early: HelloContext['early'];
  if (earlySuite && psk) {
    // RFC 8446 §7.1: client_early_traffic_secret from the ClientHello; the early data follows it in the same flight
    const secret = new EarlySecret(earlySuite.hash, psk.session.psk).clientEarlyTrafficSecret(earlySuite.hash.digest(clientHello));
    const k = trafficKeys(earlySuite.hash, secret as HandshakeTrafficSecret, earlySuite.aead.keyLength);
    io.installKeys('write', new Tls13Direction(earlySuite.aead, k.key, k.iv));
    if (cfg.compatibilityMode) io.changeCipherSpecBeforeNextProtectedRecord(); // §D.4: the dummy CCS goes before the first protected record
    await io.sendEarlyData(cfg.earlyData!);
    early = { suite: earlySuite, secret };
  }

  const shMsg = await io.expect(HandshakeType.server_hello);
  const sh = decodeServerHello(shMsg.body);
  // what a server may answer: the extensions we sent, GREASE excluded (RFC 8701 §3: a GREASE value from the server is refused)
  const offeredExtensions = new Set([...decodeClientHello(clientHello.subarray(4)).extensionMap.keys()].filter((t) => !isGrease(t)));
  const ctx: HelloContext = { random, sessionId, clientHello, serverHelloMessage: shMsg, serverHello: sh, shares, offeredGroups, offeredExtensions, rebuild, session: resumable, psk, early };

  if (cfg.ech && outer) {
    if (!sh.extensions.has(ExtensionType.supported_versions)) throw new TlsError('protocol_version', 'ech_needs_tls13', 'tls: the server did not negotiate TLS 1.3, which Encrypted Client Hello needs');
    const hash = cfg.suites13.find((s) => s.id === sh.cipherSuite)?.hash ?? provider.hashes['SHA-256'];
    io.setVersion('TLSv1.3');
    const ech = cfg.ech;
    // RFC 9849 §7.2 (ServerHello) and §7.2.1 (HelloRetryRequest): the server's confirmation that it took the inner ClientHello
    const accepted = sh.isHelloRetryRequest ? echHrrAccepted(hash, inner, random, shMsg.raw, sh.extensions.get(ExtensionType.encrypted_client_hello)) : echAccepted(hash, inner, random, shMsg.raw);
    // after a HelloRetryRequest both ClientHellos are built again: the outer one is sent, the transcript holds
    // the inner one when the server accepted ECH (the outer one otherwise)
    const retryHellos: NonNullable<HelloContext['retryHellos']> = async (retryShares, cookie, hrr) => {
      if (!accepted) {
        // the HelloRetryRequest did not confirm ECH: the second ClientHelloOuter repeats the first one's
        // encrypted_client_hello unchanged (as for GREASE ECH, RFC 9849 §6.2), and is the transcript's
        const outer2 = rebuildAs({ random: outer.random, serverName: ech.publicName, ech: firstOuterEch! })(retryShares, cookie, hrr).hello;
        return { hello: outer2, offeredPsk: false, transcriptHello: outer2 };
      }
      const inner2 = rebuild(retryShares, cookie, hrr);
      const outer2 = await encryptClientHello(ech, inner2.hello, { shares: retryShares, cookie, hrr });
      return { hello: outer2.hello, offeredPsk: inner2.offeredPsk, transcriptHello: inner2.hello };
    };
    if (accepted) {
      // the handshake continues with the inner ClientHello: its random, its transcript, its server name, and the
      // extensions it offered (an answer to the outer ClientHello's, like an SNI ack for its public name, is refused)
      const innerOffered = new Set([...decodeClientHello(inner.subarray(4)).extensionMap.keys()].filter((t) => !isGrease(t)));
      const r = await continue13(io, cfg, { ...ctx, clientHello: inner, retryHellos, offeredExtensions: innerOffered, echStatus: 'accepted' });
      return withNote({ ...r, ech: { accepted: true } }, sessionNotOffered);
    }
    // rejected (RFC 9849 §6.1.6): finish the handshake as the outer ClientHello, authenticating the server as the
    // public name with no client certificate, then refuse the connection with the retry configs it sent
    // the outer ClientHello offered only a GREASE PSK: a server that selects it is refused as for any unoffered PSK
    const outerCtx: HelloContext = { ...ctx, random: outer.random, clientHello: outer.hello, retryHellos, echStatus: 'rejected', psk: undefined };
    // the application's own verification settings (rejectUnauthorized, checkServerIdentity) apply to the public name;
    // what is specific to the real server (pins, expectedCommonName, client certificates) does not
    const outerCfg: ClientConfig = { ...cfg, serverName: cfg.ech.publicName, verifyName: cfg.ech.publicName, identities: [], selectIdentity: undefined, expectedCommonName: undefined, pins: undefined, allowCommonNameFallback: false };
    const r = await continue13(io, outerCfg, outerCtx);
    throw new TlsError('ech_required', 'ech_rejected', `tls: the server did not accept Encrypted Client Hello (it authenticated as the public name ${cfg.ech.publicName})${r.ech?.retryConfigs ? '; error.echRetryConfigs holds the configs it asks to retry with' : ' and sent no retry configs'}`, r.ech?.retryConfigs ? { echRetryConfigs: r.ech.retryConfigs } : {});
  }

  const sv = sh.extensions.get(ExtensionType.supported_versions);
  if (sv) {
    const version = decodeSupportedVersionServer(sv);
    if (version !== ProtocolVersion.TLSv1_3 || !offers13) throw new TlsError('illegal_parameter', 'unoffered_version', `tls: the server selected version 0x${version.toString(16)}, which the client did not offer`);
    io.setVersion('TLSv1.3');
    return withNote(await continue13(io, cfg, ctx), sessionNotOffered);
  }
  // No supported_versions: the server negotiated TLS 1.2 or older.
  if (offers13) {
    const tail = sh.random.subarray(24);
    if (equalBytes(tail, DOWNGRADE_TLS12) || equalBytes(tail, DOWNGRADE_TLS11)) {
      throw new TlsError('illegal_parameter', 'downgrade_detected', 'tls: the server negotiated an older TLS version but its random carries the RFC 8446 downgrade sentinel: a possible downgrade attack');
    }
  }
  if (sh.legacyVersion !== ProtocolVersion.TLSv1_2 || !offers12 || !cfg.continue12) {
    const allowed = cfg.versions.map((v) => (v === 0x0304 ? 'TLSv1.3' : 'TLSv1.2')).join(', ');
    throw new TlsError('protocol_version', 'unsupported_protocol', `tls: the server chose protocol version 0x${sh.legacyVersion.toString(16)}; the client allows only ${allowed} (minVersion/maxVersion)`);
  }
  io.setVersion('TLSv1.2');
  return withNote(await cfg.continue12(io, cfg, ctx), sessionNotOffered);
}

function withNote(r: HandshakeResult, sessionNotOffered: string | undefined): HandshakeResult {
  return sessionNotOffered ? { ...r, sessionNotOffered } : r;
}
