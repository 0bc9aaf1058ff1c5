import { x25519 } from '@noble/curves/ed25519.js';
import { TlsError } from '../errors.js';
import type { Aead } from './aead.js';
import type { HashAlgorithm } from './hash.js';
import { hkdfExpand, hkdfExtract } from './hmac.js';
import type { CryptoProvider } from './provider.js';
import type { RandomSource } from './random.js';

/**
 * HPKE (RFC 9180) in base mode, sender side, for Encrypted Client Hello:
 * KEM DHKEM(X25519, HKDF-SHA256) (0x0020), KDF HKDF-SHA256 (0x0001), AEAD
 * AES-128-GCM (0x0001), AES-256-GCM (0x0002) or ChaCha20-Poly1305 (0x0003).
 * The ephemeral key comes from the injectable `random`.
 */
export const HPKE_KEM_X25519_SHA256 = 0x0020;
export const HPKE_KDF_SHA256 = 0x0001;
export const HPKE_AEADS: Record<number, { name: 'AES-128-GCM' | 'AES-256-GCM' | 'ChaCha20-Poly1305'; nk: number }> = {
  0x0001: { name: 'AES-128-GCM', nk: 16 }, 0x0002: { name: 'AES-256-GCM', nk: 32 }, 0x0003: { name: 'ChaCha20-Poly1305', nk: 32 },
};

const enc = (s: string) => new TextEncoder().encode(s);
const u16 = (n: number) => new Uint8Array([n >> 8, n & 0xff]);
const cat = (...parts: Uint8Array[]) => { const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let o = 0; for (const p of parts) { out.set(p, o); o += p.length; } return out; };

/** RFC 9180 §4: LabeledExtract and LabeledExpand under a suite_id. */
function labeled(h: HashAlgorithm, suiteId: Uint8Array) {
  const v1 = enc('HPKE-v1');
  return {
    extract: (salt: Uint8Array, label: string, ikm: Uint8Array) => hkdfExtract(h, salt, cat(v1, suiteId, enc(label), ikm)),
    expand: (prk: Uint8Array, label: string, info: Uint8Array, length: number) => hkdfExpand(h, prk, cat(u16(length), v1, suiteId, enc(label), info), length),
  };
}

export interface HpkeSender {
  /** The encapsulated key (the ephemeral X25519 public key). */
  enc: Uint8Array;
  /** The key schedule's outputs, for known-answer tests. */
  sharedSecret: Uint8Array;
  key: Uint8Array;
  baseNonce: Uint8Array;
  /** Seals the next message (sequence number 0, 1, …). */
  seal(aad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
}

/** SetupBaseS(pkR, info) (RFC 9180 §5.1.1) with DHKEM(X25519, HKDF-SHA256) and HKDF-SHA256. */
export async function setupBaseSender(provider: CryptoProvider, aeadId: number, pkR: Uint8Array, info: Uint8Array, random: RandomSource): Promise<HpkeSender> {
  const aeadInfo = HPKE_AEADS[aeadId];
  if (!aeadInfo) throw new TlsError('internal_error', 'hpke_unsupported_aead', `tls: HPKE AEAD 0x${aeadId.toString(16)} is not supported`);
  if (pkR.length !== 32) throw new TlsError('config', 'bad_ech_config', `tls: an X25519 HPKE public key must be 32 bytes, not ${pkR.length}`);
  const h = provider.hashes['SHA-256'];
  // Encap (§4.1): an ephemeral key, the DH with the recipient, ExtractAndExpand under the KEM's suite_id
  const skE = random(32);
  const pkE = x25519.getPublicKey(skE);
  let dh: Uint8Array;
  try { dh = x25519.getSharedSecret(skE, pkR); } catch { throw new TlsError('config', 'bad_ech_config', 'tls: the ECH public key is a low-order X25519 point'); }
  const kem = labeled(h, cat(enc('KEM'), u16(HPKE_KEM_X25519_SHA256)));
  const sharedSecret = kem.expand(kem.extract(new Uint8Array(0), 'eae_prk', dh), 'shared_secret', cat(pkE, pkR), 32);
  // KeySchedule (§5.1), base mode: no PSK
  const ks = labeled(h, cat(enc('HPKE'), u16(HPKE_KEM_X25519_SHA256), u16(HPKE_KDF_SHA256), u16(aeadId)));
  const context = cat(new Uint8Array([0]), ks.extract(new Uint8Array(0), 'psk_id_hash', new Uint8Array(0)), ks.extract(new Uint8Array(0), 'info_hash', info));
  const secret = ks.extract(sharedSecret, 'secret', new Uint8Array(0));
  const key = ks.expand(secret, 'key', context, aeadInfo.nk);
  const baseNonce = ks.expand(secret, 'base_nonce', context, 12);
  const aead: Aead = provider.aeads[aeadInfo.name].create(key);
  let seq = 0;
  return {
    enc: pkE, sharedSecret, key, baseNonce,
    async seal(aad, plaintext) {
      // §5.2: nonce = base_nonce XOR I2OSP(seq, Nn)
      const nonce = baseNonce.slice();
      for (let i = 0, s = seq++; i < 8 && s > 0; i++, s = Math.floor(s / 256)) nonce[11 - i]! ^= s & 0xff;
      return aead.seal(nonce, aad, plaintext);
    },
  };
}
