import { equalBytes, equalConstantTime, toHex } from '../bytes/encoding.js';
import { TlsError } from '../errors.js';
import { ExtensionType, HandshakeType, nameOf, NamedGroup, ProtocolVersion, SignatureScheme } from '../wire/constants.js';
import { decodeAlpnServer, decodeCookie, decodeKeyShareHrr, decodeKeyShareServer, decodeSupportedVersionServer } from '../wire/extensions.js';
import { decodeServerHello, type ServerHello } from '../wire/server-hello.js';
import type { HelloContext } from './hello-context.js';
import type { ClientConfig, HandshakeResult } from './config.js';
import { decodeCertificate13, decodeCertificateRequest13, decodeCertificateVerify, decodeEncryptedExtensions, decodeFinished, encodeCertificate13, encodeFinished } from '../wire/tls13-messages.js';
import { parseCertificate } from '../x509/certificate.js';
import type { HandshakeIO } from './io.js';
import { EarlySecret, finishedVerifyData, trafficKeys, type MasterSecret } from './key-schedule-13.js';
import { certificateVerifyContent, schemeMatchesKey, tls13SignatureAlgorithm } from './signature-schemes.js';
import { Transcript } from './transcript.js';
import { checkServerExtensions } from './extension-rules.js';
import { authenticateServer } from './server-auth.js';
import { Tls13Direction } from '../record/tls13-protection.js';
import { chooseIdentity, describeRequest, type CertificateRequestInfo } from './client-auth.js';
import { decodeCertificateAuthorities, decodeU16List } from '../wire/extensions.js';
import { encodeCertificateVerify } from '../wire/tls13-messages.js';

function illegal(reason: string, msg: string): TlsError { return new TlsError('illegal_parameter', reason, `tls: ${msg}`); }

/**
 * The TLS 1.3 client handshake (RFC 8446 §2, full handshake with optional
 * HelloRetryRequest), top to bottom in message order, from the first
 * ServerHello on (client.ts sent the ClientHello).
 */
export async function continue13(io: HandshakeIO, cfg: ClientConfig, ctx: HelloContext): Promise<HandshakeResult> {
  const { provider } = cfg;
  const transcript = new Transcript();
  const { random, sessionId, offeredGroups } = ctx;
  const offeredSuites = cfg.suites13.map((s) => s.id);
  const keyLog: HandshakeResult['keyLog'] = { clientRandom: random, secrets: [] };
  let shares = ctx.shares;
  transcript.add(ctx.clientHello);

  // ---- ServerHello, or HelloRetryRequest then ServerHello ----
  let shMsg = ctx.serverHelloMessage;
  let sh = ctx.serverHello;
  let hrrSuite: number | undefined;
  let helloRetried = false;
  if (sh.isHelloRetryRequest) {
    helloRetried = true;
    checkServerHelloCommon(sh, sessionId, offeredSuites, 'HelloRetryRequest');
    checkServerExtensions(sh.extensions, 'HelloRetryRequest', ctx.offeredExtensions);
    hrrSuite = sh.cipherSuite;
    const suite = cfg.suites13.find((s) => s.id === sh.cipherSuite)!;
    transcript.setHash(suite.hash);
    transcript.replaceWithMessageHash();
    transcript.add(shMsg.raw);

    const ksData = sh.extensions.get(ExtensionType.key_share);
    const cookieData = sh.extensions.get(ExtensionType.cookie);
    let cookie: Uint8Array | undefined;
    if (cookieData) cookie = decodeCookie(cookieData);
    if (ksData) {
      const selected = decodeKeyShareHrr(ksData);
      const idx = offeredGroups.indexOf(selected);
      if (idx < 0) throw illegal('unoffered_group', `HelloRetryRequest selected group ${nameOf(NamedGroup, selected)}, which the client did not offer`);
      if (shares.some((s) => s.group === selected)) throw illegal('hrr_group_already_sent', `HelloRetryRequest asked for ${nameOf(NamedGroup, selected)}, for which a key share was already sent`);
      shares = [{ group: selected, pair: cfg.groups[idx]!.generate(provider.random), impl: cfg.groups[idx]! }];
    } else if (!cookie) {
      // RFC 8446 §4.1.4: an HRR that would not change the ClientHello is illegal
      throw illegal('hrr_no_change', 'HelloRetryRequest asks for no change to the ClientHello');
    }
    if (cfg.compatibilityMode) await io.sendChangeCipherSpec();
    const ch2 = ctx.rebuild(shares, cookie);
    transcript.add(ch2);
    await io.send(ch2);
    shMsg = await io.expect(HandshakeType.server_hello);
    sh = decodeServerHello(shMsg.body);
    if (sh.isHelloRetryRequest) throw new TlsError('unexpected_message', 'second_hello_retry_request', 'tls: the server sent a second HelloRetryRequest');
  }

  checkServerHelloCommon(sh, sessionId, offeredSuites, 'ServerHello');
  checkServerExtensions(sh.extensions, 'ServerHello', ctx.offeredExtensions);
  if (hrrSuite !== undefined && sh.cipherSuite !== hrrSuite) throw illegal('suite_changed_after_hrr', 'ServerHello cipher suite differs from the one in HelloRetryRequest');
  const suite = cfg.suites13.find((s) => s.id === sh.cipherSuite)!;
  if (!helloRetried) transcript.setHash(suite.hash);
  transcript.add(shMsg.raw);

  const ksData = sh.extensions.get(ExtensionType.key_share);
  if (!ksData) throw new TlsError('missing_extension', 'missing_key_share', 'tls: ServerHello has no key_share (PSK-only modes were not offered)');
  const serverShare = decodeKeyShareServer(ksData);
  const share = shares.find((s) => s.group === serverShare.group);
  if (!share) throw illegal('unoffered_group', `ServerHello key_share uses ${nameOf(NamedGroup, serverShare.group)}, for which the client sent no key share`);
  const shared = share.pair.agree(serverShare.keyExchange);

  // ---- handshake keys ----
  const hs = new EarlySecret(suite.hash).handshake(shared);
  const hsTraffic = hs.trafficSecrets(transcript.current());
  keyLog.secrets.push(['CLIENT_HANDSHAKE_TRAFFIC_SECRET', hsTraffic.client], ['SERVER_HANDSHAKE_TRAFFIC_SECRET', hsTraffic.server]);
  const serverHsKeys = trafficKeys(suite.hash, hsTraffic.server, suite.aead.keyLength);
  io.installKeys('read', new Tls13Direction(suite.aead, serverHsKeys.key, serverHsKeys.iv));
  // Our own handshake keys go in now too, so any alert we send from here on is protected (RFC 8446 §6).
  const clientHsKeys = trafficKeys(suite.hash, hsTraffic.client, suite.aead.keyLength);
  io.installKeys('write', new Tls13Direction(suite.aead, clientHsKeys.key, clientHsKeys.iv));

  // ---- EncryptedExtensions ----
  const eeMsg = await io.expect(HandshakeType.encrypted_extensions);
  const ee = decodeEncryptedExtensions(eeMsg.body);
  transcript.add(eeMsg.raw);
  checkServerExtensions(ee, 'EncryptedExtensions', ctx.offeredExtensions);
  const sni = ee.get(ExtensionType.server_name);
  if (sni && sni.length !== 0) throw new TlsError('decode_error', 'bad_server_name_ack', 'tls: the server_name acknowledgement in EncryptedExtensions must be empty');
  let alpnProtocol: string | false = false;
  const alpnData = ee.get(ExtensionType.application_layer_protocol_negotiation);
  if (alpnData) {
    alpnProtocol = decodeAlpnServer(alpnData);
    if (!cfg.alpn!.includes(alpnProtocol)) throw illegal('unoffered_alpn', `the server selected ALPN protocol "${alpnProtocol}", which the client did not offer`);
  }

  // ---- CertificateRequest (optional), Certificate, CertificateVerify ----
  let msg = await io.expect(HandshakeType.certificate_request, HandshakeType.certificate);
  let clientCertificateRequested = false;
  let certRequestContext: Uint8Array = new Uint8Array(0);
  let request: CertificateRequestInfo | undefined;
  if (msg.type === HandshakeType.certificate_request) {
    clientCertificateRequested = true;
    const cr = decodeCertificateRequest13(msg.body);
    checkServerExtensions(cr.extensions, 'CertificateRequest', ctx.offeredExtensions);
    certRequestContext = cr.context;
    const cas = cr.extensions.get(ExtensionType.certificate_authorities);
    request = describeRequest('TLSv1.3', decodeU16List(cr.extensions.get(ExtensionType.signature_algorithms)!, 'signature_algorithms'), cas ? decodeCertificateAuthorities(cas) : []);
    transcript.add(msg.raw);
    msg = await io.expect(HandshakeType.certificate);
  }
  const certMsg = decodeCertificate13(msg.body);
  transcript.add(msg.raw);
  if (certMsg.context.length !== 0) throw illegal('nonempty_certificate_context', 'server Certificate has a non-empty certificate_request_context');
  if (certMsg.entries.length === 0) throw new TlsError('decode_error', 'empty_certificate', 'tls: the server sent an empty Certificate message');
  // each entry may carry only extensions the ClientHello asked for in Certificate (RFC 8446 §4.4.2)
  for (const e of certMsg.entries) checkServerExtensions(e.extensions, 'Certificate', ctx.offeredExtensions);
  const peerCertificates = certMsg.entries.map((e) => parseCertificate(e.certData));
  const leaf = peerCertificates[0]!;

  const cvMsg = await io.expect(HandshakeType.certificate_verify);
  const cv = decodeCertificateVerify(cvMsg.body);
  if (!cfg.signatureSchemes.includes(cv.scheme)) throw illegal('unoffered_signature_scheme', `CertificateVerify uses ${nameOf(SignatureScheme, cv.scheme)}, which the client did not offer`);
  const alg = tls13SignatureAlgorithm(cv.scheme, provider);
  if (!alg || !schemeMatchesKey(cv.scheme, leaf.publicKey.key, leaf.publicKey.algorithm)) {
    throw illegal('signature_scheme_key_mismatch', `CertificateVerify scheme ${nameOf(SignatureScheme, cv.scheme)} does not fit the certificate's ${leaf.publicKey.key.kind} key`);
  }
  const signed = certificateVerifyContent('server', transcript.current());
  if (!provider.verify(alg, leaf.publicKey.key, signed, cv.signature)) {
    throw new TlsError('decrypt_error', 'bad_certificate_verify', `tls: the server's CertificateVerify signature (${nameOf(SignatureScheme, cv.scheme)}) does not verify with its certificate's key`);
  }
  transcript.add(cvMsg.raw);

  // Chain and name; with rejectUnauthorized false the reason is recorded, not thrown.
  const authorizationError = authenticateServer(cfg, peerCertificates);

  // ---- server Finished ----
  const finMsg = await io.expect(HandshakeType.finished);
  const expected = finishedVerifyData(suite.hash, hsTraffic.server, transcript.current());
  const got = decodeFinished(finMsg.body, suite.hash.outputLen);
  if (!equalConstantTime(expected, got)) throw new TlsError('decrypt_error', 'bad_finished', 'tls: the server Finished does not match the handshake transcript');
  transcript.add(finMsg.raw);

  // ---- application secrets (transcript through server Finished) ----
  const master: MasterSecret = hs.master();
  const app = master.applicationSecrets(transcript.current());
  keyLog.secrets.push(['CLIENT_TRAFFIC_SECRET_0', app.client], ['SERVER_TRAFFIC_SECRET_0', app.server], ['EXPORTER_SECRET', app.exporter]);

  // ---- client flight: [CCS] [Certificate] Finished ----
  if (cfg.compatibilityMode && !helloRetried) await io.sendChangeCipherSpec();
  let clientCertificateSent: string | undefined;
  if (request) {
    clientCertificateSent = await sendClientCertificate13(io, cfg, transcript, certRequestContext, request);
    io.noteClientAuth({ request, sent: clientCertificateSent });
  }
  const clientFinished = encodeFinished(finishedVerifyData(suite.hash, hsTraffic.client, transcript.current()));
  transcript.add(clientFinished);
  await io.send(clientFinished);

  const serverAppKeys = trafficKeys(suite.hash, app.server, suite.aead.keyLength);
  const clientAppKeys = trafficKeys(suite.hash, app.client, suite.aead.keyLength);
  io.installKeys('read', new Tls13Direction(suite.aead, serverAppKeys.key, serverAppKeys.iv));
  io.installKeys('write', new Tls13Direction(suite.aead, clientAppKeys.key, clientAppKeys.iv));

  return {
    version: 'TLSv1.3', cipherSuite: suite.name, group: share.impl.name, signatureScheme: nameOf(SignatureScheme, cv.scheme), alpnProtocol,
    peerCertificates, authorized: authorizationError === undefined, authorizationError, clientCertificateRequested, clientCertificateSent, helloRetried, resumed: false,
    tls13: {
      suite, clientApplicationSecret: app.client, serverApplicationSecret: app.server, exporterMasterSecret: app.exporter,
      resumptionMasterSecret: master.resumptionMasterSecret(transcript.current()),
      // kept only when post-handshake authentication may need it (RFC 8446 §4.4.1)
      transcript: cfg.postHandshakeAuth ? transcript.messages.slice() : [],
    },
    keyLog,
  };
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
