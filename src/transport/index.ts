export type { Transport } from './types.js';
export { TransportError } from './types.js';
export { memoryPair } from './memory.js';
export { streamTransport } from './streams.js';
