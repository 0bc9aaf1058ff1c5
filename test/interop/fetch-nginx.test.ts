import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Client } from '../../src/http/index.js';
import { clientText } from '../helpers/clients.js';
import { NGINX, startNginx, type Nginx } from '../helpers/nginx.js';
import { requirePeer } from '../helpers/peers.js';
import { ROOT_CA, serverIdentity } from '../helpers/pki.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
function pattern(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 131 + (i >> 10)) & 0xff;
  return b;
}
const TEXT = 'isotls fetch against nginx, compressible text. '.repeat(5000);
const BIG = pattern(8 * 1024 * 1024);

const LOCATIONS = `
    location = /whoami { default_type text/plain; return 200 "cn=$ssl_client_s_dn|verify=$ssl_client_verify|proto=$server_protocol|conn=$connection|req=$connection_requests"; }
    location = /upload { client_max_body_size 20m; default_type text/plain; return 200 "length=$content_length proto=$server_protocol"; }
    location = /moved { return 301 /whoami; }
    location /files/ { default_type application/octet-stream; }
    location = /files/text.txt { default_type text/plain; gzip on; gzip_types text/plain; gzip_min_length 1; }
`;

/** Parses nginx's /whoami answer. */
const whoami = async (res: Response) => Object.fromEntries((await res.text()).split('|').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));

async function startTestNginx(): Promise<Nginx> {
  const id = serverIdentity('ecdsa');
  return startNginx({ cert: id.cert, key: id.key, clientCa: clientText('client-ca-A.crt'), locations: LOCATIONS, files: { 'files/text.txt': TEXT, 'files/big.bin': BIG } });
}

describe('isotls/fetch against nginx with ssl_verify_client on', function () {
  this.timeout(60000);
  let nginx: Nginx;
  before(async function () {
    if (!requirePeer(this, NGINX, ['-v'])) this.skip();
    nginx = await startTestNginx();
  });
  after(async () => { await nginx?.stop(); });
  const url = (path: string) => `https://127.0.0.1:${nginx.port}${path}`;
  const tls = { ca: ROOT_CA(), cert: clientText('client-ecdsa-p256.crt'), key: clientText('client-ecdsa-p256.pkcs8.pem') };

  it('HTTP/1.1: nginx verifies the client certificate; keep-alive carries many requests on one connection', async () => {
    const client = new Client({ tls, http2: false });
    try {
      const seen = [];
      for (let i = 0; i < 5; i++) seen.push(await whoami(await client.fetch(url('/whoami'))));
      assert.equal(seen[0]!.cn, 'O=isotls tests,CN=client-ecdsa-p256');
      assert.equal(seen[0]!.verify, 'SUCCESS');
      assert.equal(seen[0]!.proto, 'HTTP/1.1');
      assert.equal(new Set(seen.map((s) => s.conn)).size, 1);
      assert.deepEqual(seen.map((s) => s.req), ['1', '2', '3', '4', '5']);
    } finally { await client.close(); }
  });

  it('HTTP/1.1: without a client certificate nginx answers 400 (no required SSL certificate was sent)', async () => {
    const client = new Client({ tls: { ca: ROOT_CA() }, http2: false });
    try {
      const res = await client.fetch(url('/whoami'));
      assert.equal(res.status, 400);
      assert.match(await res.text(), /No required SSL certificate was sent/);
    } finally { await client.close(); }
  });

  it('HTTP/1.1: an 8 MiB file, gzip-encoded text, a redirect, and a 1 MB chunked upload, all on one connection', async () => {
    const client = new Client({ tls, http2: false });
    try {
      const big = await client.fetch(url('/files/big.bin'));
      assert.equal(big.headers.get('content-length'), String(BIG.length));
      assert.equal(sha256(new Uint8Array(await big.arrayBuffer())), sha256(BIG));
      const text = await client.fetch(url('/files/text.txt'));
      assert.equal(text.headers.get('content-encoding'), 'gzip');
      assert.equal(await text.text(), TEXT);
      const moved = await client.fetch(url('/moved'));
      assert.equal(moved.redirected, true);
      assert.equal(moved.url, url('/whoami'));
      await moved.text();
      const data = pattern(1_000_000);
      const body = new ReadableStream<Uint8Array>({ start(c) { for (let o = 0; o < data.length; o += 250_000) c.enqueue(data.slice(o, o + 250_000)); c.close(); } });
      const up = await client.fetch(url('/upload'), { method: 'POST', body, duplex: 'half' } as RequestInit);
      assert.equal(up.status, 200);
      assert.match(await up.text(), /proto=HTTP\/1\.1/);
      const after = await whoami(await client.fetch(url('/whoami')));
      // big, text, moved + its target, upload, this: the sixth request on the connection.
      assert.equal(after.req, '6', 'the upload was framed so the connection carried on');
      assert.match(nginx.accessLog(), /POST \/upload HTTP\/1\.1 proto=HTTP\/1\.1 cn=O=isotls tests,CN=client-ecdsa-p256 verify=SUCCESS/);
    } finally { await client.close(); }
  });

  it('HTTP/2: h2 by ALPN, the client certificate verified, 50 requests (10 in flight) on one connection', async () => {
    const client = new Client({ tls });
    try {
      const seen = [];
      for (let batch = 0; batch < 5; batch++) seen.push(...await Promise.all(Array.from({ length: 10 }, () => client.fetch(url('/whoami')).then(whoami))));
      assert.ok(seen.every((s) => s.proto === 'HTTP/2.0' && s.verify === 'SUCCESS' && s.cn === 'O=isotls tests,CN=client-ecdsa-p256'));
      assert.equal(new Set(seen.map((s) => s.conn)).size, 1);
      assert.equal(Math.max(...seen.map((s) => Number(s.req))), 50);
    } finally { await client.close(); }
  });

  it('HTTP/2: an 8 MiB file, gzip-encoded text, a redirect and a 1 MB streamed upload', async () => {
    const client = new Client({ tls });
    try {
      assert.equal(sha256(new Uint8Array(await (await client.fetch(url('/files/big.bin'))).arrayBuffer())), sha256(BIG));
      const text = await client.fetch(url('/files/text.txt'));
      assert.equal(text.headers.get('content-encoding'), 'gzip');
      assert.equal(await text.text(), TEXT);
      const moved = await client.fetch(url('/moved'));
      assert.equal(moved.url, url('/whoami'));
      assert.equal((await whoami(moved)).proto, 'HTTP/2.0');
      const data = pattern(1_000_000);
      const body = new ReadableStream<Uint8Array>({ start(c) { for (let o = 0; o < data.length; o += 250_000) c.enqueue(data.slice(o, o + 250_000)); c.close(); } });
      const up = await client.fetch(url('/upload'), { method: 'POST', body, duplex: 'half' } as RequestInit);
      assert.equal(up.status, 200);
      assert.match(await up.text(), /proto=HTTP\/2\.0/);
      assert.match(nginx.accessLog(), /POST \/upload HTTP\/2\.0 proto=HTTP\/2\.0 cn=O=isotls tests,CN=client-ecdsa-p256 verify=SUCCESS/);
    } finally { await client.close(); }
  });
});
