import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './helpers/vectors.js';

describe('npm run demo', function () {
  this.timeout(120000);
  it('connects once per TLS 1.3 suite and prints a test-endpoint report for each', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'docs', 'examples', 'demo.ts')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const reports = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(reports.map((x) => x.usedCipher), ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256']);
    for (const x of reports) {
      assert.equal(x.tlsVersion, 'TLSv1.3');
      assert.match(x.fingerprintSHA256hex, /^[0-9A-F]{64}$/);
      assert.equal(x.commonName, 'isotls.test');
      assert.equal(x.sni, 'api.isotls.test');
      assert.equal(x.issuedBy, 'isotls Test Intermediate CA');
      assert.equal(x.expire, '491231235959Z');
      // the server's own reply names the suite it used
      assert.equal(x.reply, `hello from node:tls (${x.usedCipher})`);
    }
  });
});
