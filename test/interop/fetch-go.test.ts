import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Client } from '../../src/http/index.js';
import { clientFile, clientText } from '../helpers/clients.js';
import { requireGoPeer, startGoServer, type GoServer } from '../helpers/go-server.js';
import { pkiPath, ROOT_CA } from '../helpers/pki.js';

/** The body byte at offset i, as the Go peer's /bytes sends it. */
const patternSha = (n: number) => {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + (i >> 9)) & 0xff;
  return createHash('sha256').update(b).digest('hex');
};

/** isotls/fetch against Go's net/http server (test/peers/go -http): HTTP/2 by ALPN and HTTP/1.1, client certificate required. */
describe('isotls/fetch against Go net/http (h2 and HTTP/1.1, RequireAndVerifyClientCert)', function () {
  this.timeout(60000);
  let go: GoServer;
  before(async function () {
    requireGoPeer(this);
    go = await startGoServer(['-http', '-cert', pkiPath('server-ecdsa.chain.pem'), '-key', pkiPath('server-ecdsa.key'), '-client-auth', 'require', '-client-ca', clientFile('client-ca-A.crt')]);
  });
  after(async () => { await go?.close(); });
  const url = (p: string) => `https://127.0.0.1:${go.port}${p}`;
  const tls = { ca: ROOT_CA(), cert: clientText('client-rsa2048.crt'), key: clientText('client-rsa2048.pkcs8.pem') };

  it('h2: 100 GETs with 10 in flight on one connection; Go saw HTTP/2.0 and the client certificate', async () => {
    const client = new Client({ tls });
    try {
      const remotes = new Set<string>();
      for (let batch = 0; batch < 10; batch++) {
        const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => client.fetch(url(`/echo?i=${batch * 10 + i}`)).then((r) => r.json() as Promise<{ proto: string; cn: string; remote: string }>)));
        for (const r of rs) { assert.equal(r.proto, 'HTTP/2.0'); assert.equal(r.cn, 'client-rsa2048'); remotes.add(r.remote); }
      }
      assert.equal(remotes.size, 1);
    } finally { await client.close(); }
  });

  it('h2: a 24 MiB download and a 5 MB upload checked by SHA-256 on both ends', async () => {
    const client = new Client({ tls });
    try {
      const n = 24 * 1024 * 1024;
      const res = await client.fetch(url(`/bytes?n=${n}`));
      assert.equal(createHash('sha256').update(new Uint8Array(await res.arrayBuffer())).digest('hex'), patternSha(n));
      const up = new Uint8Array(5_000_000).map((_, i) => i % 251);
      const r = await (await client.fetch(url('/echo'), { method: 'POST', body: up })).json() as { proto: string; length: number; sha256: string };
      assert.deepEqual([r.proto, r.length, r.sha256], ['HTTP/2.0', up.length, createHash('sha256').update(up).digest('hex')]);
    } finally { await client.close(); }
  });

  it('HTTP/1.1 when h2 is off: keep-alive to Go\'s server', async () => {
    const client = new Client({ tls, http2: false });
    try {
      const a = await (await client.fetch(url('/echo?a'))).json() as { proto: string; remote: string };
      const b = await (await client.fetch(url('/echo?b'), { method: 'PUT', body: 'x'.repeat(100_000) })).json() as { proto: string; remote: string; length: number };
      assert.deepEqual([a.proto, b.proto, b.length], ['HTTP/1.1', 'HTTP/1.1', 100_000]);
      assert.equal(a.remote, b.remote);
    } finally { await client.close(); }
  });

  it('without a client certificate Go refuses the handshake: the TlsError is the cause', async () => {
    const client = new Client({ tls: { ca: ROOT_CA() } });
    try {
      await assert.rejects(client.fetch(url('/echo')), (e) => e instanceof TypeError && /^peer_alert\//.test(String((e as { cause?: { code?: string } }).cause?.code)));
    } finally { await client.close(); }
  });
});
