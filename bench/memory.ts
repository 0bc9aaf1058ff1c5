import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startPeer } from './peer.js';
import { fmt, fmtRatio, median, ratios } from './timing.js';

const run = promisify(execFile);
const CONTENDERS = ['node', 'webcrypto', 'pure', 'node:tls'] as const;

/**
 * memory_idle_1000: resident memory per idle, established TLS 1.3
 * connection (1,000 open at once); open_10000: the time to open 10,000
 * concurrent connections. Each measurement runs in a fresh process
 * (bench/memory-child.ts); contenders alternate, 3 rounds, medians.
 */
export async function benchMemory(only?: string): Promise<string[]> {
  const rows: string[] = [];
  const child = fileURLToPath(new URL('./memory-child.ts', import.meta.url));
  const peer = await startPeer({ cert: 'server-ecdsa.chain.pem', key: 'server-ecdsa.key', minVersion: 'TLSv1.3' });
  for (const [name, count, field, unit] of [['memory_idle_1000', 1000, 'rssBytesPerConnection', 'KiB RSS/conn'], ['memory_idle_1000_heap', 1000, 'heapBytesPerConnection', 'KiB heap+buffers/conn'], ['open_10000_concurrent', 10000, 'openMs', 'ms']] as const) {
    if (only && !name.includes(only)) continue;
    const results = new Map<string, number[]>(CONTENDERS.map((c) => [c, []]));
    for (let round = 0; round < 3; round++) {
      const order = round % 2 ? [...CONTENDERS].reverse() : CONTENDERS;
      for (const c of order) {
        const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', child, c, String(peer.port), String(count)], { maxBuffer: 1 << 20, timeout: 600_000 });
        const r = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, number>;
        if (r.held !== count) throw new Error(`${name} ${c}: held ${r.held} connections`);
        results.get(c)!.push(field === 'openMs' ? r[field]! : r[field]! / 1024);
      }
    }
    const g = (c: string) => results.get(c)!;
    const head = `${`${name} (${unit}, median of 3)`.padEnd(52)} ${CONTENDERS.map((c) => c.padStart(9)).join(' ')}  isotls(node)/node:tls`;
    const line = `${''.padEnd(52)} ${CONTENDERS.map((c) => fmt(median(g(c)), 1).padStart(9)).join(' ')}  ${fmtRatio(ratios(g('node'), g('node:tls')))}`;
    console.log(head); console.log(line); rows.push(head, line);
  }
  await peer.stop();
  return rows;
}
