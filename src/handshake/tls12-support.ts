import type { CryptoProvider } from '../crypto/provider.js';
import { continue12 } from './tls12.js';
import { resolveTls12Suite, TLS12_SUITES, tls12SuiteByName, type Tls12Suite, type Tls12SuiteDef } from './tls12-suites.js';

/**
 * Everything TLS 1.2 adds to the client, in one value: the full client
 * passes it in, the TLS 1.3-only entry point (`isotls/tls13`) does not, and
 * a bundler then leaves the TLS 1.2 code (CBC, DHE, the PRF) out.
 */
export interface Tls12Support {
  suites: readonly Tls12SuiteDef[];
  byName(name: string): Tls12SuiteDef | undefined;
  resolve(def: Tls12SuiteDef, provider: CryptoProvider): Tls12Suite;
  handshake: typeof continue12;
}

export const TLS12_SUPPORT: Tls12Support = { suites: TLS12_SUITES, byName: tls12SuiteByName, resolve: resolveTls12Suite, handshake: continue12 };
