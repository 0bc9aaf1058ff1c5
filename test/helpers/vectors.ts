import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Project root (the folder holding package.json). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The project's own third-party vectors (`vectors/`, each folder with its provenance and licence). */
export const VECTORS = resolve(ROOT, 'vectors');

export function readVectorJson<T = any>(relative: string): T {
  return JSON.parse(readFileSync(join(VECTORS, relative), 'utf8')) as T;
}

export function wycheproof(file: string): any {
  return readVectorJson(join('wycheproof', 'testvectors_v1', file));
}

export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
export const toHexString = (b: Uint8Array): string => Buffer.from(b).toString('hex');
