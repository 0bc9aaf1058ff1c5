import assert from 'node:assert/strict';
import { connect, TlsError, type ConnectOptions, type TlsConnection } from '../../src/index.js';
import { FLOOD_LIMITS } from '../../src/flood-limits.js';
import { memoryPair } from '../../src/transport/memory.js';
import { ContentType, HandshakeType } from '../../src/wire/constants.js';
import { runFakeServer, type FakeServerScript } from '../helpers/fake-server.js';
import { runFakeServer12, type FakeServer12Script } from '../helpers/fake-server12.js';
import { ROOT_CA } from '../helpers/pki.js';

/**
 * Post-handshake input is bounded (security issue, part 2): a server that
 * sends records without application data cannot keep read() busy. Each flood
 * must end in the named unexpected_message failure, within a time bound, and
 * the same messages interleaved with data must be accepted.
 */
const base: ConnectOptions = { servername: 'isotls.test', ca: ROOT_CA(), handshakeTimeout: 5000 };
const TICKET = new Uint8Array([HandshakeType.new_session_ticket, 0, 0, 15, 0, 0, 0x0e, 0x10, 1, 2, 3, 4, 0, 0, 2, 9, 9, 0, 0]);
/** Bound on the time one flood may take to be refused (it takes a few ms to tens of ms here). */
const BOUND_MS = 3000;

async function tls13(script: FakeServerScript, extra: Partial<ConnectOptions> = {}): Promise<TlsConnection> {
  const [c, s] = memoryPair();
  void runFakeServer(s, script);
  return connect({ ...base, ...extra, transport: c });
}
async function tls12(script: FakeServer12Script): Promise<TlsConnection> {
  const [c, s] = memoryPair();
  void runFakeServer12(s, script);
  return connect({ ...base, transport: c });
}

/** Reads until the connection fails; returns the error, the data seen and how long it took. */
async function readUntilFailure(conn: TlsConnection): Promise<{ error: TlsError; data: number; ms: number }> {
  const start = performance.now();
  let data = 0;
  for (;;) {
    try {
      const chunk = await conn.read();
      if (chunk === null) assert.fail('the connection ended cleanly; a failure was expected');
      data += chunk.length;
    } catch (e) {
      assert.ok(e instanceof TlsError, String(e));
      return { error: e, data, ms: performance.now() - start };
    }
  }
}

function assertRefused(r: { error: TlsError; ms: number }, reason: string): void {
  assert.equal(r.error.code, `unexpected_message/${reason}`, r.error.message);
  assert.equal(r.error.alert, 'unexpected_message');
  assert.equal(r.error.alertFrom, 'local');
  assert.ok(r.ms < BOUND_MS, `refused after ${r.ms.toFixed(0)} ms`);
}

describe('post-handshake floods are bounded (TLS 1.3, scripted server)', () => {
  it(`KeyUpdate(update_requested) without end: refused after ${FLOOD_LIMITS.key_update}, answers coalesced`, async () => {
    const conn = await tls13({ afterHandshake: async (_send, server) => { for (let i = 0; i < 10_000; i++) await server.keyUpdate(true); } });
    const r = await readUntilFailure(conn);
    assertRefused(r, 'too_many_key_updates');
    assert.equal(conn.keyUpdates.received, FLOOD_LIMITS.key_update);
    assert.ok(conn.keyUpdates.sent <= conn.keyUpdates.received, `answers sent: ${conn.keyUpdates.sent}`);
  });

  it('KeyUpdate(update_not_requested) without end is refused the same way', async () => {
    const conn = await tls13({ afterHandshake: async (_send, server) => { for (let i = 0; i < 1000; i++) await server.keyUpdate(false); } });
    assertRefused(await readUntilFailure(conn), 'too_many_key_updates');
    assert.equal(conn.keyUpdates.sent, 0);
  });

  it('KeyUpdates interleaved with application data are all accepted', async () => {
    const conn = await tls13({
      afterHandshake: async (send, server) => {
        for (let round = 0; round < 3; round++) {
          for (let i = 0; i < FLOOD_LIMITS.key_update; i++) await server.keyUpdate(true);
          await send(ContentType.application_data, new Uint8Array([round]));
        }
        await send(ContentType.alert, new Uint8Array([1, 0]));
      },
    });
    const got: number[] = [];
    for (let c = await conn.read(); c !== null; c = await conn.read()) got.push(...c);
    assert.deepEqual(got, [0, 1, 2]);
    assert.equal(conn.keyUpdates.received, 3 * FLOOD_LIMITS.key_update);
  });

  it(`NewSessionTicket without end: refused after ${FLOOD_LIMITS.new_session_ticket}`, async () => {
    const conn = await tls13({ afterHandshake: async (send) => { for (let i = 0; i < 1000; i++) await send(ContentType.handshake, TICKET); } });
    assertRefused(await readUntilFailure(conn), 'too_many_new_session_tickets');
  });

  it(`empty application-data records without end: refused after ${FLOOD_LIMITS.empty_record}`, async () => {
    const conn = await tls13({ afterHandshake: async (send) => { for (let i = 0; i < 1000; i++) await send(ContentType.application_data, new Uint8Array(0), i % 3); } });
    assertRefused(await readUntilFailure(conn), 'too_many_empty_records');
  });

  it(`user_canceled alerts without end: refused after ${FLOOD_LIMITS.warning_alert}`, async () => {
    const conn = await tls13({ afterHandshake: async (send) => { for (let i = 0; i < 100; i++) await send(ContentType.alert, new Uint8Array([1, 90])); } });
    assertRefused(await readUntilFailure(conn), 'too_many_warning_alerts');
  });

  it('post-handshake CertificateRequests without end are refused (postHandshakeAuth on)', async () => {
    // context 1 byte, extensions: signature_algorithms [ecdsa_secp256r1_sha256]
    const cr = new Uint8Array([HandshakeType.certificate_request, 0, 0, 12, 1, 7, 0, 8, 0, 13, 0, 4, 0, 2, 4, 3]);
    const conn = await tls13({ afterHandshake: async (send) => { for (let i = 0; i < 200; i++) await send(ContentType.handshake, cr); } }, { postHandshakeAuth: true });
    const r = await readUntilFailure(conn);
    assertRefused(r, 'too_many_certificate_requests');
  });
});

describe('post-handshake floods are bounded (TLS 1.2, scripted server)', () => {
  it(`warning alerts without end: refused after ${FLOOD_LIMITS.warning_alert}`, async () => {
    const conn = await tls12({ afterHandshake: async (io) => { for (let i = 0; i < 100; i++) await io.write(await io.protect(ContentType.alert, new Uint8Array([1, 112]))); } });
    assertRefused(await readUntilFailure(conn), 'too_many_warning_alerts');
  });

  it(`HelloRequests without end: refused after ${FLOOD_LIMITS.hello_request}, each answered once with no_renegotiation`, async () => {
    const conn = await tls12({ afterHandshake: async (io) => { for (let i = 0; i < 100; i++) await io.write(await io.protect(ContentType.handshake, new Uint8Array([0, 0, 0, 0]))); } });
    assertRefused(await readUntilFailure(conn), 'too_many_hello_requests');
    assert.equal(conn.helloRequestsRefused, FLOOD_LIMITS.hello_request);
  });

  it(`empty application-data records without end: refused after ${FLOOD_LIMITS.empty_record}`, async () => {
    const conn = await tls12({ afterHandshake: async (io) => { for (let i = 0; i < 1000; i++) await io.write(await io.protect(ContentType.application_data, new Uint8Array(0))); } });
    assertRefused(await readUntilFailure(conn), 'too_many_empty_records');
  });

  it('a few warnings between data records are accepted', async () => {
    const conn = await tls12({
      afterHandshake: async (io) => {
        for (let round = 0; round < 5; round++) {
          for (let i = 0; i < FLOOD_LIMITS.warning_alert; i++) await io.write(await io.protect(ContentType.alert, new Uint8Array([1, 112])));
          await io.write(await io.protect(ContentType.application_data, new Uint8Array([round])));
        }
      },
    });
    const got: number[] = [];
    for (let i = 0; i < 5; i++) got.push(...(await conn.read())!);
    assert.deepEqual(got, [0, 1, 2, 3, 4]);
  });
});

describe('reads and connects end: readTimeout and AbortSignal', () => {
  it('readTimeout fails a read that gets no data, and closes the connection', async () => {
    const conn = await tls13({ afterHandshake: async () => { /* silent server */ } }, { readTimeout: 150 });
    const start = performance.now();
    await assert.rejects(conn.read(), (e: TlsError) => e.code === 'transport/read_timeout');
    const ms = performance.now() - start;
    assert.ok(ms >= 140 && ms < 1500, `${ms} ms`);
    await assert.rejects(conn.read(), (e: TlsError) => e.code === 'transport/read_timeout', 'the connection stays failed');
  });

  it('an AbortSignal ends read() with closed/aborted', async () => {
    const conn = await tls13({ afterHandshake: async () => { /* silent server */ } });
    await assert.rejects(conn.read({ signal: AbortSignal.timeout(100) }), (e: TlsError) => e.code === 'closed/aborted');
    await assert.rejects(conn.write(new Uint8Array([1])), (e: TlsError) => e.code === 'closed/aborted');
  });

  it('an AbortSignal ends connect() during the handshake (server never answers)', async () => {
    const [c] = memoryPair();
    const start = performance.now();
    await assert.rejects(connect({ ...base, transport: c, signal: AbortSignal.timeout(100) }), (e: TlsError) => e.code === 'closed/aborted');
    assert.ok(performance.now() - start < 2000);
  });

  it('an already aborted signal fails connect() at once', async () => {
    const [c] = memoryPair();
    const ctl = new AbortController(); ctl.abort(new Error('user gave up'));
    await assert.rejects(connect({ ...base, transport: c, signal: ctl.signal }), (e: TlsError) => e.code === 'closed/aborted' && /user gave up/.test(e.message));
  });
});
