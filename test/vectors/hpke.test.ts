import assert from 'node:assert/strict';
import { setupBaseSender } from '../../src/crypto/hpke.js';
import { PROVIDERS } from '../helpers/providers.js';
import { hex, readVectorJson, toHexString } from '../helpers/vectors.js';

/** RFC 9180 A.1.1 through setupBaseSender: the ephemeral key injected, every derived value and the first ciphertext byte-exact. */
const v = readVectorJson('hpke/rfc9180-a1.json') as Record<string, string> & { encryptions: { pt: string; aad: string; ct: string }[] };

for (const provider of PROVIDERS) describe(`HPKE (RFC 9180 A.1.1) (${provider.name} provider)`, () => {
  it('DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode: enc, shared secret, key, nonce, ciphertext', async () => {
    const s = await setupBaseSender(provider, 0x0001, hex(v.pkRm!), hex(v.info!), () => hex(v.skEm!));
    assert.equal(toHexString(s.enc), v.enc);
    assert.equal(toHexString(s.sharedSecret), v.shared_secret);
    assert.equal(toHexString(s.key), v.key);
    assert.equal(toHexString(s.baseNonce), v.base_nonce);
    const e = v.encryptions[0]!;
    assert.equal(toHexString(await s.seal(hex(e.aad), hex(e.pt))), e.ct);
  });
});
