import { spawnSync } from 'node:child_process';

/** CI=true and CI=1 both mean CI (where a missing peer is a failure, never a skip). */
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * Whether an external peer program is available. Locally a missing peer
 * skips its suite with a one-line message; in CI (CI=true) it is a failure.
 */
export function requirePeer(ctx: Mocha.Context | Mocha.Suite, command: string, args: string[] = ['version']): boolean {
  const ok = spawnSync(command, args, { stdio: 'ignore' }).status === 0;
  if (!ok) {
    if (IN_CI) throw new Error(`peer "${command}" is missing in CI; .ci/run must install it`);
    console.log(`      (skipped: "${command}" is not installed on this machine)`);
  }
  return ok;
}
