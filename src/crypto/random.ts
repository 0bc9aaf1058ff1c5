/** A source of cryptographically secure random bytes. Injectable everywhere for deterministic tests. */
export type RandomSource = (length: number) => Uint8Array;

/** WebCrypto's CSPRNG, present in browsers, Deno, Bun, Workers and Node ≥ 19. */
export const systemRandom: RandomSource = (length) => {
  const out = new Uint8Array(length);
  // getRandomValues fills at most 65536 bytes per call.
  for (let i = 0; i < length; i += 65536) globalThis.crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65536)));
  return out;
};
