import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startPeer } from './peer.js';
import { fmt, fmtRatio, median, ratios } from './timing.js';

const run = promisify(execFile);
const ALL = ['node', 'webcrypto', 'pure', 'node:tls'] as const;
type Field = 'rssBytesPerConnection' | 'heapBytesPerConnection' | 'openMs';

/**
 * memory_idle_1000: resident memory (and JS heap + buffers) per idle,
 * established TLS 1.3 connection, 1,000 open at once; open_10000_concurrent:
 * the time to open 10,000 connections held open together (50 handshakes in
 * flight), the default provider against node:tls (the pure code would take
 * minutes). Each measurement runs in a fresh process (bench/memory-child.ts);
 * contenders alternate order, 3 rounds, medians.
 */
export async function benchMemory(only?: string): Promise<string[]> {
  const rows: string[] = [];
  const child = fileURLToPath(new URL('./memory-child.ts', import.meta.url));
  const peer = await startPeer({ cert: 'server-ecdsa.chain.pem', key: 'server-ecdsa.key', minVersion: 'TLSv1.3' });
  const plans: { name: string; count: number; contenders: readonly string[]; fields: [Field, string][] }[] = [
    { name: 'memory_idle_1000', count: 1000, contenders: ALL, fields: [['rssBytesPerConnection', 'KiB RSS per connection'], ['heapBytesPerConnection', 'KiB heap+buffers per connection'], ['openMs', 'ms to open 1,000']] },
    { name: 'open_10000_concurrent', count: 10000, contenders: ['node', 'node:tls'], fields: [['openMs', 'ms to open 10,000']] },
  ];
  for (const plan of plans) {
    if (only && !plan.name.includes(only)) continue;
    const results = new Map<string, Record<Field, number>[]>(plan.contenders.map((c) => [c, []]));
    for (let round = 0; round < 3; round++) {
      const order = round % 2 ? [...plan.contenders].reverse() : plan.contenders;
      for (const c of order) {
        const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', child, c, String(peer.port), String(plan.count)], { maxBuffer: 1 << 20, timeout: 900_000 });
        const r = JSON.parse(stdout.trim().split('\n').pop()!) as Record<Field | 'held', number>;
        if (r.held !== plan.count) throw new Error(`${plan.name} ${c}: held ${r.held} connections`);
        results.get(c)!.push(r);
      }
    }
    for (const [field, unit] of plan.fields) {
      const g = (c: string) => results.get(c)!.map((r) => (field === 'openMs' ? r[field] : r[field] / 1024));
      const head = `${`${plan.name}: ${unit} (median of 3)`.padEnd(58)} ${plan.contenders.map((c) => c.padStart(9)).join(' ')}  isotls(node)/node:tls`;
      const line = `${''.padEnd(58)} ${plan.contenders.map((c) => fmt(median(g(c)), 1).padStart(9)).join(' ')}  ${fmtRatio(ratios(g('node'), g('node:tls')))}`;
      console.log(head); console.log(line); rows.push(head, line);
    }
  }
  await peer.stop();
  return rows;
}
