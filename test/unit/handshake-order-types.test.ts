import assert from 'node:assert/strict';
import { SHA256 } from '../../src/crypto/hash.js';
import type { HandshakeResult } from '../../src/handshake/config.js';
import { EarlySecret, nextTrafficSecret, trafficKeys } from '../../src/handshake/key-schedule-13.js';
import { authenticateServer, type ServerAuthenticated, type SignatureVerified } from '../../src/handshake/server-auth.js';

/**
 * The order of checks is enforced by the types (security issue, part 4).
 * Each `@ts-expect-error` below is a compile error today; `npm test` runs
 * `tsc --noEmit` over this file, so if a change lets any of these compile
 * (e.g. makes the witnesses plain objects or the secrets plain bytes), the
 * expect-error directive itself becomes an error and the suite fails.
 */
function typeChecks(): void {
  const hash = SHA256;
  const hs = new EarlySecret(hash).handshake(new Uint8Array(32));
  const handshakeTraffic = hs.trafficSecrets(new Uint8Array(32));
  const app = hs.master().applicationSecrets(new Uint8Array(32));

  // application traffic secrets roll forward (RFC 8446 §7.2) …
  nextTrafficSecret(hash, app.client);
  // @ts-expect-error … handshake traffic secrets do not: KeyUpdate cannot start from a handshake secret
  nextTrafficSecret(hash, handshakeTraffic.client);
  // @ts-expect-error plain bytes are not a traffic secret
  trafficKeys(hash, new Uint8Array(32), 16);

  // @ts-expect-error server authentication demands the signature witness, not a boolean
  authenticateServer(undefined as never, [], true);
  // @ts-expect-error a witness cannot be made from an object literal
  const forged: ServerAuthenticated = { chain: [], authorizationError: undefined };
  // @ts-expect-error nor the signature witness
  const forgedSig: SignatureVerified = {};

  // @ts-expect-error a handshake result cannot be reported without the proof of authentication and Finished
  const result: HandshakeResult = { version: 'TLSv1.3', cipherSuite: '', group: '', signatureScheme: '', alpnProtocol: false, peerCertificates: [], authorized: true, authorizationError: undefined, clientCertificateRequested: false, clientCertificateSent: undefined, helloRetried: false, resumed: false, keyLog: { clientRandom: new Uint8Array(0), secrets: [] } };
  void forged; void forgedSig; void result;
}

describe('handshake order enforced by types', () => {
  it('the compile-time checks in this file are part of `npm test` (tsc --noEmit)', () => {
    assert.equal(typeof typeChecks, 'function');
  });
});
