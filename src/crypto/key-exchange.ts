import { x448 } from '@noble/curves/ed448.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { TlsError } from '../errors.js';
import type { Awaitable } from './aead.js';
import type { RandomSource } from './random.js';

/**
 * (EC)DHE groups for key_share (RFC 8446 §4.2.8). `generate` makes a fresh
 * key pair from the injected random source; `agree` validates the peer's
 * share and returns the raw shared secret (for NIST curves, the x-coordinate,
 * RFC 8446 §7.4.2). Invalid shares fail with illegal_parameter. The key is
 * always derived from `random`, whatever the provider, so tests that inject
 * randomness get the same shares everywhere.
 */
export interface KeyExchangeGroup {
  readonly name: 'x25519' | 'x448' | 'secp256r1' | 'secp384r1' | 'secp521r1' | 'X25519MLKEM768';
  /** A fresh key pair, its private key derived from `random` (injectable for tests). */
  generate(random: RandomSource): Awaitable<KeyPair>;
}
/** Our key share: the public value to send, and `agree` to compute the shared secret from the peer's share. */
export interface KeyPair {
  readonly publicKey: Uint8Array;
  /** The shared secret with the peer's key share; throws `illegal_parameter` for an invalid share. */
  agree(peerShare: Uint8Array): Awaitable<Uint8Array>;
}

export function invalidShare(group: string, why: string): TlsError {
  return new TlsError('illegal_parameter', 'invalid_key_share', `tls: the server's ${group} key share is invalid: ${why}`);
}

export const X25519: KeyExchangeGroup & { generate(random: RandomSource): KeyPair & { agree(peer: Uint8Array): Uint8Array } } = {
  name: 'x25519',
  generate(random) {
    const secret = random(32);
    const publicKey = x25519.getPublicKey(secret);
    return {
      publicKey,
      agree(peer) {
        if (peer.length !== 32) throw invalidShare('x25519', `${peer.length} bytes, expected 32`);
        let shared: Uint8Array;
        // noble rejects low-order points (an all-zero result, RFC 7748 §6.1 / RFC 8446 §7.4.2)
        try { shared = x25519.getSharedSecret(secret, peer); } catch { throw invalidShare('x25519', 'low-order point'); }
        return shared;
      },
    };
  },
};

/** X448 (RFC 7748 §5; RFC 8446 §4.2.7): 56-byte keys, the same on every provider (noble; WebCrypto rarely has it). */
export const X448: KeyExchangeGroup = {
  name: 'x448',
  generate(random) {
    const secret = random(56);
    const publicKey = x448.getPublicKey(secret);
    return {
      publicKey,
      agree(peer) {
        if (peer.length !== 56) throw invalidShare('x448', `${peer.length} bytes, expected 56`);
        // an all-zero result (a low-order point) is refused (RFC 7748 §6.2, RFC 8446 §7.4.2)
        let shared: Uint8Array;
        try { shared = x448.getSharedSecret(secret, peer); } catch { throw invalidShare('x448', 'low-order point'); }
        if (shared.every((b) => b === 0)) throw invalidShare('x448', 'low-order point');
        return shared;
      },
    };
  },
};

type SyncKeyPair = KeyPair & { agree(peer: Uint8Array): Uint8Array };

/** The private scalar the NIST groups derive from `random` (noble's reduction of a seed), shared by every provider. */
export function nistSecret(name: 'secp256r1' | 'secp384r1' | 'secp521r1', random: RandomSource): Uint8Array {
  const curve = name === 'secp256r1' ? p256 : name === 'secp384r1' ? p384 : (p521 as unknown as typeof p256);
  return curve.utils.randomSecretKey(random(curve.lengths.seed!));
}

function nistGroup(name: 'secp256r1' | 'secp384r1' | 'secp521r1', curve: typeof p256, size: number): KeyExchangeGroup & { fromSecret(secret: Uint8Array): SyncKeyPair; generate(random: RandomSource): SyncKeyPair } {
  const fromSecret = (secret: Uint8Array): SyncKeyPair => ({
    publicKey: curve.getPublicKey(secret, false),
    agree(peer) {
      // RFC 8446 §4.2.8.2: uncompressed form only
      if (peer.length !== 1 + 2 * size || peer[0] !== 4) throw invalidShare(name, `${peer.length} bytes, expected an uncompressed point of ${1 + 2 * size}`);
      let shared: Uint8Array;
      // noble checks the point is on the curve and not the identity
      try { shared = curve.getSharedSecret(secret, peer, true); } catch { throw invalidShare(name, 'not a point on the curve'); }
      return shared.slice(1);
    },
  });
  return {
    name,
    fromSecret,
    generate: (random) => fromSecret(nistSecret(name, random)),
  };
}

export const SECP256R1 = nistGroup('secp256r1', p256, 32);
export const SECP384R1 = nistGroup('secp384r1', p384, 48);
export const SECP521R1 = nistGroup('secp521r1', p521 as unknown as typeof p256, 66);
