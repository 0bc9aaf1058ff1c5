import assert from 'node:assert/strict';
import { tls13Suite } from '../../src/handshake/cipher-suites.js';
import { bindPsk, encodeOfferedPsk } from '../../src/handshake/client-hello.js';
import type { ClientConfig } from '../../src/handshake/config.js';
import { EarlySecret, finishedVerifyData, trafficKeys, type ApplicationTrafficSecret, type HandshakeTrafficSecret } from '../../src/handshake/key-schedule-13.js';
import { sessionFromTicket } from '../../src/handshake/session.js';
import { Transcript } from '../../src/handshake/transcript.js';
import { Tls13Direction } from '../../src/record/tls13-protection.js';
import { decodeClientHello } from '../../src/wire/client-hello.js';
import { ContentType, ExtensionType } from '../../src/wire/constants.js';
import { decodeKeyShareServer } from '../../src/wire/extensions.js';
import { decodeServerHello } from '../../src/wire/server-hello.js';
import { decodeNewSessionTicket } from '../../src/wire/tls13-messages.js';
import { PROVIDERS } from '../helpers/providers.js';
import { hex, readVectorJson, toHexString } from '../helpers/vectors.js';

/**
 * RFC 8448 §4 (resumed handshake with 0-RTT) through isotls's resumption
 * code: the PSK derived from §3's resumption master secret and ticket nonce
 * (sessionFromTicket), the OfferedPsks encoding and the binder over the
 * truncated ClientHello (bindPsk, which must rebuild the RFC's ClientHello
 * byte for byte), the early secret, the PSK+ECDHE handshake secret, both
 * Finished, the application and resumption secrets, and every protected
 * record at its sequence number. The early data itself (0-RTT) is checked as
 * key schedule and record protection only: isotls does not send early data.
 */
interface Field { name: string; hex?: string }
interface Step { actor: 'client' | 'server'; action: string; fields: Field[] }
const sections = readVectorJson('tls13/rfc8448-all-traces.json').sections as { number: number; steps: Step[] }[];
const steps = (n: number) => sections.find((s) => s.number === n)!.steps;
const step = (n: number, actor: string, action: string | RegExp) => {
  const s = steps(n).find((x) => x.actor === actor && (typeof action === 'string' ? x.action.startsWith(action) : action.test(x.action)) && x.fields.length);
  assert.ok(s, `§${n} ${actor}: no step ${action}`);
  return s;
};
const field = (s: Step, name: string) => { const f = s.fields.find((x) => x.name === name); assert.ok(f?.hex !== undefined, `${s.action}: ${name}`); return hex(f.hex); };
const eq = (a: Uint8Array, b: Uint8Array, what: string) => assert.equal(toHexString(a), toHexString(b), what);

for (const provider of PROVIDERS) describe(`RFC 8448 §4 resumed handshake: PSK, binder and key schedule (${provider.name} provider)`, () => {
  const suite = tls13Suite('TLS_AES_128_GCM_SHA256', provider);
  const H = suite.hash;

  it('derives the §4 PSK from §3\'s ticket, rebuilds the ClientHello\'s binder byte for byte, and matches every secret and record', async () => {
    // §3: the ticket and the resumption master secret of the first connection
    const nst = decodeNewSessionTicket(field(step(3, 'server', 'construct a NewSessionTicket'), 'NewSessionTicket').subarray(4));
    const resMaster = field(step(3, 'client', 'derive secret "tls13 res master"'), 'expanded');
    const cfg = { now: () => new Date(0), serverName: 'server', verifyName: 'server' } as unknown as ClientConfig;
    const session = sessionFromTicket({ authorized: true, authorizationError: undefined, peerCertificates: [], group: 'x25519', signatureScheme: 'rsa_pss_rsae_sha256', alpnProtocol: false }, suite, resMaster, nst, cfg)!;
    const early = step(4, 'client', 'extract secret "early"');
    eq(session.psk, field(early, 'IKM'), 'PSK = HKDF-Expand-Label(res master, "resumption", ticket_nonce)');
    assert.equal(session.maxEarlyData, 1024, 'the ticket allows 1024 bytes of early data');
    const es = new EarlySecret(H, session.psk);
    eq(es.secret, field(early, 'secret'), 'early secret');

    // the ClientHello: our OfferedPsks encoding of its identity and age, then the binder
    // the RFC prints the ClientHello without its binders; the record carries all of it
    const ch = field(step(4, 'client', 'send handshake record'), 'payload');
    eq(ch.subarray(0, ch.length - 35), field(step(4, 'client', 'construct a ClientHello'), 'ClientHello'), 'the truncated ClientHello is the record minus its binders');
    const pskExt = decodeClientHello(ch.subarray(4)).extensionMap.get(ExtensionType.pre_shared_key)!;
    const identity = pskExt.subarray(4, 4 + ((pskExt[2]! << 8) | pskExt[3]!));
    eq(identity, nst.ticket, 'the identity is the §3 ticket');
    const age = new DataView(pskExt.buffer, pskExt.byteOffset + 4 + identity.length, 4).getUint32(0);
    const ours = encodeOfferedPsk({ identity, obfuscatedTicketAge: age, binderLength: 32 });
    eq(ours.subarray(0, ours.length - 32), pskExt.subarray(0, pskExt.length - 32), 'OfferedPsks up to the binder');
    const binderStep = step(4, 'client', 'calculate PSK binder');
    eq(es.resumptionBinderKey(), field(binderStep, 'PRK'), 'binder key');
    const zeroed = ch.slice(); zeroed.fill(0, ch.length - 32);
    eq(bindPsk(zeroed, [], H, es.resumptionBinderKey()), ch, 'the ClientHello with our binder is the RFC\'s');

    // 0-RTT keys and the early data record
    const transcript = new Transcript(); transcript.setHash(H);
    transcript.add(ch);
    eq(es.clientEarlyTrafficSecret(transcript.current()), field(step(4, 'client', 'derive secret "tls13 c e traffic"'), 'expanded'), 'client_early_traffic_secret');
    const earlyKeys = trafficKeys(H, es.clientEarlyTrafficSecret(transcript.current()) as HandshakeTrafficSecret, suite.aead.keyLength);
    const earlyWriter = new Tls13Direction(suite.aead, earlyKeys.key, earlyKeys.iv);
    const earlyRecord = step(4, 'client', 'send application_data record');
    eq(await earlyWriter.seal(ContentType.application_data, field(earlyRecord, 'payload')), field(earlyRecord, 'complete record'), 'early data record');

    // ServerHello: PSK identity 0 selected, x25519 share; the PSK+ECDHE handshake secret
    const sh = field(step(4, 'server', 'construct a ServerHello'), 'ServerHello');
    const shParsed = decodeServerHello(sh.subarray(4));
    eq(shParsed.extensions.get(ExtensionType.pre_shared_key)!, new Uint8Array([0, 0]), 'selected_identity 0');
    const clientPriv = field(step(4, 'client', 'create an ephemeral x25519'), 'private key');
    const pair = await provider.groups.x25519.generate(() => clientPriv.slice());
    const shared = await pair.agree(decodeKeyShareServer(shParsed.extensions.get(ExtensionType.key_share)!).keyExchange);
    const hs = es.handshake(shared);
    eq(hs.secret, field(step(4, 'server', 'extract secret "handshake"'), 'secret'), 'handshake secret');
    transcript.add(sh);
    const hsTraffic = hs.trafficSecrets(transcript.current());
    eq(hsTraffic.client, field(step(4, 'server', 'derive secret "tls13 c hs traffic"'), 'expanded'), 'c hs traffic');
    eq(hsTraffic.server, field(step(4, 'server', 'derive secret "tls13 s hs traffic"'), 'expanded'), 's hs traffic');
    const master = hs.master();
    eq(master.secret, field(step(4, 'server', 'extract secret "master"'), 'secret'), 'master secret');

    // server flight: EncryptedExtensions, Finished (no Certificate: the PSK authenticates), sealed byte-exact
    const ee = field(step(4, 'server', 'construct an EncryptedExtensions'), 'EncryptedExtensions');
    transcript.add(ee);
    const sFin = field(step(4, 'server', 'construct a Finished'), 'Finished');
    eq(sFin.subarray(4), finishedVerifyData(H, hsTraffic.server, transcript.current()), 'server Finished');
    transcript.add(sFin);
    const serverHsKeys = trafficKeys(H, hsTraffic.server, suite.aead.keyLength);
    // the server's handshake records: the plaintext ServerHello, then EncryptedExtensions + Finished
    const serverFlight = steps(4).filter((s) => s.actor === 'server' && s.action.startsWith('send handshake record') && s.fields.length)[1]!;
    eq(await new Tls13Direction(suite.aead, serverHsKeys.key, serverHsKeys.iv).seal(ContentType.handshake, field(serverFlight, 'payload')), field(serverFlight, 'complete record'), 'server handshake record');
    const app = master.applicationSecrets(transcript.current());
    eq(app.client, field(step(4, 'server', 'derive secret "tls13 c ap traffic"'), 'expanded'), 'c ap traffic');
    eq(app.server, field(step(4, 'server', 'derive secret "tls13 s ap traffic"'), 'expanded'), 's ap traffic');
    eq(app.exporter, field(step(4, 'server', 'derive secret "tls13 exp master"'), 'expanded'), 'exporter master');

    // client: EndOfEarlyData (under the early keys, after the early data record), then Finished under handshake keys
    const eoed = field(step(4, 'client', 'construct an EndOfEarlyData'), 'EndOfEarlyData');
    const eoedRecord = steps(4).filter((s) => s.actor === 'client' && s.action.startsWith('send handshake record') && s.fields.length)[1]!;
    eq(await earlyWriter.seal(ContentType.handshake, eoed), field(eoedRecord, 'complete record'), 'EndOfEarlyData record');
    transcript.add(eoed);
    const cFin = field(step(4, 'client', 'construct a Finished'), 'Finished');
    eq(cFin.subarray(4), finishedVerifyData(H, hsTraffic.client, transcript.current()), 'client Finished');
    const clientHsKeys = trafficKeys(H, hsTraffic.client, suite.aead.keyLength);
    const finRecord = steps(4).filter((s) => s.actor === 'client' && s.action.startsWith('send handshake record') && s.fields.length)[2]!;
    eq(await new Tls13Direction(suite.aead, clientHsKeys.key, clientHsKeys.iv).seal(ContentType.handshake, cFin), field(finRecord, 'complete record'), 'client Finished record');
    transcript.add(cFin);
    eq(master.resumptionMasterSecret(transcript.current()), field(step(4, 'client', 'derive secret "tls13 res master"'), 'expanded'), 'res master');

    // application data both ways under the application keys (sequence 0 each)
    for (const [actor, secret] of [['client', app.client], ['server', app.server]] as const) {
      const rec = steps(4).filter((s) => s.actor === actor && s.action.startsWith('send application_data record') && s.fields.length).pop()!;
      const k = trafficKeys(H, secret as ApplicationTrafficSecret, suite.aead.keyLength);
      eq(await new Tls13Direction(suite.aead, k.key, k.iv).seal(ContentType.application_data, field(rec, 'payload')), field(rec, 'complete record'), `${actor} application data record`);
    }
  });
});
