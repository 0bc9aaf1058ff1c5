import { ChunkQueue } from './queue.js';
import type { Transport } from './types.js';

/**
 * Two transports wired to each other in memory, for tests and benches: what
 * one side writes, the other reads. Writes are copied so later mutation by
 * the writer cannot change bytes in flight.
 */
export function memoryPair(): [Transport, Transport] {
  const aToB = new ChunkQueue(), bToA = new ChunkQueue();
  const side = (inbox: ChunkQueue, outbox: ChunkQueue): Transport => ({
    read: () => inbox.read(),
    async write(data) { outbox.push(data.slice()); },
    async close() { outbox.end(); inbox.end(); },
  });
  return [side(bToA, aToB), side(aToB, bToA)];
}
