import assert from 'node:assert/strict';
import { connect, TlsError, type ConnectOptions } from '../../src/index.js';
import { memoryPair } from '../../src/transport/memory.js';
import { ContentType, ExtensionType as E, HandshakeType, nameOf } from '../../src/wire/constants.js';
import { encodeAlpn, type Extension } from '../../src/wire/extensions.js';
import { messagesAllowing } from '../../src/handshake/extension-rules.js';
import { runFakeServer, type FakeServerScript } from '../helpers/fake-server.js';
import { ROOT_CA } from '../helpers/pki.js';

/**
 * RFC 8446 §4.2, message by message (security issue, part 3): a recognised
 * extension in a message the table does not allow it in is illegal_parameter;
 * an extension the client did not offer (or does not know) in a response is
 * unsupported_extension; CertificateRequest and NewSessionTicket ignore
 * unknown extensions.
 */
const base: ConnectOptions = { servername: 'isotls.test', ca: ROOT_CA(), handshakeTimeout: 5000, ALPNProtocols: ['h2'] };
const UNKNOWN = 0x3a3a; // a GREASE value: never a real extension
const ext = (type: number, data: Uint8Array = new Uint8Array(0)): Extension => ({ type, data });
const alpnH2 = () => ext(E.application_layer_protocol_negotiation, encodeAlpn(['h2']));

async function outcome(script: FakeServerScript, extra: Partial<ConnectOptions> = {}): Promise<{ code?: string; alert?: string }> {
  const [c, s] = memoryPair();
  const server = runFakeServer(s, script);
  try {
    const conn = await connect({ ...base, ...extra, transport: c });
    const r = await server;
    await conn.close();
    return { alert: r.alert };
  } catch (e) {
    assert.ok(e instanceof TlsError, String(e));
    const r = await server;
    return { code: e.code, alert: r.alert };
  }
}

const ILLEGAL = 'illegal_parameter/extension_not_allowed';
const UNSOLICITED = 'unsupported_extension/unsolicited_extension';

/** [what, script, expected code, expected alert seen by the server] */
const CASES: [string, FakeServerScript, string | undefined, string | undefined][] = [
  // ServerHello: key_share, supported_versions, pre_shared_key only
  ['ALPN (offered) in ServerHello', { serverHelloExtensions: (x) => [...x, alpnH2()] }, ILLEGAL, 'illegal_parameter'],
  ['server_name (offered) in ServerHello', { serverHelloExtensions: (x) => [...x, ext(E.server_name)] }, ILLEGAL, 'illegal_parameter'],
  ['supported_groups in ServerHello', { serverHelloExtensions: (x) => [...x, ext(E.supported_groups, new Uint8Array([0, 2, 0, 29]))] }, ILLEGAL, 'illegal_parameter'],
  ['early_data in ServerHello', { serverHelloExtensions: (x) => [...x, ext(E.early_data)] }, ILLEGAL, 'illegal_parameter'],
  ['pre_shared_key (not offered) in ServerHello', { serverHelloExtensions: (x) => [...x, ext(E.pre_shared_key, new Uint8Array([0, 0]))] }, UNSOLICITED, 'unsupported_extension'],
  ['an unknown extension in ServerHello', { serverHelloExtensions: (x) => [...x, ext(UNKNOWN)] }, UNSOLICITED, 'unsupported_extension'],
  ['a TLS 1.2-only extension (extended_master_secret) in a TLS 1.3 ServerHello', { serverHelloExtensions: (x) => [...x, ext(E.extended_master_secret)] }, UNSOLICITED, 'unsupported_extension'],
  // HelloRetryRequest: key_share, cookie, supported_versions
  ['ALPN in HelloRetryRequest', { hrr: { cookie: new Uint8Array([1]), extraExtensions: [alpnH2()] } }, ILLEGAL, 'illegal_parameter'],
  ['early_data in HelloRetryRequest', { hrr: { cookie: new Uint8Array([1]), extraExtensions: [ext(E.early_data)] } }, ILLEGAL, 'illegal_parameter'],
  ['an unknown extension in HelloRetryRequest', { hrr: { cookie: new Uint8Array([1]), extraExtensions: [ext(UNKNOWN)] } }, UNSOLICITED, 'unsupported_extension'],
  // EncryptedExtensions
  ['key_share in EncryptedExtensions', { encryptedExtensions: [ext(E.key_share, new Uint8Array([0, 29, 0, 0]))] }, ILLEGAL, 'illegal_parameter'],
  ['supported_versions in EncryptedExtensions', { encryptedExtensions: [ext(E.supported_versions, new Uint8Array([3, 4]))] }, ILLEGAL, 'illegal_parameter'],
  ['signature_algorithms in EncryptedExtensions', { encryptedExtensions: [ext(E.signature_algorithms, new Uint8Array([0, 2, 4, 3]))] }, ILLEGAL, 'illegal_parameter'],
  ['status_request in EncryptedExtensions', { encryptedExtensions: [ext(E.status_request)] }, ILLEGAL, 'illegal_parameter'],
  ['early_data (not offered) in EncryptedExtensions', { encryptedExtensions: [ext(E.early_data)] }, UNSOLICITED, 'unsupported_extension'],
  ['use_srtp (not offered) in EncryptedExtensions', { encryptedExtensions: [ext(E.use_srtp, new Uint8Array([0, 2, 0, 1, 0]))] }, UNSOLICITED, 'unsupported_extension'],
  ['max_fragment_length (not offered) in EncryptedExtensions', { encryptedExtensions: [ext(E.max_fragment_length, new Uint8Array([1]))] }, UNSOLICITED, 'unsupported_extension'],
  ['an unknown extension in EncryptedExtensions', { encryptedExtensions: [ext(UNKNOWN)] }, UNSOLICITED, 'unsupported_extension'],
  // Certificate entries: status_request, signed_certificate_timestamp (when asked for), delegated_credential
  ['status_request (not requested) in a Certificate entry', { certificateEntryExtensions: [ext(E.status_request, new Uint8Array([1, 0, 0, 0]))] }, UNSOLICITED, 'unsupported_extension'],
  ['signed_certificate_timestamp (not requested) in a Certificate entry', { certificateEntryExtensions: [ext(E.signed_certificate_timestamp, new Uint8Array([0, 0]))] }, UNSOLICITED, 'unsupported_extension'],
  ['ALPN in a Certificate entry', { certificateEntryExtensions: [alpnH2()] }, ILLEGAL, 'illegal_parameter'],
  ['an unknown extension in a Certificate entry', { certificateEntryExtensions: [ext(UNKNOWN)] }, UNSOLICITED, 'unsupported_extension'],
  // CertificateRequest: unknown extensions ignored; recognised ones outside the table refused
  ['an unknown extension in CertificateRequest is ignored', { certificateRequestExtensions: [ext(UNKNOWN, new Uint8Array([1, 2]))] }, undefined, undefined],
  ['oid_filters in CertificateRequest is accepted', { certificateRequestExtensions: [ext(E.oid_filters, new Uint8Array([0, 0]))] }, undefined, undefined],
  ['ALPN in CertificateRequest', { certificateRequestExtensions: [alpnH2()] }, ILLEGAL, 'illegal_parameter'],
  ['key_share in CertificateRequest', { certificateRequestExtensions: [ext(E.key_share, new Uint8Array([0, 29, 0, 0]))] }, ILLEGAL, 'illegal_parameter'],
];

describe('TLS 1.3 extension rules (RFC 8446 §4.2), scripted server', () => {
  for (const [what, script, code, alert] of CASES) {
    it(`${what}: ${code ?? 'accepted'}`, async () => {
      const r = await outcome(script);
      assert.equal(r.code, code);
      if (code) assert.equal(r.alert, alert, 'alert received by the server');
    });
  }

  it('ALPN in EncryptedExtensions when it was not offered is unsupported_extension', async () => {
    const r = await outcome({ encryptedExtensions: [alpnH2()] }, { ALPNProtocols: undefined });
    assert.equal(r.code, UNSOLICITED);
  });

  it('a well-formed EncryptedExtensions with ALPN, server_name ack and supported_groups is accepted', async () => {
    const r = await outcome({ encryptedExtensions: [alpnH2(), ext(E.server_name), ext(E.supported_groups, new Uint8Array([0, 2, 0, 29]))] });
    assert.equal(r.code, undefined);
  });

  describe('NewSessionTicket extensions', () => {
    const ticket = (exts: Extension[]) => {
      const body = [0, 0, 0x0e, 0x10, 1, 2, 3, 4, 0, 0, 2, 9, 9];
      const ebytes = exts.flatMap((e) => [e.type >> 8, e.type & 0xff, e.data.length >> 8, e.data.length & 0xff, ...e.data]);
      const all = [...body, ebytes.length >> 8, ebytes.length & 0xff, ...ebytes];
      return new Uint8Array([HandshakeType.new_session_ticket, 0, 0, all.length, ...all]);
    };
    const read = async (exts: Extension[]) => {
      const [c, s] = memoryPair();
      void runFakeServer(s, { afterHandshake: async (send) => { await send(ContentType.handshake, ticket(exts)); await send(ContentType.application_data, new Uint8Array([7])); } });
      const conn = await connect({ ...base, transport: c });
      try { return await conn.read(); } finally { await conn.close(); }
    };
    it('early_data and unknown extensions are accepted', async () => {
      assert.deepEqual(await read([ext(E.early_data, new Uint8Array([0, 0, 0x40, 0])), ext(UNKNOWN)]), new Uint8Array([7]));
    });
    it('ALPN in NewSessionTicket is illegal_parameter', async () => {
      await assert.rejects(read([alpnH2()]), (e: TlsError) => e.code === ILLEGAL);
    });
  });

  it('the table allows every extension only where RFC 8446 §4.2 lists it (spot checks)', () => {
    assert.deepEqual(messagesAllowing(E.key_share), ['ServerHello', 'HelloRetryRequest']);
    assert.deepEqual(messagesAllowing(E.cookie), ['HelloRetryRequest']);
    assert.deepEqual(messagesAllowing(E.early_data), ['EncryptedExtensions', 'NewSessionTicket']);
    assert.deepEqual(messagesAllowing(E.post_handshake_auth), []);
    assert.equal(messagesAllowing(E.extended_master_secret), undefined, nameOf(E, E.extended_master_secret));
  });
});
