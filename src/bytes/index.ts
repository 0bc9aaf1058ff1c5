export { Reader } from './reader.js';
export { Writer, write } from './writer.js';
export * from './encoding.js';
export * from './pem.js';
