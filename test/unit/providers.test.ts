import assert from 'node:assert/strict';
import * as nodeCrypto from 'node:crypto';
import { nodeCryptoProvider, type NodeCryptoModule } from '../../src/crypto/node-provider.js';
import { platformProvider } from '../../src/crypto/platform.js';
import { pureProvider } from '../../src/crypto/provider.js';
import { webCryptoProvider } from '../../src/crypto/webcrypto-provider.js';
import { connect, TlsError } from '../../src/index.js';
import { IN_CI } from '../helpers/peers.js';
import { PROVIDER_NAMES, PROVIDERS } from '../helpers/providers.js';

describe('crypto providers: choice and per-algorithm fallback', () => {
  it('offers every built-in provider in Node (under CI a missing one fails)', function () {
    if (!IN_CI && PROVIDERS.length < PROVIDER_NAMES.length) this.skip();
    assert.deepEqual(PROVIDERS.map((p) => p.name), ['pure', 'webcrypto', 'node']);
  });

  it('picks node:crypto by default in Node', async () => {
    assert.equal((await platformProvider()).name, 'node');
  });

  it('node: a cipher the runtime lacks (Bun has no ChaCha20-Poly1305 or CCM in createCipheriv) is the pure one', () => {
    const partial = { ...nodeCrypto, createCipheriv: (name: string, ...rest: unknown[]) => {
      if (!name.includes('gcm')) throw new Error('Unknown cipher');
      return (nodeCrypto.createCipheriv as (...a: unknown[]) => unknown)(name, ...rest);
    } } as unknown as NodeCryptoModule;
    const p = nodeCryptoProvider(partial);
    assert.equal(p.aeads['ChaCha20-Poly1305'], pureProvider.aeads['ChaCha20-Poly1305']);
    assert.equal(p.aeads['AES-128-CCM-8'], pureProvider.aeads['AES-128-CCM-8']);
    assert.notEqual(p.aeads['AES-128-GCM'], pureProvider.aeads['AES-128-GCM']);
  });

  it('node: X448 and Ed448 go through node:crypto, and to the pure code where the runtime lacks them (Bun\'s BoringSSL)', async () => {
    const X448_OID = [0x2b, 0x65, 0x6f], ED448_OID = [0x2b, 0x65, 0x71];
    const has = (b: unknown, oid: number[]) => b instanceof Uint8Array && b.some((_, i) => oid.every((x, j) => b[i + j] === x));
    const lacking = (o: { key?: unknown }): boolean => {
      const k = o?.key as { crv?: string } | Uint8Array | undefined;
      return (k !== undefined && !(k instanceof Uint8Array) && (k.crv === 'X448' || k.crv === 'Ed448')) || has(k, X448_OID) || has(k, ED448_OID);
    };
    let refused = 0, used = 0;
    const counting = {
      ...nodeCrypto,
      createPrivateKey: (o: { key?: unknown }) => { if (lacking(o)) used++; return nodeCrypto.createPrivateKey(o as nodeCrypto.PrivateKeyInput); },
      createPublicKey: (o: { key?: unknown }) => { if (lacking(o)) used++; return nodeCrypto.createPublicKey(o as nodeCrypto.PublicKeyInput); },
    } as unknown as NodeCryptoModule;
    const partial = {
      ...nodeCrypto,
      createPrivateKey: (o: { key?: unknown }) => { if (lacking(o)) { refused++; throw new Error('unsupported key type'); } return nodeCrypto.createPrivateKey(o as nodeCrypto.PrivateKeyInput); },
      createPublicKey: (o: { key?: unknown }) => { if (lacking(o)) { refused++; throw new Error('unsupported key type'); } return nodeCrypto.createPublicKey(o as nodeCrypto.PublicKeyInput); },
    } as unknown as NodeCryptoModule;
    const seed = new Uint8Array(57).fill(7);
    const random = (n: number) => new Uint8Array(n).fill(3);
    for (const [p, expectRefusals] of [[nodeCryptoProvider(counting), false], [nodeCryptoProvider(partial), true]] as const) {
      refused = 0; used = 0;
      const a = await p.groups.x448.generate(random), b = await pureProvider.groups.x448.generate((n) => new Uint8Array(n).fill(9));
      assert.deepEqual(await a.agree(b.publicKey), await b.agree(a.publicKey), 'x448 agrees with the pure group');
      const key = { kind: 'ed448' as const, seed };
      const sig = await p.sign({ kind: 'ed448' }, key, new Uint8Array([1, 2, 3]), random);
      assert.deepEqual(sig, await pureProvider.sign({ kind: 'ed448' }, key, new Uint8Array([1, 2, 3]), random), 'Ed448 is deterministic: the same signature');
      const { ed448 } = await import('@noble/curves/ed448.js');
      const pub = { kind: 'ed448' as const, key: ed448.getPublicKey(seed) };
      assert.equal(await p.verify({ kind: 'ed448' }, pub, new Uint8Array([1, 2, 3]), sig), true);
      assert.equal(await p.verify({ kind: 'ed448' }, pub, new Uint8Array([1, 2, 4]), sig), false);
      assert.equal(refused > 0, expectRefusals, expectRefusals ? 'the partial module refused the keys' : 'nothing refused with the real module');
      if (!expectRefusals) assert.ok(used >= 3, `node:crypto made the X448 and Ed448 keys (${used} key objects)`);
    }
  });

  it('webcrypto: an algorithm the runtime does not implement falls back to the pure code, with the same keys', async () => {
    let refused = 0;
    const subtle = new Proxy(globalThis.crypto.subtle, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target) as (...a: unknown[]) => unknown;
        if (prop !== 'importKey') return typeof v === 'function' ? v.bind(target) : v;
        return (format: string, data: unknown, alg: { name: string }, ...rest: unknown[]) => {
          if (alg.name === 'X25519' || alg.name === 'Ed25519') { refused++; return Promise.reject(new DOMException('no', 'NotSupportedError')); }
          return v.call(target, format, data, alg, ...rest);
        };
      },
    });
    const web = webCryptoProvider(subtle);
    const secret = () => new Uint8Array(32).fill(5);
    const a = await web.groups.x25519.generate(secret), b = await pureProvider.groups.x25519.generate(secret);
    assert.deepEqual(a.publicKey, b.publicKey);
    assert.deepEqual(await a.agree(b.publicKey), await b.agree(a.publicKey));
    const second = await web.groups.x25519.generate(secret);
    assert.deepEqual(second.publicKey, b.publicKey);
    assert.equal(refused, 1, 'an unsupported algorithm is tried once, then the pure code is used directly');
    // P-256 still goes through subtle and agrees with the pure code
    const seed = (n: number) => new Uint8Array(n).fill(9);
    const c = await web.groups.secp256r1.generate(seed), d = await pureProvider.groups.secp256r1.generate(seed);
    assert.deepEqual(c.publicKey, d.publicKey);
  });

  it('P-521 key exchange: every provider agrees with the others and with node:crypto on the shared secret', async () => {
    const seed = (b: number) => (n: number) => new Uint8Array(n).fill(b);
    const peer = nodeCrypto.createECDH('secp521r1');
    peer.generateKeys();
    const secrets = new Set<string>();
    for (const p of PROVIDERS) {
      const pair = await p.groups.secp521r1.generate(seed(3));
      assert.equal(pair.publicKey.length, 133);
      const ours = Buffer.from(await pair.agree(new Uint8Array(peer.getPublicKey()))).toString('hex');
      assert.equal(ours, peer.computeSecret(Buffer.from(pair.publicKey)).toString('hex'), p.name);
      secrets.add(ours);
      await assert.rejects(async () => pair.agree(new Uint8Array(133).fill(4)), (e: TlsError) => e.code === 'illegal_parameter/invalid_key_share', `${p.name}: a point off the curve`);
    }
    assert.equal(secrets.size, 1, 'same randomness, same key, same secret with every provider');
  });

  it('connect({ crypto }) names a provider or passes one; anything else is a config error', async () => {
    await assert.rejects(connect({ host: '127.0.0.1', port: 1, ca: 'x', crypto: 'openssl' as never }), (e: TlsError) => e.code === 'config/bad_option' && /`crypto` must be one of pure, webcrypto, node/.test(e.message));
    await assert.rejects(connect({ host: '127.0.0.1', port: 1, ca: 'x', crypto: {} as never }), (e: TlsError) => e.code === 'config/bad_option' && /`crypto`/.test(e.message));
  });
});
