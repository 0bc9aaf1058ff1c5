import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VECTORS } from './vectors.js';

/** Counts of one Wycheproof file as MANIFEST.tsv gives them. */
export interface ManifestCounts { total: number; valid: number; invalid: number; acceptable: number }

const manifestRows = new Map<string, ManifestCounts>(
  readFileSync(join(VECTORS, 'wycheproof', 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => {
    const cols = line.split('\t');
    const [valid, invalid, acceptable] = cols[8]!.split('/').map(Number) as [number, number, number];
    return [cols[0]!, { total: Number(cols[5]), valid, invalid, acceptable }];
  }),
);

export function manifest(file: string): ManifestCounts {
  const m = manifestRows.get(file);
  assert.ok(m, `${file} is not in vectors/wycheproof/MANIFEST.tsv`);
  return m;
}

/** What a run did with each case: checked as valid or invalid, run as acceptable (either outcome allowed), or skipped. */
export class CaseCounter {
  valid = 0; invalid = 0; acceptable = 0; skipped = 0;

  /**
   * Asserts that every case of the file was accounted for, that exactly
   * `expectedSkipped` were skipped (parameters TLS does not use; the caller
   * says why), and so that a change which silently skips more cases, or runs
   * none of a kind, fails.
   */
  assertComplete(file: string, expectedSkipped: number): void {
    const m = manifest(file);
    assert.equal(this.valid + this.invalid + this.acceptable + this.skipped, m.total, `${file}: cases accounted for`);
    assert.equal(this.skipped, expectedSkipped, `${file}: skipped cases`);
    if (expectedSkipped === 0) assert.deepEqual([this.valid, this.invalid, this.acceptable], [m.valid, m.invalid, m.acceptable], `${file}: valid/invalid/acceptable`);
    assert.ok(this.valid > 0, `${file}: no valid case ran`);
    if (m.invalid > 0 && expectedSkipped < m.invalid) assert.ok(this.invalid > 0, `${file}: no invalid case ran`);
  }
}
