import { equalBytes, toHex } from '../bytes/encoding.js';
import { TlsError } from '../errors.js';
import { Tls13Direction } from '../record/tls13-protection.js';
import { ExtensionType, HandshakeType, nameOf, NamedGroup, ProtocolVersion, SignatureScheme } from '../wire/constants.js';
import { decodeAlpnServer, decodeCertificateAuthorities, decodeCookie, decodeKeyShareHrr, decodeKeyShareServer, decodeSupportedVersionServer, decodeU16List } from '../wire/extensions.js';
import { frameHandshake, type HandshakeMessage } from '../wire/handshake-message.js';
import { decodeServerHello, type ServerHello } from '../wire/server-hello.js';
import { decodeCertificate13, decodeCompressedCertificate, decodeCertificateRequest13, decodeCertificateVerify, decodeEncryptedExtensions, decodeFinished, encodeCertificate13, encodeCertificateVerify, encodeFinished } from '../wire/tls13-messages.js';
import { parseCertificate, type Certificate } from '../x509/certificate.js';
import type { Tls13Suite } from './cipher-suites.js';
import { chooseIdentity, describeRequest, type CertificateRequestInfo } from './client-auth.js';
import type { ClientConfig, HandshakeResult } from './config.js';
import { checkServerExtensions } from './extension-rules.js';
import type { HelloContext } from './hello-context.js';
import type { HandshakeIO } from './io.js';
import { PskMode } from './client-hello.js';
import { applyRecordSizeLimit } from './record-size-limit.js';
import { decompressCertificate, nameOfCertCompression } from './certificate-compression.js';
import { isEchConfigList } from './ech.js';
import { EarlySecret, finishedVerifyData, trafficKeys, type ApplicationTrafficSecret, type HandshakeSecret, type HandshakeTrafficSecret } from './key-schedule-13.js';
import { authenticateResumedServer, authenticateServer, checkLeafKeyUsage, verifyServerFinished, verifyServerSignature, type ServerAuthenticated, type ServerFinishedVerified } from './server-auth.js';
import { certificateVerifyContent, schemeMatchesKey, tls13SignatureAlgorithm } from './signature-schemes.js';
import { Transcript } from './transcript.js';

function illegal(reason: string, msg: string): TlsError { return new TlsError('illegal_parameter', reason, `tls: ${msg}`); }

/** What the steps of one TLS 1.3 handshake share. */
interface State13 {
  io: HandshakeIO;
  cfg: ClientConfig;
  ctx: HelloContext;
  transcript: Transcript;
  keyLog: HandshakeResult['keyLog'];
  /** RFC 9849: retry configs from EncryptedExtensions, when the server sent them. */
  echRetryConfigs?: Uint8Array;
}

/**
 * The TLS 1.3 client handshake (RFC 8446 §2, full handshake with optional
 * HelloRetryRequest) from the first ServerHello on (client.ts sent the
 * ClientHello). Each step is one of the RFC's named steps; the witnesses
 * returned by server authentication and the server Finished are required to
 * install the application keys.
 */
export async function continue13(io: HandshakeIO, cfg: ClientConfig, ctx: HelloContext): Promise<HandshakeResult> {
  const st: State13 = { io, cfg, ctx, transcript: new Transcript(), keyLog: { clientRandom: ctx.random, secrets: [] } };
  st.transcript.add(ctx.clientHello);

  const hello = ctx.serverHello.isHelloRetryRequest ? await processHelloRetryRequest(st) : { shMsg: ctx.serverHelloMessage, sh: ctx.serverHello, shares: ctx.shares, hrrSuite: undefined, offeredPsk: ctx.psk !== undefined };
  const { suite, share, sharedSecret, psk } = await processServerHello(st, hello);
  // 0-RTT data went out under early keys: they stay our write keys until the server says whether it took the data
  const earlyPending = ctx.early !== undefined && hello.hrrSuite === undefined;
  if (ctx.early) st.keyLog.secrets.push(['CLIENT_EARLY_TRAFFIC_SECRET', ctx.early.secret]);
  const { handshakeSecret, hsTraffic, installClientKeys } = establishHandshakeKeys(st, suite, sharedSecret, hello.hrrSuite !== undefined || ctx.early !== undefined, psk?.session.psk, earlyPending);
  const { alpnProtocol, earlyAccepted } = await readEncryptedExtensions(st, earlyPending, suite, psk);
  if (earlyPending && !earlyAccepted) installClientKeys();
  // with a resumption PSK the server proves itself by its Finished alone: no Certificate, no CertificateRequest (RFC 8446 §2.2, §4.3.2)
  const server = psk ? undefined : await readServerAuthentication(st);
  const finished = await readServerFinished(st, suite, hsTraffic.server);
  const authenticated = server?.authenticated ?? authenticateResumedServer(psk!.session.peerCertificates, psk!.authorizationError, finished);
  const app = deriveApplicationSecrets(st, handshakeSecret);
  const client = await sendClientFlight(st, suite, hsTraffic.client, server?.request, earlyAccepted ? installClientKeys : undefined);
  installApplicationKeys(st, suite, app, authenticated, finished);

  return {
    proof: { server: authenticated, finished },
    version: 'TLSv1.3', cipherSuite: suite.name, group: share?.impl.name ?? 'none (psk_ke)', signatureScheme: server?.signatureScheme ?? psk!.session.signatureAlgorithm, alpnProtocol,
    peerCertificates: authenticated.chain, authorized: authenticated.authorizationError === undefined, authorizationError: authenticated.authorizationError,
    clientCertificateRequested: server?.request !== undefined, clientCertificateSent: client.certificateSent, helloRetried: hello.hrrSuite !== undefined, resumed: psk !== undefined,
    earlyData: { sent: ctx.early !== undefined, accepted: earlyAccepted },
    certificateCompression: server?.compression ?? false,
    ...(st.echRetryConfigs ? { ech: { accepted: false, retryConfigs: st.echRetryConfigs } } : {}),
    tls13: {
      suite, clientApplicationSecret: app.client, serverApplicationSecret: app.server, exporterMasterSecret: app.exporter,
      resumptionMasterSecret: app.master.resumptionMasterSecret(st.transcript.current()),
      // kept only when post-handshake authentication may need it (RFC 8446 §4.4.1)
      transcript: cfg.postHandshakeAuth ? st.transcript.messages.slice() : [],
    },
    keyLog: st.keyLog,
  };
}

interface Hello { shMsg: HandshakeMessage; sh: ServerHello; shares: HelloContext['shares']; hrrSuite: number | undefined; offeredPsk: boolean }

/** RFC 8446 §4.1.4: HelloRetryRequest, the second ClientHello, and the real ServerHello. */
async function processHelloRetryRequest(st: State13): Promise<Hello> {
  const { cfg, ctx, io, transcript } = st;
  const hrr = ctx.serverHello;
  io.endOfFlight('HelloRetryRequest');
  checkServerHelloCommon(hrr, ctx.sessionId, cfg.suites13.map((s) => s.id), 'HelloRetryRequest');
  checkServerExtensions(hrr.extensions, 'HelloRetryRequest', ctx.offeredExtensions);
  const suite = cfg.suites13.find((s) => s.id === hrr.cipherSuite)!;
  transcript.setHash(suite.hash);
  transcript.replaceWithMessageHash();
  transcript.add(ctx.serverHelloMessage.raw);

  let shares = ctx.shares;
  const ksData = hrr.extensions.get(ExtensionType.key_share);
  const cookieData = hrr.extensions.get(ExtensionType.cookie);
  const cookie = cookieData ? decodeCookie(cookieData) : undefined;
  if (ksData) {
    const selected = decodeKeyShareHrr(ksData);
    const idx = ctx.offeredGroups.indexOf(selected);
    if (idx < 0) throw illegal('unoffered_group', `HelloRetryRequest selected group ${nameOf(NamedGroup, selected)}, which the client did not offer`);
    if (shares.some((s) => s.group === selected)) throw illegal('hrr_group_already_sent', `HelloRetryRequest asked for ${nameOf(NamedGroup, selected)}, for which a key share was already sent`);
    shares = [{ group: selected, pair: await cfg.groups[idx]!.generate(cfg.provider.random), impl: cfg.groups[idx]! }];
  } else if (!cookie) {
    // RFC 8446 §4.1.4: an HRR that would not change the ClientHello is illegal
    throw illegal('hrr_no_change', 'HelloRetryRequest asks for no change to the ClientHello');
  }
  // 0-RTT data is rejected by a HelloRetryRequest (RFC 8446 §4.2.10): the second ClientHello goes in plaintext,
  // without early_data; the compatibility CCS already went before the early data (§D.4)
  if (ctx.early) io.clearWriteKeys();
  else if (cfg.compatibilityMode) await io.sendChangeCipherSpec();
  const hrrContext = { hashName: suite.hash.name, prefix: transcript.messages.slice() };
  const { hello: ch2, offeredPsk, transcriptHello } = ctx.retryHellos ? await ctx.retryHellos(shares, cookie, hrrContext) : { ...ctx.rebuild(shares, cookie, hrrContext), transcriptHello: undefined };
  transcript.add(transcriptHello ?? ch2);
  await io.send(ch2);
  const shMsg = await io.expect(HandshakeType.server_hello);
  const sh = decodeServerHello(shMsg.body);
  if (sh.isHelloRetryRequest) throw new TlsError('unexpected_message', 'second_hello_retry_request', 'tls: the server sent a second HelloRetryRequest');
  return { shMsg, sh, shares, hrrSuite: hrr.cipherSuite, offeredPsk };
}

/** RFC 8446 §4.1.3: the ServerHello's choices, whether it accepted our PSK (§4.2.11), and the (EC)DHE shared secret. */
async function processServerHello(st: State13, { shMsg, sh, shares, hrrSuite, offeredPsk }: Hello): Promise<{ suite: Tls13Suite; share: HelloContext['shares'][number] | undefined; sharedSecret: Uint8Array; psk: HelloContext['psk'] }> {
  const { cfg, ctx, transcript } = st;
  checkServerHelloCommon(sh, ctx.sessionId, cfg.suites13.map((s) => s.id), 'ServerHello');
  checkServerExtensions(sh.extensions, 'ServerHello', ctx.offeredExtensions);
  if (hrrSuite !== undefined && sh.cipherSuite !== hrrSuite) throw illegal('suite_changed_after_hrr', 'ServerHello cipher suite differs from the one in HelloRetryRequest');
  const suite = cfg.suites13.find((s) => s.id === sh.cipherSuite)!;
  if (hrrSuite === undefined) transcript.setHash(suite.hash);
  transcript.add(shMsg.raw);

  const psk = acceptedPsk(sh, ctx, suite, offeredPsk);
  const ksData = sh.extensions.get(ExtensionType.key_share);
  if (!ksData) {
    // only psk_ke (RFC 8446 §4.2.9) goes without a key share, and only if we offered it
    if (psk && psk.modes.includes(PskMode.psk_ke)) return { suite, share: undefined, sharedSecret: new Uint8Array(suite.hash.outputLen), psk };
    throw new TlsError('missing_extension', 'missing_key_share', `tls: ServerHello has no key_share${psk ? ' (psk_ke was not offered)' : ''}`);
  }
  if (psk && !psk.modes.includes(PskMode.psk_dhe_ke)) throw illegal('unoffered_psk_mode', 'the server used psk_dhe_ke, which the client did not offer');
  const serverShare = decodeKeyShareServer(ksData);
  const share = shares.find((s) => s.group === serverShare.group);
  if (!share) throw illegal('unoffered_group', `ServerHello key_share uses ${nameOf(NamedGroup, serverShare.group)}, for which the client sent no key share`);
  return { suite, share, sharedSecret: await share.pair.agree(serverShare.keyExchange), psk };
}

/**
 * RFC 8446 §4.2.11: a pre_shared_key in the ServerHello selects one of the
 * PSKs the (last) ClientHello offered: we offer one, so it must be 0, and the
 * suite must have the PSK's hash.
 */
function acceptedPsk(sh: ServerHello, ctx: HelloContext, suite: Tls13Suite, offeredPsk: boolean): HelloContext['psk'] {
  const data = sh.extensions.get(ExtensionType.pre_shared_key);
  if (!data) return undefined;
  if (!offeredPsk || !ctx.psk) throw new TlsError('unsupported_extension', 'unsolicited_pre_shared_key', 'tls: the ServerHello selects a PSK, but the ClientHello offered none');
  if (data.length !== 2) throw new TlsError('decode_error', 'bad_pre_shared_key', 'tls: the ServerHello pre_shared_key must be a 2-byte selected_identity');
  const selected = (data[0]! << 8) | data[1]!;
  if (selected !== 0) throw illegal('bad_psk_identity', `the server selected PSK identity ${selected}; the client offered one (0)`);
  if (suite.hash.name !== ctx.psk.suite.hash.name) throw illegal('psk_suite_hash_mismatch', `the server resumed with ${suite.name}, whose hash is not the ticket's (${ctx.psk.suite.hash.name})`);
  return ctx.psk;
}

/** RFC 8446 §7.1: handshake traffic secrets; both directions switch to handshake keys. */
function establishHandshakeKeys(st: State13, suite: Tls13Suite, sharedSecret: Uint8Array, ccsSent: boolean, psk: Uint8Array | undefined, earlyPending: boolean): { handshakeSecret: HandshakeSecret; hsTraffic: { client: HandshakeTrafficSecret; server: HandshakeTrafficSecret }; installClientKeys: () => void } {
  const handshakeSecret = new EarlySecret(suite.hash, psk).handshake(sharedSecret);
  const hsTraffic = handshakeSecret.trafficSecrets(st.transcript.current());
  st.keyLog.secrets.push(['CLIENT_HANDSHAKE_TRAFFIC_SECRET', hsTraffic.client], ['SERVER_HANDSHAKE_TRAFFIC_SECRET', hsTraffic.server]);
  const serverKeys = trafficKeys(suite.hash, hsTraffic.server, suite.aead.keyLength);
  st.io.installKeys('read', new Tls13Direction(suite.aead, serverKeys.key, serverKeys.iv));
  // Our own handshake keys go in now too, so any alert we send from here on is protected (RFC 8446 §6),
  // and in compatibility mode preceded by the change_cipher_spec (§D.4; after an HRR it went before ClientHello2).
  const clientKeys = trafficKeys(suite.hash, hsTraffic.client, suite.aead.keyLength);
  const installClientKeys = () => st.io.installKeys('write', new Tls13Direction(suite.aead, clientKeys.key, clientKeys.iv));
  // with 0-RTT pending our write keys stay the early ones until EndOfEarlyData (or the server's refusal)
  if (!earlyPending) installClientKeys();
  if (st.cfg.compatibilityMode && !ccsSent) st.io.changeCipherSpecBeforeNextProtectedRecord();
  return { handshakeSecret, hsTraffic, installClientKeys };
}

/** RFC 8446 §4.3.1: EncryptedExtensions (SNI acknowledgement, ALPN, record size limit, early data acceptance). */
async function readEncryptedExtensions(st: State13, earlyPending: boolean, suite: Tls13Suite, psk: HelloContext['psk']): Promise<{ alpnProtocol: string | false; earlyAccepted: boolean }> {
  const eeMsg = await st.io.expect(HandshakeType.encrypted_extensions);
  const ee = decodeEncryptedExtensions(eeMsg.body);
  st.transcript.add(eeMsg.raw);
  checkServerExtensions(ee, 'EncryptedExtensions', st.ctx.offeredExtensions);
  const earlyExt = ee.get(ExtensionType.early_data);
  // §4.2.10: the server may accept only early data that was sent in this ClientHello, with the PSK it resumed
  if (earlyExt && (!earlyPending || !psk)) throw illegal('unexpected_early_data', 'the server accepted early data that the client did not send in this ClientHello');
  if (earlyExt && earlyExt.length !== 0) throw new TlsError('decode_error', 'bad_early_data', 'tls: the early_data extension in EncryptedExtensions must be empty');
  if (earlyExt && suite.id !== st.ctx.early!.suite.id) throw illegal('early_data_suite_mismatch', 'the server accepted early data under another cipher suite than the ticket\'s');
  const rsl = ee.get(ExtensionType.record_size_limit);
  if (rsl) applyRecordSizeLimit(st.io, rsl, 'TLSv1.3', st.cfg.recordSizeLimit);
  const sni = ee.get(ExtensionType.server_name);
  if (sni && sni.length !== 0) throw new TlsError('decode_error', 'bad_server_name_ack', 'tls: the server_name acknowledgement in EncryptedExtensions must be empty');
  const alpnData = ee.get(ExtensionType.application_layer_protocol_negotiation);
  const alpnProtocol = alpnData ? decodeAlpnServer(alpnData) : false;
  if (alpnProtocol !== false && !st.cfg.alpn!.includes(alpnProtocol)) throw illegal('unoffered_alpn', `the server selected ALPN protocol "${alpnProtocol}", which the client did not offer`);
  if (earlyExt && alpnProtocol !== psk!.session.alpnProtocol) throw illegal('early_data_alpn_mismatch', 'the server accepted early data under another ALPN protocol than the ticket\'s');
  // RFC 9849 §7.1: a server that rejected ECH may send retry configs (an ECHConfigList) in EncryptedExtensions
  const echExt = ee.get(ExtensionType.encrypted_client_hello);
  if (echExt) {
    // only a server that rejected ECH sends retry configs; they must be a well-formed ECHConfigList (even for GREASE ECH)
    if (st.ctx.echStatus === 'accepted') throw new TlsError('unsupported_extension', 'ech_retry_configs_after_accept', 'tls: the server accepted ECH but still sent retry configs');
    if (!isEchConfigList(echExt)) throw new TlsError('decode_error', 'bad_ech_retry_configs', 'tls: the ECH retry configs in EncryptedExtensions are not a well-formed ECHConfigList');
    st.echRetryConfigs = echExt;
  }
  return { alpnProtocol, earlyAccepted: earlyExt !== undefined };
}

/**
 * RFC 8446 §4.3.2, §4.4.2, §4.4.3: [CertificateRequest], Certificate,
 * CertificateVerify; then the chain, name and pins. Returns the witness that
 * the server is authenticated.
 */
async function readServerAuthentication(st: State13): Promise<{ authenticated: ServerAuthenticated; signatureScheme: string; request: { info: CertificateRequestInfo; context: Uint8Array } | undefined; compression: 'zlib' | 'brotli' | false }> {
  const { io, cfg, ctx, transcript } = st;
  let msg = await io.expect(HandshakeType.certificate_request, HandshakeType.certificate, ...(cfg.certCompression.length ? [HandshakeType.compressed_certificate] : []));
  let request: { info: CertificateRequestInfo; context: Uint8Array } | undefined;
  if (msg.type === HandshakeType.certificate_request) {
    const cr = decodeCertificateRequest13(msg.body);
    // RFC 8446 §4.3.2: the context is empty unless the request comes after the handshake
    if (cr.context.length !== 0) throw illegal('nonempty_certificate_request_context', 'a CertificateRequest during the handshake has a non-empty certificate_request_context');
    checkServerExtensions(cr.extensions, 'CertificateRequest', ctx.offeredExtensions);
    const cas = cr.extensions.get(ExtensionType.certificate_authorities);
    request = { info: describeRequest('TLSv1.3', decodeU16List(cr.extensions.get(ExtensionType.signature_algorithms)!, 'signature_algorithms'), cas ? decodeCertificateAuthorities(cas) : []), context: cr.context };
    transcript.add(msg.raw);
    msg = await io.expect(HandshakeType.certificate, ...(cfg.certCompression.length ? [HandshakeType.compressed_certificate] : []));
  }

  // RFC 8879: a CompressedCertificate stands for the Certificate; the transcript holds the message as sent
  let compression: 'zlib' | 'brotli' | false = false;
  let certBody = msg.body;
  if (msg.type === HandshakeType.compressed_certificate) {
    const cc = decodeCompressedCertificate(msg.body);
    certBody = await decompressCertificate(cc, cfg.certCompression, cfg.maxHandshakeMessageSize);
    compression = nameOfCertCompression(cc.algorithm);
  }
  const certMsg = decodeCertificate13(certBody);
  transcript.add(msg.raw);
  if (certMsg.context.length !== 0) throw illegal('nonempty_certificate_context', 'server Certificate has a non-empty certificate_request_context');
  if (certMsg.entries.length === 0) throw new TlsError('decode_error', 'empty_certificate', 'tls: the server sent an empty Certificate message');
  // each entry may carry only extensions the ClientHello asked for in Certificate (RFC 8446 §4.4.2)
  for (const e of certMsg.entries) checkServerExtensions(e.extensions, 'Certificate', ctx.offeredExtensions);
  const chain: Certificate[] = certMsg.entries.map((e) => parseCertificate(e.certData));
  const leaf = chain[0]!;
  checkLeafKeyUsage(leaf);

  const cvMsg = await io.expect(HandshakeType.certificate_verify);
  const cv = decodeCertificateVerify(cvMsg.body);
  if (!cfg.signatureSchemes.includes(cv.scheme)) throw illegal('unoffered_signature_scheme', `CertificateVerify uses ${nameOf(SignatureScheme, cv.scheme)}, which the client did not offer`);
  const alg = tls13SignatureAlgorithm(cv.scheme, cfg.provider);
  if (!alg || !schemeMatchesKey(cv.scheme, leaf.publicKey.key, leaf.publicKey.algorithm)) {
    throw illegal('signature_scheme_key_mismatch', `CertificateVerify scheme ${nameOf(SignatureScheme, cv.scheme)} does not fit the certificate's ${leaf.publicKey.key.kind} key`);
  }
  const signed = await verifyServerSignature(cfg.provider, alg, leaf.publicKey.key, certificateVerifyContent('server', transcript.current()), cv.signature,
    () => new TlsError('decrypt_error', 'bad_certificate_verify', `tls: the server's CertificateVerify signature (${nameOf(SignatureScheme, cv.scheme)}) does not verify with its certificate's key`));
  transcript.add(cvMsg.raw);

  // Chain and name; with rejectUnauthorized false the reason is recorded, not thrown.
  return { authenticated: await authenticateServer(cfg, chain, signed), signatureScheme: nameOf(SignatureScheme, cv.scheme), request, compression };
}

/** RFC 8446 §4.4.4: the server Finished, keyed by its handshake traffic secret. */
async function readServerFinished(st: State13, suite: Tls13Suite, serverSecret: HandshakeTrafficSecret): Promise<ServerFinishedVerified> {
  const finMsg = await st.io.expect(HandshakeType.finished);
  const expected = finishedVerifyData(suite.hash, serverSecret, st.transcript.current());
  const verified = verifyServerFinished(expected, decodeFinished(finMsg.body, suite.hash.outputLen));
  st.io.endOfFlight('Finished');
  st.transcript.add(finMsg.raw);
  return verified;
}

/** RFC 8446 §7.1: application secrets from the transcript through the server Finished. */
function deriveApplicationSecrets(st: State13, handshakeSecret: HandshakeSecret) {
  const master = handshakeSecret.master();
  const app = master.applicationSecrets(st.transcript.current());
  st.keyLog.secrets.push(['CLIENT_TRAFFIC_SECRET_0', app.client], ['SERVER_TRAFFIC_SECRET_0', app.server], ['EXPORTER_SECRET', app.exporter]);
  return { ...app, master };
}

/** RFC 8446 §4.4: the client's flight, [Certificate CertificateVerify] Finished, under handshake keys (the compatibility CCS goes first, see establishHandshakeKeys). */
async function sendClientFlight(st: State13, suite: Tls13Suite, clientSecret: HandshakeTrafficSecret, request: { info: CertificateRequestInfo; context: Uint8Array } | undefined, endEarlyData: (() => void) | undefined): Promise<{ certificateSent: string | undefined }> {
  const { io, cfg, transcript } = st;
  if (endEarlyData) {
    // RFC 8446 §4.5: EndOfEarlyData under the early keys, then the handshake keys for the rest of the flight
    const eoed = frameHandshake(HandshakeType.end_of_early_data, new Uint8Array(0));
    transcript.add(eoed);
    await io.send(eoed);
    endEarlyData();
  }
  let certificateSent: string | undefined;
  if (request) {
    certificateSent = await sendClientCertificate13(io, cfg, transcript, request.context, request.info);
    io.noteClientAuth({ request: request.info, sent: certificateSent });
  }
  const clientFinished = encodeFinished(finishedVerifyData(suite.hash, clientSecret, transcript.current()));
  transcript.add(clientFinished);
  await io.send(clientFinished);
  return { certificateSent };
}

/**
 * Application traffic keys in both directions. Demands the witnesses of
 * server authentication and of the server Finished: no application data
 * flows before both checks passed.
 */
function installApplicationKeys(st: State13, suite: Tls13Suite, app: { client: ApplicationTrafficSecret; server: ApplicationTrafficSecret }, _server: ServerAuthenticated, _finished: ServerFinishedVerified): void {
  const serverKeys = trafficKeys(suite.hash, app.server, suite.aead.keyLength);
  const clientKeys = trafficKeys(suite.hash, app.client, suite.aead.keyLength);
  st.io.installKeys('read', new Tls13Direction(suite.aead, serverKeys.key, serverKeys.iv));
  st.io.installKeys('write', new Tls13Direction(suite.aead, clientKeys.key, clientKeys.iv));
}

/** Checks shared by ServerHello and HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4). */
function checkServerHelloCommon(sh: ServerHello, sessionId: Uint8Array, offeredSuites: number[], what: string): void {
  const sv = sh.extensions.get(ExtensionType.supported_versions);
  if (!sv) throw new TlsError('missing_extension', 'missing_supported_versions', `tls: ${what} lacks supported_versions`);
  const version = decodeSupportedVersionServer(sv);
  if (version !== ProtocolVersion.TLSv1_3) throw illegal('unoffered_version', `${what} selected version 0x${version.toString(16)}, which the client did not offer`);
  if (sh.legacyVersion !== ProtocolVersion.TLSv1_2) throw illegal('bad_legacy_version', `${what} legacy_version is 0x${sh.legacyVersion.toString(16)}, not 0x0303`);
  if (!equalBytes(sh.legacySessionIdEcho, sessionId)) throw illegal('session_id_mismatch', `${what} legacy_session_id_echo ${toHex(sh.legacySessionIdEcho)} differs from the client's`);
  if (!offeredSuites.includes(sh.cipherSuite)) throw illegal('unoffered_cipher_suite', `${what} selected cipher suite 0x${sh.cipherSuite.toString(16).padStart(4, '0')}, which the client did not offer`);
  if (sh.compressionMethod !== 0) throw illegal('bad_compression', `${what} selected compression method ${sh.compressionMethod}`);
}

/**
 * Client Certificate and CertificateVerify (RFC 8446 §4.4.2–4.4.3), also used
 * for post-handshake authentication. Returns the alias sent, or undefined when
 * an empty Certificate was sent.
 */
export async function sendClientCertificate13(io: { send(m: Uint8Array): Promise<void> }, cfg: ClientConfig, transcript: { add(m: Uint8Array): void; current(): Uint8Array }, context: Uint8Array, request: CertificateRequestInfo): Promise<string | undefined> {
  const choice = chooseIdentity(cfg.identities, request, cfg.selectIdentity);
  const certMsg = encodeCertificate13(context, choice ? choice.identity.chain.map((c) => c.der) : []);
  transcript.add(certMsg);
  await io.send(certMsg);
  if (!choice) return undefined;
  const signature = await choice.identity.signer.sign(choice.scheme, certificateVerifyContent('client', transcript.current()));
  const cv = encodeCertificateVerify({ scheme: choice.scheme, signature });
  transcript.add(cv);
  await io.send(cv);
  return choice.identity.alias;
}

/**
 * Post-handshake client authentication (RFC 8446 §4.6.2): answers one
 * CertificateRequest with Certificate, CertificateVerify and Finished. The
 * transcript is the handshake's (through client Finished) plus this exchange;
 * the Finished key comes from the current client application traffic secret.
 */
export async function answerPostHandshakeAuth(
  send: (m: Uint8Array) => Promise<void>, cfg: ClientConfig, suite: { hash: import('../crypto/hash.js').HashAlgorithm }, handshakeMessages: Uint8Array[], clientTrafficSecret: Uint8Array, crMessage: { raw: Uint8Array; body: Uint8Array },
): Promise<{ sent: string | undefined; request: CertificateRequestInfo }> {
  const cr = decodeCertificateRequest13(crMessage.body);
  checkServerExtensions(cr.extensions, 'CertificateRequest', new Set());
  // RFC 8446 §4.3.2: post-handshake requests carry a non-empty context
  if (cr.context.length === 0) throw new TlsError('illegal_parameter', 'empty_certificate_request_context', 'tls: post-handshake CertificateRequest with an empty context');
  const cas = cr.extensions.get(ExtensionType.certificate_authorities);
  const request = describeRequest('TLSv1.3', decodeU16List(cr.extensions.get(ExtensionType.signature_algorithms)!, 'signature_algorithms'), cas ? decodeCertificateAuthorities(cas) : [], true);
  const transcript = new Transcript();
  transcript.setHash(suite.hash);
  for (const m of handshakeMessages) transcript.add(m);
  transcript.add(crMessage.raw);
  const sent = await sendClientCertificate13({ send }, cfg, transcript, cr.context, request);
  const fin = encodeFinished(finishedVerifyData(suite.hash, clientTrafficSecret, transcript.current()));
  await send(fin);
  return { sent, request };
}
