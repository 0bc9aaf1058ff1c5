import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeTlsServer } from './helpers/node-server.js';
import { pkiPath } from './helpers/pki.js';
import { ROOT } from './helpers/vectors.js';

/**
 * `npm pack` from the working tree (prepack builds dist/), installed into a scratch project with nothing
 * else of ours: an ESM consumer, a CommonJS consumer (require() of ESM, Node ≥ 20.19) and TypeScript
 * consumers (moduleResolution bundler and node16) use it against a local server.
 */
const execFileP = promisify(execFile);

describe('package: npm pack, install, consume', function () {
  this.timeout(240000);
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'isotls-pack-')); });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  it('packs with dist, types and LICENSE, installs, and runs from ESM, CommonJS and TypeScript', async () => {
    const pack = spawnSync('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    const list = spawnSync('tar', ['tzf', join(dir, tarball)], { encoding: 'utf8' }).stdout.split('\n');
    for (const f of ['package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/x509/index.js', 'package/LICENSE', 'package/README.md']) assert.ok(list.includes(f), `${f} in the tarball`);
    assert.ok(!list.some((f) => f.startsWith('package/test/')), 'no tests in the package');

    const app = join(dir, 'app');
    spawnSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--silent', join(dir, tarball)], { cwd: app, encoding: 'utf8' });
    assert.equal(install.status, 0, install.stderr);

    const srv = await startNodeTlsServer();
    try {
      const body = `const conn = await connect({ host: '127.0.0.1', port: ${srv.port}, servername: 'localhost', ca: readFileSync(${JSON.stringify(pkiPath('root-ca.crt'))}) });
        await conn.write(new TextEncoder().encode('hi')); const got = await conn.read(); console.log(conn.info.version, new TextDecoder().decode(got)); await conn.close();`;
      writeFileSync(join(app, 'esm.mjs'), `import { connect } from 'isotls'; import { readFileSync } from 'node:fs';\n${body}`);
      writeFileSync(join(app, 'cjs.cjs'), `const { connect } = require('isotls'); const { readFileSync } = require('node:fs');\n(async () => { ${body} })();`);
      for (const file of ['esm.mjs', 'cjs.cjs']) {
        // asynchronously: the server runs in this process
        const run = await execFileP(process.execPath, [file], { cwd: app, encoding: 'utf8', timeout: 30000 });
        assert.equal(run.stdout.trim(), 'TLSv1.3 hi', `${file}: ${run.stderr}`);
      }
      // TypeScript consumers type-check against the published .d.ts (both resolution modes)
      // (an ES module under node16: the package is ESM; CommonJS code reaches it by require() at run time, above)
      const source = `import { connect, TlsError, type ConnectOptions } from 'isotls';\nimport { verifyChain } from 'isotls/x509';\nconst o: ConnectOptions = { host: 'h', port: 443, readTimeout: 1000 };\nvoid connect; void TlsError; void verifyChain; void o;\n`;
      writeFileSync(join(app, 'use.ts'), source);
      writeFileSync(join(app, 'use.mts'), source);
      for (const [mod, res, file] of [['esnext', 'bundler', 'use.ts'], ['node16', 'node16', 'use.mts']]) {
        writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: mod, moduleResolution: res, target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: [], lib: ['es2022', 'dom'] }, files: [file] }));
        const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
        assert.equal(tsc.status, 0, `${res}: ${tsc.stdout}${tsc.stderr}`);
      }
    } finally { await srv.close(); }
  });
});
