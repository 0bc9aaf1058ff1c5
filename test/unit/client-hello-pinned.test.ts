import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type ConnectOptions } from '../../src/index.js';
import { memoryPair } from '../../src/transport/memory.js';
import { ROOT_CA } from '../helpers/pki.js';
import { ROOT } from '../helpers/vectors.js';

/**
 * With randomness injected, the ClientHello is fully determined by the options: these tests pin its bytes
 * (as Go's recorded handshakes pin crypto/tls's), so any change to what the client sends shows up here and
 * must be made on purpose. To re-pin after an intended change: PIN_CLIENT_HELLO=1 npm test.
 */
const PINS = join(ROOT, 'test', 'fixtures', 'client-hello-pins.json');

/** A deterministic byte source: byte i of the stream is (i * 7 + 3) mod 256. */
function counterRandom(): (n: number) => Uint8Array {
  let i = 0;
  return (n) => { const out = new Uint8Array(n); for (let k = 0; k < n; k++, i++) out[k] = (i * 7 + 3) & 0xff; return out; };
}

async function clientHello(extra: Partial<ConnectOptions>): Promise<string> {
  const [c, s] = memoryPair();
  const pending = connect({ servername: 'isotls.test', ca: ROOT_CA(), handshakeTimeout: 2000, random: counterRandom(), ...extra, transport: c });
  pending.catch(() => undefined);
  const bytes = await s.read();
  await s.close();
  return Buffer.from(bytes!).toString('hex');
}

const CASES: Record<string, Partial<ConnectOptions>> = {
  'default (TLS 1.3 and 1.2)': {},
  'TLS 1.3 only, ALPN h2 and http/1.1': { minVersion: 'TLSv1.3', ALPNProtocols: ['h2', 'http/1.1'] },
  'TLS 1.2 only, no compatibility mode': { maxVersion: 'TLSv1.2', compatibilityMode: false },
  'IP host (no SNI), P-256 first': { servername: undefined, host: '127.0.0.1', groups: ['secp256r1', 'x25519'] },
};

describe('ClientHello bytes are deterministic with injected randomness', () => {
  const pinned = JSON.parse(readFileSync(PINS, 'utf8')) as Record<string, string>;
  const seen: Record<string, string> = {};
  for (const [name, extra] of Object.entries(CASES)) {
    it(name, async () => {
      const first = await clientHello(extra);
      assert.equal(await clientHello(extra), first, 'the same options and random give the same bytes');
      seen[name] = first;
      if (process.env.PIN_CLIENT_HELLO) return;
      assert.equal(first, pinned[name], 'the ClientHello changed: if on purpose, re-pin with PIN_CLIENT_HELLO=1');
    });
  }
  after(() => { if (process.env.PIN_CLIENT_HELLO) writeFileSync(PINS, JSON.stringify(seen, null, 2) + '\n'); });
});
