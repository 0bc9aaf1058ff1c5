import assert from 'node:assert/strict';
import { connect, TlsError, type ConnectOptions, type Transport } from '../../src/index.js';
import { greaseValues, isGrease } from '../../src/handshake/client-hello.js';
import { memoryPair } from '../../src/transport/memory.js';
import { decodeClientHello } from '../../src/wire/client-hello.js';
import { ExtensionType, NamedGroup } from '../../src/wire/constants.js';
import { runFakeServer, type FakeServerScript } from '../helpers/fake-server.js';
import { ROOT_CA } from '../helpers/pki.js';

/** RFC 8701 GREASE in the ClientHello, and its refusal when a server picks a GREASE value. */
const base: ConnectOptions = { servername: 'isotls.test', ca: ROOT_CA(), handshakeTimeout: 5000 };

/** The client's plaintext handshake records (its ClientHellos), recorded as they are written. */
function recording(inner: Transport): { transport: Transport; hellos: () => ReturnType<typeof decodeClientHello>[] } {
  const written: Uint8Array[] = [];
  return {
    transport: { read: () => inner.read(), write: (d) => { written.push(d.slice()); return inner.write(d); }, close: () => inner.close() },
    hellos: () => {
      const all = Buffer.concat(written);
      const out: ReturnType<typeof decodeClientHello>[] = [];
      for (let o = 0; o + 5 <= all.length;) {
        const len = all.readUInt16BE(o + 3);
        if (all[o] === 22 && all[o + 5] === 1) out.push(decodeClientHello(new Uint8Array(all.subarray(o + 9, o + 5 + len))));
        o += 5 + len;
      }
      return out;
    },
  };
}

async function run(script: FakeServerScript, extra: Partial<ConnectOptions> = {}) {
  const [c, s] = memoryPair();
  const rec = recording(c);
  const server = runFakeServer(s, script);
  let error: unknown;
  try { const conn = await connect({ ...base, ...extra, transport: rec.transport }); await conn.close(); } catch (e) { error = e; }
  await server;
  return { error, hellos: rec.hellos() };
}

const u16s = (b: Uint8Array, from: number) => { const out: number[] = []; for (let i = from; i + 1 < b.length; i += 2) out.push((b[i]! << 8) | b[i + 1]!); return out; };
const keyShareGroups = (data: Uint8Array) => { const out: { group: number; length: number }[] = []; for (let o = 2; o < data.length;) { const len = (data[o + 2]! << 8) | data[o + 3]!; out.push({ group: (data[o]! << 8) | data[o + 1]!, length: len }); o += 4 + len; } return out; };

describe('GREASE (RFC 8701)', () => {
  it('recognises exactly the sixteen GREASE values, and draws two different extension values', () => {
    const all = Array.from({ length: 65536 }, (_, v) => v).filter(isGrease);
    assert.deepEqual(all, Array.from({ length: 16 }, (_, i) => ((i << 4) | 0x0a) * 0x101));
    for (let b = 0; b < 256; b++) {
      const g = greaseValues(new Uint8Array([b, b, b, b, b]), true);
      assert.ok([g.cipher, g.group, g.version, g.extensionFirst, g.extensionLast].every(isGrease));
      assert.notEqual(g.extensionFirst, g.extensionLast);
    }
  });

  it('puts GREASE in the suites, groups, versions, a 1-byte key share and two extensions (empty first, one byte last), by default', async () => {
    const { error, hellos } = await run({});
    assert.equal(error, undefined, String(error));
    const ch = hellos[0]!;
    assert.ok(isGrease(ch.cipherSuites[0]!));
    assert.equal(ch.cipherSuites.filter(isGrease).length, 1);
    const types = [...ch.extensionMap.keys()];
    assert.ok(isGrease(types[0]!) && ch.extensionMap.get(types[0]!)!.length === 0, 'first extension: GREASE, empty');
    const lastGrease = types.filter(isGrease)[1]!;
    assert.deepEqual([...ch.extensionMap.get(lastGrease)!], [0], 'second GREASE extension: one byte');
    assert.ok(isGrease(u16s(ch.extensionMap.get(ExtensionType.supported_groups)!, 2)[0]!));
    const versions = ch.extensionMap.get(ExtensionType.supported_versions)!;
    assert.ok(isGrease((versions[1]! << 8) | versions[2]!));
    const shares = keyShareGroups(ch.extensionMap.get(ExtensionType.key_share)!);
    assert.ok(isGrease(shares[0]!.group) && shares[0]!.length === 1, 'a 1-byte GREASE key share first');
    assert.deepEqual(shares.slice(1).map((s) => s.group), [NamedGroup.X25519MLKEM768, NamedGroup.x25519]);
  });

  it('grease: false sends none', async () => {
    const { hellos } = await run({}, { grease: false });
    const ch = hellos[0]!;
    assert.equal(ch.cipherSuites.filter(isGrease).length, 0);
    assert.equal([...ch.extensionMap.keys()].filter(isGrease).length, 0);
    assert.equal(keyShareGroups(ch.extensionMap.get(ExtensionType.key_share)!).filter((s) => isGrease(s.group)).length, 0);
  });

  it('after a HelloRetryRequest for a group, the key_share holds only that share; the other GREASE values stay the same', async () => {
    const { error, hellos } = await run({ hrr: { group: NamedGroup.secp256r1 } });
    assert.equal(error, undefined, String(error));
    assert.equal(hellos.length, 2);
    const [ch1, ch2] = hellos as [ReturnType<typeof decodeClientHello>, ReturnType<typeof decodeClientHello>];
    assert.deepEqual(keyShareGroups(ch2.extensionMap.get(ExtensionType.key_share)!).map((s) => s.group), [NamedGroup.secp256r1]);
    assert.equal(ch2.cipherSuites[0], ch1.cipherSuites[0]);
    assert.deepEqual([...ch2.extensionMap.keys()].filter(isGrease), [...ch1.extensionMap.keys()].filter(isGrease));
  });

  it('a server that selects a GREASE suite, group or HelloRetryRequest group is refused', async () => {
    const grease = 0x7a7a;
    for (const [script, code] of [
      [{ claimSuite: grease }, 'illegal_parameter/unoffered_cipher_suite'],
      [{ claimGroup: grease }, 'illegal_parameter/unoffered_group'],
      [{ hrr: { group: grease } }, 'illegal_parameter/unoffered_group'],
    ] as [FakeServerScript, string][]) {
      const { error } = await run(script);
      assert.ok(error instanceof TlsError, String(error));
      assert.equal(error.code, code);
    }
  });
});
