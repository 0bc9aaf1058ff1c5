/**
 * Loads a module by a name bundlers cannot see (`node:net`, `cloudflare:sockets`,
 * the optional `ws` package), so a browser bundle of the core has nothing to
 * resolve or shim for it.
 */
export const runtimeImport = (name: string): Promise<unknown> => import(/* @vite-ignore */ /* webpackIgnore: true */ name);
