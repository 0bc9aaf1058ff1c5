import assert from 'node:assert/strict';
import { defaultProvider } from '../../src/crypto/provider.js';
import { chooseIdentity, describeRequest } from '../../src/handshake/client-auth.js';
import { buildIdentities } from '../../src/identity.js';
import { SignatureScheme as S } from '../../src/wire/constants.js';
import { pki } from '../helpers/pki.js';

/** TLS 1.2 certificate_types (RFC 5246 §7.4.4, §7.4.6): only a certificate of a listed type is sent. */
describe('client identity selection: TLS 1.2 certificate_types', () => {
  const [rsa, ec, ed] = buildIdentities([
    { alias: 'rsa', cert: pki('clients/client-rsa2048.crt'), key: pki('clients/client-rsa2048.pkcs8.pem') },
    { alias: 'ec', cert: pki('clients/client-ecdsa-p256.crt'), key: pki('clients/client-ecdsa-p256.pkcs8.pem') },
    { alias: 'ed', cert: pki('clients/client-ed25519.crt'), key: pki('clients/client-ed25519.pkcs8.pem') },
  ], defaultProvider, undefined);
  const schemes = [S.rsa_pss_rsae_sha256, S.rsa_pkcs1_sha256, S.ecdsa_secp256r1_sha256, S.ed25519];
  const pick = (types: number[] | undefined, ids = [rsa!, ec!, ed!]) => chooseIdentity(ids, describeRequest('TLSv1.2', schemes, [], false, types), undefined)?.identity.alias;

  it('rsa_sign only: the RSA identity', () => assert.equal(pick([1]), 'rsa'));
  it('ecdsa_sign only: the ECDSA identity (first listed that fits), and Ed25519 counts as ecdsa_sign (RFC 8422 §5.5)', () => {
    assert.equal(pick([64]), 'ec');
    assert.equal(pick([64], [rsa!, ed!]), 'ed');
  });
  it('no identity of a listed type: none is sent', () => assert.equal(pick([64], [rsa!]), undefined));
  it('TLS 1.3 requests have no certificate_types: any identity that can sign', () => assert.equal(pick(undefined), 'rsa'));
});
