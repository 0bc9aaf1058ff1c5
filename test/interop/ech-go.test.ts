import assert from 'node:assert/strict';
import { connect, TlsError, type Tls13Session } from '../../src/index.js';
import { nodeTcpConnect } from '../../src/transport/node-tcp.js';
import { decodeClientHello } from '../../src/wire/client-hello.js';
import { requireGoPeer, startGoServer, type GoServer } from '../helpers/go-server.js';
import { pkiPath, ROOT_CA } from '../helpers/pki.js';
import { PROVIDERS } from '../helpers/providers.js';

/**
 * Encrypted Client Hello (RFC 9849) against Go's crypto/tls server with ECH
 * keys (test/peers/go -ech-public-name): the server decrypts the inner
 * ClientHello and continues with it (Go reports ECHAccepted and the inner
 * server name); with a config for another key it cannot, completes the outer
 * handshake as the public name, and sends retry configs, with which the
 * client's next connection succeeds.
 */
for (const provider of PROVIDERS) describe(`Encrypted Client Hello with Go crypto/tls (${provider.name} provider)`, function () {
  this.timeout(60000);
  let srv: GoServer;
  let other: GoServer;
  before(async function () {
    requireGoPeer(this);
    srv = await startGoServer(['-cert', pkiPath('server-ecdsa.chain.pem'), '-key', pkiPath('server-ecdsa.key'), '-min', '1.3', '-ech-public-name', 'public.isotls.test']);
    // a second server: its ECHConfigList carries a key the first server does not have
    other = await startGoServer(['-cert', pkiPath('server-ecdsa.chain.pem'), '-key', pkiPath('server-ecdsa.key'), '-min', '1.3', '-ech-public-name', 'public.isotls.test']);
  });
  after(async () => { await srv?.close(); await other?.close(); });
  const base = (port: number) => ({ host: '127.0.0.1', port, servername: 'isotls.test', ca: ROOT_CA(), crypto: provider });

  it('the server accepts: the real name travels encrypted (Go sees it), the handshake continues with the inner ClientHello', async () => {
    const conn = await connect({ ...base(srv.port), echConfigList: srv.echConfigList! });
    const seen = await srv.nextReport();
    assert.equal(seen.event, 'handshake', seen.error);
    assert.equal(seen.echAccepted, true);
    assert.equal(seen.serverName, 'isotls.test', 'the inner (real) server name');
    assert.equal(conn.info.echAccepted, true);
    assert.equal(conn.info.authorized, true);
    await conn.write(new TextEncoder().encode('ech\n'));
    assert.equal(new TextDecoder().decode((await conn.read())!), 'ech\n');
    await conn.close();
  });

  it('resumption over ECH: the ticket goes in the inner ClientHello (Go resumes and accepts ECH); the outer one carries a GREASE PSK', async () => {
    const first = await connect({ ...base(srv.port), echConfigList: srv.echConfigList! });
    assert.equal((await srv.nextReport()).echAccepted, true);
    await first.write(new TextEncoder().encode('one\n'));
    await first.read(); // the tickets arrive with or before the echo
    const session = first.session;
    assert.ok(session && session.version === 'TLSv1.3', 'a TLS 1.3 session from the ECH connection');
    await first.close();
    // record the ClientHello that goes on the wire: the outer one
    const tcp = await nodeTcpConnect('127.0.0.1', srv.port);
    let firstWrite: Uint8Array | undefined;
    const transport = { read: () => tcp.read(), close: () => tcp.close(), write: (d: Uint8Array) => { firstWrite ??= d.slice(); return tcp.write(d); } };
    const second = await connect({ ...base(srv.port), transport, echConfigList: srv.echConfigList!, session });
    const outerHello = decodeClientHello(firstWrite!.subarray(9, 9 + ((firstWrite![6]! << 16) | (firstWrite![7]! << 8) | firstWrite![8]!)));
    const outerPsk = outerHello.extensionMap.get(41);
    assert.ok(outerPsk, 'the outer ClientHello carries a pre_shared_key');
    const identity = outerPsk.subarray(4, 4 + ((outerPsk[2]! << 8) | outerPsk[3]!));
    assert.equal(identity.length, (session as Tls13Session).ticket.length, 'a GREASE identity as long as the ticket');
    assert.notDeepEqual([...identity], [...(session as Tls13Session).ticket], 'not the real ticket');
    assert.ok(new TextDecoder().decode(outerHello.extensionMap.get(0)!).includes('public.isotls.test'), 'the outer SNI is the public name');
    const seen = await srv.nextReport();
    assert.deepEqual([seen.echAccepted, seen.didResume, seen.serverName], [true, true, 'isotls.test']);
    assert.deepEqual([second.info.echAccepted, second.info.resumed, second.info.authorized], [true, true, true]);
    await second.close();
    // a server that cannot decrypt (another config) sees only the GREASE PSK and does a full handshake as the public name
    const third = await connect({ ...base(srv.port), echConfigList: other.echConfigList!, session: second.session ?? session }).then(() => undefined, (x: unknown) => x);
    assert.ok(third instanceof TlsError && third.code === 'ech_required/ech_rejected', String(third));
    const outer = await srv.nextReport();
    assert.deepEqual([outer.echAccepted, outer.didResume, outer.serverName], [false, false, 'public.isotls.test']);
  });

  it('the server rejects (a config for another key): ech_required after authenticating the public name, with retry configs that then work', async () => {
    const e = await connect({ ...base(srv.port), echConfigList: other.echConfigList! }).then(() => undefined, (x: unknown) => x);
    assert.ok(e instanceof TlsError, String(e));
    assert.equal(e.code, 'ech_required/ech_rejected');
    assert.ok(e.echRetryConfigs && e.echRetryConfigs.length > 10, 'the server sent retry configs');
    const seen = await srv.nextReport();
    assert.equal(seen.echAccepted, false);
    assert.equal(seen.serverName, 'public.isotls.test', 'the outer handshake named only the public name');
    const retry = await connect({ ...base(srv.port), echConfigList: e.echRetryConfigs! });
    assert.equal(retry.info.echAccepted, true);
    assert.equal((await srv.nextReport()).echAccepted, true);
    await retry.close();
  });

  it('a HelloRetryRequest (the server wants P-256): the second ClientHello pair keeps ECH, accepted and rejected alike', async () => {
    const p256 = await startGoServer(['-cert', pkiPath('server-ecdsa.chain.pem'), '-key', pkiPath('server-ecdsa.key'), '-min', '1.3', '-curves', 'P256', '-ech-public-name', 'public.isotls.test']);
    try {
      const conn = await connect({ ...base(p256.port), echConfigList: p256.echConfigList! });
      assert.equal(conn.info.helloRetryRequest, true);
      assert.equal(conn.info.echAccepted, true);
      assert.equal(conn.info.group, 'secp256r1');
      const seen = await p256.nextReport();
      assert.equal(seen.echAccepted, true);
      assert.equal(seen.serverName, 'isotls.test');
      await conn.write(new TextEncoder().encode('hrr\n'));
      assert.equal(new TextDecoder().decode((await conn.read())!), 'hrr\n');
      await conn.close();
      // with a config for another key the HelloRetryRequest carries no confirmation: rejected, retry configs given
      const e = await connect({ ...base(p256.port), echConfigList: other.echConfigList! }).then(() => undefined, (x: unknown) => x);
      assert.ok(e instanceof TlsError && e.code === 'ech_required/ech_rejected', String(e));
      assert.ok(e.echRetryConfigs);
      assert.equal((await p256.nextReport()).serverName, 'public.isotls.test');
    } finally { await p256.close(); }
  });

  it('GREASE ECH (greaseEch: true, no config): the extension goes out, the server ignores it, the connection succeeds without ECH', async () => {
    const conn = await connect({ ...base(srv.port), greaseEch: true });
    assert.equal(conn.info.echAccepted, false);
    assert.equal(conn.info.authorized, true);
    const seen = await srv.nextReport();
    assert.equal(seen.echAccepted, false);
    assert.equal(seen.serverName, 'isotls.test', 'GREASE ECH hides nothing: the real name is in the clear');
    await conn.close();
  });

  it('a list with no usable config is a config error naming why', async () => {
    const bogus = new Uint8Array([0, 6, 0xfe, 0x0a, 0, 2, 0, 0]);
    const e = await connect({ ...base(srv.port), echConfigList: bogus }).then(() => undefined, (x: unknown) => x);
    assert.ok(e instanceof TlsError && e.code === 'config/bad_ech_config', String(e));
  });
});
