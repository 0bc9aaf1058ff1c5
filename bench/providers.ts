import { loadProvider, type ProviderName } from '../src/crypto/platform.js';
import type { CryptoProvider } from '../src/crypto/provider.js';

/** The three built-in providers; the bench refuses to run without one (it would print a partial table). */
export async function benchProviders(): Promise<Record<ProviderName, CryptoProvider>> {
  const out = {} as Record<ProviderName, CryptoProvider>;
  for (const name of ['pure', 'webcrypto', 'node'] as const) {
    const p = await loadProvider(name);
    if (!p) throw new Error(`bench: the ${name} crypto provider is not available in this runtime`);
    out[name] = p;
  }
  return out;
}
