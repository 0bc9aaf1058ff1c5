export { RecordTracer, formatRecord, type TracedRecord } from './trace.js';
export { tracingTransport, keyLogCollector, type ByteTransport } from './transport.js';
