import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { concat } from '../../src/bytes/encoding.js';
import { decodePem } from '../../src/bytes/pem.js';
import { Writer } from '../../src/bytes/writer.js';
import { defaultProvider } from '../../src/crypto/provider.js';
import { finishedVerifyData12, keyBlock12, masterSecret12 } from '../../src/handshake/key-schedule-12.js';
import { Transcript } from '../../src/handshake/transcript.js';
import { Deframer } from '../../src/record/deframer.js';
import type { RecordProtection } from '../../src/record/protection.js';
import { Tls12AeadDirection } from '../../src/record/tls12-aead.js';
import { Tls12CbcDirection } from '../../src/record/tls12-cbc.js';
import { decodeAlert } from '../../src/wire/alert.js';
import { decodeClientHello } from '../../src/wire/client-hello.js';
import { ContentType, ExtensionType, HandshakeType, NamedGroup, SignatureScheme } from '../../src/wire/constants.js';
import { encodeExtensions, type Extension } from '../../src/wire/extensions.js';
import { frameHandshake, HandshakeAssembler, type HandshakeMessage } from '../../src/wire/handshake-message.js';
import { encodeCertificate12, ecdheParams, encodeServerKeyExchangeEcdhe } from '../../src/wire/tls12-messages.js';
import type { Transport } from '../../src/transport/types.js';
import { pki } from './pki.js';

/** How the scripted TLS 1.2 server misbehaves; defaults are a correct ECDHE-ECDSA server. */
export interface FakeServer12Script {
  /** 'gcm' = TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 'cbc' = TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256. */
  cipher?: 'gcm' | 'cbc';
  /** Negotiate encrypt-then-MAC (CBC only; default true). */
  etm?: boolean;
  claimSuite?: number;
  serverVersion?: number;
  badSkeSignature?: boolean;
  badFinished?: boolean;
  /** After sending Finished, read what the client answers (its alert, for failure tests). */
  awaitClientReply?: boolean;
  noExtendedMasterSecret?: boolean;
  /** Echo the client's session id (claiming resumption) without extended_master_secret. */
  resumeWithoutEms?: boolean;
  /** After the handshake: write whole records (already protected by `protect`). */
  afterHandshake?: (io: { protect: (type: number, content: Uint8Array) => Promise<Uint8Array>; write: (b: Uint8Array) => Promise<void> }) => Promise<void>;
}

export interface FakeServer12Result { alert?: string; clientFinishedOk?: boolean; error?: unknown }

export async function runFakeServer12(transport: Transport, script: FakeServer12Script = {}): Promise<FakeServer12Result> {
  const provider = defaultProvider;
  const deframer = new Deframer();
  const assembler = new HandshakeAssembler();
  const result: FakeServer12Result = {};
  let readDir: RecordProtection | undefined;
  let ccsSeen = false;
  const readRecord = async () => { for (;;) { const r = deframer.next(); if (r) return r; const c = await transport.read(); if (!c) return null; deframer.push(c); } };
  const next = async (): Promise<HandshakeMessage | 'ccs' | null> => {
    for (;;) {
      const m = assembler.next();
      if (m) return m;
      const r = await readRecord();
      if (!r) return null;
      if (r.type === ContentType.change_cipher_spec) { ccsSeen = true; return 'ccs'; }
      let { type, fragment: content } = r;
      if (readDir && ccsSeen) ({ type, content } = await readDir.open(r.header, r.fragment));
      if (type === ContentType.alert) { result.alert = decodeAlert(content).name; return null; }
      if (type === ContentType.handshake) assembler.push(content);
    }
  };
  const record = (type: number, content: Uint8Array) => new Writer().u8(type).u16(0x0303).opaque16(content).finish();

  try {
    const chMsg = await next();
    if (!chMsg || chMsg === 'ccs') return result;
    const ch = decodeClientHello(chMsg.body);
    const cbc = script.cipher === 'cbc';
    const suiteId = cbc ? 0xc023 : 0xc02b;
    const etm = cbc && (script.etm ?? true);
    const ems = !script.noExtendedMasterSecret;
    const hash = provider.hashes['SHA-256'];
    const transcript = new Transcript();
    transcript.setHash(hash);
    transcript.add(chMsg.raw);

    const serverRandom = provider.random(32);
    const exts: Extension[] = [{ type: ExtensionType.renegotiation_info, data: new Uint8Array([0]) }];
    if (ems) exts.push({ type: ExtensionType.extended_master_secret, data: new Uint8Array(0) });
    if (etm) exts.push({ type: ExtensionType.encrypt_then_mac, data: new Uint8Array(0) });
    const sid = script.resumeWithoutEms ? ch.legacySessionId : new Uint8Array(32).fill(1);
    if (script.resumeWithoutEms) exts.splice(exts.findIndex((e) => e.type === ExtensionType.extended_master_secret), 1);
    const shBody = new Writer().u16(script.serverVersion ?? 0x0303).bytes(serverRandom).opaque8(sid).u16(script.claimSuite ?? suiteId).u8(0);
    encodeExtensions(shBody, exts);
    const sh = frameHandshake(HandshakeType.server_hello, shBody.finish());
    const cert = encodeCertificate12(decodePem(pki('server-ecdsa.chain.pem')).map((b) => b.der));
    const pair = await provider.groups.x25519.generate(provider.random);
    const params = ecdheParams(NamedGroup.x25519, pair.publicKey);
    const sig = new Uint8Array(nodeSign('sha256', concat(ch.random, serverRandom, params), createPrivateKey(pki('server-ecdsa.key'))));
    if (script.badSkeSignature) sig[sig.length - 1] = sig[sig.length - 1]! ^ 1;
    const ske = encodeServerKeyExchangeEcdhe(NamedGroup.x25519, pair.publicKey, SignatureScheme.ecdsa_secp256r1_sha256, sig);
    const shd = frameHandshake(HandshakeType.server_hello_done, new Uint8Array(0));
    for (const m of [sh, cert, ske, shd]) transcript.add(m);
    await transport.write(record(ContentType.handshake, concat(sh, cert, ske, shd)));

    const cke = await next();
    if (!cke || cke === 'ccs') return result;
    transcript.add(cke.raw);
    const pms = await pair.agree(cke.body.subarray(1));
    const master = masterSecret12(hash, pms, ch.random, serverRandom, ems ? transcript.current() : undefined);
    let read: RecordProtection, write: RecordProtection;
    if (cbc) {
      const kb = keyBlock12(hash, master, ch.random, serverRandom, 32, 16, 0);
      read = new Tls12CbcDirection(kb.clientKey, kb.clientMacKey, hash, etm, provider.random);
      write = new Tls12CbcDirection(kb.serverKey, kb.serverMacKey, hash, etm, provider.random);
    } else {
      const kb = keyBlock12(hash, master, ch.random, serverRandom, 0, 16, 4);
      read = new Tls12AeadDirection(provider.aeads['AES-128-GCM'], kb.clientKey, kb.clientIv);
      write = new Tls12AeadDirection(provider.aeads['AES-128-GCM'], kb.serverKey, kb.serverIv);
    }
    readDir = read;
    if ((await next()) !== 'ccs') return result;
    const fin = await next();
    if (!fin || fin === 'ccs') return result;
    result.clientFinishedOk = Buffer.from(fin.body).equals(Buffer.from(finishedVerifyData12(hash, master, 'client', transcript.current())));
    transcript.add(fin.raw);
    const vd = finishedVerifyData12(hash, master, 'server', transcript.current());
    if (script.badFinished) vd[0] = vd[0]! ^ 0xff;
    await transport.write(concat(record(ContentType.change_cipher_spec, new Uint8Array([1])), await write.seal(ContentType.handshake, frameHandshake(HandshakeType.finished, vd))));
    if (script.afterHandshake) await script.afterHandshake({ protect: (t, c) => write.seal(t, c), write: (b) => transport.write(b) });
    if (script.awaitClientReply) await next();
    return result;
  } catch (e) {
    result.error = e;
    return result;
  }
}
