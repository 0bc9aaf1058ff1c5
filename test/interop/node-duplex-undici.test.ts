import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Agent, request } from 'undici';
import { connect } from '../../src/index.js';
import { toNodeDuplex } from '../../src/transport/node-tcp.js';
import { pki, ROOT_CA, serverIdentity } from '../helpers/pki.js';

/**
 * `toNodeDuplex` under undici (the HTTP client behind Node's fetch): an
 * `Agent({ connect })` whose connector opens isotls connections with a client
 * certificate, against Node's https server that requires and checks it.
 * Keep-alive reuse and a streamed upload are part of the check.
 */
describe('toNodeDuplex with undici: Agent({ connect }) over isotls, mutual TLS', function () {
  this.timeout(30000);
  let server: https.Server;
  let port = 0;
  const seen: { client: string; socket: number }[] = [];
  const sockets = new Map<object, number>();
  before(async () => {
    const id = serverIdentity('ecdsa');
    server = https.createServer({ cert: id.cert, key: id.key, requestCert: true, rejectUnauthorized: true, ca: pki('clients/client-ca-A.crt') }, (req, res) => {
      const s = req.socket as TLSSocket;
      if (!sockets.has(s)) sockets.set(s, sockets.size);
      seen.push({ client: new X509Certificate(s.getPeerX509Certificate()!.raw).subject, socket: sockets.get(s)! });
      const hash = createHash('sha256');
      let bytes = 0;
      req.on('data', (d: Buffer) => { hash.update(d); bytes += d.length; });
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end(req.method === 'POST' ? `${bytes} ${hash.digest('hex')}` : `hello ${req.url}`));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

  it('GETs and a POST through one keep-alive isotls connection, the server seeing our client certificate', async () => {
    let dialled = 0;
    const agent = new Agent({
      connect: (_opts, callback) => {
        dialled++;
        connect({
          host: '127.0.0.1', port, servername: 'isotls.test', ca: ROOT_CA(), ALPNProtocols: ['http/1.1'],
          cert: pki('clients/client-ecdsa-p256.crt'), key: pki('clients/client-ecdsa-p256.pkcs8.pem'),
        }).then((conn) => callback(null, toNodeDuplex(conn) as unknown as Socket), (e: Error) => callback(e, null));
      },
    });
    try {
      const origin = `https://127.0.0.1:${port}`;
      for (const path of ['/a', '/b']) {
        const res = await request(`${origin}${path}`, { dispatcher: agent });
        assert.equal(res.statusCode, 200);
        assert.equal(await res.body.text(), `hello ${path}`);
      }
      const upload = new Uint8Array(300_000).map((_, i) => (i * 7) & 255);
      const posted = await request(`${origin}/up`, { method: 'POST', body: upload, dispatcher: agent });
      assert.equal(await posted.body.text(), `${upload.length} ${createHash('sha256').update(upload).digest('hex')}`);
      // undici kept isotls connections alive and reused one (it opens a second one for back-to-back requests
      // with native TLS too: 2 sockets for 3 requests here), each dial is one connection the server saw,
      // and the server saw our identity on every request
      assert.equal(new Set(seen.map((x) => x.socket)).size, dialled);
      assert.ok(dialled < seen.length, `${dialled} connections for ${seen.length} requests: none was reused`);
      assert.ok(seen.every((x) => /CN=client-ecdsa-p256/.test(x.client)), JSON.stringify(seen));
    } finally {
      await agent.close();
    }
  });

  it('a failed isotls handshake reaches undici as the request error, with the TlsError code', async () => {
    const agent = new Agent({
      connect: (_opts, callback) => {
        connect({ host: '127.0.0.1', port, servername: 'isotls.test', ca: pki('other-root-ca.crt') })
          .then((conn) => callback(null, toNodeDuplex(conn) as unknown as Socket), (e: Error) => callback(e, null));
      },
    });
    try {
      const e = await request(`https://127.0.0.1:${port}/`, { dispatcher: agent }).then(() => undefined, (x: unknown) => x);
      assert.equal((e as { code?: string }).code, 'unknown_ca/unknown_ca');
    } finally {
      await agent.close();
    }
  });
});
