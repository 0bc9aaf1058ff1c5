import assert from 'node:assert/strict';
import { SHA1, SHA256 } from '../../src/crypto/hash.js';
import type { KeyPair } from '../../src/crypto/key-exchange.js';
import { finishedVerifyData12, keyBlock12, masterSecret12 } from '../../src/handshake/key-schedule-12.js';
import { Deframer } from '../../src/record/deframer.js';
import { Tls12CbcDirection } from '../../src/record/tls12-cbc.js';
import { ContentType } from '../../src/wire/constants.js';
import { TlsError } from '../../src/errors.js';
import { AesCbc } from '../../src/crypto/aes-cbc.js';
import { hmac } from '../../src/crypto/hmac.js';
import { PROVIDERS } from '../helpers/providers.js';
import { hex, readVectorJson, toHexString } from '../helpers/vectors.js';

/**
 * The full TLS 1.2 connection of the illustrated-TLS 1.2 capture (ECDHE-RSA,
 * x25519, AES-128-CBC-SHA, MAC-then-encrypt). The key exchange and the PRF's
 * HMAC-SHA256 run on each provider; CBC and HMAC-SHA1 are the pure code's.
 */
for (const provider of PROVIDERS) describe(`TLS 1.2 trace (ECDHE-RSA, x25519, AES-128-CBC-SHA; ${provider.name} provider)`, () => {
  const v = readVectorJson('tls12/tls12-ecdhe-rsa-aes128-cbc-sha-trace.json').values as Record<string, string>;
  const cr = hex(v.client_random!), sr = hex(v.server_random!);
  const H = provider.hashes['SHA-256'];
  let pair: KeyPair, pms: Uint8Array, master: Uint8Array, kb: ReturnType<typeof keyBlock12>;
  before(async () => {
    pair = await provider.groups.x25519.generate(() => hex(v.client_x25519_private!));
    pms = await pair.agree(hex(v.server_x25519_public!));
    master = masterSecret12(H, pms, cr, sr);
    kb = keyBlock12(H, master, cr, sr, 20, 16, 0);
  });
  const record = (h: string) => { const d = new Deframer(); d.push(hex(h)); return d.next()!; };
  const ivFrom = (h: string) => hex(h).subarray(5, 21);

  it('derives the pre-master secret, master secret and key block', async () => {
    assert.equal(toHexString(pair.publicKey), v.client_x25519_public);
    assert.equal(toHexString(pms), v.pre_master_secret);
    assert.equal(toHexString(master), v.master_secret);
    assert.equal(toHexString(kb.clientMacKey), v.client_write_mac_key);
    assert.equal(toHexString(kb.serverMacKey), v.server_write_mac_key);
    assert.equal(toHexString(kb.clientKey), v.client_write_key);
    assert.equal(toHexString(kb.serverKey), v.server_write_key);
  });

  it('computes both Finished values from the transcript hashes', async () => {
    assert.equal(toHexString(finishedVerifyData12(H, master, 'client', hex(v.transcript_sha256_for_client_finished!))), v.client_finished_message!.slice(8));
    assert.equal(toHexString(finishedVerifyData12(H, master, 'server', hex(v.transcript_sha256_for_server_finished!))), v.server_finished_message!.slice(8));
  });

  it('seals the client records byte-exact (with the capture\'s IVs injected) at sequence numbers 0, 1, 2', async () => {
    const ivs = [ivFrom(v.record_client_finished!), ivFrom(v.record_client_application_data!), ivFrom(v.record_client_alert!)];
    const w = new Tls12CbcDirection(kb.clientKey, kb.clientMacKey, SHA1, false, () => ivs.shift()!);
    assert.equal(toHexString(await w.seal(ContentType.handshake, hex(v.client_finished_message!))), v.record_client_finished);
    assert.equal(toHexString(await w.seal(ContentType.application_data, hex(v.client_application_data_plaintext!))), v.record_client_application_data);
    assert.equal(toHexString(await w.seal(ContentType.alert, hex(v.client_alert_plaintext!))), v.record_client_alert);
  });

  it('decrypts every client record of the capture (Finished, application data, alert)', async () => {
    const r = new Tls12CbcDirection(kb.clientKey, kb.clientMacKey, SHA1, false, () => new Uint8Array(16));
    for (const [rec, plain, type] of [[v.record_client_finished, v.client_finished_message, ContentType.handshake], [v.record_client_application_data, v.client_application_data_plaintext, ContentType.application_data], [v.record_client_alert, v.client_alert_plaintext, ContentType.alert]] as const) {
      const d = record(rec!);
      const opened = await r.open(d.header, d.fragment);
      assert.equal(opened.type, type);
      assert.equal(toHexString(opened.content), plain);
    }
  });

  it('decrypts every server record and rejects a flipped byte in MAC or padding alike', async () => {
    const r = new Tls12CbcDirection(kb.serverKey, kb.serverMacKey, SHA1, false, () => new Uint8Array(16));
    const fin = record(v.record_server_finished!);
    assert.equal(toHexString((await r.open(fin.header, fin.fragment)).content), v.server_finished_message);
    const app = record(v.record_server_application_data!);
    assert.equal(toHexString((await r.open(app.header, app.fragment)).content), v.server_application_data_plaintext);
    for (const at of [20, 40, 60]) { // a byte in the first block (content), and in the last two (MAC, padding)
      const rr = new Tls12CbcDirection(kb.serverKey, kb.serverMacKey, SHA1, false, () => new Uint8Array(16));
      const f = record(v.record_server_finished!);
      f.fragment[at] = f.fragment[at]! ^ 1;
      await assert.rejects(rr.open(f.header, f.fragment), (e: TlsError) => e.code === 'bad_record_mac/decryption_failed');
    }
  });

  it('rejects a MAC-then-encrypt record whose MAC is right but whose padding is not (the padding check alone)', async () => {
    const content = new Uint8Array(20).fill(0x41);
    const mac = hmac(SHA1, kb.serverMacKey, new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, ContentType.application_data, 3, 3, 0, content.length, ...content]));
    const build = (pad: Uint8Array) => {
      const plain = new Uint8Array([...content, ...mac, ...pad]); // 20 + 20 + 8 = 48: whole blocks
      const iv = new Uint8Array(16).fill(9);
      new AesCbc(kb.serverKey).encryptInPlace(iv, plain);
      const fragment = new Uint8Array([...iv, ...plain]);
      return { header: new Uint8Array([ContentType.application_data, 3, 3, 0, fragment.length]), fragment };
    };
    const open = (pad: number[]) => { const r = build(new Uint8Array(pad)); return new Tls12CbcDirection(kb.serverKey, kb.serverMacKey, SHA1, false, () => new Uint8Array(16)).open(r.header, r.fragment); };
    assert.deepEqual((await open([7, 7, 7, 7, 7, 7, 7, 7])).content, content, 'well-formed padding opens');
    await assert.rejects(open([7, 7, 7, 0, 7, 7, 7, 7]), (e: TlsError) => e.code === 'bad_record_mac/decryption_failed');
  });

  it('round-trips encrypt-then-MAC records and rejects any flipped byte', async () => {
    const w = new Tls12CbcDirection(kb.clientKey, kb.clientMacKey, SHA256, true, (n) => new Uint8Array(n).fill(3));
    const r = new Tls12CbcDirection(kb.clientKey, kb.clientMacKey, SHA256, true, (n) => new Uint8Array(n));
    for (const len of [0, 1, 15, 16, 17, 100, 16384]) {
      const data = new Uint8Array(len).map((_, i) => i & 0xff);
      const rec = record(toHexString(await w.seal(ContentType.application_data, data)));
      assert.deepEqual((await r.open(rec.header, rec.fragment)).content, data);
    }
    const rec = record(toHexString(await w.seal(ContentType.application_data, new Uint8Array(10))));
    const last = rec.fragment.length - 1;
    rec.fragment[last] = rec.fragment[last]! ^ 1;
    await assert.rejects(r.open(rec.header, rec.fragment), (e: TlsError) => e.code === 'bad_record_mac/decryption_failed');
  });
});
