import assert from 'node:assert/strict';
import type { KeyPair } from '../../src/crypto/key-exchange.js';
import { tls13Suite } from '../../src/handshake/cipher-suites.js';
import { EarlySecret, finishedVerifyData, hkdfExpandLabel, trafficKeys, type ApplicationTrafficSecret } from '../../src/handshake/key-schedule-13.js';
import { certificateVerifyContent, tls13SignatureAlgorithm } from '../../src/handshake/signature-schemes.js';
import { Transcript } from '../../src/handshake/transcript.js';
import { Deframer } from '../../src/record/deframer.js';
import { Tls13Direction } from '../../src/record/tls13-protection.js';
import { ContentType, HandshakeType } from '../../src/wire/constants.js';
import { HandshakeAssembler } from '../../src/wire/handshake-message.js';
import { decodeServerHello } from '../../src/wire/server-hello.js';
import { decodeCertificate13, decodeCertificateVerify, decodeEncryptedExtensions, decodeNewSessionTicket } from '../../src/wire/tls13-messages.js';
import { decodeAlert } from '../../src/wire/alert.js';
import { parseCertificate } from '../../src/x509/certificate.js';
import { PROVIDERS } from '../helpers/providers.js';
import { hex, readVectorJson, toHexString } from '../helpers/vectors.js';

/** RFC 8448 §3, simple 1-RTT handshake: every secret, key, IV, Finished and record, with each provider. */
for (const provider of PROVIDERS) describe(`RFC 8448 §3 simple 1-RTT handshake (${provider.name} provider)`, () => {
  const v = readVectorJson('tls13/rfc8448-simple-1rtt.json').values as Record<string, string>;
  const suite = tls13Suite('TLS_AES_128_GCM_SHA256', provider);
  const H = suite.hash;
  const clientSecret = hex(v.client_x25519_private!);

  const transcript = new Transcript();
  transcript.setHash(H);
  transcript.add(hex(v.client_hello!));
  transcript.add(hex(v.server_hello!));
  const early = new EarlySecret(H);
  const helloHash = transcript.current();
  // The client's x25519 key pair from the trace, through the provider's key exchange.
  let pair: KeyPair, shared: Uint8Array, hs: ReturnType<EarlySecret['handshake']>, hsTraffic: ReturnType<typeof hs.trafficSecrets>, master: ReturnType<typeof hs.master>;
  let app: ReturnType<typeof master.applicationSecrets>;
  const thruServerFinished = hex(v.transcript_hash_ch_to_server_finished!);
  before(async () => {
    pair = await provider.groups.x25519.generate(() => clientSecret.slice());
    shared = await pair.agree(hex(v.server_x25519_public!));
    hs = early.handshake(shared);
    hsTraffic = hs.trafficSecrets(helloHash);
    master = hs.master();
    app = master.applicationSecrets(thruServerFinished);
  });

  it('derives the client x25519 public key and the shared secret', () => {
    assert.equal(toHexString(pair.publicKey), v.client_x25519_public);
    assert.equal(toHexString(shared), v.ecdhe_shared_secret);
  });

  it('reproduces the early, handshake and master secrets', () => {
    assert.equal(toHexString(early.secret), v.early_secret);
    assert.equal(toHexString(hs.secret), v.handshake_secret);
    assert.equal(toHexString(master.secret), v.master_secret);
    assert.equal(toHexString(helloHash), v.transcript_hash_ch_sh);
  });

  it('reproduces the handshake traffic secrets, keys and IVs', () => {
    assert.equal(toHexString(hsTraffic.client), v.client_handshake_traffic_secret);
    assert.equal(toHexString(hsTraffic.server), v.server_handshake_traffic_secret);
    const s = trafficKeys(H, hsTraffic.server, 16), c = trafficKeys(H, hsTraffic.client, 16);
    assert.equal(toHexString(s.key), v.server_handshake_key);
    assert.equal(toHexString(s.iv), v.server_handshake_iv);
    assert.equal(toHexString(c.key), v.client_handshake_key);
    assert.equal(toHexString(c.iv), v.client_handshake_iv);
  });

  it('decodes the ServerHello the trace sent', () => {
    const sh = decodeServerHello(hex(v.server_hello!).subarray(4));
    assert.equal(sh.cipherSuite, 0x1301);
    assert.equal(sh.isHelloRetryRequest, false);
  });

  it('decrypts the server handshake record into EncryptedExtensions, Certificate, CertificateVerify and Finished, and verifies them', async () => {
    const keys = trafficKeys(H, hsTraffic.server, 16);
    const dir = new Tls13Direction(suite.aead, keys.key, keys.iv);
    const d = new Deframer();
    d.push(hex(v.server_encrypted_handshake_record!));
    const rec = d.next()!;
    const { type, content } = await dir.open(rec.header, rec.fragment);
    assert.equal(type, ContentType.handshake);
    assert.equal(toHexString(content), v.server_encrypted_handshake_plaintext);

    const asm = new HandshakeAssembler();
    asm.push(content);
    const t = new Transcript();
    t.setHash(H);
    t.add(hex(v.client_hello!)); t.add(hex(v.server_hello!));
    const ee = asm.next()!; assert.equal(ee.type, HandshakeType.encrypted_extensions); decodeEncryptedExtensions(ee.body); t.add(ee.raw);
    const cert = asm.next()!; const certMsg = decodeCertificate13(cert.body); t.add(cert.raw);
    const leaf = parseCertificate(certMsg.entries[0]!.certData);
    assert.equal(leaf.subject.commonName, 'rsa');
    const cvMsg = asm.next()!; const cv = decodeCertificateVerify(cvMsg.body);
    const alg = tls13SignatureAlgorithm(cv.scheme, provider)!;
    assert.equal(await provider.verify(alg, leaf.publicKey.key, certificateVerifyContent('server', t.current()), cv.signature), true, 'CertificateVerify verifies');
    const tampered = cv.signature.slice(); tampered[5] = tampered[5]! ^ 1;
    assert.equal(await provider.verify(alg, leaf.publicKey.key, certificateVerifyContent('server', t.current()), tampered), false, 'tampered CertificateVerify fails');
    t.add(cvMsg.raw);
    const fin = asm.next()!;
    assert.equal(toHexString(finishedVerifyData(H, hsTraffic.server, t.current())), v.server_finished_verify_data);
    assert.equal(toHexString(fin.body), v.server_finished_verify_data);
    t.add(fin.raw);
    assert.equal(toHexString(t.current()), v.transcript_hash_ch_to_server_finished);
    assert.equal(asm.next(), null);
  });

  it('reproduces the application traffic secrets, exporter secret and keys', () => {
    assert.equal(toHexString(app.client), v.client_application_traffic_secret_0);
    assert.equal(toHexString(app.server), v.server_application_traffic_secret_0);
    assert.equal(toHexString(app.exporter), v.exporter_master_secret);
    const s = trafficKeys(H, app.server, 16), c = trafficKeys(H, app.client, 16);
    assert.equal(toHexString(s.key), v.server_application_key);
    assert.equal(toHexString(s.iv), v.server_application_iv);
    assert.equal(toHexString(c.key), v.client_application_key);
    assert.equal(toHexString(c.iv), v.client_application_iv);
  });

  it('builds the client Finished and seals it into the exact record of the trace', async () => {
    const vd = finishedVerifyData(H, hsTraffic.client, thruServerFinished);
    assert.equal(toHexString(vd), v.client_finished_verify_data);
    const keys = trafficKeys(H, hsTraffic.client, 16);
    const dir = new Tls13Direction(suite.aead, keys.key, keys.iv);
    assert.equal(toHexString(await dir.seal(ContentType.handshake, hex(v.client_finished!))), v.client_finished_record);
  });

  it('reproduces the resumption master secret and PSK, and decrypts the NewSessionTicket', async () => {
    const rms = master.resumptionMasterSecret(hex(v.transcript_hash_ch_to_client_finished!));
    assert.equal(toHexString(rms), v.resumption_master_secret);
    assert.equal(toHexString(hkdfExpandLabel(H, rms, 'resumption', hex(v.ticket_nonce!), 32)), v.resumption_psk);
    const keys = trafficKeys(H, app.server, 16);
    const dir = new Tls13Direction(suite.aead, keys.key, keys.iv);
    const d = new Deframer();
    d.push(hex(v.new_session_ticket_record!));
    const rec = d.next()!;
    const { type, content } = await dir.open(rec.header, rec.fragment);
    assert.equal(type, ContentType.handshake);
    assert.equal(toHexString(content), v.new_session_ticket);
    const t = decodeNewSessionTicket(content.subarray(4));
    assert.equal(t.lifetime, 30);
  });

  it('decrypts application data and alerts in both directions at their sequence numbers', async () => {
    const open = async (secret: ApplicationTrafficSecret, skip: number, record: string) => {
      const k = trafficKeys(H, secret, 16);
      const opener = new Tls13Direction(suite.aead, k.key, k.iv);
      for (let i = 0; i < skip; i++) await opener.seal(ContentType.application_data, new Uint8Array(0)); // advance the sequence number
      const d = new Deframer(); d.push(hex(record)); const rec = d.next()!;
      return opener.open(rec.header, rec.fragment);
    };
    // server: ticket is seq 0, application data seq 1, alert seq 2
    const sData = await open(app.server, 1, v.server_application_data_record!);
    assert.equal(sData.type, ContentType.application_data);
    assert.equal(toHexString(sData.content), v.server_application_data_plaintext);
    const sAlert = await open(app.server, 2, v.server_alert_record!);
    assert.equal(decodeAlert(sAlert.content).name, 'close_notify');
    // client: application data seq 0 (sealed byte-exact), alert seq 1
    const k = trafficKeys(H, app.client, 16);
    const w = new Tls13Direction(suite.aead, k.key, k.iv);
    assert.equal(toHexString(await w.seal(ContentType.application_data, hex(v.client_application_data_plaintext!))), v.client_application_data_record);
    assert.equal(toHexString(await w.seal(ContentType.alert, hex(v.client_alert_plaintext!))), v.client_alert_record);
  });
});
