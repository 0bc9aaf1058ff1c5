import assert from 'node:assert/strict';
import { connect, TlsError, type ConnectOptions, type Transport } from '../../src/index.js';
import { memoryPair } from '../../src/transport/memory.js';
import { decodeClientHello } from '../../src/wire/client-hello.js';
import { ContentType, ExtensionType } from '../../src/wire/constants.js';
import { runFakeServer, type FakeServerScript } from '../helpers/fake-server.js';
import { ROOT_CA } from '../helpers/pki.js';

/** RFC 8449 record_size_limit: offered, the server's limit honoured on send, ours enforced on receive. */
const base: ConnectOptions = { servername: 'isotls.test', ca: ROOT_CA(), handshakeTimeout: 5000, cipherSuites: ['TLS_AES_128_GCM_SHA256'] };
const limit = (n: number) => ({ type: ExtensionType.record_size_limit, data: new Uint8Array([n >> 8, n & 0xff]) });

/** Records the client writes: [type, fragment length]. */
function recording(inner: Transport) {
  const chunks: Uint8Array[] = [];
  return {
    transport: { read: () => inner.read(), write: (d: Uint8Array) => { chunks.push(d.slice()); return inner.write(d); }, close: () => inner.close() } as Transport,
    records: () => {
      const all = Buffer.concat(chunks);
      const out: { type: number; length: number; body: Uint8Array }[] = [];
      for (let o = 0; o + 5 <= all.length;) { const len = all.readUInt16BE(o + 3); out.push({ type: all[o]!, length: len, body: new Uint8Array(all.subarray(o + 5, o + 5 + len)) }); o += 5 + len; }
      return out;
    },
  };
}

async function run(script: FakeServerScript, extra: Partial<ConnectOptions>, use?: (conn: Awaited<ReturnType<typeof connect>>) => Promise<void>) {
  const [c, s] = memoryPair();
  const rec = recording(c);
  const server = runFakeServer(s, script);
  let error: unknown;
  try {
    const conn = await connect({ ...base, ...extra, transport: rec.transport });
    if (use) await use(conn);
    await conn.close();
  } catch (e) { error = e; }
  const result = await server;
  return { error, records: rec.records(), server: result };
}

describe('record_size_limit (RFC 8449)', () => {
  it('is offered in the ClientHello (16385 by default, or the option)', async () => {
    for (const [opt, want] of [[undefined, 16385], [512, 512]] as const) {
      const { records } = await run({}, opt ? { recordSizeLimit: opt } : {});
      const ch = decodeClientHello(records[0]!.body.subarray(4));
      const v = ch.extensionMap.get(ExtensionType.record_size_limit)!;
      assert.equal((v[0]! << 8) | v[1]!, want);
    }
  });

  it('the server\'s limit bounds every record we send after EncryptedExtensions (Finished and 3000 bytes of data)', async () => {
    const data = new Uint8Array(3000).map((_, i) => i & 0xff);
    const { error, records } = await run({ encryptedExtensions: [limit(256)] }, {}, async (conn) => { await conn.write(data); });
    assert.equal(error, undefined, String(error));
    const protectedRecords = records.filter((r) => r.type === ContentType.application_data);
    assert.ok(protectedRecords.length >= 12, `${protectedRecords.length} protected records: 3000 bytes need at least 12 of 255`);
    // inner plaintext = fragment - 16-byte tag must stay within 256
    for (const r of protectedRecords) assert.ok(r.length - 16 <= 256, `a record of ${r.length - 16} bytes of inner plaintext`);
  });

  it('a record larger than the limit we advertised is refused with record_overflow', async () => {
    const { error } = await run({
      encryptedExtensions: [limit(16385)],
      afterHandshake: async (send) => { await send(ContentType.application_data, new Uint8Array(1000)); },
    }, { recordSizeLimit: 512 }, async (conn) => { await conn.read(); });
    assert.ok(error instanceof TlsError, String(error));
    assert.equal(error.code, 'record_overflow/record_size_limit_exceeded');
  });

  it('the same record within the limit is accepted (control)', async () => {
    let got = 0;
    const { error } = await run({
      encryptedExtensions: [limit(16385)],
      afterHandshake: async (send) => { await send(ContentType.application_data, new Uint8Array(500)); },
    }, { recordSizeLimit: 512 }, async (conn) => { got = (await conn.read())?.length ?? 0; });
    assert.equal(error, undefined, String(error));
    assert.equal(got, 500);
  });

  it('a limit below 64 from the server is illegal_parameter', async () => {
    const { error } = await run({ encryptedExtensions: [limit(63)] }, {});
    assert.ok(error instanceof TlsError, String(error));
    assert.equal(error.code, 'illegal_parameter/record_size_limit_too_small');
  });
});
