/** A value, or a promise of it: providers built on WebCrypto answer later, the pure ones at once. */
export type Awaitable<T> = T | Promise<T>;

/**
 * An AEAD keyed once per traffic key: the key schedule (AES round keys, GHASH
 * tables) is computed in `create()`, and each record only pays for its own
 * bytes. `open` returns null on any authentication failure, never throws for it.
 *
 * A provider may answer asynchronously (WebCrypto). It must read its inputs
 * before it returns (WebCrypto copies them), because the caller reuses nothing
 * but may issue the next call at once; the record layer puts results in
 * sequence order whatever order they complete in.
 */
export interface Aead {
  readonly tagLength: number;
  /**
   * Returns ciphertext || tag. With `out` (plaintext.length + tagLength bytes)
   * the result is written there; `plaintext` may be `out`'s own prefix
   * (in-place sealing, which spares the record layer a copy).
   */
  seal(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, out?: Uint8Array): Awaitable<Uint8Array>;
  /**
   * Returns the plaintext, or null if authentication fails. `out` may be the
   * ciphertext's own prefix. A provider may ignore `out` and return a buffer
   * of its own (platform crypto does); callers use the returned value.
   */
  open(nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, out?: Uint8Array): Awaitable<Uint8Array | null>;
}

/** An AEAD cipher (AES-GCM, ChaCha20-Poly1305, AES-CCM) and its sizes in bytes. */
export interface AeadAlgorithm {
  readonly name: string;
  readonly keyLength: number;
  readonly nonceLength: number;
  readonly tagLength: number;
  /** Keys the cipher once per traffic key (key schedule, tables); the result seals and opens records. */
  create(key: Uint8Array): Aead;
}
