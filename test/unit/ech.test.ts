import assert from 'node:assert/strict';
import { TlsError } from '../../src/errors.js';
import { chooseEchConfig, compressInnerExtensions, greaseEchExtension, innerPadding } from '../../src/handshake/ech.js';

/** ECHConfigList parsing and choice (RFC 9849 §4), and inner ClientHello padding (§6.1.3). */
const u16 = (n: number) => [n >> 8, n & 0xff];
function config(o: { version?: number; id?: number; kem?: number; key?: number[]; suites?: [number, number][]; maxName?: number; name?: string; exts?: [number, number[]][] }): number[] {
  const name = [...new TextEncoder().encode(o.name ?? 'public.example')];
  const key = o.key ?? new Array(32).fill(9);
  const suites = (o.suites ?? [[1, 1]]).flatMap(([k, a]) => [...u16(k), ...u16(a)]);
  const exts = (o.exts ?? []).flatMap(([t, d]) => [...u16(t), ...u16(d.length), ...d]);
  const contents = [o.id ?? 3, ...u16(o.kem ?? 0x20), ...u16(key.length), ...key, ...u16(suites.length), ...suites, o.maxName ?? 0, name.length, ...name, ...u16(exts.length), ...exts];
  return [...u16(o.version ?? 0xfe0d), ...u16(contents.length), ...contents];
}
const list = (...configs: number[][]) => { const all = configs.flat(); return new Uint8Array([...u16(all.length), ...all]); };

describe('Encrypted Client Hello: ECHConfigList and padding', () => {
  it('takes the first usable config, skipping other versions, KEMs, suites and unknown mandatory extensions', () => {
    const chosen = chooseEchConfig(list(
      config({ version: 0xfe0a, id: 1 }),
      config({ kem: 0x10, id: 2 }),
      config({ suites: [[2, 1]], id: 4 }),
      config({ exts: [[0x8001, [1]]], id: 5 }),
      config({ id: 6, name: 'ech.example', suites: [[1, 3]], exts: [[0x0001, [1, 2]]] }),
    ));
    assert.equal(chosen.configId, 6);
    assert.equal(chosen.publicName, 'ech.example');
    assert.deepEqual(chosen.suite, { kdf: 1, aead: 3 });
    // the raw ECHConfig (HPKE info) is the whole entry, version and length included
    assert.equal(chosen.raw[0], 0xfe);
    assert.equal(chosen.raw.length, config({ id: 6, name: 'ech.example', suites: [[1, 3]], exts: [[0x0001, [1, 2]]] }).length);
  });
  it('a list with nothing usable, or malformed bytes, is config/bad_ech_config naming why', () => {
    assert.throws(() => chooseEchConfig(list(config({ kem: 0x10 }))), (e: TlsError) => e.code === 'config/bad_ech_config' && /KEM 0x10/.test(e.message));
    assert.throws(() => chooseEchConfig(new Uint8Array([0, 9, 0xfe, 0x0d, 0, 50, 1])), (e: TlsError) => e.code === 'config/bad_ech_config');
    assert.throws(() => chooseEchConfig(new Uint8Array([1])), (e: TlsError) => e.code === 'config/bad_ech_config');
  });
  it('pads the inner ClientHello to a multiple of 32 bytes, hiding the server name length up to maximum_name_length', () => {
    for (const [len, name, max] of [[500, 'a.example', 64], [511, 'longer-name.example', 64], [480, undefined, 32], [300, 'x'.repeat(100), 16]] as const) {
      const pad = innerPadding(len, name, max);
      assert.equal((len + pad) % 32, 0, `${len} ${name} ${max}`);
      if (name && name.length <= max) assert.ok(pad >= max - name.length);
    }
    // two names of different lengths under the same maximum give the same padded size
    assert.equal(500 + innerPadding(500, 'a.example', 64), 506 + innerPadding(506, 'abcdefghijklmno', 64));
  });
  it('GREASE ECH is an outer ECHClientHello of real shape: HKDF-SHA256/AES-128-GCM, a 32-byte enc, a plausible payload length', () => {
    const lengths = new Set<number>();
    for (let b = 0; b < 8; b++) {
      let n = 0;
      const ext = greaseEchExtension((len) => new Uint8Array(len).fill(len === 2 ? b : 0x5a + n++));
      const view = new DataView(ext.buffer, ext.byteOffset, ext.byteLength);
      assert.equal(ext[0], 0, 'type outer');
      assert.deepEqual([view.getUint16(1), view.getUint16(3)], [1, 1]);
      assert.equal(view.getUint16(6), 32, 'enc length');
      const payload = view.getUint16(6 + 2 + 32);
      assert.equal(ext.length, 6 + 2 + 32 + 2 + payload);
      lengths.add(payload);
    }
    assert.deepEqual([...lengths].sort((a, b) => a - b), [176, 208, 240, 272]);
  });
});

describe('Encrypted Client Hello: ech_outer_extensions (RFC 9849 §5.1)', () => {
  const e = (type: number, ...data: number[]) => ({ type, data: Uint8Array.from(data) });
  it('replaces the longest run of extensions the outer ClientHello repeats byte for byte, keeping the order', () => {
    const inner = [e(0, 1), e(43, 3, 4), e(10, 0, 29), e(13, 4, 3), e(51, 9), e(0xfe0d, 1), e(16, 7), e(41, 5)];
    const outer = new Map<number, Uint8Array>([[0, Uint8Array.from([2])], [43, Uint8Array.from([3, 4])], [10, Uint8Array.from([0, 29])], [13, Uint8Array.from([4, 3])], [51, Uint8Array.from([9])], [0xfe0d, Uint8Array.from([8])], [16, Uint8Array.from([7])]]);
    const out = compressInnerExtensions(inner, outer);
    assert.deepEqual(out.map((x) => x.type), [0, 0xfd00, 0xfe0d, 16, 41]);
    assert.deepEqual([...out[1]!.data], [8, 0, 43, 0, 10, 0, 13, 0, 51]);
  });
  it('never references server_name (even when it equals the public name), the ECH extension or pre_shared_key; nothing to compress leaves the list as it was', () => {
    const same = new Map<number, Uint8Array>([[0, Uint8Array.from([1])], [0xfe0d, Uint8Array.from([1])], [41, Uint8Array.from([5])]]);
    const inner = [e(0, 1), e(0xfe0d, 1), e(41, 5)];
    assert.deepEqual(compressInnerExtensions(inner, same), inner);
    assert.deepEqual(compressInnerExtensions([e(13, 1)], new Map([[13, Uint8Array.from([2])]])), [e(13, 1)]);
  });
});
