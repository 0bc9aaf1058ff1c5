import assert from 'node:assert/strict';
import { connect, proxyTransport, TransportError } from '../../src/index.js';
import { readExactly } from '../helpers/data.js';
import { startNodeTlsServer } from '../helpers/node-server.js';
import { requirePeer } from '../helpers/peers.js';
import { ROOT_CA } from '../helpers/pki.js';
import { startTinyproxy } from '../helpers/tinyproxy.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** proxyTransport through a real HTTP proxy (Debian's tinyproxy) to Node's tls server, all on 127.0.0.1. */
describe('interop: TLS through an HTTP CONNECT proxy (tinyproxy)', function () {
  this.timeout(30000);
  before(function () { if (!requirePeer(this, 'tinyproxy', ['-v'])) this.skip(); });

  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
    it(`${version} through the tunnel, echoed, with the server name checked as without a proxy`, async () => {
      const [srv, proxy] = await Promise.all([startNodeTlsServer({ version }), startTinyproxy()]);
      try {
        const transport = await proxyTransport({ proxy: `http://127.0.0.1:${proxy.port}`, host: '127.0.0.1', port: srv.port });
        const conn = await connect({ transport, servername: 'isotls.test', ca: ROOT_CA() });
        assert.equal(conn.info.version, version);
        assert.equal(conn.info.authorized, true);
        await conn.write(enc('through the proxy'));
        assert.equal(new TextDecoder().decode(await readExactly(() => conn.read(), 17)), 'through the proxy');
        await conn.close();
      } finally { await Promise.all([srv.close(), proxy.stop()]); }
    });
  }

  it('Basic proxy authentication: refused without credentials (407, named in the error), tunnel with them', async () => {
    const [srv, proxy] = await Promise.all([startNodeTlsServer(), startTinyproxy({ auth: ['isotls', 's3cret'] })]);
    try {
      await assert.rejects(proxyTransport({ proxy: `http://127.0.0.1:${proxy.port}`, host: '127.0.0.1', port: srv.port }),
        (e: TransportError) => e instanceof TransportError && e.reason === 'proxy_refused' && / 407 /.test(e.message));
      const transport = await proxyTransport({ proxy: `http://isotls:s3cret@127.0.0.1:${proxy.port}`, host: '127.0.0.1', port: srv.port });
      const conn = await connect({ transport, servername: 'isotls.test', ca: ROOT_CA() });
      assert.equal(conn.info.authorized, true);
      await conn.close();
    } finally { await Promise.all([srv.close(), proxy.stop()]); }
  });

  it('a proxy that refuses the target port: proxy_refused, with the status it answered', async () => {
    const [srv, proxy] = await Promise.all([startNodeTlsServer(), startTinyproxy({ connectPorts: [443] })]);
    try {
      const e = await proxyTransport({ proxy: `http://127.0.0.1:${proxy.port}`, host: '127.0.0.1', port: srv.port }).then(() => undefined, (x: unknown) => x);
      assert.ok(e instanceof TransportError && e.reason === 'proxy_refused', String(e));
      assert.match(e.message, /refused CONNECT 127\.0\.0\.1:\d+: HTTP\/1\.[01] 403/);
    } finally { await Promise.all([srv.close(), proxy.stop()]); }
  });

  it('refuses proxy URLs it cannot use, before dialling', async () => {
    await assert.rejects(proxyTransport({ proxy: 'https://127.0.0.1:1', host: 'a', port: 1 }), (e: TransportError) => e.reason === 'bad_proxy' && /only http:\/\//.test(e.message));
    await assert.rejects(proxyTransport({ proxy: 'not a url', host: 'a', port: 1 }), (e: TransportError) => e.reason === 'bad_proxy');
    await assert.rejects(proxyTransport({ proxy: 'http://127.0.0.1:1', host: 'a', port: 1, headers: { 'X-Evil': 'a\r\nInjected: 1' }, dial: async () => ({ read: async () => null, write: async () => undefined, close: async () => undefined }) }),
      (e: TransportError) => e.reason === 'bad_proxy' && /line break/.test(e.message));
  });
});
