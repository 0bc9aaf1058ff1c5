import type { CryptoProvider } from './crypto/provider.js';
import type { ClientIdentity } from './handshake/client-auth.js';
import { buildIdentities } from './identity.js';
import type { ConnectOptions } from './options.js';
import type { Certificate } from './x509/certificate.js';
import { TlsError } from './errors.js';
import { createTrustStore, isTrustStore, loadCertificates, type TrustStore } from './x509/trust-store.js';

/**
 * Loading what the options point at: trust anchors, client certificates,
 * keys and PKCS#12 files. Errors are `config/…` TlsErrors naming the option
 * and entry. Runs after options-check.ts has checked the types.
 */
/** `trustStore` as given; `ca` as a TrustStore or parsed (PEM strings through the parse cache). */
export function loadTrustAnchors(o: ConnectOptions): TrustStore {
  if (o.trustStore && o.ca) throw new TlsError('config', 'bad_option', 'tls: give `ca` or `trustStore`, not both');
  if (o.trustStore) return o.trustStore;
  if (isTrustStore(o.ca)) return o.ca;
  return createTrustStore(loadCertificates(o.ca, 'ca', { cache: true }));
}

export function loadIdentities(o: ConnectOptions, provider: CryptoProvider): ClientIdentity[] {
  const inputs = [
    ...(o.cert || o.key || o.pfx ? [{ cert: o.cert, key: o.key, passphrase: o.passphrase, pfx: o.pfx, where: o.pfx ? '`pfx`' : '`cert`/`key`' }] : []),
    ...(o.identities ?? []).map((id, i) => ({ ...id, where: `\`identities[${i}]\`` })),
  ];
  const validity = o.sendExpiredClientCertificate ? undefined : { now: (o.now ?? (() => new Date()))() };
  return buildIdentities(inputs, provider, o.clientCertificatePolicy, validity);
}
