import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';

/**
 * A hash function as the TLS layers need it: one-shot, incremental for
 * transcripts, and its HMAC (RFC 2104), on which HKDF and the TLS 1.2 PRF are
 * built. Synchronous: the key schedule runs many small HMACs, where a
 * promise per call would cost more than the hashing.
 */
export interface HashAlgorithm {
  readonly name: HashName;
  readonly outputLen: number;
  readonly blockLen: number;
  /** The hash of `data`. */
  digest(data: Uint8Array): Uint8Array;
  /** A hash to feed piece by piece (transcripts). */
  create(): IncrementalHash;
  /** HMAC (RFC 2104) of `data` under `key`: HKDF and the TLS 1.2 PRF are built on it. */
  hmac(key: Uint8Array, data: Uint8Array): Uint8Array;
}
/** A hash being computed: `update` with more bytes, `peek` at the digest so far. */
export interface IncrementalHash {
  /** Adds bytes; returns the same hash for chaining. */
  update(data: Uint8Array): IncrementalHash;
  /** The digest so far, leaving the state usable (transcripts hash at many points). */
  peek(): Uint8Array;
}
/** The hashes TLS 1.2/1.3 and X.509 use here. */
export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

type NobleHash = typeof sha256 | typeof sha384 | typeof sha512 | typeof sha1;

function wrap(name: HashName, h: NobleHash): HashAlgorithm {
  return {
    name, outputLen: h.outputLen, blockLen: h.blockLen,
    digest: (data) => h(data),
    hmac: (key, data) => nobleHmac(h, key, data),
    create(): IncrementalHash {
      const state = h.create();
      const api: IncrementalHash = {
        update(data) { state.update(data); return api; },
        peek() { return state.clone().digest(); },
      };
      return api;
    },
  };
}

export const SHA256 = wrap('SHA-256', sha256);
export const SHA384 = wrap('SHA-384', sha384);
export const SHA512 = wrap('SHA-512', sha512);
/** Only for legacy certificate signatures that policy may refuse; never used by the TLS 1.3 key schedule. */
export const SHA1 = wrap('SHA-1', sha1);

export function hashByName(name: HashName): HashAlgorithm {
  switch (name) {
    case 'SHA-1': return SHA1;
    case 'SHA-256': return SHA256;
    case 'SHA-384': return SHA384;
    case 'SHA-512': return SHA512;
  }
}

/** The noble hash behind one of ours, for HMAC/HKDF. */
export function nobleHash(h: HashAlgorithm): NobleHash {
  switch (h.name) {
    case 'SHA-1': return sha1;
    case 'SHA-256': return sha256;
    case 'SHA-384': return sha384;
    case 'SHA-512': return sha512;
  }
}
