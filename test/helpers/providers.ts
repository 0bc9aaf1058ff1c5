import { loadProvider, type ProviderName } from '../../src/crypto/platform.js';
import type { CryptoProvider } from '../../src/crypto/provider.js';

/**
 * Every built-in crypto provider this runtime offers (in Node: pure,
 * webcrypto and node). Vector suites and interop tests run once per entry;
 * test/unit/providers.test.ts checks that under CI none is missing.
 */
export const PROVIDER_NAMES: ProviderName[] = ['pure', 'webcrypto', 'node'];
export const PROVIDERS: CryptoProvider[] = (await Promise.all(PROVIDER_NAMES.map(loadProvider))).filter((p): p is CryptoProvider => p !== undefined);
