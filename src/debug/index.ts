export { RecordTracer, formatRecord, type TracedRecord } from './trace.js';
export { tracingTransport, keyLogCollector } from './transport.js';
