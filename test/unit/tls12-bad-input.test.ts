import assert from 'node:assert/strict';
import { connect, TlsError, type ConnectOptions } from '../../src/index.js';
import { memoryPair } from '../../src/transport/memory.js';
import { ContentType } from '../../src/wire/constants.js';
import { runFakeServer12, type FakeServer12Script } from '../helpers/fake-server12.js';
import { ROOT_CA } from '../helpers/pki.js';

const base: ConnectOptions = { servername: 'isotls.test', ca: ROOT_CA(), handshakeTimeout: 5000 };

async function run(script: FakeServer12Script, extra: Partial<ConnectOptions> = {}) {
  const [c, s] = memoryPair();
  const server = runFakeServer12(s, script);
  let conn, error: unknown;
  try { conn = await connect({ ...base, ...extra, transport: c }); } catch (e) { error = e; }
  return { conn, error, server: await server };
}

async function expectFailure(script: FakeServer12Script, code: string, alert: string, extra: Partial<ConnectOptions> = {}) {
  const { error, server } = await run(script, extra);
  assert.ok(error instanceof TlsError, String(error));
  assert.equal(error.code, code, error.message);
  assert.equal(server.alert, alert);
}

describe('TLS 1.2 handshake against a scripted server', () => {
  for (const cipher of ['gcm', 'cbc'] as const) {
    it(`completes (${cipher}) and exchanges data`, async () => {
      const { conn, error, server } = await run({ cipher, afterHandshake: async (io) => { await io.write(await io.protect(ContentType.application_data, new Uint8Array([1, 2, 3]))); } });
      assert.equal(error, undefined, String(error));
      assert.equal(server.clientFinishedOk, true);
      assert.equal(conn!.info.version, 'TLSv1.2');
      assert.deepEqual(await conn!.read(), new Uint8Array([1, 2, 3]));
    });
  }

  describe('rejects bad input with the right code and alert', () => {
    it('a ServerKeyExchange signature that does not verify', () =>
      expectFailure({ badSkeSignature: true }, 'decrypt_error/bad_server_key_exchange_signature', 'decrypt_error'));
    it('a wrong server Finished', () =>
      expectFailure({ badFinished: true, awaitClientReply: true }, 'decrypt_error/bad_finished', 'decrypt_error'));
    it('a cipher suite it did not offer', () =>
      expectFailure({ claimSuite: 0xc023 }, 'illegal_parameter/unoffered_cipher_suite', 'illegal_parameter', { cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'] }));
    it('a protocol version it did not offer (TLS 1.1)', () =>
      expectFailure({ serverVersion: 0x0302 }, 'protocol_version/unsupported_protocol', 'protocol_version'));
    it('records after close_notify', async () => {
      const { conn } = await run({
        afterHandshake: async (io) => { await io.write(new Uint8Array([...(await io.protect(ContentType.alert, new Uint8Array([1, 0]))), ...(await io.protect(ContentType.application_data, new Uint8Array([9])))])); },
      });
      await assert.rejects(conn!.read(), (e: TlsError) => e.code === 'unexpected_message/data_after_close_notify');
    });
    for (const etm of [false, true]) {
      for (const [where, offset] of [['MAC', -20], ['padding', -1], ['IV', 6]] as const) {
        it(`a flipped byte in a CBC record (${etm ? 'encrypt-then-MAC' : 'MAC-then-encrypt'}, ${where})`, async () => {
          const { conn } = await run({
            cipher: 'cbc', etm,
            afterHandshake: async (io) => {
              const rec = await io.protect(ContentType.application_data, new Uint8Array(40).fill(0x41));
              // MtE: the last block holds MAC tail and padding; EtM: the trailer is the MAC itself
              const at = offset < 0 ? rec.length + offset - (etm ? 32 : 0) : offset;
              rec[at] = rec[at]! ^ 0x01;
              await io.write(rec);
            },
          });
          assert.equal(conn!.info.encryptThenMac, etm);
          await assert.rejects(conn!.read(), (e: TlsError) => e.code === 'bad_record_mac/decryption_failed');
        });
      }
    }
  });

  it('refuses a server that resumes a session without the extended master secret (RFC 7627)', async () => {
    const first = await run({});
    const session = first.conn!.session!;
    assert.ok(session);
    await expectFailure({ resumeWithoutEms: true }, 'handshake_failure/resumption_without_ems', 'handshake_failure', { session });
  });

  it('does not offer a session for resumption when the server did not use the extended master secret', async () => {
    const { conn, error } = await run({ noExtendedMasterSecret: true });
    assert.equal(error, undefined, String(error));
    assert.equal(conn!.info.extendedMasterSecret, false);
    assert.equal(conn!.session, undefined);
  });
});
