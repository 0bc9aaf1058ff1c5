import assert from 'node:assert/strict';
import type { KeyPair } from '../../src/crypto/key-exchange.js';
import type { CryptoProvider } from '../../src/crypto/provider.js';
import { tls13Suite, type Tls13Suite } from '../../src/handshake/cipher-suites.js';
import { EarlySecret, finishedVerifyData, trafficKeys, type ApplicationTrafficSecret, type HandshakeSecret, type HandshakeTrafficSecret, type MasterSecret } from '../../src/handshake/key-schedule-13.js';
import { certificateVerifyContent, tls13SignatureAlgorithm } from '../../src/handshake/signature-schemes.js';
import { Transcript } from '../../src/handshake/transcript.js';
import { Tls13Direction } from '../../src/record/tls13-protection.js';
import { ContentType } from '../../src/wire/constants.js';
import { decodeRecordHeader } from '../../src/wire/record-header.js';
import { decodeServerHello } from '../../src/wire/server-hello.js';
import { decodeCertificate13, decodeCertificateVerify } from '../../src/wire/tls13-messages.js';
import { parseCertificate } from '../../src/x509/certificate.js';
import { seedFor } from '../helpers/nist-seed.js';
import { PROVIDERS } from '../helpers/providers.js';
import { hex, readVectorJson, toHexString } from '../helpers/vectors.js';

/**
 * RFC 8448 §3 (1-RTT), §5 (HelloRetryRequest), §6 (client authentication) and
 * §7 (compatibility mode), replayed step by step through isotls's own key
 * exchange, transcript (with the HRR message_hash rule), key schedule, Finished
 * computation, CertificateVerify verification and record protection. Every
 * secret the RFC prints is compared, every protected record is sealed
 * byte-exact at its sequence number and opened back, every Finished and
 * signature checked. (§4, the resumed handshake, is in rfc8448-psk.test.ts.)
 */
interface Field { name: string; hex?: string }
interface Step { actor: 'client' | 'server'; action: string; fields: Field[] }
const sections = readVectorJson('tls13/rfc8448-all-traces.json').sections as { number: number; title: string; steps: Step[] }[];

function field(st: Step, name: string): Uint8Array {
  const f = st.fields.find((x) => x.name === name);
  assert.ok(f?.hex !== undefined, `${st.action}: no field ${name}`);
  return hex(f.hex);
}

class Writer13 {
  constructor(private readonly suite: Tls13Suite) {}
  seq = 0;
  private dir: Tls13Direction | undefined;
  key(secret: HandshakeTrafficSecret | ApplicationTrafficSecret): void {
    const k = trafficKeys(this.suite.hash, secret, this.suite.aead.keyLength);
    this.dir = new Tls13Direction(this.suite.aead, k.key, k.iv);
    this.key_ = k; this.seq = 0;
  }
  key_: { key: Uint8Array; iv: Uint8Array } | undefined;
  /** Seals at the current sequence number and checks the RFC's bytes; opens them back with a fresh reader. */
  async check(type: number, payload: Uint8Array, record: Uint8Array, what: string): Promise<void> {
    assert.ok(this.dir && this.key_, `${what}: no keys yet`);
    assert.equal(toHexString(await this.dir.seal(type, payload)), toHexString(record), `${what}: sealed record`);
    const reader = new Tls13Direction(this.suite.aead, this.key_.key, this.key_.iv);
    for (let i = 0; i < this.seq; i++) await reader.seal(ContentType.application_data, new Uint8Array(0)); // same sequence number
    const opened = await reader.open(record.subarray(0, 5), record.subarray(5));
    assert.deepEqual([opened.type, toHexString(opened.content)], [type, toHexString(payload)], `${what}: opened record`);
    this.seq++;
  }
}

async function replay(provider: CryptoProvider, steps: Step[]): Promise<{ records: number; secrets: number; finished: number; signatures: number }> {
  const suite = tls13Suite('TLS_AES_128_GCM_SHA256', provider);
  const H = suite.hash;
  const counts = { records: 0, secrets: 0, finished: 0, signatures: 0 };
  const transcript = new Transcript();
  transcript.setHash(H);
  const clientPairs = new Map<string, KeyPair>();
  let sharedSecret: Uint8Array | undefined;
  let hs: HandshakeSecret | undefined, master: MasterSecret | undefined;
  let hsTraffic: { client: HandshakeTrafficSecret; server: HandshakeTrafficSecret } | undefined;
  let app: { client: ApplicationTrafficSecret; server: ApplicationTrafficSecret; exporter: Uint8Array } | undefined;
  const writers = { client: new Writer13(suite), server: new Writer13(suite) };
  const finishedSent = { client: false, server: false };
  const lastCertificate: Partial<Record<'client' | 'server', Uint8Array>> = {};
  let pendingFinished: Partial<Record<'client' | 'server', boolean>> = {};

  for (const st of steps) {
    const a = st.action;
    const group = /ephemeral (x25519|P-256) key pair/.exec(a)?.[1];
    if (group && st.actor === 'client') {
      const priv = field(st, 'private key');
      // the provider derives the key from the injected "randomness": the x25519 secret itself, or a P-256 seed that reduces to it
      const pair = await provider.groups[group === 'x25519' ? 'x25519' : 'secp256r1'].generate(group === 'x25519' ? () => priv.slice() : seedFor(priv));
      assert.equal(toHexString(pair.publicKey), toHexString(field(st, 'public key')), `${a}: our public key`);
      clientPairs.set(group, pair);
    } else if (group && st.actor === 'server') {
      sharedSecret = await clientPairs.get(group)!.agree(field(st, 'public key'));
    } else if (/^construct an? (\w+) handshake message/.test(a)) {
      const type = /^construct an? (\w+)/.exec(a)![1]!;
      const msg = field(st, type);
      if (type === 'NewSessionTicket' || type === 'EndOfEarlyData') continue; // not in the handshake transcript here
      if (type === 'ServerHello' && decodeServerHello(msg.subarray(4)).isHelloRetryRequest) {
        transcript.replaceWithMessageHash(); // RFC 8446 §4.4.1
      }
      if (type === 'CertificateVerify') {
        // the signature covers the transcript up to, not including, CertificateVerify (RFC 8446 §4.4.3)
        const cv = decodeCertificateVerify(msg.subarray(4));
        const leaf = parseCertificate(decodeCertificate13(lastCertificate[st.actor]!.subarray(4)).entries[0]!.certData);
        const alg = tls13SignatureAlgorithm(cv.scheme, provider)!;
        assert.ok(await provider.verify(alg, leaf.publicKey.key, certificateVerifyContent(st.actor, transcript.current()), cv.signature), `${st.actor} CertificateVerify`);
        counts.signatures++;
      }
      if (type === 'Certificate') lastCertificate[st.actor] = msg;
      if (type === 'Finished') {
        const base = st.actor === 'client' ? hsTraffic!.client : hsTraffic!.server;
        assert.equal(toHexString(msg.subarray(4)), toHexString(finishedVerifyData(H, base, transcript.current())), `${st.actor} Finished`);
        counts.finished++;
        pendingFinished[st.actor] = true;
      }
      transcript.add(msg);
    } else if (a.startsWith('extract secret "handshake"') && st.fields.length) {
      hs = new EarlySecret(H).handshake(sharedSecret!);
      assert.equal(toHexString(hs.secret), toHexString(field(st, 'secret')), a); counts.secrets++;
    } else if (a.startsWith('extract secret "master"') && st.fields.length) {
      master = hs!.master();
      assert.equal(toHexString(master.secret), toHexString(field(st, 'secret')), a); counts.secrets++;
    } else if (/^derive secret "tls13 [cs] hs traffic"/.test(a) && st.fields.length) {
      hsTraffic ??= hs!.trafficSecrets(transcript.current());
      const mine = a.includes('"tls13 c hs') ? hsTraffic.client : hsTraffic.server;
      assert.equal(toHexString(mine), toHexString(field(st, 'expanded')), a); counts.secrets++;
    } else if (/^derive secret "tls13 ([cs] ap traffic|exp master)"/.test(a) && st.fields.length) {
      app ??= master!.applicationSecrets(transcript.current());
      const mine = a.includes('c ap') ? app.client : a.includes('s ap') ? app.server : app.exporter;
      assert.equal(toHexString(mine), toHexString(field(st, 'expanded')), a); counts.secrets++;
    } else if (a.startsWith('derive secret "tls13 res master"') && st.fields.length) {
      assert.equal(toHexString(master!.resumptionMasterSecret(transcript.current())), toHexString(field(st, 'expanded')), a); counts.secrets++;
    } else if (/^send (handshake|application_data|alert|change_cipher_spec) record/.test(a)) {
      const record = field(st, 'complete record');
      const payload = field(st, 'payload');
      const header = decodeRecordHeader(record);
      if (header.type !== ContentType.application_data) {
        // plaintext: the record is its header and the payload
        assert.equal(toHexString(record.subarray(5)), toHexString(payload), `${a}: plaintext record`);
        continue;
      }
      const w = writers[st.actor];
      if (!finishedSent[st.actor] && w.key_ === undefined) w.key(st.actor === 'client' ? hsTraffic!.client : hsTraffic!.server);
      const type = a.includes('application_data') ? ContentType.application_data : a.includes('alert') ? ContentType.alert : ContentType.handshake;
      await w.check(type, payload, record, `${st.actor} ${a}`);
      counts.records++;
      if (pendingFinished[st.actor]) {
        // the record that carried this side's Finished was the last under handshake keys
        finishedSent[st.actor] = true; pendingFinished = { ...pendingFinished, [st.actor]: false };
        // application secrets come from the transcript through the server Finished (RFC 8446 §7.1)
        app ??= master!.applicationSecrets(transcript.current());
        w.key(st.actor === 'client' ? app.client : app.server);
      }
    }
  }
  return counts;
}

for (const provider of PROVIDERS) describe(`RFC 8448 traces replayed through isotls (key schedule, transcript, Finished, signatures, records; ${provider.name} provider)`, () => {
  const expect: Record<number, { records: number; finished: number; signatures: number }> = {
    3: { records: 7, finished: 2, signatures: 1 }, // server flight, client Finished, ticket, data both ways, alerts both ways
    5: { records: 4, finished: 2, signatures: 1 },
    6: { records: 4, finished: 2, signatures: 2 },
    7: { records: 4, finished: 2, signatures: 1 },
  };
  for (const number of [3, 5, 6, 7]) {
    const section = sections.find((s) => s.number === number)!;
    it(`§${number} ${section.title}`, async () => {
      const counts = await replay(provider, section.steps);
      assert.deepEqual({ records: counts.records, finished: counts.finished, signatures: counts.signatures }, expect[number]);
      assert.ok(counts.secrets >= 7, `${counts.secrets} secrets compared`);
    });
  }
});
