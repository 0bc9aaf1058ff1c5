import assert from 'node:assert/strict';
import { connect } from '../../src/index.js';
import { memoryPair } from '../../src/transport/memory.js';
import type { Transport } from '../../src/transport/types.js';
import { ContentType } from '../../src/wire/constants.js';
import { runFakeServer } from '../helpers/fake-server.js';
import { PROVIDERS } from '../helpers/providers.js';
import { ROOT_CA } from '../helpers/pki.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A transport whose reads hand over everything the peer has written so far
 * in one chunk (after a short wait), so several records reach the deframer
 * together and the connection reads them ahead.
 */
function coalescing(inner: Transport): Transport {
  let pending: Promise<Uint8Array | null> | undefined;
  return {
    write: (d) => inner.write(d),
    close: () => inner.close(),
    async read() {
      const first = await (pending ?? inner.read());
      pending = undefined;
      if (first === null) return null;
      const parts = [first];
      await sleep(20);
      for (;;) {
        const next = inner.read();
        const r = await Promise.race([next, sleep(0).then(() => 'none' as const)]);
        if (r === 'none') { pending = next; break; }
        if (r === null) { pending = Promise.resolve(null); break; }
        parts.push(r);
      }
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) { out.set(p, o); o += p.length; }
      return out;
    },
  };
}

describe('read-ahead: records opened before they are processed', () => {
  for (const provider of PROVIDERS) {
    it(`a KeyUpdate among records read ahead: the later ones are opened again under the new keys (${provider.name} provider)`, async () => {
      const [c, s] = memoryPair();
      const server = runFakeServer(s, {
        afterHandshake: async (send, srv) => {
          await send(ContentType.application_data, new Uint8Array([1]));
          await srv.keyUpdate(false);
          for (let i = 2; i <= 5; i++) await send(ContentType.application_data, new Uint8Array([i]));
          await srv.keyUpdate(false);
          await send(ContentType.application_data, new Uint8Array([6]));
        },
      });
      const conn = await connect({ servername: 'isotls.test', ca: ROOT_CA(), transport: coalescing(c), crypto: provider });
      const got: number[] = [];
      while (got.length < 6) got.push(...(await conn.read())!);
      assert.deepEqual(got, [1, 2, 3, 4, 5, 6]);
      assert.equal(conn.keyUpdates.received, 2);
      await conn.close();
      await server;
    });
  }
});
