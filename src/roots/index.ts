/**
 * `isotls/roots`: the Mozilla CA root set, for `connect({ trustStore: mozillaRoots() })`.
 * Optional and separate, so applications that bring their own trust store do
 * not ship ~200 KB of certificates.
 */
import { createTrustStore, type TrustStore } from '../x509/trust-store.js';
import { MOZILLA_ROOTS } from './mozilla-roots.js';

export { MOZILLA_ROOTS, GENERATED_WITH_NODE } from './mozilla-roots.js';

let store: TrustStore | undefined;

/**
 * The root set as a TrustStore, parsed on first use and then shared: pass it
 * to every connect() (as `trustStore` or `ca`) without parsing it again.
 */
export function mozillaRoots(): TrustStore {
  store ??= createTrustStore(MOZILLA_ROOTS, { rootProgram: 'Mozilla', option: 'mozillaRoots' });
  return store;
}

/** The root set as one PEM bundle string (for tools that want PEM). */
export function mozillaRootsPem(): string {
  return MOZILLA_ROOTS.join('');
}
