import { nodeCryptoProvider, type NodeCryptoModule } from './node-provider.js';
import { pureProvider, type CryptoProvider } from './provider.js';
import { webCryptoProvider } from './webcrypto-provider.js';

/** The built-in crypto providers: `node` (node:crypto), `webcrypto` (crypto.subtle), `pure` (TypeScript). */
export type ProviderName = 'pure' | 'webcrypto' | 'node';

/** Loads a runtime module by a name bundlers cannot see, so a browser bundle has no `node:crypto` to resolve. */
const runtimeImport = (name: string): Promise<unknown> => import(/* @vite-ignore */ /* webpackIgnore: true */ name);

function hasNodeModules(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string; bun?: string } }; Deno?: unknown };
  return !!(g.process?.versions?.node || g.process?.versions?.bun || g.Deno);
}

/**
 * A quick check that a provider does what the handshake needs (key exchange
 * both ways, AES-GCM round trips, HMAC), so a runtime whose `node:crypto` is
 * partial (a compatibility layer) is not chosen. (ChaCha20-Poly1305 and CCM
 * fall back to the pure code one by one where a runtime lacks them.)
 */
async function works(p: CryptoProvider): Promise<boolean> {
  try {
    const fixed = (b: number) => (n: number) => new Uint8Array(n).fill(b);
    for (const g of [p.groups.x25519, p.groups.secp256r1]) {
      const a = await g.generate(fixed(1)), b = await g.generate(fixed(2));
      const ab = await a.agree(b.publicKey), ba = await b.agree(a.publicKey);
      if (ab.length === 0 || ab.some((x, i) => x !== ba[i])) return false;
    }
    for (const name of ['AES-128-GCM', 'AES-256-GCM'] as const) {
      const aead = p.aeads[name].create(new Uint8Array(p.aeads[name].keyLength).fill(7));
      const sealed = await aead.seal(new Uint8Array(12), new Uint8Array(3), new Uint8Array([1, 2, 3]));
      const opened = await aead.open(new Uint8Array(12), new Uint8Array(3), sealed);
      if (!opened || opened[2] !== 3) return false;
    }
    return p.hashes['SHA-256'].hmac(new Uint8Array(1), new Uint8Array(1)).length === 32;
  } catch {
    return false;
  }
}

const loaded = new Map<ProviderName, Promise<CryptoProvider | undefined>>();

/** The named provider if this runtime has it (and it passes `works`), else undefined. */
export function loadProvider(name: ProviderName): Promise<CryptoProvider | undefined> {
  let p = loaded.get(name);
  if (!p) {
    p = (async () => {
      switch (name) {
        case 'pure': return pureProvider;
        case 'webcrypto': {
          const subtle = globalThis.crypto?.subtle;
          return subtle ? webCryptoProvider(subtle) : undefined;
        }
        case 'node': {
          if (!hasNodeModules()) return undefined;
          try {
            const provider = nodeCryptoProvider((await runtimeImport('node:crypto')) as NodeCryptoModule);
            return (await works(provider)) ? provider : undefined;
          } catch { return undefined; }
        }
      }
    })();
    loaded.set(name, p);
  }
  return p;
}

/** The fastest provider this runtime offers: node:crypto, else WebCrypto, else pure. */
export async function platformProvider(): Promise<CryptoProvider> {
  return (await loadProvider('node')) ?? (await loadProvider('webcrypto')) ?? pureProvider;
}
