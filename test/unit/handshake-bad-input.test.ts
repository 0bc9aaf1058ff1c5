import assert from 'node:assert/strict';
import { connect, TlsError, type ConnectOptions } from '../../src/index.js';
import { memoryPair } from '../../src/transport/memory.js';
import { ExtensionType, NamedGroup, ContentType, HandshakeType } from '../../src/wire/constants.js';
import { encodeAlpn } from '../../src/wire/extensions.js';
import { runFakeServer, type FakeServerScript, type FakeServerResult } from '../helpers/fake-server.js';
import { ROOT_CA } from '../helpers/pki.js';

const base: ConnectOptions = { servername: 'isotls.test', ca: ROOT_CA(), handshakeTimeout: 5000 };

async function handshake(script: FakeServerScript, extra: Partial<ConnectOptions> = {}) {
  const [c, s] = memoryPair();
  const server = runFakeServer(s, script);
  let error: unknown;
  let conn;
  try { conn = await connect({ ...base, ...extra, transport: c }); } catch (e) { error = e; }
  const serverResult = await server;
  return { conn, error, server: serverResult };
}

/** The client must fail with exactly this code, and the server must have received this alert. */
async function expectFailure(script: FakeServerScript, code: string, alert: string | undefined, extra: Partial<ConnectOptions> = {}): Promise<FakeServerResult> {
  const { error, server } = await handshake(script, extra);
  assert.ok(error instanceof TlsError, `expected a TlsError, got ${error}`);
  assert.equal(error.code, code, error.message);
  assert.ok(error.message.startsWith('tls: '), error.message);
  assert.equal(server.alert, alert, `alert received by the server`);
  return server;
}

/** Re-frames a handshake message with a new body (fixing the 3-byte length). */
function reframe(raw: Uint8Array, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out[0] = raw[0]!; out[1] = body.length >>> 16; out[2] = body.length >>> 8; out[3] = body.length;
  out.set(body, 4);
  return out;
}

describe('TLS 1.3 handshake against a scripted server', () => {
  it('completes with a well-behaved server and sends a correct Finished', async () => {
    const { conn, error, server } = await handshake({});
    assert.equal(error, undefined);
    assert.equal(server.clientFinishedOk, true);
    assert.equal(conn!.info.version, 'TLSv1.3');
    assert.equal(conn!.info.cipherSuite, 'TLS_AES_128_GCM_SHA256');
    assert.equal(conn!.info.authorized, true);
    await conn!.close();
  });

  it('retries after HelloRetryRequest with the requested group and echoes the cookie', async () => {
    const cookie = new Uint8Array([1, 2, 3, 4, 5]);
    const { conn, error, server } = await handshake({ hrr: { group: NamedGroup.secp256r1, cookie } });
    assert.equal(error, undefined, String(error));
    assert.equal(server.cookieEchoed, true);
    assert.equal(server.clientFinishedOk, true);
    assert.equal(conn!.info.group, 'secp256r1');
    assert.equal(conn!.info.helloRetryRequest, true);
    await conn!.close();
  });

  describe('rejects bad input with the right code and alert', () => {
    it('a cipher suite it did not offer', () =>
      expectFailure({ claimSuite: 0x1303 }, 'illegal_parameter/unoffered_cipher_suite', 'illegal_parameter', { cipherSuites: ['TLS_AES_128_GCM_SHA256'] }));
    it('a key share for a group it did not send', () =>
      expectFailure({ claimGroup: NamedGroup.secp256r1 }, 'illegal_parameter/unoffered_group', 'illegal_parameter'));
    it('an unsolicited extension in ServerHello', () =>
      expectFailure({ serverHelloExtensions: (e) => [...e, { type: ExtensionType.pre_shared_key, data: new Uint8Array([0, 0]) }] }, 'unsupported_extension/unsolicited_extension', 'unsupported_extension'));
    it('an extension RFC 8446 §4.2 does not allow in ServerHello (ALPN)', () =>
      expectFailure({ serverHelloExtensions: (e) => [...e, { type: ExtensionType.application_layer_protocol_negotiation, data: encodeAlpn(['h2']) }] }, 'illegal_parameter/extension_not_allowed', 'illegal_parameter'));
    it('a duplicate extension in ServerHello', () =>
      expectFailure({ serverHelloExtensions: (e) => [...e, e[0]!] }, 'decode_error/duplicate_extension', 'decode_error'));
    it('an unsolicited ALPN answer in EncryptedExtensions (alert sent encrypted)', () =>
      expectFailure({ encryptedExtensions: [{ type: ExtensionType.application_layer_protocol_negotiation, data: encodeAlpn(['h2']) }] }, 'unsupported_extension/unsolicited_extension', 'unsupported_extension'));
    it('an ALPN protocol it did not offer', () =>
      expectFailure({ encryptedExtensions: [{ type: ExtensionType.application_layer_protocol_negotiation, data: encodeAlpn(['h2']) }] }, 'illegal_parameter/unoffered_alpn', 'illegal_parameter', { ALPNProtocols: ['http/1.1'] }));
    it('a key_share extension inside EncryptedExtensions', () =>
      expectFailure({ encryptedExtensions: [{ type: ExtensionType.key_share, data: new Uint8Array([0, 29, 0, 0]) }] }, 'illegal_parameter/extension_not_allowed', 'illegal_parameter'));
    it('a truncated Certificate message', () =>
      expectFailure({ mutate: { Certificate: (raw) => reframe(raw, raw.subarray(4, raw.length - 40)) } }, 'decode_error/truncated', 'decode_error'));
    it('trailing bytes after EncryptedExtensions', () =>
      expectFailure({ mutate: { EE: (raw) => reframe(raw, new Uint8Array([...raw.subarray(4), 0])) } }, 'decode_error/trailing_bytes', 'decode_error'));
    it('a wrong server Finished', () =>
      expectFailure({ badFinished: true }, 'decrypt_error/bad_finished', 'decrypt_error'));
    it('a CertificateVerify signature that does not verify', () =>
      expectFailure({ badSignature: true }, 'decrypt_error/bad_certificate_verify', 'decrypt_error'));
    it('a record longer than 2^14+256', () =>
      expectFailure({ oversizedRecord: true }, 'record_overflow/record_too_long', 'record_overflow'));
    it('messages out of order (Certificate before EncryptedExtensions)', () =>
      expectFailure({ order: ['Certificate', 'EE', 'CV', 'Finished'] }, 'unexpected_message/unexpected_handshake_message', 'unexpected_message'));
    it('Finished without Certificate and CertificateVerify', () =>
      expectFailure({ order: ['EE', 'Finished'] }, 'unexpected_message/unexpected_handshake_message', 'unexpected_message'));
    it('a flipped byte in an encrypted server record', () =>
      expectFailure({ flipRecordByte: true }, 'bad_record_mac/decryption_failed', 'bad_record_mac'));
    it('a second HelloRetryRequest', () =>
      expectFailure({ hrr: { group: NamedGroup.secp256r1, twice: true } }, 'unexpected_message/second_hello_retry_request', 'unexpected_message'));
    it('a HelloRetryRequest that changes nothing', () =>
      expectFailure({ hrr: {} }, 'illegal_parameter/hrr_no_change', 'illegal_parameter'));
    it('a HelloRetryRequest for the group it already sent', () =>
      expectFailure({ hrr: { group: NamedGroup.x25519 } }, 'illegal_parameter/hrr_group_already_sent', 'illegal_parameter'));
    it('the RFC 8446 downgrade sentinel in a TLS 1.2 ServerHello', () => {
      const random = new Uint8Array(32).fill(7);
      random.set([0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01], 24);
      return expectFailure({ serverRandom: random, serverHelloExtensions: (e) => e.filter((x) => x.type !== ExtensionType.supported_versions) }, 'illegal_parameter/downgrade_detected', 'illegal_parameter');
    });
    it('a server that picks TLS 1.2 when only TLS 1.3 is allowed', () =>
      expectFailure({ serverHelloExtensions: (e) => e.filter((x) => x.type !== ExtensionType.supported_versions) }, 'protocol_version/unsupported_protocol', 'protocol_version', { minVersion: 'TLSv1.3' }));
    it('a TLS 1.2 ServerHello naming a TLS 1.3-only suite', () =>
      expectFailure({ serverHelloExtensions: (e) => e.filter((x) => x.type !== ExtensionType.supported_versions) }, 'illegal_parameter/unoffered_cipher_suite', 'illegal_parameter'));
    it('application data before encryption is established', () =>
      expectFailure({ rawBeforeServerHello: new Uint8Array([23, 3, 3, 0, 1, 0]) }, 'unexpected_message/early_application_data', 'unexpected_message'));
    it('a handshake message split across the key change after ServerHello', () =>
      expectFailure({ appendToServerHelloRecord: new Uint8Array([8, 0]) }, 'unexpected_message/message_spans_key_change', 'unexpected_message'));
    it('an unprotected handshake record after keys are in use', () =>
      expectFailure({ plaintextFlight: true }, 'unexpected_message/unprotected_record', 'unexpected_message'));
    it('a certificate for another name', () =>
      expectFailure({}, 'bad_certificate/hostname_mismatch', 'bad_certificate', { servername: 'wrong.example' }));
  });

  describe('after the handshake', () => {
    it('rejects an unexpected handshake message', async () => {
      const { conn } = await handshake({
        afterHandshake: async (send) => { await send(ContentType.handshake, new Uint8Array([HandshakeType.server_hello, 0, 0, 0])); },
      });
      await assert.rejects(conn!.read(), (e: TlsError) => e.code === 'unexpected_message/unexpected_post_handshake_message');
    });
    it('accepts NewSessionTicket and delivers data that follows', async () => {
      const ticket = new Uint8Array([HandshakeType.new_session_ticket, 0, 0, 15, 0, 0, 0x0e, 0x10, 1, 2, 3, 4, 0, 0, 2, 9, 9, 0, 0]);
      const { conn } = await handshake({
        afterHandshake: async (send) => { await send(ContentType.handshake, ticket); await send(ContentType.application_data, new Uint8Array([42])); await send(ContentType.alert, new Uint8Array([1, 0])); },
      });
      assert.deepEqual(await conn!.read(), new Uint8Array([42]));
      assert.equal(await conn!.read(), null, 'close_notify ends the stream');
      assert.equal(conn!.sessionTickets.length, 1);
      assert.equal(conn!.sessionTickets[0]!.lifetime, 3600);
    });
    it('strips inner-plaintext padding (RFC 8446 §5.4)', async () => {
      const { conn } = await handshake({ afterHandshake: async (send) => { await send(ContentType.application_data, new Uint8Array([1, 2, 3]), 200); } });
      assert.deepEqual(await conn!.read(), new Uint8Array([1, 2, 3]));
    });
    it('rejects a record that is all padding, with no content type', async () => {
      const { conn } = await handshake({ afterHandshake: async (send) => { await send(0, new Uint8Array(0), 5); } });
      await assert.rejects(conn!.read(), (e: TlsError) => e.code === 'unexpected_message/no_content_type');
    });
    it('rejects an inner plaintext longer than 2^14 + 1 bytes', async () => {
      const { conn } = await handshake({ afterHandshake: async (send) => { await send(ContentType.application_data, new Uint8Array(16384), 10); } });
      await assert.rejects(conn!.read(), (e: TlsError) => e.code === 'record_overflow/plaintext_too_long');
    });
    it('rejects a zero-length handshake record and a zero-length alert', async () => {
      const a = await handshake({ afterHandshake: async (send) => { await send(ContentType.handshake, new Uint8Array(0)); } });
      await assert.rejects(a.conn!.read(), (e: TlsError) => e.code === 'unexpected_message/empty_handshake_record');
      const b = await handshake({ afterHandshake: async (send) => { await send(ContentType.alert, new Uint8Array(0)); } });
      await assert.rejects(b.conn!.read(), (e: TlsError) => e.code === 'unexpected_message/empty_alert');
    });
    it('ignores zero-length application data', async () => {
      const { conn } = await handshake({ afterHandshake: async (send) => { await send(ContentType.application_data, new Uint8Array(0)); await send(ContentType.application_data, new Uint8Array([9])); } });
      assert.deepEqual(await conn!.read(), new Uint8Array([9]));
    });
    it('rejects a change_cipher_spec record after the handshake', async () => {
      const [c, s] = memoryPair();
      const server = runFakeServer(s, { afterHandshake: async () => { await s.write(new Uint8Array([20, 3, 3, 0, 1, 1])); } });
      const conn = await connect({ ...base, transport: c });
      await server;
      await assert.rejects(conn.read(), (e: TlsError) => e.code === 'unexpected_message/unexpected_change_cipher_spec');
    });
    it('reports a fatal alert from the server with its name', async () => {
      const { conn } = await handshake({ afterHandshake: async (send) => { await send(ContentType.alert, new Uint8Array([2, 80])); } });
      await assert.rejects(conn!.read(), (e: TlsError) => e.code === 'peer_alert/internal_error' && e.alertFrom === 'peer' && e.alert === 'internal_error');
    });
    it('reports a connection closed without close_notify', async () => {
      const [c, s] = memoryPair();
      const server = runFakeServer(s, { afterHandshake: async () => { await s.close(); } });
      const conn = await connect({ ...base, transport: c });
      await server;
      await assert.rejects(conn.read(), (e: TlsError) => e.code === 'transport/closed_without_close_notify');
    });
  });
});
