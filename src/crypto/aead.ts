/**
 * An AEAD keyed once per traffic key: the key schedule (AES round keys, GHASH
 * tables) is computed in `create()`, and each record only pays for its own
 * bytes. `open` returns null on any authentication failure, never throws for it.
 */
export interface Aead {
  readonly tagLength: number;
  /**
   * Returns ciphertext || tag. With `out` (plaintext.length + tagLength bytes)
   * the result is written there; `plaintext` may be `out`'s own prefix
   * (in-place sealing, which spares the record layer a copy).
   */
  seal(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, out?: Uint8Array): Uint8Array;
  /** Returns the plaintext, or null if authentication fails. `out` may be the ciphertext's own prefix. */
  open(nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, out?: Uint8Array): Uint8Array | null;
}

export interface AeadAlgorithm {
  readonly name: string;
  readonly keyLength: number;
  readonly nonceLength: number;
  readonly tagLength: number;
  create(key: Uint8Array): Aead;
}
