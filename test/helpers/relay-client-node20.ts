/**
 * Run by test/unit/relay.test.ts in a Node started WITHOUT --experimental-websocket:
 * connect({ relay }) must find the `ws` package by itself. Prints one JSON line.
 */
import { connect } from '../../src/index.js';
import { ROOT_CA } from './pki.js';

const [relay, port] = process.argv.slice(2);
const hadGlobal = typeof (globalThis as { WebSocket?: unknown }).WebSocket !== 'undefined';
const conn = await connect({ host: '127.0.0.1', port: Number(port), relay: relay!, servername: 'isotls.test', ca: ROOT_CA() });
await conn.write(new TextEncoder().encode('node20 via ws'));
let text = '';
while (text.length < 13) text += new TextDecoder().decode((await conn.read())!);
await conn.close();
console.log(JSON.stringify({ hadGlobal, text, version: conn.info.version }));
