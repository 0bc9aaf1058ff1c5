import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { connect, TlsError } from '../../src/index.js';
import { ROOT } from '../helpers/vectors.js';

/** The serverAuth cases of vectors/x509/cases.json, served by Node's tls server and validated by a real handshake. */
const dir = join(ROOT, 'vectors', 'x509');
const read = (f: string) => readFileSync(join(dir, f), 'utf8');
const { cases } = JSON.parse(read('cases.json')) as { cases: { name: string; leaf: string; intermediates: string[]; purpose: string; dns?: string; now?: string; profile?: string; expect: string }[] };
const served = cases.filter((c) => c.purpose === 'serverAuth' && c.dns && !c.profile && !('anchors' in c) && existsSync(join(dir, c.leaf.replace('.crt', '.key'))));

describe('X.509 corpus through real TLS 1.3 handshakes (Node tls server)', function () {
  this.timeout(60000);
  it('serves enough cases to mean something', () => assert.ok(served.length >= 8, `${served.length} cases`));
  for (const c of served) {
    it(`${c.name}: ${c.expect}`, async () => {
      let server: tls.Server;
      try {
        server = tls.createServer({ cert: [read(c.leaf), ...c.intermediates.map(read)].join(''), key: read(c.leaf.replace('.crt', '.key')), minVersion: 'TLSv1.3' }, (s) => { s.on('error', () => undefined); s.end('ok'); });
      } catch (e) {
        // OpenSSL refuses to load some deliberately weak material (e.g. RSA-1024 at its security level)
        assert.match(c.expect, /weak_/, `Node refused to serve a case that is not about weak material: ${e}`);
        return;
      }
      server.on('tlsClientError', () => undefined);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as AddressInfo).port;
      let outcome = 'ok';
      try {
        const conn = await connect({ host: '127.0.0.1', port, servername: c.dns!, ca: read('../pki/root-ca.crt'), now: () => new Date(c.now ?? '2030-01-01T00:00:00Z') });
        await conn.close();
      } catch (e) {
        assert.ok(e instanceof TlsError, String(e));
        outcome = e.reason;
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
      assert.equal(outcome, c.expect);
    });
  }
});
