export type { Transport } from './types.js';
export { TransportError } from './types.js';
export { memoryPair } from './memory.js';
export { streamTransport } from './streams.js';
export { websocketTransport, relayUrl } from './websocket.js';
export { workersTransport, workersTcpConnect } from './workers.js';
export { denoTcpConnect } from './deno.js';
export { dialTcp, runtimeTcp } from './dial.js';
