import { concat, equalBytes } from '../bytes/encoding.js';
import { acceptDhGroup, generateDhKeyPair } from '../crypto/ffdhe.js';
import type { KeyExchangeGroup } from '../crypto/key-exchange.js';
import { TlsError } from '../errors.js';
import { Tls12AeadDirection } from '../record/tls12-aead.js';
import { Tls12CbcDirection } from '../record/tls12-cbc.js';
import type { RecordProtection } from '../record/protection.js';
import { ExtensionType, HandshakeType, nameOf, NamedGroup, SignatureScheme } from '../wire/constants.js';
import { checkAllowedExtensions, decodeAlpnServer } from '../wire/extensions.js';
import { encodeCertificateVerify, encodeFinished } from '../wire/tls13-messages.js';
import { chooseIdentity, describeRequest, type CertificateRequestInfo } from './client-auth.js';
import { decodeCertificate12, decodeCertificateRequest12, decodeNewSessionTicket12, decodeServerHelloDone, decodeServerKeyExchange, encodeCertificate12, type ServerKeyExchange, encodeClientKeyExchange } from '../wire/tls12-messages.js';
import { parseCertificate, type Certificate } from '../x509/certificate.js';
import type { HelloContext } from './hello-context.js';
import { GROUP_IDS } from './client-hello.js';
import type { ClientConfig, HandshakeResult, Tls12Session } from './config.js';
import type { HandshakeIO } from './io.js';
import { applyRecordSizeLimit } from './record-size-limit.js';
import type { OfferableSession } from './session.js';
import { finishedVerifyData12, keyBlock12, masterSecret12 } from './key-schedule-12.js';
import { tls12SchemeMatchesKey, tls12SignatureAlgorithm } from './signature-schemes.js';
import type { Tls12Suite } from './tls12-suites.js';
import { Transcript } from './transcript.js';
import { authenticateResumedServer, authenticateServer, checkLeafKeyUsage, verifyServerFinished, verifyServerSignature, type ServerAuthenticated, type ServerFinishedVerified, type SignatureVerified } from './server-auth.js';

function illegal(reason: string, msg: string): TlsError { return new TlsError('illegal_parameter', reason, `tls: ${msg}`); }

const CURVE_OF_GROUP: Record<string, string> = { secp256r1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

interface State12 {
  io: HandshakeIO;
  cfg: ClientConfig;
  ctx: HelloContext;
  transcript: Transcript;
  keyLog: HandshakeResult['keyLog'];
}

/** What the ServerHello chose (RFC 5246 §7.4.1.3, with RFC 7627, RFC 7366, RFC 5077 and ALPN). */
interface Negotiated12 { suite: Tls12Suite; ems: boolean; etm: boolean; expectTicket: boolean; alpnProtocol: string | false }

/**
 * The TLS 1.2 client handshake (RFC 5246 §7.3), full or abbreviated
 * (resumption by session ID or ticket), from the ServerHello on, as the
 * RFC's named steps. The result carries the witnesses of server
 * authentication and of the server Finished.
 */
export async function continue12(io: HandshakeIO, cfg: ClientConfig, ctx: HelloContext): Promise<HandshakeResult> {
  const st: State12 = { io, cfg, ctx, transcript: new Transcript(), keyLog: { clientRandom: ctx.random, secrets: [] } };
  const n = processServerHello12(st);

  // RFC 5246 §7.4.1.3 / RFC 5077 §3.4: echoing the offered session id means the server resumes it
  const offered = ctx.session;
  const echoed = ctx.sessionId.length > 0 && equalBytes(ctx.serverHello.legacySessionIdEcho, ctx.sessionId);
  if (echoed && offered) return abbreviated(st, n, offered);
  // The id was random (TLS 1.3 compatibility mode or a ticket offer), not a session to resume: echoing it
  // claims a resumption of nothing (RFC 5246 §7.4.1.3, RFC 5077 §3.4).
  if (echoed) throw illegal('invalid_session_id_echo', 'the server echoed a session id the client sent for no session it can resume');

  const chain = await readServerCertificate12(st, n.suite);
  const { ske, signed } = await readServerKeyExchange(st, n.suite, chain[0]!);
  const request = await readCertificateRequestAndDone(st);
  const server = await authenticateServer(cfg, chain, signed);
  const exchange = await agreeKeys(st, ske);
  const { master, keys, certificateSent } = await sendClientFlight12(st, n, exchange, request);
  const { ticket, finished } = await readServerFlight12(st, n, master, keys.read);

  return {
    proof: { server, finished },
    version: 'TLSv1.2', cipherSuite: n.suite.name, group: exchange.groupName, signatureScheme: nameOf(SignatureScheme, ske.scheme), alpnProtocol: n.alpnProtocol,
    peerCertificates: server.chain, authorized: server.authorizationError === undefined, authorizationError: server.authorizationError,
    clientCertificateRequested: request !== undefined, clientCertificateSent: certificateSent, helloRetried: false, resumed: false,
    extendedMasterSecret: n.ems, encryptThenMac: n.etm,
    // a session needs an id or a ticket to be resumed, and the extended master secret (RFC 7627 §5.3)
    ...(n.ems && (ticket || ctx.serverHello.legacySessionIdEcho.length > 0) ? { session: makeSession(cfg, n.suite, master, ctx.serverHello.legacySessionIdEcho, ticket, server, n.alpnProtocol, { group: exchange.groupName, signatureAlgorithm: nameOf(SignatureScheme, ske.scheme) }, finished) } : {}),
    keyLog: st.keyLog,
  };
}

/** RFC 5246 §7.4.1.3: the suite, compression and extensions the server chose. */
function processServerHello12(st: State12): Negotiated12 {
  const { cfg, ctx } = st;
  const sh = ctx.serverHello;
  const suite = cfg.suites12.find((s) => s.id === sh.cipherSuite);
  if (!suite) throw illegal('unoffered_cipher_suite', `ServerHello selected cipher suite 0x${sh.cipherSuite.toString(16).padStart(4, '0')}, which the client did not offer for TLS 1.2`);
  if (sh.compressionMethod !== 0) throw illegal('bad_compression', `ServerHello selected compression method ${sh.compressionMethod}`);
  // supported_groups was offered; some TLS 1.2 servers echo it, and RFC 5246 §7.4.1.4 allows any offered type
  const solicited = new Set<number>([ExtensionType.renegotiation_info, ExtensionType.extended_master_secret, ExtensionType.session_ticket, ExtensionType.supported_groups, ExtensionType.record_size_limit]);
  if (cfg.serverName !== undefined) solicited.add(ExtensionType.server_name);
  if (cfg.alpn?.length) solicited.add(ExtensionType.application_layer_protocol_negotiation);
  if (cfg.suites12.some((s) => s.kx !== 'DHE_RSA')) solicited.add(ExtensionType.ec_point_formats);
  if (cfg.suites12.some((s) => s.cipher.kind === 'cbc')) solicited.add(ExtensionType.encrypt_then_mac);
  checkAllowedExtensions(sh.extensions, solicited, 'ServerHello');
  const rsl = sh.extensions.get(ExtensionType.record_size_limit);
  if (rsl) applyRecordSizeLimit(st.io, rsl, 'TLSv1.2', cfg.recordSizeLimit);
  const reneg = sh.extensions.get(ExtensionType.renegotiation_info);
  // RFC 5746 §3.4: on the initial handshake renegotiated_connection must be empty
  if (reneg && !(reneg.length === 1 && reneg[0] === 0)) throw new TlsError('handshake_failure', 'bad_renegotiation_info', 'tls: ServerHello renegotiation_info is not empty on the initial handshake');
  const ems = sh.extensions.has(ExtensionType.extended_master_secret);
  if (ems && sh.extensions.get(ExtensionType.extended_master_secret)!.length !== 0) throw new TlsError('decode_error', 'bad_extended_master_secret', 'tls: extended_master_secret in ServerHello must be empty');
  const etm = sh.extensions.has(ExtensionType.encrypt_then_mac);
  if (etm && suite.cipher.kind !== 'cbc') throw illegal('etm_with_aead', 'the server negotiated encrypt_then_mac with a non-CBC suite (RFC 7366 §3)');
  const pf = sh.extensions.get(ExtensionType.ec_point_formats);
  if (pf && !(pf.length >= 2 && pf[0] === pf.length - 1 && pf.subarray(1).includes(0))) throw illegal('bad_point_formats', 'ServerHello ec_point_formats does not include uncompressed');
  let alpnProtocol: string | false = false;
  const alpnData = sh.extensions.get(ExtensionType.application_layer_protocol_negotiation);
  if (alpnData) {
    alpnProtocol = decodeAlpnServer(alpnData);
    if (!cfg.alpn!.includes(alpnProtocol)) throw illegal('unoffered_alpn', `the server selected ALPN protocol "${alpnProtocol}", which the client did not offer`);
  }
  st.transcript.setHash(suite.prfHash);
  st.transcript.add(ctx.clientHello);
  st.transcript.add(ctx.serverHelloMessage.raw);
  return { suite, ems, etm, expectTicket: sh.extensions.has(ExtensionType.session_ticket), alpnProtocol };
}

/** RFC 5246 §7.4.2: the server's chain; its key must fit the suite. */
async function readServerCertificate12(st: State12, suite: Tls12Suite): Promise<Certificate[]> {
  const certMsg = await st.io.expect(HandshakeType.certificate);
  const ders = decodeCertificate12(certMsg.body);
  st.transcript.add(certMsg.raw);
  if (ders.length === 0) throw new TlsError('decode_error', 'empty_certificate', 'tls: the server sent an empty Certificate message');
  const chain = ders.map(parseCertificate);
  const leaf = chain[0]!;
  const wantKey = suite.kx === 'ECDHE_ECDSA' ? ['ec', 'ed25519', 'ed448'] : ['rsa'];
  if (!wantKey.includes(leaf.publicKey.key.kind)) throw new TlsError('unsupported_certificate', 'certificate_key_mismatch', `tls: ${suite.name} needs a ${wantKey.join(' or ')} certificate, the server sent a ${leaf.publicKey.key.kind} key`);
  // RFC 8422 §5.1.1: in TLS 1.2 the curves the client offered also bound the server's ECDSA key
  const key = leaf.publicKey.key;
  if (key.kind === 'ec' && !st.cfg.groups.some((g) => CURVE_OF_GROUP[g.name] === key.curve)) {
    throw new TlsError('illegal_parameter', 'certificate_curve_not_offered', `tls: the server's ECDSA certificate uses ${key.curve}, which is not among the groups the client offered (${st.cfg.groups.map((g) => g.name).join(', ')})`);
  }
  checkLeafKeyUsage(leaf);
  return chain;
}

/** RFC 5246 §7.4.3: the (EC)DHE parameters, whose signature is checked before the key is used. */
async function readServerKeyExchange(st: State12, suite: Tls12Suite, leaf: Certificate): Promise<{ ske: ServerKeyExchange; signed: SignatureVerified }> {
  const { io, cfg, ctx, transcript } = st;
  const skeMsg = await io.expect(HandshakeType.server_key_exchange);
  const ske = decodeServerKeyExchange(skeMsg.body, suite.kx === 'DHE_RSA' ? 'dhe' : 'ecdhe');
  transcript.add(skeMsg.raw);
  if (!cfg.signatureSchemes12.includes(ske.scheme) && !cfg.signatureSchemes.includes(ske.scheme)) throw illegal('unoffered_signature_scheme', `ServerKeyExchange is signed with ${nameOf(SignatureScheme, ske.scheme)}, which the client did not offer`);
  const alg = tls12SignatureAlgorithm(ske.scheme, cfg.provider);
  if (!alg || !tls12SchemeMatchesKey(ske.scheme, leaf.publicKey.key, leaf.publicKey.algorithm)) throw illegal('signature_scheme_key_mismatch', `ServerKeyExchange scheme ${nameOf(SignatureScheme, ske.scheme)} does not fit the certificate's ${leaf.publicKey.key.kind} key`);
  // the signature covers client_random + server_random + params
  const signed = await verifyServerSignature(cfg.provider, alg, leaf.publicKey.key, concat(ctx.random, ctx.serverHello.random, ske.params), ske.signature,
    () => new TlsError('decrypt_error', 'bad_server_key_exchange_signature', `tls: the ServerKeyExchange signature (${nameOf(SignatureScheme, ske.scheme)}) does not verify with the server certificate's key`));
  return { ske, signed };
}

/** RFC 5246 §7.4.4, §7.4.5: [CertificateRequest] ServerHelloDone. */
async function readCertificateRequestAndDone(st: State12): Promise<CertificateRequestInfo | undefined> {
  let msg = await st.io.expect(HandshakeType.certificate_request, HandshakeType.server_hello_done);
  let request: CertificateRequestInfo | undefined;
  if (msg.type === HandshakeType.certificate_request) {
    const cr = decodeCertificateRequest12(msg.body);
    request = describeRequest('TLSv1.2', cr.signatureSchemes, cr.authorities, false, cr.certificateTypes);
    st.transcript.add(msg.raw);
    msg = await st.io.expect(HandshakeType.server_hello_done);
  }
  decodeServerHelloDone(msg.body);
  st.io.endOfFlight('ServerHelloDone');
  st.transcript.add(msg.raw);
  return request;
}

/** The client's half of the key exchange and the pre-master secret (RFC 8422 §5.10, RFC 5246 §8.1.2). */
async function agreeKeys(st: State12, ske: ServerKeyExchange): Promise<{ preMaster: Uint8Array; clientPublic: Uint8Array; groupName: string; kind: 'ecdhe' | 'dhe' }> {
  const { cfg } = st;
  if (ske.kind === 'ecdhe') {
    // the hybrid X25519MLKEM768 is a TLS 1.3 group only (draft-ietf-tls-ecdhe-mlkem §3): never an ECDHE curve
    const impl = cfg.groups.find((g) => GROUP_IDS[g.name] === ske.group && g.name !== 'X25519MLKEM768') as KeyExchangeGroup | undefined;
    if (!impl) throw illegal('unoffered_group', `ServerKeyExchange uses ${nameOf(NamedGroup, ske.group)}, which the client did not offer for TLS 1.2`);
    const pair = await impl.generate(cfg.provider.random);
    return { preMaster: await pair.agree(ske.publicKey), clientPublic: pair.publicKey, groupName: impl.name, kind: 'ecdhe' };
  }
  const group = acceptDhGroup({ p: ske.p, g: ske.g }, cfg.minDHSize);
  const pair = generateDhKeyPair(group, cfg.provider.random);
  return { preMaster: pair.agree(ske.publicKey), clientPublic: pair.publicKey, groupName: group.name, kind: 'dhe' };
}

/** RFC 5246 §7.4.6–7.4.9: [Certificate] ClientKeyExchange [CertificateVerify] ChangeCipherSpec Finished. */
async function sendClientFlight12(
  st: State12, n: Negotiated12, exchange: Awaited<ReturnType<typeof agreeKeys>>, request: CertificateRequestInfo | undefined,
): Promise<{ master: Uint8Array; keys: { read: RecordProtection; write: RecordProtection }; certificateSent: string | undefined }> {
  const { io, cfg, ctx, transcript } = st;
  // RFC 5246 §7.4.6: the client's Certificate (possibly empty) comes first when one was requested
  const choice = request ? chooseIdentity(cfg.identities, request, cfg.selectIdentity) : undefined;
  if (request) {
    const certMsg = encodeCertificate12(choice ? choice.identity.chain.map((c) => c.der) : []);
    transcript.add(certMsg);
    await io.send(certMsg);
    io.noteClientAuth({ request, sent: choice?.identity.alias });
  }
  const cke = encodeClientKeyExchange(exchange.kind, exchange.clientPublic);
  transcript.add(cke);
  await io.send(cke);
  // RFC 7627 §3: the session hash runs through ClientKeyExchange, before any CertificateVerify
  const master = masterSecret12(n.suite.prfHash, exchange.preMaster, ctx.random, ctx.serverHello.random, n.ems ? transcript.current() : undefined);
  exchange.preMaster.fill(0);
  if (choice) {
    // RFC 5246 §7.4.8: the signature covers every handshake message so far, hashed by the scheme's hash
    const signature = await choice.identity.signer.sign(choice.scheme, transcript.concatenated());
    const cv = encodeCertificateVerify({ scheme: choice.scheme, signature });
    transcript.add(cv);
    await io.send(cv);
  }
  st.keyLog.secrets.push(['CLIENT_RANDOM', master]);
  const keys = protections(cfg, n.suite, master, ctx.random, ctx.serverHello.random, n.etm);
  await io.sendChangeCipherSpec();
  io.installKeys('write', keys.write);
  const clientFinished = encodeFinished(finishedVerifyData12(n.suite.prfHash, master, 'client', transcript.current()));
  transcript.add(clientFinished);
  await io.send(clientFinished);
  return { master, keys, certificateSent: choice?.identity.alias };
}

/** RFC 5246 §7.3, RFC 5077 §3.3: [NewSessionTicket] ChangeCipherSpec Finished from the server. */
async function readServerFlight12(st: State12, n: Negotiated12, master: Uint8Array, readKeys: RecordProtection): Promise<{ ticket: Uint8Array | undefined; finished: ServerFinishedVerified }> {
  const ticket = n.expectTicket ? await readTicket(st.io, st.transcript) : undefined;
  await st.io.expectChangeCipherSpec();
  st.io.installKeys('read', readKeys);
  const finished = await serverFinished(st.io, n.suite, master, st.transcript);
  st.io.endOfFlight('Finished');
  return { ticket, finished };
}

/**
 * Abbreviated handshake (RFC 5246 §7.3 figure 2): the server's CCS and
 * Finished come first. The server proves it holds the session's master
 * secret; its identity is the stored chain, judged again under this
 * connection's options before the session was offered (session.ts).
 */
async function abbreviated(st: State12, n: Negotiated12, offered: OfferableSession<Tls12Session>): Promise<HandshakeResult> {
  const { io, cfg, ctx } = st;
  const { session } = offered;
  if (n.suite.id !== session.cipherSuite) throw illegal('resumption_suite_changed', 'the server resumed the session with a different cipher suite');
  // RFC 7627 §5.3: a session without the extended master secret is never resumed
  if (!n.ems) throw new TlsError('handshake_failure', 'resumption_without_ems', 'tls: the server resumed a session without extended_master_secret; refusing (RFC 7627)');
  const master = session.masterSecret;
  st.keyLog.secrets.push(['CLIENT_RANDOM', master]);
  const keys = protections(cfg, n.suite, master, ctx.random, ctx.serverHello.random, n.etm);
  const { ticket, finished } = await readServerFlight12(st, n, master, keys.read);
  const server = authenticateResumedServer(session.peerCertificates, offered.authorizationError, finished);
  await io.sendChangeCipherSpec();
  io.installKeys('write', keys.write);
  const clientFinished = encodeFinished(finishedVerifyData12(n.suite.prfHash, master, 'client', st.transcript.current()));
  st.transcript.add(clientFinished);
  await io.send(clientFinished);
  return {
    proof: { server, finished },
    // no key exchange or signature happens on resumption: these are the original handshake's
    version: 'TLSv1.2', cipherSuite: n.suite.name, group: session.group, signatureScheme: session.signatureAlgorithm, alpnProtocol: n.alpnProtocol,
    peerCertificates: server.chain, authorized: server.authorizationError === undefined, authorizationError: server.authorizationError,
    clientCertificateRequested: false, clientCertificateSent: undefined, helloRetried: false, resumed: true,
    extendedMasterSecret: true, encryptThenMac: n.etm,
    session: makeSession(cfg, n.suite, master, ctx.serverHello.legacySessionIdEcho, ticket ?? session.ticket, server, n.alpnProtocol, session, finished),
    keyLog: st.keyLog,
  };
}

async function readTicket(io: HandshakeIO, transcript: Transcript): Promise<Uint8Array | undefined> {
  const m = await io.expect(HandshakeType.new_session_ticket);
  const t = decodeNewSessionTicket12(m.body);
  transcript.add(m.raw);
  // an empty ticket means "no ticket this time" (RFC 5077 §3.3)
  return t.ticket.length ? t.ticket.slice() : undefined;
}

async function serverFinished(io: HandshakeIO, suite: Tls12Suite, master: Uint8Array, transcript: Transcript): Promise<ServerFinishedVerified> {
  const fin = await io.expect(HandshakeType.finished);
  const expected = finishedVerifyData12(suite.prfHash, master, 'server', transcript.current());
  if (fin.body.length !== 12) throw new TlsError('decrypt_error', 'bad_finished_length', `tls: Finished of ${fin.body.length} bytes, expected 12`);
  const verified = verifyServerFinished(expected, fin.body);
  transcript.add(fin.raw);
  return verified;
}

function protections(cfg: ClientConfig, suite: Tls12Suite, master: Uint8Array, cr: Uint8Array, sr: Uint8Array, etm: boolean): { read: RecordProtection; write: RecordProtection } {
  const c = suite.cipher;
  if (c.kind === 'aead') {
    const kb = keyBlock12(suite.prfHash, master, cr, sr, 0, suite.aead!.keyLength, c.ivLength);
    return { write: new Tls12AeadDirection(suite.aead!, kb.clientKey, kb.clientIv), read: new Tls12AeadDirection(suite.aead!, kb.serverKey, kb.serverIv) };
  }
  const macHash = cfg.provider.hashes[c.mac];
  const kb = keyBlock12(suite.prfHash, master, cr, sr, macHash.outputLen, c.keyLength, 0);
  return {
    write: new Tls12CbcDirection(kb.clientKey, kb.clientMacKey, macHash, etm, cfg.provider.random),
    read: new Tls12CbcDirection(kb.serverKey, kb.serverMacKey, macHash, etm, cfg.provider.random),
  };
}

/** A session records how the server was authenticated; only a finished, authenticated handshake makes one. */
function makeSession(
  cfg: ClientConfig, suite: Tls12Suite, master: Uint8Array, sessionId: Uint8Array, ticket: Uint8Array | undefined,
  server: ServerAuthenticated, alpnProtocol: string | false, made: { group: string; signatureAlgorithm: string }, _finished: ServerFinishedVerified,
): Tls12Session {
  const { chain: peerCertificates, authorizationError } = server;
  return {
    version: 'TLSv1.2', cipherSuite: suite.id, masterSecret: master, sessionId: sessionId.slice(), ticket, extendedMasterSecret: true,
    serverName: cfg.serverName, verifiedName: cfg.verifyName, authorized: authorizationError === undefined, authorizationError,
    peerCertificates, group: made.group, signatureAlgorithm: made.signatureAlgorithm, alpnProtocol, createdAt: cfg.now().getTime(),
  };
}

