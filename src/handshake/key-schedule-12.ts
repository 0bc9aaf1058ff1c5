import { concat } from '../bytes/encoding.js';
import type { HashAlgorithm } from '../crypto/hash.js';
import { tls12Prf } from '../crypto/prf.js';

/** TLS 1.2 key derivation (RFC 5246 §8.1, §6.3, §7.4.9; RFC 7627 §4). */

/** master_secret; with `sessionHash` (the transcript through ClientKeyExchange) it is the extended master secret. */
export function masterSecret12(hash: HashAlgorithm, preMaster: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array, sessionHash?: Uint8Array): Uint8Array {
  return sessionHash
    ? tls12Prf(hash, preMaster, 'extended master secret', sessionHash, 48)
    : tls12Prf(hash, preMaster, 'master secret', concat(clientRandom, serverRandom), 48);
}

export interface KeyBlock12 {
  clientMacKey: Uint8Array; serverMacKey: Uint8Array;
  clientKey: Uint8Array; serverKey: Uint8Array;
  clientIv: Uint8Array; serverIv: Uint8Array;
}

/** key_block = PRF(master, "key expansion", server_random + client_random), split in RFC 5246 §6.3 order. */
export function keyBlock12(hash: HashAlgorithm, master: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array, macLen: number, keyLen: number, ivLen: number): KeyBlock12 {
  const kb = tls12Prf(hash, master, 'key expansion', concat(serverRandom, clientRandom), 2 * (macLen + keyLen + ivLen));
  let o = 0;
  const take = (n: number) => { const s = kb.slice(o, o + n); o += n; return s; };
  return { clientMacKey: take(macLen), serverMacKey: take(macLen), clientKey: take(keyLen), serverKey: take(keyLen), clientIv: take(ivLen), serverIv: take(ivLen) };
}

/** verify_data = PRF(master, finished_label, Hash(handshake_messages))[0..11]. */
export function finishedVerifyData12(hash: HashAlgorithm, master: Uint8Array, side: 'client' | 'server', transcriptHash: Uint8Array): Uint8Array {
  return tls12Prf(hash, master, `${side} finished`, transcriptHash, 12);
}
