import { runtimeImport } from './transport/runtime-import.js';

/**
 * SSLKEYLOGFILE, as curl, NSS and Chromium honour it: in Node and Bun, when the
 * variable names a file and the caller gave no `onKeyLog`, every connection's
 * secrets are appended to that file (NSS key log format) so Wireshark can
 * decrypt captures. Anyone who can set the environment can read the traffic:
 * docs/SECURITY.md says so. Elsewhere (browsers, Workers, Deno without env
 * permission) there is no environment to read and nothing is written.
 */
export async function environmentKeyLog(): Promise<((line: string) => void) | undefined> {
  let file: unknown;
  try {
    const g = globalThis as { process?: { env?: Record<string, string | undefined>; versions?: { node?: string } } };
    if (!g.process?.versions?.node) return undefined;
    file = g.process.env?.SSLKEYLOGFILE;
  } catch {
    return undefined; // an environment we may not read
  }
  if (typeof file !== 'string' || file === '') return undefined;
  const fs = (await runtimeImport('node:fs')) as { appendFileSync(path: string, data: string): void };
  return (line) => {
    try { fs.appendFileSync(file as string, `${line}\n`); } catch { /* a key log must never break a connection */ }
  };
}
