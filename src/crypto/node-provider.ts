import { X448 } from './key-exchange.js';
import { x25519MlKem768 } from './mlkem.js';
import type { Aead, AeadAlgorithm, Awaitable } from './aead.js';
import type { HashAlgorithm, HashName, IncrementalHash } from './hash.js';
import { invalidShare, nistSecret, type KeyExchangeGroup, type KeyPair } from './key-exchange.js';
import { b64url, b64urlBytes, ed25519Pkcs8, ed448Pkcs8, privateJwk, publicJwk, x25519Pkcs8, x448Pkcs8 } from './key-encoding.js';
import { pureProvider, type AeadName, type CryptoProvider } from './provider.js';
import type { RandomSource } from './random.js';
import type { PrivateKey } from './sign.js';
import type { PublicKey, SignatureAlgorithm } from './signatures.js';

/*
 * The parts of `node:crypto` this provider uses, typed here so that the file
 * has no `node:*` import: the module is passed in (crypto/platform.ts loads
 * it at run time), and a browser bundle never sees it. Bun and Deno provide
 * the same module.
 */
type Bytes = Uint8Array;
interface NodeHash { update(data: Bytes): NodeHash; digest(): Bytes; copy(): NodeHash }
interface NodeCipher { setAAD(aad: Bytes, o?: { plaintextLength: number }): unknown; update(data: Bytes): Bytes; final(): Bytes; getAuthTag(): Bytes }
interface NodeDecipher { setAAD(aad: Bytes, o?: { plaintextLength: number }): unknown; setAuthTag(tag: Bytes): unknown; update(data: Bytes): Bytes; final(): Bytes }
interface NodeECDH { setPrivateKey(key: Bytes): void; getPublicKey(): Bytes; computeSecret(peer: Bytes): Bytes }
type KeyObject = object;
type KeyInput = { key: Bytes | Record<string, string>; format: 'der' | 'jwk'; type?: 'pkcs8' | 'spki' };
type SignKey = KeyObject | { key: KeyObject; padding?: number; saltLength?: number; dsaEncoding?: 'der' };
export interface NodeCryptoModule {
  createHash(name: string): NodeHash;
  createHmac(name: string, key: Bytes): { update(data: Bytes): { digest(): Bytes } };
  createSecretKey(key: Bytes): KeyObject;
  createCipheriv(name: string, key: KeyObject, iv: Bytes, o?: { authTagLength: number }): NodeCipher;
  createDecipheriv(name: string, key: KeyObject, iv: Bytes, o?: { authTagLength: number }): NodeDecipher;
  createPrivateKey(input: KeyInput): KeyObject;
  createPublicKey(input: KeyInput | KeyObject): KeyObject & { export(o: { format: 'der'; type: 'spki' }): Bytes };
  createECDH(curve: string): NodeECDH;
  diffieHellman(o: { privateKey: KeyObject; publicKey: KeyObject }): Bytes;
  sign(alg: string | null, data: Bytes, key: SignKey): Bytes;
  verify(alg: string | null, data: Bytes, key: SignKey, signature: Bytes): boolean;
  constants: { RSA_PKCS1_PSS_PADDING: number; RSA_PKCS1_PADDING: number };
}

const NODE_HASH: Record<HashName, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

function nodeHash(m: NodeCryptoModule, h: HashAlgorithm): HashAlgorithm {
  const name = NODE_HASH[h.name];
  const wrap = (state: NodeHash): IncrementalHash => {
    const api: IncrementalHash = { update(data) { state.update(data); return api; }, peek: () => state.copy().digest() };
    return api;
  };
  return {
    name: h.name, outputLen: h.outputLen, blockLen: h.blockLen,
    digest: (data) => m.createHash(name).update(data).digest(),
    create: () => wrap(m.createHash(name)),
    hmac: (key, data) => m.createHmac(name, key).update(data).digest(),
  };
}

const NODE_AEAD: Record<AeadName, { cipher: string; tag: number; ccm: boolean }> = {
  'AES-128-GCM': { cipher: 'aes-128-gcm', tag: 16, ccm: false },
  'AES-256-GCM': { cipher: 'aes-256-gcm', tag: 16, ccm: false },
  'ChaCha20-Poly1305': { cipher: 'chacha20-poly1305', tag: 16, ccm: false },
  'AES-128-CCM': { cipher: 'aes-128-ccm', tag: 16, ccm: true },
  'AES-128-CCM-8': { cipher: 'aes-128-ccm', tag: 8, ccm: true },
  'AES-256-CCM': { cipher: 'aes-256-ccm', tag: 16, ccm: true },
  'AES-256-CCM-8': { cipher: 'aes-256-ccm', tag: 8, ccm: true },
};

/** Whether this runtime's createCipheriv knows `cipher` (Bun's BoringSSL has no ChaCha20-Poly1305 or CCM there). */
function hasCipher(m: NodeCryptoModule, spec: { cipher: string; tag: number }): boolean {
  try {
    m.createCipheriv(spec.cipher, m.createSecretKey(new Uint8Array(spec.cipher.includes('256') || spec.cipher.startsWith('chacha') ? 32 : 16)), new Uint8Array(12), { authTagLength: spec.tag });
    return true;
  } catch {
    return false;
  }
}

/** An AEAD on OpenSSL's EVP ciphers (AES-NI where the CPU has it); synchronous. Where the runtime lacks the cipher, the pure one. */
function nodeAead(m: NodeCryptoModule, base: AeadAlgorithm, spec: { cipher: string; tag: number; ccm: boolean }): AeadAlgorithm {
  if (!hasCipher(m, spec)) return base;
  return {
    name: base.name, keyLength: base.keyLength, nonceLength: base.nonceLength, tagLength: base.tagLength,
    create(keyBytes): Aead {
      if (keyBytes.length !== base.keyLength) throw new RangeError(`${base.name} key must be ${base.keyLength} bytes`);
      const key = m.createSecretKey(keyBytes);
      const opts = { authTagLength: spec.tag };
      return {
        tagLength: spec.tag,
        seal(nonce, aad, plaintext, out) {
          const c = m.createCipheriv(spec.cipher, key, nonce, opts);
          c.setAAD(aad, spec.ccm ? { plaintextLength: plaintext.length } : undefined);
          const ct = c.update(plaintext);
          const tail = c.final();
          const tag = c.getAuthTag();
          const result = out ?? new Uint8Array(plaintext.length + spec.tag);
          // ct was produced before anything is written, so `plaintext` may be `result`'s own prefix
          result.set(ct, 0); result.set(tail, ct.length); result.set(tag, ct.length + tail.length);
          return result;
        },
        open(nonce, aad, ciphertext) {
          if (ciphertext.length < spec.tag) return null;
          const len = ciphertext.length - spec.tag;
          let plain: Uint8Array;
          try {
            const d = m.createDecipheriv(spec.cipher, key, nonce, opts);
            d.setAuthTag(ciphertext.subarray(len));
            d.setAAD(aad, spec.ccm ? { plaintextLength: len } : undefined);
            plain = d.update(ciphertext.subarray(0, len));
            d.final(); // throws when the tag does not verify (for CCM, update already has)
          } catch {
            return null;
          }
          // OpenSSL wrote a fresh buffer; returning it spares a copy into `out` (callers use the returned value)
          return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
        },
      };
    },
  };
}

/**
 * X25519 and X448 with key objects; the secret is `random(32)` / `random(56)`,
 * as in the pure groups. Keys go in as JWK, which OpenSSL 3 imports about ten
 * times faster than PKCS#8/SPKI DER. JWK requires the public `x` beside `d`;
 * Node derives the public key from `d` and ignores `x`, which is checked (the
 * exported public key must not be the placeholder), with PKCS#8 as the
 * fallback. A runtime whose crypto lacks the curve (Bun's BoringSSL has no
 * X448) gets the pure group from the first failure on.
 */
function nodeMontgomery(m: NodeCryptoModule, name: 'x25519' | 'x448', pure: KeyExchangeGroup | undefined): KeyExchangeGroup {
  const crv = name === 'x25519' ? 'X25519' : 'X448';
  const size = name === 'x25519' ? 32 : 56;
  const pkcs8 = name === 'x25519' ? x25519Pkcs8 : x448Pkcs8;
  const PLACEHOLDER = b64url(new Uint8Array(size));
  let unsupported = false;
  const importPrivate = (secret: Uint8Array): { privateKey: KeyObject; publicKey: Uint8Array } => {
    try {
      const privateKey = m.createPrivateKey({ key: { kty: 'OKP', crv, d: b64url(secret), x: PLACEHOLDER }, format: 'jwk' });
      const x = (privateKey as { export(o: { format: 'jwk' }): { x?: string } }).export({ format: 'jwk' }).x;
      if (x && x !== PLACEHOLDER) return { privateKey, publicKey: b64urlBytes(x) };
    } catch { /* below */ }
    const privateKey = m.createPrivateKey({ key: pkcs8(secret), format: 'der', type: 'pkcs8' });
    const spki = m.createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    return { privateKey, publicKey: spki.slice(spki.length - size) };
  };
  return {
    name,
    generate(random): Awaitable<KeyPair> {
      if (unsupported && pure) return pure.generate(random);
      const secret = random(size);
      let imported: { privateKey: KeyObject; publicKey: Uint8Array };
      try {
        imported = importPrivate(secret);
      } catch (e) {
        if (!pure) throw e;
        unsupported = true;
        return pure.generate(() => secret);
      }
      const { privateKey, publicKey } = imported;
      return {
        publicKey,
        agree(peer: Uint8Array) {
          if (peer.length !== size) throw invalidShare(name, `${peer.length} bytes, expected ${size}`);
          let shared: Uint8Array;
          // OpenSSL refuses an all-zero result (a low-order point, RFC 7748 §6.1); checked again below
          try { shared = m.diffieHellman({ privateKey, publicKey: m.createPublicKey({ key: { kty: 'OKP', crv, x: b64url(peer) }, format: 'jwk' }) }); } catch { throw invalidShare(name, 'low-order point'); }
          if (shared.every((b) => b === 0)) throw invalidShare(name, 'low-order point');
          return new Uint8Array(shared);
        },
      };
    },
  };
}

/** P-256/P-384 with ECDH objects; OpenSSL checks the peer's point is on the curve. */
function nodeNist(m: NodeCryptoModule, name: 'secp256r1' | 'secp384r1' | 'secp521r1'): KeyExchangeGroup {
  const curve = name === 'secp256r1' ? 'prime256v1' : name;
  const size = name === 'secp256r1' ? 32 : name === 'secp384r1' ? 48 : 66;
  return {
    name,
    generate(random): KeyPair {
      const ecdh = m.createECDH(curve);
      ecdh.setPrivateKey(nistSecret(name, random));
      return {
        publicKey: new Uint8Array(ecdh.getPublicKey()),
        agree(peer) {
          // RFC 8446 §4.2.8.2: uncompressed form only
          if (peer.length !== 1 + 2 * size || peer[0] !== 4) throw invalidShare(name, `${peer.length} bytes, expected an uncompressed point of ${1 + 2 * size}`);
          try { return new Uint8Array(ecdh.computeSecret(peer)); } catch { throw invalidShare(name, 'not a point on the curve'); }
        },
      };
    },
  };
}

/**
 * Signature verification and signing with OpenSSL. Key objects are made once
 * per key (a certificate's key is reused across connections). Anything this
 * path cannot express (a PSS MGF hash other than the message hash, a
 * compressed point) goes to the pure code.
 */
function nodeSignatures(m: NodeCryptoModule): Pick<CryptoProvider, 'verify' | 'sign'> {
  const publicKeys = new WeakMap<PublicKey, KeyObject | null>();
  const privateKeys = new WeakMap<PrivateKey, KeyObject>();
  const publicKeyObject = (key: PublicKey): KeyObject | null => {
    let k = publicKeys.get(key);
    if (k === undefined) {
      const jwk = publicJwk(key);
      try { k = jwk ? m.createPublicKey({ key: jwk, format: 'jwk' }) : null; } catch { k = null; }
      publicKeys.set(key, k);
    }
    return k;
  };
  const privateKeyObject = (key: PrivateKey): KeyObject => {
    let k = privateKeys.get(key);
    if (!k) {
      if (key.kind === 'ed25519') k = m.createPrivateKey({ key: ed25519Pkcs8(key.seed), format: 'der', type: 'pkcs8' });
      else if (key.kind === 'ed448') k = m.createPrivateKey({ key: ed448Pkcs8(key.seed), format: 'der', type: 'pkcs8' });
      else if (key.kind === 'rsa') k = m.createPrivateKey({ key: privateJwk(key), format: 'jwk' });
      else {
        const ecdh = m.createECDH(key.curve === 'P-256' ? 'prime256v1' : key.curve === 'P-384' ? 'secp384r1' : 'secp521r1');
        ecdh.setPrivateKey(key.d);
        k = m.createPrivateKey({ key: privateJwk(key, ecdh.getPublicKey()), format: 'jwk' });
      }
      privateKeys.set(key, k);
    }
    return k;
  };
  const PSS = m.constants.RSA_PKCS1_PSS_PADDING, PKCS1 = m.constants.RSA_PKCS1_PADDING;
  const expressible = (alg: SignatureAlgorithm) => alg.kind !== 'rsa-pss' || alg.mgfHash === undefined || alg.mgfHash.name === alg.hash.name;
  return {
    verify(alg, key, data, signature) {
      if (!expressible(alg)) return pureProvider.verify(alg, key, data, signature);
      if (alg.kind === 'ecdsa' && key.kind === 'ec' && alg.curve !== undefined && alg.curve !== key.curve) return false;
      const kindMatches = (alg.kind === 'ecdsa' && key.kind === 'ec') || (alg.kind === 'ed25519' && key.kind === 'ed25519') || (alg.kind === 'ed448' && key.kind === 'ed448') || (alg.kind.startsWith('rsa') && key.kind === 'rsa');
      if (!kindMatches) return false;
      const k = publicKeyObject(key);
      if (!k) return pureProvider.verify(alg, key, data, signature);
      try {
        switch (alg.kind) {
          case 'ed25519': case 'ed448': return m.verify(null, data, k, signature);
          case 'ecdsa': return m.verify(NODE_HASH[alg.hash.name], data, { key: k, dsaEncoding: 'der' }, signature);
          case 'rsa-pkcs1': return m.verify(NODE_HASH[alg.hash.name], data, { key: k, padding: PKCS1 }, signature);
          case 'rsa-pss': return m.verify(NODE_HASH[alg.hash.name], data, { key: k, padding: PSS, saltLength: alg.saltLength }, signature);
        }
      } catch {
        return false;
      }
    },
    sign(alg, key, data, random) {
      if (!expressible(alg)) return pureProvider.sign(alg, key, data, random);
      const mismatch = (alg.kind === 'ecdsa' && key.kind !== 'ec') || (alg.kind === 'ed25519' && key.kind !== 'ed25519') || (alg.kind === 'ed448' && key.kind !== 'ed448') || (alg.kind.startsWith('rsa') && key.kind !== 'rsa');
      if (mismatch) return pureProvider.sign(alg, key, data, random); // the pure code names the mismatch
      let k: KeyObject;
      // a runtime whose crypto has no Ed448 (Bun's BoringSSL) signs with the pure code
      try { k = privateKeyObject(key); } catch (e) { if (key.kind === 'ed448') return pureProvider.sign(alg, key, data, random); throw e; }
      switch (alg.kind) {
        case 'ed25519': case 'ed448': return new Uint8Array(m.sign(null, data, k));
        case 'ecdsa': return new Uint8Array(m.sign(NODE_HASH[alg.hash.name], data, { key: k, dsaEncoding: 'der' }));
        case 'rsa-pkcs1': return new Uint8Array(m.sign(NODE_HASH[alg.hash.name], data, { key: k, padding: PKCS1 }));
        case 'rsa-pss': return new Uint8Array(m.sign(NODE_HASH[alg.hash.name], data, { key: k, padding: PSS, saltLength: alg.saltLength }));
      }
    },
  };
}

/**
 * The `node:crypto` provider (Node, Bun, Deno): OpenSSL (or BoringSSL) for
 * hashes, HMAC, AEADs, key exchange and signatures, all synchronous. ECDSA
 * signing nonces and PSS salts come from the platform's generator, not from
 * `random` (key shares do use `random`).
 */
export function nodeCryptoProvider(m: NodeCryptoModule, random: RandomSource = pureProvider.random): CryptoProvider {
  const p = pureProvider;
  const aeads = Object.fromEntries(Object.entries(NODE_AEAD).map(([name, spec]) => [name, nodeAead(m, p.aeads[name as AeadName], spec)])) as Record<AeadName, AeadAlgorithm>;
  return {
    name: 'node',
    random,
    hashes: { 'SHA-256': nodeHash(m, p.hashes['SHA-256']), 'SHA-384': nodeHash(m, p.hashes['SHA-384']), 'SHA-512': nodeHash(m, p.hashes['SHA-512']) },
    aeads,
    groups: { x25519: nodeMontgomery(m, 'x25519', undefined), secp256r1: nodeNist(m, 'secp256r1'), secp384r1: nodeNist(m, 'secp384r1'), secp521r1: nodeNist(m, 'secp521r1'), X25519MLKEM768: x25519MlKem768(nodeMontgomery(m, 'x25519', undefined)), x448: nodeMontgomery(m, 'x448', X448) },
    ...nodeSignatures(m),
  };
}
