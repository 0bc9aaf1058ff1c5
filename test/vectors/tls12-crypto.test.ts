import assert from 'node:assert/strict';
import { createDiffieHellman, getDiffieHellman } from 'node:crypto';
import { AesCbc } from '../../src/crypto/aes-cbc.js';
import { FFDHE2048, FFDHE3072, FFDHE4096, FFDHE6144, FFDHE8192, MODP2048 } from '../../src/crypto/dh-groups.js';
import { acceptDhGroup, generateDhKeyPair, modPowWindowed } from '../../src/crypto/ffdhe.js';
import { tls12Prf } from '../../src/crypto/prf.js';
import { bigIntToBytes, modPow } from '../../src/crypto/rsa.js';
import { TlsError } from '../../src/errors.js';
import { PROVIDERS } from '../helpers/providers.js';
import { hex, readVectorJson, toHexString, wycheproof } from '../helpers/vectors.js';

for (const provider of PROVIDERS) describe(`TLS 1.2 PRF (${provider.name} provider's HMAC)`, () => {
  it('matches the published P_SHA256/384/512 vectors', () => {
    const data = readVectorJson('tls12/tls12-prf-vectors.json');
    let ran = 0;
    for (const v of data.vectors) {
      if (!['SHA-256', 'SHA-384', 'SHA-512'].includes(v.prf_hash)) continue; // SHA-224 is not a TLS PRF hash
      const out = tls12Prf(provider.hashes[v.prf_hash as 'SHA-256' | 'SHA-384' | 'SHA-512'], hex(v.secret), v.label_ascii, hex(v.seed), v.output_length);
      assert.equal(toHexString(out), v.output);
      ran++;
    }
    assert.equal(ran, 3);
  });
});

/** FFDHE and AES-CBC stay on the pure code with every provider. */
describe('TLS 1.2 crypto', () => {

  it('derives the RFC 7919 primes from their formula exactly as published', () => {
    const groups = readVectorJson('tls12/rfc7919-ffdhe-groups.json').groups;
    for (const [name, f] of [['ffdhe2048', FFDHE2048], ['ffdhe3072', FFDHE3072], ['ffdhe4096', FFDHE4096], ['ffdhe6144', FFDHE6144], ['ffdhe8192', FFDHE8192]] as const) {
      assert.equal(f().p.toString(16).toUpperCase(), groups[name].p_hex.toUpperCase(), name);
      assert.equal(f().codepoint, groups[name].named_group_codepoint);
    }
  });

  it('derives the RFC 3526 2048-bit prime exactly as node:crypto ships it', () => {
    assert.equal(MODP2048().p.toString(16), getDiffieHellman('modp14').getPrime('hex'));
  });

  it('windowed modular exponentiation agrees with the square-and-multiply reference', () => {
    const p = FFDHE2048().p;
    for (const e of [0n, 1n, 2n, 15n, 16n, 17n, 0xdeadbeefcafebaben, p - 2n]) assert.equal(modPowWindowed(3n, e, p), modPow(3n, e, p));
  });

  it('agrees on a DHE secret with node:crypto, and refuses bad groups and public values', () => {
    const g = FFDHE2048();
    const node = createDiffieHellman(bigIntToBytes(g.p, 256), bigIntToBytes(g.g, 1));
    const nodePub = new Uint8Array(node.generateKeys());
    const ours = generateDhKeyPair(g, (n) => new Uint8Array(n).map((_, i) => (i * 31 + 7) & 0xff));
    const secret = ours.agree(nodePub);
    const nodeSecret = new Uint8Array(node.computeSecret(ours.publicKey));
    // RFC 5246 §8.1.2 strips leading zeros; node keeps them
    let i = 0; while (nodeSecret[i] === 0) i++;
    assert.equal(toHexString(secret), toHexString(nodeSecret.subarray(i)));
    const code = (f: () => unknown) => { try { f(); return 'ok'; } catch (e) { return (e as TlsError).code; } };
    assert.equal(code(() => ours.agree(new Uint8Array([1]))), 'illegal_parameter/invalid_dh_public');
    assert.equal(code(() => ours.agree(bigIntToBytes(g.p - 1n, 256))), 'illegal_parameter/invalid_dh_public');
    const p1024 = createDiffieHellman(getDiffieHellman('modp2').getPrime()).getPrime();
    assert.equal(code(() => acceptDhGroup({ p: new Uint8Array(p1024), g: new Uint8Array([2]) }, 2048)), 'insufficient_security/dh_group_too_small');
    assert.equal(code(() => acceptDhGroup({ p: bigIntToBytes(g.p + 2n, 256), g: new Uint8Array([2]) }, 2048)), 'insufficient_security/unsafe_dh_group');
    assert.equal(acceptDhGroup({ p: bigIntToBytes(g.p, 256), g: new Uint8Array([2]) }, 2048).name, 'ffdhe2048');
    assert.equal(acceptDhGroup({ p: bigIntToBytes(MODP2048().p, 256), g: new Uint8Array([2]) }, 2048).name, MODP2048().name);
  });

  it('AES-CBC matches Wycheproof (PKCS#7 padding applied around the raw block mode)', () => {
    const data = wycheproof('aes_cbc_pkcs5_test.json');
    let valid = 0, invalid = 0;
    for (const g of data.testGroups) {
      for (const t of g.tests) {
        if (g.keySize === 192) continue; // TLS uses AES-128 and AES-256 only
        const cbc = new AesCbc(hex(t.key));
        if (t.result === 'valid') {
          const msg = hex(t.msg);
          const padLen = 16 - (msg.length % 16);
          const buf = new Uint8Array(msg.length + padLen).fill(padLen);
          buf.set(msg);
          cbc.encryptInPlace(hex(t.iv), buf);
          assert.equal(toHexString(buf), t.ct, `tcId ${t.tcId}`);
          cbc.decryptInPlace(hex(t.iv), buf);
          assert.equal(toHexString(buf.subarray(0, msg.length)), t.msg);
          valid++;
        } else {
          // invalid cases are bad padding: decryption works, the padding check must fail
          const ct = hex(t.ct);
          if (ct.length === 0 || ct.length % 16) { invalid++; continue; }
          cbc.decryptInPlace(hex(t.iv), ct);
          const pad = ct[ct.length - 1]!;
          const ok = pad >= 1 && pad <= 16 && ct.subarray(ct.length - pad).every((b) => b === pad);
          assert.equal(ok, false, `tcId ${t.tcId} padding must be invalid`);
          invalid++;
        }
      }
    }
    assert.ok(valid > 40 && invalid > 40);
  });
});
