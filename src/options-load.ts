import type { CryptoProvider } from './crypto/provider.js';
import type { ClientIdentity } from './handshake/client-auth.js';
import { buildIdentities } from './identity.js';
import type { ConnectOptions } from './options.js';
import type { Certificate } from './x509/certificate.js';
import { loadCertificates } from './x509/trust-store.js';

/**
 * Loading what the options point at: trust anchors, client certificates,
 * keys and PKCS#12 files. Errors are `config/…` TlsErrors naming the option
 * and entry. Runs after options-check.ts has checked the types.
 */
export function loadTrustAnchors(o: ConnectOptions): Certificate[] {
  return loadCertificates(o.ca, 'ca', { cache: true });
}

export function loadIdentities(o: ConnectOptions, provider: CryptoProvider): ClientIdentity[] {
  const inputs = [
    ...(o.cert || o.key || o.pfx ? [{ cert: o.cert, key: o.key, passphrase: o.passphrase, pfx: o.pfx, where: o.pfx ? '`pfx`' : '`cert`/`key`' }] : []),
    ...(o.identities ?? []).map((id, i) => ({ ...id, where: `\`identities[${i}]\`` })),
  ];
  return buildIdentities(inputs, provider, o.clientCertificatePolicy);
}
