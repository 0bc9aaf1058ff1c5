import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { requirePeer, IN_CI } from '../helpers/peers.js';
import { ROOT } from '../helpers/vectors.js';

/**
 * gnutls-serv binds every address, so it runs in a private network namespace
 * (unshare -n, loopback only) together with a runner that drives isotls.
 */
describe('interop TLS 1.2: gnutls-serv (private network namespace)', function () {
  this.timeout(300000);
  let results: Record<string, any>[] = [];

  before(function () {
    if (!requirePeer(this, 'gnutls-serv', ['--version']) || !requirePeer(this, 'unshare', ['--version'])) { this.skip(); return; }
    const runner = join(ROOT, 'test', 'interop', 'gnutls-runner.ts');
    const r = spawnSync('unshare', ['-n', 'bash', '-c', `ip link set lo up && exec "${process.execPath}" --import tsx "${runner}"`], { cwd: ROOT, encoding: 'utf8', timeout: 240000 });
    if (r.status !== 0 && !r.stdout) {
      if (IN_CI) throw new Error(`cannot run the gnutls runner in a network namespace: ${r.stderr}`);
      console.log(`      (skipped: cannot create a network namespace here: ${r.stderr.trim().split('\n')[0]})`);
      this.skip();
    }
    results = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  });

  const names = ['ECDHE-RSA AES-128-GCM', 'ECDHE-RSA AES-256-GCM', 'DHE-RSA AES-128-GCM', 'DHE-RSA AES-256-GCM', 'DHE-RSA AES-128-CCM', 'DHE-RSA AES-256-CCM',
    'DHE-RSA AES-128-CCM-8', 'DHE-RSA AES-256-CCM-8', 'ECDHE-RSA AES-128-CBC-SHA256 (EtM)', 'ECDHE-RSA AES-256-CBC-SHA384', 'DHE-RSA AES-128-CBC-SHA256',
    'DHE-RSA AES-256-CBC-SHA256', 'ECDHE-ECDSA AES-128-GCM', 'ECDHE-ECDSA AES-256-CBC-SHA384', 'ECDHE-ECDSA CHACHA20-POLY1305', 'ECDHE-RSA CHACHA20-POLY1305',
    'DHE-RSA CHACHA20-POLY1305', 'CBC without EtM', '1 MiB echo over DHE AES-128-CCM', 'resumption by ticket', 'resumption by session ID'];
  names.push('TLS 1.3 resumption (PSK from a ticket)', 'TLS 1.3 record_size_limit 512', 'TLS 1.2 record_size_limit 512');
  for (const client of ['client-rsa2048', 'client-rsa4096', 'client-ecdsa-p256', 'client-ecdsa-p384', 'client-ed25519']) names.push(`mTLS TLS 1.3 ${client}`, `mTLS TLS 1.2 ${client}`);
  for (const name of names) {
    it(name, () => {
      const r = results.find((x) => x.name === name);
      assert.ok(r, `no result for ${name}`);
      assert.equal(r.ok, true, JSON.stringify(r));
      assert.equal(r.version, /(^|mTLS )TLS 1\.3/.test(name) ? 'TLSv1.3' : 'TLSv1.2');
      if (r.resumed !== undefined) assert.equal(r.resumed, true);
      if (/DHE-RSA/.test(name) && !/ECDHE/.test(name)) assert.equal(r.group, 'ffdhe2048', 'RFC 7919 negotiated group');
    });
  }
});
