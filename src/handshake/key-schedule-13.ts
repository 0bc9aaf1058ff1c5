import type { HashAlgorithm } from '../crypto/hash.js';
import { hkdfExpand, hkdfExtract, hmac } from '../crypto/hmac.js';
import { Writer } from '../bytes/writer.js';

/**
 * The TLS 1.3 key schedule (RFC 8446 §7.1). Each stage is its own type, so
 * code cannot, for instance, derive application traffic keys from the
 * handshake secret: `HandshakeSecret` has no such method.
 */

/** HKDF-Expand-Label (RFC 8446 §7.1). */
export function hkdfExpandLabel(hash: HashAlgorithm, secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  const info = new Writer(64).u16(length).opaque8(new TextEncoder().encode('tls13 ' + label)).opaque8(context).finish();
  return hkdfExpand(hash, secret, info, length);
}

/** Derive-Secret(Secret, Label, Messages) with the transcript hash already computed. */
export function deriveSecret(hash: HashAlgorithm, secret: Uint8Array, label: string, transcriptHash: Uint8Array): Uint8Array {
  return hkdfExpandLabel(hash, secret, label, transcriptHash, hash.outputLen);
}

declare const stage: unique symbol;
/**
 * Traffic secrets are typed by stage: a handshake traffic secret cannot be
 * passed where an application traffic secret is expected (KeyUpdate, the
 * connection's application keys), nor the other way round. Only this module
 * makes them.
 */
export type HandshakeTrafficSecret = Uint8Array & { readonly [stage]: 'handshake traffic' };
export type ApplicationTrafficSecret = Uint8Array & { readonly [stage]: 'application traffic' };

export interface TrafficKeys { key: Uint8Array; iv: Uint8Array }

/** RFC 8446 §7.3: [sender]_write_key and [sender]_write_iv from a traffic secret. */
export function trafficKeys(hash: HashAlgorithm, secret: HandshakeTrafficSecret | ApplicationTrafficSecret, keyLength: number): TrafficKeys {
  return { key: hkdfExpandLabel(hash, secret, 'key', new Uint8Array(0), keyLength), iv: hkdfExpandLabel(hash, secret, 'iv', new Uint8Array(0), 12) };
}

/** RFC 8446 §4.4.4: verify_data = HMAC(finished_key, Transcript-Hash). */
export function finishedVerifyData(hash: HashAlgorithm, baseKey: Uint8Array, transcriptHash: Uint8Array): Uint8Array {
  const finishedKey = hkdfExpandLabel(hash, baseKey, 'finished', new Uint8Array(0), hash.outputLen);
  return hmac(hash, finishedKey, transcriptHash);
}

/** RFC 8446 §7.2: application_traffic_secret_N+1. */
export function nextTrafficSecret(hash: HashAlgorithm, secret: ApplicationTrafficSecret): ApplicationTrafficSecret {
  return hkdfExpandLabel(hash, secret, 'traffic upd', new Uint8Array(0), hash.outputLen) as ApplicationTrafficSecret;
}

export class EarlySecret {
  readonly secret: Uint8Array;
  /** Without PSK: HKDF-Extract(0, 0) (RFC 8446 §7.1). */
  constructor(readonly hash: HashAlgorithm, psk?: Uint8Array) {
    this.secret = hkdfExtract(hash, new Uint8Array(0), psk ?? new Uint8Array(hash.outputLen));
  }
  /** RFC 8446 §7.1: binder_key = Derive-Secret(early_secret, "res binder", "") for resumption PSKs. */
  resumptionBinderKey(): Uint8Array {
    return deriveSecret(this.hash, this.secret, 'res binder', this.hash.digest(new Uint8Array(0)));
  }
  /** RFC 8446 §7.1: client_early_traffic_secret (0-RTT), from the transcript through ClientHello. */
  clientEarlyTrafficSecret(clientHelloHash: Uint8Array): Uint8Array {
    return deriveSecret(this.hash, this.secret, 'c e traffic', clientHelloHash);
  }
  handshake(sharedSecret: Uint8Array): HandshakeSecret {
    const emptyHash = this.hash.digest(new Uint8Array(0));
    const derived = deriveSecret(this.hash, this.secret, 'derived', emptyHash);
    return new HandshakeSecret(this.hash, hkdfExtract(this.hash, derived, sharedSecret));
  }
}

export class HandshakeSecret {
  constructor(readonly hash: HashAlgorithm, readonly secret: Uint8Array) {}
  /** Transcript through ServerHello. */
  trafficSecrets(helloHash: Uint8Array): { client: HandshakeTrafficSecret; server: HandshakeTrafficSecret } {
    return {
      client: deriveSecret(this.hash, this.secret, 'c hs traffic', helloHash) as HandshakeTrafficSecret,
      server: deriveSecret(this.hash, this.secret, 's hs traffic', helloHash) as HandshakeTrafficSecret,
    };
  }
  master(): MasterSecret {
    const derived = deriveSecret(this.hash, this.secret, 'derived', this.hash.digest(new Uint8Array(0)));
    return new MasterSecret(this.hash, hkdfExtract(this.hash, derived, new Uint8Array(this.hash.outputLen)));
  }
}

export class MasterSecret {
  constructor(readonly hash: HashAlgorithm, readonly secret: Uint8Array) {}
  /** Transcript through server Finished. */
  applicationSecrets(serverFinishedHash: Uint8Array): { client: ApplicationTrafficSecret; server: ApplicationTrafficSecret; exporter: Uint8Array } {
    return {
      client: deriveSecret(this.hash, this.secret, 'c ap traffic', serverFinishedHash) as ApplicationTrafficSecret,
      server: deriveSecret(this.hash, this.secret, 's ap traffic', serverFinishedHash) as ApplicationTrafficSecret,
      exporter: deriveSecret(this.hash, this.secret, 'exp master', serverFinishedHash),
    };
  }
  /** Transcript through client Finished. */
  resumptionMasterSecret(clientFinishedHash: Uint8Array): Uint8Array {
    return deriveSecret(this.hash, this.secret, 'res master', clientFinishedHash);
  }
}
