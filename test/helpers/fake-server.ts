import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { decodePem } from '../../src/bytes/pem.js';
import { defaultProvider } from '../../src/crypto/provider.js';
import { tls13Suite } from '../../src/handshake/cipher-suites.js';
import { EarlySecret, finishedVerifyData, nextTrafficSecret, trafficKeys } from '../../src/handshake/key-schedule-13.js';
import { certificateVerifyContent } from '../../src/handshake/signature-schemes.js';
import { Transcript } from '../../src/handshake/transcript.js';
import { Deframer } from '../../src/record/deframer.js';
import { Tls13Direction } from '../../src/record/tls13-protection.js';
import type { Transport } from '../../src/transport/types.js';
import { decodeAlert } from '../../src/wire/alert.js';
import { decodeClientHello } from '../../src/wire/client-hello.js';
import { ContentType, ExtensionType, HandshakeType, NamedGroup, SignatureScheme, type CipherSuiteName } from '../../src/wire/constants.js';
import { encodeKeyShareServer, type Extension } from '../../src/wire/extensions.js';
import { frameHandshake, HandshakeAssembler, type HandshakeMessage } from '../../src/wire/handshake-message.js';
import { encodeServerHello, HRR_RANDOM } from '../../src/wire/server-hello.js';
import { encodeCertificate13, encodeCertificateVerify, encodeEncryptedExtensions, encodeFinished } from '../../src/wire/tls13-messages.js';
import { Writer } from '../../src/bytes/writer.js';
import { pki } from './pki.js';

type Msg = 'EE' | 'CR' | 'Certificate' | 'CV' | 'Finished';

/** How the scripted server should misbehave; everything defaults to a correct TLS 1.3 server. */
export interface FakeServerScript {
  suite?: CipherSuiteName;
  /** Cipher suite id written into ServerHello (to claim one the client never offered). */
  claimSuite?: number;
  /** Group claimed in the ServerHello key_share. */
  claimGroup?: number;
  serverRandom?: Uint8Array;
  /** Edits the ServerHello extension list. */
  serverHelloExtensions?: (exts: Extension[]) => Extension[];
  encryptedExtensions?: Extension[];
  /** Rewrites a message body (the transcript follows what is sent). */
  mutate?: Partial<Record<Msg, (raw: Uint8Array) => Uint8Array>>;
  order?: Msg[];
  badSignature?: boolean;
  badFinished?: boolean;
  /** Flips one byte of the encrypted handshake record. */
  flipRecordByte?: boolean;
  /** Sends the encrypted flight unprotected instead. */
  plaintextFlight?: boolean;
  /** Sends an encrypted record longer than 2^14+256. */
  oversizedRecord?: boolean;
  /** Rewrites the encoded ServerHello message before it is sent (the transcript follows). */
  mutateServerHello?: (raw: Uint8Array) => Uint8Array;
  /** Raw bytes written before the ServerHello record. */
  rawBeforeServerHello?: Uint8Array;
  /** Bytes appended to the ServerHello inside the same plaintext record. */
  appendToServerHelloRecord?: Uint8Array;
  /** Sends a HelloRetryRequest first (with `extraExtensions` appended). */
  hrr?: { group?: number; cookie?: Uint8Array; twice?: boolean; extraExtensions?: Extension[] };
  /** Extensions in the leaf's CertificateEntry. */
  certificateEntryExtensions?: Extension[];
  /** Sends a CertificateRequest (after EncryptedExtensions) with signature_algorithms plus these extensions. */
  certificateRequestExtensions?: Extension[];
  /** After the handshake: send these plaintext records instead of echoing. */
  afterHandshake?: (send: (type: number, content: Uint8Array, padding?: number) => Promise<void>, server: { keyUpdate(requested: boolean): Promise<void> }) => Promise<void>;
}

export interface FakeServerResult {
  /** The alert the client sent, if any (decrypted when it was protected). */
  alert?: string;
  clientFinishedOk?: boolean;
  /** Whether the second ClientHello echoed the HRR cookie. */
  cookieEchoed?: boolean;
  error?: unknown;
}

/** A TLS 1.3 server scripted for tests: ECDSA P-256 certificate, x25519 (or the HRR group). */
export async function runFakeServer(transport: Transport, script: FakeServerScript = {}): Promise<FakeServerResult> {
  const provider = defaultProvider;
  const deframer = new Deframer();
  const assembler = new HandshakeAssembler();
  const result: FakeServerResult = {};
  let readDir: Tls13Direction | undefined;

  const readRecord = async () => {
    for (;;) {
      const r = deframer.next();
      if (r) return r;
      const c = await transport.read();
      if (!c) return null;
      deframer.push(c);
    }
  };
  /** Next handshake message; records an alert and returns null if the client gave up. */
  const nextMessage = async (): Promise<HandshakeMessage | null> => {
    for (;;) {
      const m = assembler.next();
      if (m) return m;
      const r = await readRecord();
      if (!r) return null;
      let type = r.type, content = r.fragment;
      if (type === ContentType.change_cipher_spec) continue;
      if (type === ContentType.application_data && readDir) ({ type, content } = await readDir.open(r.header, r.fragment));
      if (type === ContentType.alert) { result.alert = decodeAlert(content).name; return null; }
      if (type === ContentType.handshake) assembler.push(content);
    }
  };
  const plain = (type: number, content: Uint8Array) => {
    const w = new Writer().u8(type).u16(0x0303).opaque16(content);
    return transport.write(w.finish());
  };

  try {
    let chMsg = await nextMessage();
    if (!chMsg) return result;
    let ch = decodeClientHello(chMsg.body);
    const suite = tls13Suite(script.suite ?? 'TLS_AES_128_GCM_SHA256', provider);
    const transcript = new Transcript();
    transcript.setHash(suite.hash);
    transcript.add(chMsg.raw);
    const sessionId = ch.legacySessionId;

    if (script.hrr) {
      const rounds = script.hrr.twice ? 2 : 1;
      for (let i = 0; i < rounds; i++) {
        const exts: Extension[] = [{ type: ExtensionType.supported_versions, data: new Uint8Array([3, 4]) }];
        if (script.hrr.group !== undefined) exts.push({ type: ExtensionType.key_share, data: new Writer().u16(script.hrr.group).finish() });
        if (script.hrr.cookie) exts.push({ type: ExtensionType.cookie, data: new Writer().opaque16(script.hrr.cookie).finish() });
        exts.push(...(script.hrr.extraExtensions ?? []));
        const hrr = encodeServerHello({ random: HRR_RANDOM, sessionId, cipherSuite: suite.id, extensions: exts });
        if (i === 0) transcript.replaceWithMessageHash();
        transcript.add(hrr);
        await plain(ContentType.handshake, hrr);
        chMsg = await nextMessage();
        if (!chMsg) return result;
        ch = decodeClientHello(chMsg.body);
        transcript.add(chMsg.raw);
        if (script.hrr.cookie) {
          const c = ch.extensionMap.get(ExtensionType.cookie);
          result.cookieEchoed = !!c && Buffer.from(c.subarray(2)).equals(Buffer.from(script.hrr.cookie));
        }
      }
    }

    // key share: the client's share for the group we use
    const groupId = script.hrr?.group ?? NamedGroup.x25519;
    const impl = groupId === NamedGroup.secp256r1 ? provider.groups.secp256r1 : groupId === NamedGroup.secp384r1 ? provider.groups.secp384r1 : provider.groups.x25519;
    const ksRaw = ch.extensionMap.get(ExtensionType.key_share)!;
    const shares = parseClientShares(ksRaw);
    const clientShare = shares.find((s) => s.group === groupId)!;
    const pair = await impl.generate(provider.random);
    const shared = await pair.agree(clientShare.keyExchange);

    let shExts: Extension[] = [
      { type: ExtensionType.supported_versions, data: new Uint8Array([3, 4]) },
      { type: ExtensionType.key_share, data: encodeKeyShareServer({ group: script.claimGroup ?? groupId, keyExchange: pair.publicKey }) },
    ];
    if (script.serverHelloExtensions) shExts = script.serverHelloExtensions(shExts);
    let sh = encodeServerHello({ random: script.serverRandom ?? provider.random(32), sessionId, cipherSuite: script.claimSuite ?? suite.id, extensions: shExts });
    if (script.mutateServerHello) sh = script.mutateServerHello(sh);
    transcript.add(sh);
    if (script.rawBeforeServerHello) await transport.write(script.rawBeforeServerHello);
    await plain(ContentType.handshake, script.appendToServerHelloRecord ? new Uint8Array([...sh, ...script.appendToServerHelloRecord]) : sh);

    const hs = new EarlySecret(suite.hash).handshake(shared);
    const secrets = hs.trafficSecrets(transcript.current());
    const sk = trafficKeys(suite.hash, secrets.server, suite.aead.keyLength);
    const ck = trafficKeys(suite.hash, secrets.client, suite.aead.keyLength);
    const writeDir = new Tls13Direction(suite.aead, sk.key, sk.iv);
    readDir = new Tls13Direction(suite.aead, ck.key, ck.iv);

    // server flight
    const chain = decodePem(pki('server-ecdsa.chain.pem')).map((b) => b.der);
    const key = createPrivateKey(pki('server-ecdsa.key'));
    const build: Record<Msg, () => Uint8Array> = {
      EE: () => encodeEncryptedExtensions(script.encryptedExtensions ?? []),
      CR: () => {
        const exts: Extension[] = [{ type: ExtensionType.signature_algorithms, data: new Uint8Array([0, 2, 4, 3]) }, ...(script.certificateRequestExtensions ?? [])];
        const w = new Writer().opaque8(new Uint8Array(0));
        w.u16Vector((w) => { for (const e of exts) w.u16(e.type).opaque16(e.data); });
        return frameHandshake(HandshakeType.certificate_request, w.finish());
      },
      Certificate: () => {
        if (!script.certificateEntryExtensions) return encodeCertificate13(new Uint8Array(0), chain);
        const w = new Writer().opaque8(new Uint8Array(0));
        w.u24Vector((w) => chain.forEach((der, i) => {
          w.opaque24(der);
          w.u16Vector((w) => { for (const e of i === 0 ? script.certificateEntryExtensions! : []) w.u16(e.type).opaque16(e.data); });
        }));
        return frameHandshake(HandshakeType.certificate, w.finish());
      },
      CV: () => {
        const content = certificateVerifyContent('server', transcript.current());
        const sig = new Uint8Array(nodeSign('sha256', content, key));
        if (script.badSignature) sig[sig.length - 1] = sig[sig.length - 1]! ^ 1;
        return encodeCertificateVerify({ scheme: SignatureScheme.ecdsa_secp256r1_sha256, signature: sig });
      },
      Finished: () => {
        const vd = finishedVerifyData(suite.hash, secrets.server, transcript.current());
        if (script.badFinished) vd[0] = vd[0]! ^ 0xff;
        return encodeFinished(vd);
      },
    };
    const flight: Uint8Array[] = [];
    for (const name of script.order ?? (script.certificateRequestExtensions ? ['EE', 'CR', 'Certificate', 'CV', 'Finished'] : ['EE', 'Certificate', 'CV', 'Finished'])) {
      let m = build[name]();
      const mut = script.mutate?.[name];
      if (mut) m = mut(m);
      transcript.add(m);
      flight.push(m);
    }
    const flightBytes = new Uint8Array(flight.reduce((n, m) => n + m.length, 0));
    let o = 0;
    for (const m of flight) { flightBytes.set(m, o); o += m.length; }
    if (script.plaintextFlight) {
      await plain(ContentType.handshake, flightBytes);
    } else if (script.oversizedRecord) {
      const big = new Uint8Array(5 + 16384 + 257 + 10);
      big.set([ContentType.application_data, 3, 3, (16384 + 267) >> 8, (16384 + 267) & 0xff]);
      await transport.write(big);
    } else {
      const rec = await writeDir.seal(ContentType.handshake, flightBytes);
      if (script.flipRecordByte) rec[rec.length - 20] = rec[rec.length - 20]! ^ 0x01;
      await transport.write(rec);
    }

    const thruServerFinished = transcript.current();

    // client Finished (the client may send an alert instead)
    const fin = await nextMessage();
    if (!fin) return result;
    const expected = finishedVerifyData(suite.hash, secrets.client, transcript.current());
    result.clientFinishedOk = fin.type === HandshakeType.finished && Buffer.from(fin.body).equals(Buffer.from(expected));
    transcript.add(fin.raw);

    if (script.afterHandshake) {
      // application keys: transcript through server Finished
      const appSecrets = hs.master().applicationSecrets(thruServerFinished);
      let serverSecret = appSecrets.server;
      const sa = trafficKeys(suite.hash, serverSecret, suite.aead.keyLength);
      let appWrite = new Tls13Direction(suite.aead, sa.key, sa.iv);
      // KeyUpdate (RFC 8446 §4.6.3): sent under the current key, then the server's write key moves on
      const keyUpdate = async (requested: boolean) => {
        await transport.write(await appWrite.seal(ContentType.handshake, new Uint8Array([HandshakeType.key_update, 0, 0, 1, requested ? 1 : 0])));
        serverSecret = nextTrafficSecret(suite.hash, serverSecret);
        const k = trafficKeys(suite.hash, serverSecret, suite.aead.keyLength);
        appWrite = new Tls13Direction(suite.aead, k.key, k.iv);
      };
      await script.afterHandshake(async (type, content, padding = 0) => transport.write(await appWrite.seal(type, content, padding)), { keyUpdate });
    }
    return result;
  } catch (e) {
    result.error = e;
    return result;
  }
}

function parseClientShares(data: Uint8Array): { group: number; keyExchange: Uint8Array }[] {
  const out: { group: number; keyExchange: Uint8Array }[] = [];
  let p = 2;
  while (p < data.length) {
    const group = (data[p]! << 8) | data[p + 1]!;
    const len = (data[p + 2]! << 8) | data[p + 3]!;
    out.push({ group, keyExchange: data.subarray(p + 4, p + 4 + len) });
    p += 4 + len;
  }
  return out;
}

