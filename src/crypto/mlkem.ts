import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { invalidShare, type KeyExchangeGroup, type KeyPair } from './key-exchange.js';
import type { RandomSource } from './random.js';

/** FIPS 203 ML-KEM-768 sizes (bytes). */
const EK = 1184, CT = 1088, SS = 32;

/**
 * X25519MLKEM768 (codepoint 0x11EC, draft-ietf-tls-ecdhe-mlkem): a hybrid of
 * ML-KEM-768 and X25519. The client's share is the ML-KEM encapsulation key
 * followed by an X25519 public key; the server's, the ML-KEM ciphertext
 * followed by its X25519 public key; the shared secret is the ML-KEM shared
 * secret followed by the X25519 one (the ML-KEM part first in all three, as
 * the draft fixes for this codepoint). The X25519 half is the provider's own
 * group; ML-KEM is @noble/post-quantum's, keyed from the injectable `random`.
 */
export function x25519MlKem768(x25519: KeyExchangeGroup): KeyExchangeGroup {
  return {
    name: 'X25519MLKEM768',
    async generate(random: RandomSource): Promise<KeyPair> {
      // FIPS 203 ML-KEM.KeyGen_internal(d, z): 64 random bytes
      const { publicKey: ek, secretKey: dk } = ml_kem768.keygen(random(64));
      const classical = await x25519.generate(random);
      const publicKey = new Uint8Array(EK + 32);
      publicKey.set(ek, 0);
      publicKey.set(classical.publicKey, EK);
      return {
        publicKey,
        async agree(peer: Uint8Array): Promise<Uint8Array> {
          if (peer.length !== CT + 32) throw invalidShare('X25519MLKEM768', `${peer.length} bytes, expected ${CT + 32} (ML-KEM-768 ciphertext and X25519 key)`);
          let pq: Uint8Array;
          // decapsulation never fails on a well-sized ciphertext (implicit rejection, FIPS 203 §6.3); noble checks the size
          try { pq = ml_kem768.decapsulate(peer.subarray(0, CT), dk); } catch { throw invalidShare('X25519MLKEM768', 'malformed ML-KEM-768 ciphertext'); }
          const ecdh = await classical.agree(peer.subarray(CT));
          const out = new Uint8Array(SS + ecdh.length);
          out.set(pq, 0);
          out.set(ecdh, SS);
          return out;
        },
      };
    },
  };
}
