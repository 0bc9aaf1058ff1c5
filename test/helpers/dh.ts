import { getDiffieHellman } from 'node:crypto';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PKCS#3 DHParameter PEM for one of node's built-in MODP groups (e.g. 'modp2' = RFC 2409 1024-bit). */
export function modpPem(name: 'modp2' | 'modp14'): string {
  const p = getDiffieHellman(name).getPrime();
  const int = (b: Buffer) => { const v = b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b; return Buffer.concat([Buffer.from([0x02]), len(v.length), v]); };
  const len = (n: number) => (n < 128 ? Buffer.from([n]) : n < 256 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]));
  const body = Buffer.concat([int(p), int(Buffer.from([2]))]);
  const der = Buffer.concat([Buffer.from([0x30]), len(body.length), body]);
  return `-----BEGIN DH PARAMETERS-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END DH PARAMETERS-----\n`;
}

/** Writes PEM text to a temp file (for openssl s_server -dhparam). */
export function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'isotls-'));
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}
