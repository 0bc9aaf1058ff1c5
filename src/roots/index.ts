/**
 * `isotls/roots`: the Mozilla CA root set, for `connect({ ca: mozillaRoots() })`.
 * Optional and separate, so applications that bring their own trust store do
 * not ship ~200 KB of certificates.
 */
import { MOZILLA_ROOTS } from './mozilla-roots.js';

export { MOZILLA_ROOTS, GENERATED_WITH_NODE } from './mozilla-roots.js';

/** The root set as one PEM bundle string. */
export function mozillaRoots(): string {
  return MOZILLA_ROOTS.join('');
}
