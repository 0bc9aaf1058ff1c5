import { x25519MlKem768 } from './mlkem.js';
import type { Aead, AeadAlgorithm } from './aead.js';
import { ecdsaDerToRaw } from './ecdsa-der.js';
import { invalidShare, nistSecret, SECP256R1, SECP384R1, SECP521R1, X25519, X448, type KeyExchangeGroup, type KeyPair } from './key-exchange.js';
import { b64urlBytes, publicJwk, x25519Pkcs8 } from './key-encoding.js';
import { pureProvider, type CryptoProvider, type GroupName } from './provider.js';
import type { RandomSource } from './random.js';
import type { PublicKey } from './signatures.js';

/**
 * The WebCrypto provider (browsers, Workers, Deno, Node): crypto.subtle for
 * AES-GCM records, X25519 and P-256/P-384 key exchange, and ECDSA, RSA and
 * Ed25519 verification. Each algorithm is tried at its first use; one the
 * runtime does not implement (NotSupportedError) falls back to the pure code
 * for good. Hashes, HMAC, ChaCha20-Poly1305, CCM and signing stay pure
 * (WebCrypto has no incremental hash, ChaCha or CCM; signing keys are ours).
 */
export function webCryptoProvider(subtle: SubtleCrypto, random: RandomSource = pureProvider.random): CryptoProvider {
  const p = pureProvider;
  const support = new Map<string, boolean>();
  /**
   * Runs `fast`; a NotSupportedError marks `family` unsupported and answers
   * with `slow` instead. With `ownInput` (our own key, never the peer's), any
   * failure means the platform cannot do it, and is treated the same way.
   */
  async function tryFamily<T>(family: string, fast: () => Promise<T>, slow: () => T | Promise<T>, ownInput = false): Promise<T> {
    if (support.get(family) === false) return slow();
    try {
      const r = await fast();
      support.set(family, true);
      return r;
    } catch (e) {
      // some runtimes answer an unknown algorithm with TypeError; only a first use is taken as that
      const name = (e as Error)?.name;
      if (ownInput || name === 'NotSupportedError' || (name === 'TypeError' && support.get(family) === undefined)) {
        support.set(family, false);
        return slow();
      }
      throw e;
    }
  }
  return {
    name: 'webcrypto',
    random,
    hashes: p.hashes,
    aeads: { ...p.aeads, 'AES-128-GCM': webAesGcm(subtle, p.aeads['AES-128-GCM']), 'AES-256-GCM': webAesGcm(subtle, p.aeads['AES-256-GCM']) },
    groups: {
      x25519: webGroup(subtle, 'x25519', tryFamily),
      secp256r1: webGroup(subtle, 'secp256r1', tryFamily),
      secp384r1: webGroup(subtle, 'secp384r1', tryFamily),
      secp521r1: webGroup(subtle, 'secp521r1', tryFamily),
      X25519MLKEM768: x25519MlKem768(webGroup(subtle, 'x25519', tryFamily)),
      x448: X448, // WebCrypto's X448 is rare (Firefox only): the pure group everywhere
    },
    verify: webVerify(subtle, tryFamily),
    sign: p.sign,
  };
}

/** WebCrypto's BufferSource excludes views of a SharedArrayBuffer; ours never are. */
const bs = (b: Uint8Array): BufferSource => b as unknown as BufferSource;

type TryFamily = <T>(family: string, fast: () => Promise<T>, slow: () => T | Promise<T>, ownInput?: boolean) => Promise<T>;

/**
 * AES-GCM on crypto.subtle. The key is imported once per traffic key; until
 * the import settles, inputs are copied so the caller may reuse its buffers.
 * A runtime without AES-GCM (none known) uses the pure code.
 */
function webAesGcm(subtle: SubtleCrypto, pure: AeadAlgorithm): AeadAlgorithm {
  return {
    ...pure,
    create(keyBytes): Aead {
      if (keyBytes.length !== pure.keyLength) throw new RangeError(`${pure.name} key must be ${pure.keyLength} bytes`);
      let key: CryptoKey | Aead | undefined;
      const ready: Promise<CryptoKey | Aead> = subtle.importKey('raw', bs(keyBytes.slice()), 'AES-GCM', false, ['encrypt', 'decrypt'])
        .catch(() => pure.create(keyBytes))
        .then((k) => (key = k));
      const isPure = (k: CryptoKey | Aead): k is Aead => 'seal' in k;
      const seal = async (k: CryptoKey | Aead, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, out?: Uint8Array): Promise<Uint8Array> => {
        if (isPure(k)) return k.seal(nonce, aad, plaintext, out);
        const sealed = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv: bs(nonce), additionalData: bs(aad), tagLength: 128 }, k, bs(plaintext)));
        if (!out) return sealed;
        out.set(sealed);
        return out;
      };
      const open = async (k: CryptoKey | Aead, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, out?: Uint8Array): Promise<Uint8Array | null> => {
        if (isPure(k)) return k.open(nonce, aad, ciphertext, out);
        if (ciphertext.length < 16) return null;
        let plain: Uint8Array;
        try { plain = new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv: bs(nonce), additionalData: bs(aad), tagLength: 128 }, k, bs(ciphertext))); } catch { return null; }
        if (!out) return plain;
        out.set(plain);
        return out.subarray(0, plain.length);
      };
      return {
        tagLength: 16,
        // once the key is known, subtle copies the inputs synchronously (WebCrypto: "get a copy of the bytes")
        seal: (nonce, aad, plaintext, out) => key ? seal(key, nonce, aad, plaintext, out)
          : copyThen(ready, [nonce, aad, plaintext], ([n, a, t]) => seal(key!, n!, a!, t!, out)),
        open: (nonce, aad, ciphertext, out) => key ? open(key, nonce, aad, ciphertext, out)
          : copyThen(ready, [nonce, aad, ciphertext], ([n, a, c]) => open(key!, n!, a!, c!, out)),
      };
    },
  };
}

function copyThen<T>(ready: Promise<unknown>, inputs: Uint8Array[], then: (copies: Uint8Array[]) => Promise<T>): Promise<T> {
  const copies = inputs.map((b) => b.slice());
  return ready.then(() => then(copies));
}

const EC_CURVE = { secp256r1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' } as const;
const SIZE = { x25519: 32, secp256r1: 32, secp384r1: 48, secp521r1: 66 } as const;

/** DER TLV with a short-form length (everything built here is under 128 bytes). */
const tlv = (tag: number, ...parts: (number[] | Uint8Array)[]): number[] => {
  const body = parts.flatMap((x) => [...x]);
  return [tag, body.length, ...body];
};
const EC_OID = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const CURVE_OID = { secp256r1: [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07], secp384r1: [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22], secp521r1: [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23] };

/** RFC 5915 / RFC 5208: a PKCS#8 EC private key without the optional public key (the platform derives it). */
function ecPkcs8(name: 'secp256r1' | 'secp384r1' | 'secp521r1', d: Uint8Array): Uint8Array {
  const ecPrivateKey = tlv(0x30, [0x02, 0x01, 0x01], tlv(0x04, d));
  return new Uint8Array(tlv(0x30, [0x02, 0x01, 0x00], tlv(0x30, EC_OID, CURVE_OID[name]), tlv(0x04, ecPrivateKey)));
}


/** A key share made from `random` (as in the pure group), imported as PKCS#8; the public key read back as a JWK. */
function webGroup(subtle: SubtleCrypto, name: Exclude<GroupName, 'X25519MLKEM768' | 'x448'>, tryFamily: TryFamily): KeyExchangeGroup {
  const alg: EcKeyImportParams | Algorithm = name === 'x25519' ? { name: 'X25519' } : { name: 'ECDH', namedCurve: EC_CURVE[name] };
  const size = SIZE[name];
  const pureFromSecret = (secret: Uint8Array): KeyPair => name === 'x25519' ? X25519.generate(() => secret) as KeyPair : (name === 'secp256r1' ? SECP256R1 : name === 'secp384r1' ? SECP384R1 : SECP521R1).fromSecret(secret);
  return {
    name,
    generate(random): Promise<KeyPair> {
      type Pair = KeyPair;
      // the secret is drawn before trying, so a fallback uses the same randomness
      const secret = name === 'x25519' ? random(32) : nistSecret(name, random);
      return tryFamily<Pair>(`group:${name}`, async () => {
        const pkcs8 = name === 'x25519' ? x25519Pkcs8(secret) : ecPkcs8(name, secret);
        const privateKey = await subtle.importKey('pkcs8', bs(pkcs8), alg, true, ['deriveBits']);
        const jwk = await subtle.exportKey('jwk', privateKey);
        const publicKey = name === 'x25519' ? b64urlBytes(jwk.x!) : new Uint8Array([4, ...b64urlBytes(jwk.x!), ...b64urlBytes(jwk.y!)]);
        return {
          publicKey,
          async agree(peer: Uint8Array): Promise<Uint8Array> {
            const expected = name === 'x25519' ? 32 : 1 + 2 * size;
            if (peer.length !== expected || (name !== 'x25519' && peer[0] !== 4)) throw invalidShare(name, `${peer.length} bytes, expected ${name === 'x25519' ? 32 : `an uncompressed point of ${expected}`}`);
            let shared: Uint8Array;
            try {
              const peerKey = await subtle.importKey('raw', bs(peer.slice()), alg, false, []);
              shared = new Uint8Array(await subtle.deriveBits({ name: alg.name, public: peerKey } as EcdhKeyDeriveParams, privateKey, size * 8));
            } catch {
              throw invalidShare(name, name === 'x25519' ? 'low-order point' : 'not a point on the curve');
            }
            // RFC 7748 §6.1 / RFC 8446 §7.4.2: an all-zero X25519 result is refused
            if (name === 'x25519' && shared.every((b) => b === 0)) throw invalidShare(name, 'low-order point');
            return shared;
          },
        };
      }, () => pureFromSecret(secret), true);
    },
  };
}

const WEB_HASH = { 'SHA-1': 'SHA-1', 'SHA-256': 'SHA-256', 'SHA-384': 'SHA-384', 'SHA-512': 'SHA-512' } as const;

/** Verification on crypto.subtle; imported keys are cached per key and algorithm. */
function webVerify(subtle: SubtleCrypto, tryFamily: TryFamily): CryptoProvider['verify'] {
  const cache = new WeakMap<PublicKey, Map<string, Promise<CryptoKey>>>();
  const importFor = (key: PublicKey, params: RsaHashedImportParams | EcKeyImportParams | Algorithm, id: string): Promise<CryptoKey> => {
    let m = cache.get(key);
    if (!m) cache.set(key, (m = new Map()));
    let k = m.get(id);
    if (!k) {
      k = subtle.importKey('jwk', publicJwk(key)!, params, false, ['verify']);
      m.set(id, k);
    }
    return k;
  };
  return (alg, key, data, signature) => {
    const pure = () => pureProvider.verify(alg, key, data, signature);
    if (alg.kind === 'ed448' || !publicJwk(key)) return pure();
    switch (alg.kind) {
      case 'ecdsa': {
        if (key.kind !== 'ec' || (alg.curve !== undefined && alg.curve !== key.curve)) return false;
        const size = key.curve === 'P-521' ? 66 : key.curve === 'P-384' ? 48 : 32;
        const raw = ecdsaDerToRaw(signature, size);
        if (!raw) return false;
        return tryFamily(`ecdsa:${key.curve}`, async () => {
          const k = await importFor(key, { name: 'ECDSA', namedCurve: key.curve }, 'ecdsa');
          return subtle.verify({ name: 'ECDSA', hash: WEB_HASH[alg.hash.name] }, k, bs(raw), bs(data));
        }, pure).catch(pure);
      }
      case 'rsa-pkcs1':
      case 'rsa-pss': {
        if (key.kind !== 'rsa') return false;
        if (alg.kind === 'rsa-pss' && alg.mgfHash && alg.mgfHash.name !== alg.hash.name) return pure(); // WebCrypto ties MGF1 to the hash
        const name = alg.kind === 'rsa-pss' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5';
        const hash = WEB_HASH[alg.hash.name];
        return tryFamily(`rsa:${name}`, async () => {
          const k = await importFor(key, { name, hash }, `${name}/${hash}`);
          return subtle.verify(alg.kind === 'rsa-pss' ? { name, saltLength: alg.saltLength } as RsaPssParams : { name }, k, bs(signature), bs(data));
        }, pure).catch(pure);
      }
      case 'ed25519':
        if (key.kind !== 'ed25519') return false;
        return tryFamily('ed25519', async () => {
          const k = await importFor(key, { name: 'Ed25519' }, 'ed25519');
          return subtle.verify({ name: 'Ed25519' }, k, bs(signature), bs(data));
        }, pure).catch(pure);
    }
  };
}

