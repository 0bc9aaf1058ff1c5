import assert from 'node:assert/strict';
import type { Aead, AeadAlgorithm } from '../../src/crypto/aead.js';
import { pureProvider, type AeadName, type CryptoProvider } from '../../src/crypto/provider.js';
import { connect } from '../../src/index.js';
import { randomData, readExactly, sha256hex } from '../helpers/data.js';
import { startNodeTlsServer } from '../helpers/node-server.js';
import { ROOT_CA } from '../helpers/pki.js';

/**
 * An asynchronous provider whose AEAD calls complete out of order: the n-th
 * seal or open of a key settles after a delay that shrinks as n grows within
 * each batch of eight, so later records finish first. The bytes are the pure
 * provider's; only the timing differs. A record layer that sent records in
 * completion order (a known bug class of JavaScript TLS clients) would send
 * them out of sequence, and the server would fail them (bad_record_mac).
 */
function shuffledAead(base: AeadAlgorithm, stats: { outOfOrder: number }): AeadAlgorithm {
  return {
    ...base,
    create(key): Aead {
      const inner = base.create(key);
      let calls = 0, lastFinished = -1;
      const later = <T>(f: () => T | Promise<T>): Promise<T> => {
        const n = calls++;
        const delay = 8 - (n % 8); // 8, 7, … 1 ms: the batch completes back to front
        return new Promise<T>((resolve, reject) => setTimeout(() => {
          if (n < lastFinished) stats.outOfOrder++;
          lastFinished = Math.max(lastFinished, n);
          Promise.resolve().then(f).then(resolve, reject);
        }, delay));
      };
      return {
        tagLength: inner.tagLength,
        // inputs are copied now, as the Aead contract asks of a provider that answers later
        seal: (nonce, aad, plaintext) => { const [n, a, p] = [nonce.slice(), aad.slice(), plaintext.slice()]; return later(() => inner.seal(n, a, p)); },
        open: (nonce, aad, ciphertext) => { const [n, a, c] = [nonce.slice(), aad.slice(), ciphertext.slice()]; return later(() => inner.open(n, a, c)); },
      };
    },
  };
}

function shuffledProvider(stats: { outOfOrder: number }): CryptoProvider {
  const aeads = Object.fromEntries(Object.entries(pureProvider.aeads).map(([n, a]) => [n, shuffledAead(a, stats)])) as Record<AeadName, AeadAlgorithm>;
  return { ...pureProvider, name: 'shuffled', aeads };
}

describe('record order under an asynchronous provider that completes out of order', function () {
  this.timeout(60000);

  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
    it(`${version}: 1 MiB written in large and concurrent writes arrives intact, in order, and echoes back`, async () => {
      const srv = await startNodeTlsServer({ version });
      const stats = { outOfOrder: 0 };
      try {
        const conn = await connect({ host: '127.0.0.1', port: srv.port, servername: 'isotls.test', ca: ROOT_CA(), crypto: shuffledProvider(stats) });
        assert.equal(conn.info.version, version);
        assert.equal(conn.info.cryptoProvider, 'shuffled');
        const data = randomData(1 << 20);
        // one 512 KiB write (32 records sealed at once) and many small writes issued without waiting
        const writes = [conn.write(data.subarray(0, 1 << 19))];
        for (let p = 1 << 19; p < data.length; p += 3000) writes.push(conn.write(data.subarray(p, Math.min(data.length, p + 3000))));
        const echoed = readExactly(() => conn.read(), data.length);
        await Promise.all(writes);
        if (version === 'TLSv1.3') await conn.updateKeys(true); // a key change in the middle of the stream
        assert.equal(sha256hex(await echoed), sha256hex(data));
        await conn.close();
      } finally { await srv.close(); }
      // the test is only worth something if completions really came out of order (the 512 KiB write's 32
      // records are sealed together, 7 of each 8 finishing before an earlier one; the other writes queue)
      assert.ok(stats.outOfOrder >= 20, `only ${stats.outOfOrder} out-of-order completions`);
    });
  }
});
