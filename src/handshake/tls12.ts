import { concat, equalBytes, equalConstantTime } from '../bytes/encoding.js';
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
import { decodeCertificate12, decodeCertificateRequest12, decodeNewSessionTicket12, decodeServerHelloDone, decodeServerKeyExchange, encodeCertificate12, encodeClientKeyExchange } from '../wire/tls12-messages.js';
import { parseCertificate, type Certificate } from '../x509/certificate.js';
import type { HelloContext } from './hello-context.js';
import { GROUP_IDS } from './client-hello.js';
import type { ClientConfig, HandshakeResult, TlsSession } from './config.js';
import type { HandshakeIO } from './io.js';
import type { OfferableSession } from './session.js';
import { finishedVerifyData12, keyBlock12, masterSecret12 } from './key-schedule-12.js';
import { tls12SchemeMatchesKey, tls12SignatureAlgorithm } from './signature-schemes.js';
import type { Tls12Suite } from './tls12-suites.js';
import { Transcript } from './transcript.js';
import { authenticateServer } from './server-auth.js';

function illegal(reason: string, msg: string): TlsError { return new TlsError('illegal_parameter', reason, `tls: ${msg}`); }

/**
 * The TLS 1.2 client handshake (RFC 5246 §7.3), full or abbreviated
 * (resumption by session ID or ticket), from the ServerHello on.
 */
export async function continue12(io: HandshakeIO, cfg: ClientConfig, ctx: HelloContext): Promise<HandshakeResult> {
  const { provider } = cfg;
  const sh = ctx.serverHello;
  const clientRandom = ctx.random, serverRandom = sh.random;

  // ---- ServerHello (RFC 5246 §7.4.1.3) ----
  const suite = cfg.suites12.find((s) => s.id === sh.cipherSuite);
  if (!suite) throw illegal('unoffered_cipher_suite', `ServerHello selected cipher suite 0x${sh.cipherSuite.toString(16).padStart(4, '0')}, which the client did not offer for TLS 1.2`);
  if (sh.compressionMethod !== 0) throw illegal('bad_compression', `ServerHello selected compression method ${sh.compressionMethod}`);
  const solicited = new Set<number>([ExtensionType.renegotiation_info, ExtensionType.extended_master_secret, ExtensionType.session_ticket]);
  if (cfg.serverName !== undefined) solicited.add(ExtensionType.server_name);
  if (cfg.alpn?.length) solicited.add(ExtensionType.application_layer_protocol_negotiation);
  if (cfg.suites12.some((s) => s.kx !== 'DHE_RSA')) solicited.add(ExtensionType.ec_point_formats);
  if (cfg.suites12.some((s) => s.cipher.kind === 'cbc')) solicited.add(ExtensionType.encrypt_then_mac);
  checkAllowedExtensions(sh.extensions, solicited, 'ServerHello');
  const reneg = sh.extensions.get(ExtensionType.renegotiation_info);
  // RFC 5746 §3.4: on the initial handshake renegotiated_connection must be empty
  if (reneg && !(reneg.length === 1 && reneg[0] === 0)) throw new TlsError('handshake_failure', 'bad_renegotiation_info', 'tls: ServerHello renegotiation_info is not empty on the initial handshake');
  const ems = sh.extensions.has(ExtensionType.extended_master_secret);
  if (ems && sh.extensions.get(ExtensionType.extended_master_secret)!.length !== 0) throw new TlsError('decode_error', 'bad_extended_master_secret', 'tls: extended_master_secret in ServerHello must be empty');
  const etm = sh.extensions.has(ExtensionType.encrypt_then_mac);
  if (etm && suite.cipher.kind !== 'cbc') throw illegal('etm_with_aead', 'the server negotiated encrypt_then_mac with a non-CBC suite (RFC 7366 §3)');
  const pf = sh.extensions.get(ExtensionType.ec_point_formats);
  if (pf && !(pf.length >= 2 && pf[0] === pf.length - 1 && pf.subarray(1).includes(0))) throw illegal('bad_point_formats', 'ServerHello ec_point_formats does not include uncompressed');
  const expectTicket = sh.extensions.has(ExtensionType.session_ticket);
  let alpnProtocol: string | false = false;
  const alpnData = sh.extensions.get(ExtensionType.application_layer_protocol_negotiation);
  if (alpnData) {
    alpnProtocol = decodeAlpnServer(alpnData);
    if (!cfg.alpn!.includes(alpnProtocol)) throw illegal('unoffered_alpn', `the server selected ALPN protocol "${alpnProtocol}", which the client did not offer`);
  }

  const transcript = new Transcript();
  transcript.setHash(suite.prfHash);
  transcript.add(ctx.clientHello);
  transcript.add(ctx.serverHelloMessage.raw);
  const keyLog: HandshakeResult['keyLog'] = { clientRandom, secrets: [] };

  // RFC 5246 §7.4.1.3 / RFC 5077 §3.4: echoing the offered session id means the server resumes it
  const offered = ctx.session;
  if (offered && ctx.sessionId.length > 0 && equalBytes(sh.legacySessionIdEcho, ctx.sessionId)) {
    return abbreviated(io, cfg, ctx, suite, offered, { transcript, ems, etm, expectTicket, alpnProtocol, keyLog });
  }

  // ---- Certificate, ServerKeyExchange, [CertificateRequest], ServerHelloDone ----
  const certMsg = await io.expect(HandshakeType.certificate);
  const chain = decodeCertificate12(certMsg.body);
  transcript.add(certMsg.raw);
  if (chain.length === 0) throw new TlsError('decode_error', 'empty_certificate', 'tls: the server sent an empty Certificate message');
  const peerCertificates = chain.map(parseCertificate);
  const leaf = peerCertificates[0]!;
  const wantKey = suite.kx === 'ECDHE_ECDSA' ? ['ec', 'ed25519'] : ['rsa'];
  if (!wantKey.includes(leaf.publicKey.key.kind)) throw new TlsError('unsupported_certificate', 'certificate_key_mismatch', `tls: ${suite.name} needs a ${wantKey.join(' or ')} certificate, the server sent a ${leaf.publicKey.key.kind} key`);

  const skeMsg = await io.expect(HandshakeType.server_key_exchange);
  const ske = decodeServerKeyExchange(skeMsg.body, suite.kx === 'DHE_RSA' ? 'dhe' : 'ecdhe');
  transcript.add(skeMsg.raw);
  // RFC 5246 §7.4.3: the signature covers client_random + server_random + params, and is checked before the key is used
  if (!cfg.signatureSchemes12.includes(ske.scheme) && !cfg.signatureSchemes.includes(ske.scheme)) throw illegal('unoffered_signature_scheme', `ServerKeyExchange is signed with ${nameOf(SignatureScheme, ske.scheme)}, which the client did not offer`);
  const alg = tls12SignatureAlgorithm(ske.scheme, provider);
  if (!alg || !tls12SchemeMatchesKey(ske.scheme, leaf.publicKey.key, leaf.publicKey.algorithm)) throw illegal('signature_scheme_key_mismatch', `ServerKeyExchange scheme ${nameOf(SignatureScheme, ske.scheme)} does not fit the certificate's ${leaf.publicKey.key.kind} key`);
  if (!provider.verify(alg, leaf.publicKey.key, concat(clientRandom, serverRandom, ske.params), ske.signature)) {
    throw new TlsError('decrypt_error', 'bad_server_key_exchange_signature', `tls: the ServerKeyExchange signature (${nameOf(SignatureScheme, ske.scheme)}) does not verify with the server certificate's key`);
  }

  let msg = await io.expect(HandshakeType.certificate_request, HandshakeType.server_hello_done);
  let clientCertificateRequested = false;
  let request: CertificateRequestInfo | undefined;
  if (msg.type === HandshakeType.certificate_request) {
    const cr = decodeCertificateRequest12(msg.body);
    request = describeRequest('TLSv1.2', cr.signatureSchemes, cr.authorities);
    clientCertificateRequested = true;
    transcript.add(msg.raw);
    msg = await io.expect(HandshakeType.server_hello_done);
  }
  decodeServerHelloDone(msg.body);
  transcript.add(msg.raw);

  const authorizationError = authenticateServer(cfg, peerCertificates);

  // ---- key exchange ----
  let preMaster: Uint8Array, clientPublic: Uint8Array, groupName: string;
  if (ske.kind === 'ecdhe') {
    const impl = cfg.groups.find((g) => GROUP_IDS[g.name] === ske.group) as KeyExchangeGroup | undefined;
    if (!impl) throw illegal('unoffered_group', `ServerKeyExchange uses ${nameOf(NamedGroup, ske.group)}, which the client did not offer`);
    const pair = impl.generate(provider.random);
    preMaster = pair.agree(ske.publicKey);
    clientPublic = pair.publicKey;
    groupName = impl.name;
  } else {
    const group = acceptDhGroup({ p: ske.p, g: ske.g }, cfg.minDHSize);
    const pair = generateDhKeyPair(group, provider.random);
    preMaster = pair.agree(ske.publicKey);
    clientPublic = pair.publicKey;
    groupName = group.name;
  }

  // ---- client flight: [Certificate] ClientKeyExchange ChangeCipherSpec Finished ----
  // RFC 5246 §7.4.6: the client's Certificate (possibly empty) comes first when one was requested
  const choice = request ? chooseIdentity(cfg.identities, request, cfg.selectIdentity) : undefined;
  if (request) {
    const certMsg = encodeCertificate12(choice ? choice.identity.chain.map((c) => c.der) : []);
    transcript.add(certMsg);
    await io.send(certMsg);
    io.noteClientAuth({ request, sent: choice?.identity.alias });
  }
  const cke = encodeClientKeyExchange(ske.kind, clientPublic);
  transcript.add(cke);
  await io.send(cke);
  // RFC 7627 §3: the session hash runs through ClientKeyExchange, before any CertificateVerify
  const master = masterSecret12(suite.prfHash, preMaster, clientRandom, serverRandom, ems ? transcript.current() : undefined);
  preMaster.fill(0);
  if (choice) {
    // RFC 5246 §7.4.8: the signature covers every handshake message so far, hashed by the scheme's hash
    const signature = await choice.identity.signer.sign(choice.scheme, transcript.concatenated());
    const cv = encodeCertificateVerify({ scheme: choice.scheme, signature });
    transcript.add(cv);
    await io.send(cv);
  }
  keyLog.secrets.push(['CLIENT_RANDOM', master]);
  const keys = protections(cfg, suite, master, clientRandom, serverRandom, etm);
  await io.sendChangeCipherSpec();
  io.installKeys('write', keys.write);
  const clientFinished = encodeFinished(finishedVerifyData12(suite.prfHash, master, 'client', transcript.current()));
  transcript.add(clientFinished);
  await io.send(clientFinished);

  // ---- server: [NewSessionTicket] ChangeCipherSpec Finished ----
  const ticket = expectTicket ? await readTicket(io, transcript) : undefined;
  await io.expectChangeCipherSpec();
  io.installKeys('read', keys.read);
  await serverFinished(io, suite, master, transcript);

  return {
    version: 'TLSv1.2', cipherSuite: suite.name, group: groupName, signatureScheme: nameOf(SignatureScheme, ske.scheme), alpnProtocol,
    peerCertificates, authorized: authorizationError === undefined, authorizationError, clientCertificateRequested, clientCertificateSent: choice?.identity.alias, helloRetried: false, resumed: false,
    extendedMasterSecret: ems, encryptThenMac: etm,
    // only sessions with the extended master secret are offered for resumption (RFC 7627 §5.3)
    ...(ems ? { session: makeSession(cfg, suite, master, sh.legacySessionIdEcho, ticket, peerCertificates, alpnProtocol, authorizationError) } : {}),
    keyLog,
  };
}

/** Abbreviated handshake (RFC 5246 §7.3 figure 2): the server's CCS and Finished come first. */
async function abbreviated(
  io: HandshakeIO, cfg: ClientConfig, ctx: HelloContext, suite: Tls12Suite, offered: OfferableSession,
  st: { transcript: Transcript; ems: boolean; etm: boolean; expectTicket: boolean; alpnProtocol: string | false; keyLog: HandshakeResult['keyLog'] },
): Promise<HandshakeResult> {
  const { session, authorizationError } = offered;
  if (suite.id !== session.cipherSuite) throw illegal('resumption_suite_changed', 'the server resumed the session with a different cipher suite');
  // RFC 7627 §5.3: a session without the extended master secret is never resumed
  if (!st.ems) throw new TlsError('handshake_failure', 'resumption_without_ems', 'tls: the server resumed a session without extended_master_secret; refusing (RFC 7627)');
  const master = session.masterSecret;
  st.keyLog.secrets.push(['CLIENT_RANDOM', master]);
  const keys = protections(cfg, suite, master, ctx.random, ctx.serverHello.random, st.etm);
  const ticket = st.expectTicket ? await readTicket(io, st.transcript) : undefined;
  await io.expectChangeCipherSpec();
  io.installKeys('read', keys.read);
  await serverFinished(io, suite, master, st.transcript);
  await io.sendChangeCipherSpec();
  io.installKeys('write', keys.write);
  const clientFinished = encodeFinished(finishedVerifyData12(suite.prfHash, master, 'client', st.transcript.current()));
  st.transcript.add(clientFinished);
  await io.send(clientFinished);
  // The server proved it holds the session's master secret; its identity is the stored chain, judged
  // again under this connection's options before the session was offered (session.ts).
  const peerCertificates = session.peerCertificates;
  return {
    version: 'TLSv1.2', cipherSuite: suite.name, group: 'none (resumed)', signatureScheme: 'none (resumed)', alpnProtocol: st.alpnProtocol,
    peerCertificates, authorized: authorizationError === undefined, authorizationError, clientCertificateRequested: false, clientCertificateSent: undefined, helloRetried: false, resumed: true,
    extendedMasterSecret: true, encryptThenMac: st.etm,
    session: makeSession(cfg, suite, master, ctx.serverHello.legacySessionIdEcho, ticket ?? session.ticket, peerCertificates, st.alpnProtocol, authorizationError),
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

async function serverFinished(io: HandshakeIO, suite: Tls12Suite, master: Uint8Array, transcript: Transcript): Promise<void> {
  const fin = await io.expect(HandshakeType.finished);
  const expected = finishedVerifyData12(suite.prfHash, master, 'server', transcript.current());
  if (fin.body.length !== 12) throw new TlsError('decode_error', 'bad_finished_length', `tls: Finished of ${fin.body.length} bytes, expected 12`);
  if (!equalConstantTime(expected, fin.body)) throw new TlsError('decrypt_error', 'bad_finished', 'tls: the server Finished does not match the handshake transcript');
  transcript.add(fin.raw);
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

function makeSession(
  cfg: ClientConfig, suite: Tls12Suite, master: Uint8Array, sessionId: Uint8Array, ticket: Uint8Array | undefined,
  peerCertificates: Certificate[], alpnProtocol: string | false, authorizationError: TlsError | undefined,
): TlsSession {
  return {
    version: 'TLSv1.2', cipherSuite: suite.id, masterSecret: master, sessionId: sessionId.slice(), ticket, extendedMasterSecret: true,
    serverName: cfg.serverName, verifiedName: cfg.verifyName, authorized: authorizationError === undefined, authorizationError,
    peerCertificates, alpnProtocol, createdAt: cfg.now().getTime(),
  };
}

