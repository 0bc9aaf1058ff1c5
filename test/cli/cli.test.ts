import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { clientFile, clientText } from '../helpers/clients.js';
import { requireGoPeer, startGoServer } from '../helpers/go-server.js';
import { startOpenSslServer, type OpenSslServer } from '../helpers/openssl-server.js';
import { pkiPath, serverIdentity } from '../helpers/pki.js';
import { ROOT } from '../helpers/vectors.js';

interface CliResult { code: number; stdout: string; stderr: string }

/** Runs the CLI as a user would (`isotls …`), from its source through tsx. */
function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const json = <T>(r: CliResult): T => { try { return JSON.parse(r.stdout) as T; } catch { throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`); } };
const noStack = (r: CliResult) => { assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace'); assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`); };
const ROOT_CA = pkiPath('root-ca.crt');
const CLIENT = ['--cert', clientFile('client-ecdsa-p256.crt'), '--key', clientFile('client-ecdsa-p256.pkcs8.pem')];

/** s_server with a known configuration: the scan must report exactly this. */
const SCAN_SERVER = ['-cipher', 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-SHA', '-ciphersuites', 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256', '-groups', 'X25519:P-384', '-serverpref', '-no_tls1_1', '-no_tls1'];

describe('isotls CLI', function () {
  this.timeout(60000);
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'isotls-cli-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('probe', () => {
    let srv: OpenSslServer;
    beforeEach(async () => {
      // TLS 1.2 and 1.3, asking for a client certificate from client CA A (not requiring it).
      srv = await startOpenSslServer({ mode: 'www', naccept: 3, version: 'any', args: ['-verify', '2', '-CAfile', clientFile('client-ca-A.crt')] });
    });
    afterEach(async () => { await srv?.close(); });

    it('reports the test-endpoint fields, the chain, validation under --ca, and the client-certificate request (JSON)', async () => {
      const r = await cli(['probe', `127.0.0.1:${srv.port}`, '--servername', 'isotls.test', '--ca', ROOT_CA, ...CLIENT, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const p = json<Record<string, any>>(r);
      assert.equal(p.schema, 'isotls.probe/1');
      assert.equal(p.tlsVersion, 'TLSv1.3');
      assert.match(p.usedCipher, /^TLS_AES_/);
      assert.equal(p.commonName, 'isotls.test');
      assert.equal(p.sni, 'isotls.test');
      assert.equal(p.issuedBy, 'isotls Test Intermediate CA');
      assert.match(p.fingerprintSHA256hex, /^[0-9A-F]{64}$/);
      assert.equal(p.expire, '2049-12-31T23:59:59.000Z');
      assert.equal(p.chain.length, 2);
      assert.equal(p.chain[0].key, 'EC P-256');
      assert.deepEqual(p.validation, { trusted: true, trust: ROOT_CA, error: null });
      assert.equal(p.clientCertificate.requested, true);
      assert.equal(p.clientCertificate.sent, true);
      assert.deepEqual(p.clientCertificate.acceptableCAs, ['CN=isotls Client CA A, O=isotls tests']);
      assert.ok(p.clientCertificate.signatureAlgorithms.includes('ecdsa_secp256r1_sha256'));
      await srv.waitFor(/client-ecdsa-p256/);
    });

    it('without --ca the Mozilla roots do not trust the test PKI: exit 1 and the reason', async () => {
      const r = await cli(['probe', `127.0.0.1:${srv.port}`, '--servername', 'isotls.test']);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /not trusted: .*\(unknown_ca\//);
      assert.match(r.stdout, /client certificate\n {2}requested, none sent; acceptable CAs: CN=isotls Client CA A/);
    });

    it('--keylog writes the NSS key log, and --trace prints the records', async () => {
      const keylog = join(dir, 'keys.log');
      const r = await cli(['probe', `127.0.0.1:${srv.port}`, '--servername', 'isotls.test', '--ca', ROOT_CA, '--keylog', keylog, '--trace']);
      assert.equal(r.code, 0, r.stderr);
      const lines = readFileSync(keylog, 'utf8').trim().split('\n');
      assert.deepEqual(lines.map((l) => l.split(' ')[0]).sort(), ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'EXPORTER_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_TRAFFIC_SECRET_0'].sort());
      assert.match(r.stderr, /client → handshake 0x0301 \d+ \[client_hello\]/);
      assert.match(r.stderr, /← server handshake 0x0303 \d+ \[server_hello\]/);
    });
  });

  it('probe against Go: TLS 1.2 with ALPN h2, and resumption supported', async function () {
    requireGoPeer(this);
    const go = await startGoServer(['-cert', pkiPath('server-rsa.chain.pem'), '-key', pkiPath('server-rsa.key'), '-max', '1.2', '-alpn', 'h2,http/1.1']);
    try {
      const r = await cli(['probe', `127.0.0.1:${go.port}`, '--servername', 'isotls.test', '--ca', ROOT_CA, '--alpn', 'h2', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const p = json<Record<string, any>>(r);
      assert.deepEqual([p.tlsVersion, p.alpn, p.resumption, p.chain[0].key], ['TLSv1.2', 'h2', true, 'RSA 2048']);
      assert.equal(p.clientCertificate.requested, false);
    } finally { await go.close(); }
  });

  it('SSLKEYLOGFILE is honoured by the library in Node: the lines match the server\'s own key log', async () => {
    const id = serverIdentity('ecdsa');
    const serverLines: string[] = [];
    const server = https.createServer({ cert: id.cert, key: id.key }, (_req, res) => res.end('ok'));
    server.on('keylog', (line: Buffer) => serverLines.push(line.toString().trim()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const keylog = join(dir, 'sslkeylogfile.log');
    try {
      const r = await cli(['fetch', `https://127.0.0.1:${(server.address() as AddressInfo).port}/`, '--cacert', ROOT_CA, '--servername', 'isotls.test'], { SSLKEYLOGFILE: keylog });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'ok');
      const ours = readFileSync(keylog, 'utf8').trim().split('\n').filter((l) => !l.startsWith('EXPORTER_SECRET'));
      assert.equal(ours.length, 4);
      assert.deepEqual(ours.sort(), serverLines.filter((l) => !l.startsWith('EXPORTER_SECRET')).sort());
    } finally { server.close(); }
  });

  describe('scan', () => {
    let srv: OpenSslServer;
    beforeEach(async () => { srv = await startOpenSslServer({ mode: 'www', naccept: 1000, version: 'any', args: SCAN_SERVER }); });
    afterEach(async () => { await srv?.close(); });

    it('reports exactly the versions, suites (in the server\'s order), groups and extensions s_server was configured with, in under 30 s', async () => {
      const r = await cli(['scan', `127.0.0.1:${srv.port}`, '--servername', 'isotls.test', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const s = json<Record<string, any>>(r);
      assert.equal(s.schema, 'isotls.scan/1');
      assert.deepEqual(s.versions, { 'TLSv1.3': true, 'TLSv1.2': true, 'TLSv1.1': false, 'TLSv1.0': false });
      assert.deepEqual(s.suites['TLSv1.3'], ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']);
      assert.deepEqual(s.suites['TLSv1.2'], ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA']);
      assert.deepEqual(s.serverPreference, { 'TLSv1.3': true, 'TLSv1.2': true });
      assert.deepEqual(s.groups, { 'TLSv1.3': ['x25519', 'secp384r1'], 'TLSv1.2': ['x25519', 'secp384r1'] });
      assert.deepEqual(s.signatureSchemes['TLSv1.3'], ['ecdsa_secp256r1_sha256']);
      assert.ok(s.signatureSchemes['TLSv1.2'].includes('ecdsa_secp256r1_sha256'));
      assert.deepEqual(s.tls12, { secureRenegotiation: true, extendedMasterSecret: true, encryptThenMac: true });
      assert.ok(s.durationMs < 30000, `${s.durationMs} ms`);
    });

    it('--policy: a matching policy exits 0; a different one exits 1 naming each difference', async () => {
      const good = join(dir, 'good-policy.json'), bad = join(dir, 'bad-policy.json');
      writeFileSync(good, JSON.stringify({ versions: ['TLSv1.3', 'TLSv1.2'], suites: { 'TLSv1.3': ['TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_256_GCM_SHA384'] } }));
      writeFileSync(bad, JSON.stringify({ versions: ['TLSv1.3'], suites: { 'TLSv1.3': ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384'] } }));
      const ok = await cli(['scan', `127.0.0.1:${srv.port}`, '--policy', good]);
      assert.equal(ok.code, 0, ok.stdout + ok.stderr);
      assert.match(ok.stdout, /policy\n {2}matches/);
      const differs = await cli(['scan', `127.0.0.1:${srv.port}`, '--policy', bad, '--json']);
      assert.equal(differs.code, 1);
      assert.deepEqual(json<{ policy: { differences: string[] } }>(differs).policy.differences.sort(), [
        'TLSv1.3 suites: TLS_AES_128_GCM_SHA256 is required but not accepted',
        'TLSv1.3 suites: TLS_CHACHA20_POLY1305_SHA256 is accepted but not allowed',
        'versions: TLSv1.2 is accepted but not allowed',
      ]);
    });
  });

  it('scan of a server that allows everything (SECLEVEL=0): TLS 1.0/1.1 detected, anonymous, NULL, ARIA and Camellia suites found, none it cannot serve', async () => {
    const srv = await startOpenSslServer({ key: 'rsa', mode: 'www', naccept: 1000, version: 'any', args: ['-cipher', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0', '-dhparam', pkiPath('ffdhe2048.pem')] });
    try {
      const r = await cli(['scan', `127.0.0.1:${srv.port}`, '--servername', 'isotls.test', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const s = json<Record<string, any>>(r);
      assert.deepEqual(s.versions, { 'TLSv1.3': true, 'TLSv1.2': true, 'TLSv1.1': true, 'TLSv1.0': true });
      const suites: string[] = s.suites['TLSv1.2'];
      for (const expected of ['TLS_RSA_WITH_NULL_SHA', 'TLS_DH_anon_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_ARIA_128_GCM_SHA256', 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256']) assert.ok(suites.includes(expected), expected);
      assert.ok(suites.length > 40, `${suites.length} suites`);
      // An RSA certificate: nothing that needs ECDSA, DSS or a pre-shared key was reported.
      assert.deepEqual(suites.filter((n) => /ECDSA|_DSS_|PSK|SRP/.test(n)), []);
      assert.equal(s.serverPreference['TLSv1.2'], false, 's_server without -serverpref follows the client');
      assert.ok(s.durationMs < 30000);
    } finally { await srv.close(); }
  });

  it('scan against Go configured for TLS 1.2 with two suites and P-256/X25519', async function () {
    requireGoPeer(this);
    const go = await startGoServer(['-cert', pkiPath('server-ecdsa.chain.pem'), '-key', pkiPath('server-ecdsa.key'), '-max', '1.2', '-ciphers', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', '-curves', 'P256,X25519']);
    try {
      const r = await cli(['scan', `127.0.0.1:${go.port}`, '--servername', 'isotls.test', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const s = json<Record<string, any>>(r);
      assert.deepEqual(s.versions, { 'TLSv1.3': false, 'TLSv1.2': true, 'TLSv1.1': false, 'TLSv1.0': false });
      assert.deepEqual([...s.suites['TLSv1.2']].sort(), ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384']);
      assert.deepEqual([...s.groups['TLSv1.2']].sort(), ['secp256r1', 'x25519']);
      assert.equal(s.tls12.extendedMasterSecret, true);
    } finally { await go.close(); }
  });

  describe('chain', () => {
    it('finds the missing intermediate and names it', async () => {
      const r = await cli(['chain', pkiPath('server-ecdsa.crt'), '--ca', ROOT_CA, '--name', 'isotls.test', '--json']);
      assert.equal(r.code, 1);
      const c = json<Record<string, any>>(r);
      assert.equal(c.valid, false);
      assert.equal(c.steps[0].issuerFound, 'missing');
      assert.match(c.error.code, /^unknown_ca\//);
      assert.match(c.findings[0], /"CN=isotls Test Intermediate CA, O=isotls tests", is neither in the chain nor in the trust store: a missing intermediate/);
    });

    it('finds the expired leaf', async () => {
      const r = await cli(['chain', pkiPath('server-expired.chain.pem'), '--ca', ROOT_CA]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /certificate 0 \(CN=isotls\.test, O=isotls tests\) is expired/);
      assert.match(r.stdout, /\(certificate_expired\//);
    });

    it('finds a chain that leads to another root', async () => {
      const r = await cli(['chain', pkiPath('other-server.chain.pem'), '--ca', ROOT_CA]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /not valid: .*\(unknown_ca\//);
    });

    it('validates a good chain from a file and from a server, showing the path', async () => {
      const file = await cli(['chain', pkiPath('server-ecdsa.chain.pem'), '--ca', ROOT_CA, '--name', 'isotls.test', '--json']);
      assert.equal(file.code, 0, file.stdout);
      assert.deepEqual(json<{ path: string[] }>(file).path, ['CN=isotls.test, O=isotls tests', 'CN=isotls Test Intermediate CA, O=isotls tests', 'CN=isotls Test Root CA, O=isotls tests']);
      const srv = await startOpenSslServer({ mode: 'www' });
      try {
        const live = await cli(['chain', `127.0.0.1:${srv.port}`, '--servername', 'isotls.test', '--ca', ROOT_CA]);
        assert.equal(live.code, 0, live.stdout + live.stderr);
        assert.match(live.stdout, /issuer CN=isotls Test Intermediate CA, O=isotls tests: next in the chain/);
        assert.match(live.stdout, /valid: CN=isotls\.test/);
      } finally { await srv.close(); }
    });
  });

  describe('check-client-cert', () => {
    it('a good identity under the gateway policy: no violations', async () => {
      const r = await cli(['check-client-cert', '--cert', clientFile('client-rsa2048.crt'), '--key', clientFile('client-rsa2048.pkcs8.pem'), '--chain', clientFile('client-ca-A.crt')]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /no violations/);
    });

    it('lists every violation: a key that is not the certificate\'s and a curve the gateway refuses', async () => {
      const r = await cli(['check-client-cert', '--cert', clientFile('client-ecdsa-p521.crt'), '--key', clientFile('client-rsa2048.pkcs8.pem'), '--json']);
      assert.equal(r.code, 1);
      assert.deepEqual(json<{ violations: string[] }>(r).violations, [
        'the private key does not belong to the certificate (their public keys differ)',
        'the certificate uses curve P-521; allowed: P-256, P-384',
      ]);
    });

    it('an encrypted key with its passphrase; Ed25519 refused by the gateway policy but fine under none', async () => {
      const gw = await cli(['check-client-cert', '--cert', clientFile('client-ed25519.crt'), '--key', clientFile('client-ed25519.enc.pem'), '--passphrase', 'isotls-test']);
      assert.equal(gw.code, 1);
      assert.match(gw.stdout, /Ed25519 key, which this policy does not allow/);
      const none = await cli(['check-client-cert', '--cert', clientFile('client-ed25519.crt'), '--key', clientFile('client-ed25519.enc.pem'), '--passphrase', 'isotls-test', '--policy', 'none']);
      assert.equal(none.code, 0, none.stdout);
    });
  });

  describe('fetch', () => {
    it('curl-like flags against Node\'s https server requiring a client certificate; -v prints the TLS summary', async () => {
      const id = serverIdentity('ecdsa');
      const server = https.createServer({ cert: id.cert, key: id.key, ca: clientText('client-ca-A.crt'), requestCert: true, rejectUnauthorized: true }, (req, res) => {
        let body = '';
        req.on('data', (d) => { body += d; });
        req.on('end', () => res.end(JSON.stringify({ method: req.method, cn: (req.socket as TLSSocket).getPeerCertificate().subject?.CN, header: req.headers['x-test'], body, type: req.headers['content-type'] })));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
        const r = await cli(['fetch', url, '--cacert', ROOT_CA, ...CLIENT, '-X', 'PUT', '-H', 'x-test: yes', '-d', 'a=b', '-v']);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(JSON.parse(r.stdout), { method: 'PUT', cn: 'client-ecdsa-p256', header: 'yes', body: 'a=b', type: 'application/x-www-form-urlencoded' });
        assert.match(r.stderr, /\* connected to https:\/\/127\.0\.0\.1:\d+: TLSv1\.3 /);
        assert.match(r.stderr, /\* certificate verified/);
        assert.match(r.stderr, /\* client certificate requested; sent/);
        assert.match(r.stderr, /< 200/);
        const j = await cli(['fetch', url, '--cacert', ROOT_CA, ...CLIENT, '--json']);
        assert.equal(json<{ status: number }>(j).status, 200);
        const noCert = await cli(['fetch', url, '--cacert', ROOT_CA]);
        assert.equal(noCert.code, 3);
        noStack(noCert);
        const insecure = await cli(['fetch', url, '-k', ...CLIENT]);
        assert.equal(insecure.code, 0, insecure.stderr);
      } finally { server.close(); }
    });
  });

  describe('bad input: one clear line and a non-zero code, never a stack trace', () => {
    it('an unreachable port: exit 3', async () => {
      const s = createServer();
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      const port = (s.address() as AddressInfo).port;
      await new Promise<void>((r) => s.close(() => r()));
      const r = await cli(['probe', `127.0.0.1:${port}`]);
      assert.equal(r.code, 3);
      noStack(r);
      assert.match(r.stderr, /cannot connect|ECONNREFUSED/);
    });

    it('a port that does not speak TLS: exit 3 for probe and scan', async () => {
      const s = createServer((sock) => { sock.end('SSH-2.0-OpenSSH_9.2\r\n'); });
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      try {
        const port = (s.address() as AddressInfo).port;
        for (const command of ['probe', 'scan']) {
          const r = await cli([command, `127.0.0.1:${port}`]);
          assert.equal(r.code, 3, `${command}: ${r.stdout}${r.stderr}`);
          noStack(r);
        }
      } finally { s.close(); }
    });

    it('garbage PEM, a missing file, an unknown option, a missing host, a bad number, a bad URL: exit 2', async () => {
      const garbage = join(dir, 'garbage.pem');
      writeFileSync(garbage, '-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n');
      for (const args of [['chain', garbage], ['probe', '127.0.0.1:1', '--ca', join(dir, 'nope.pem')], ['scan', '127.0.0.1', '--bogus'], ['probe'], ['check-client-cert', '--cert', garbage, '--key', garbage], ['probe', '127.0.0.1:1', '--timeout', 'soon'], ['fetch', 'not a url'], ['fetch', 'https://127.0.0.1:1/', '-m', '-3']]) {
        const r = await cli(args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.doesNotMatch(r.stderr, /\n\s+at /);
        assert.match(r.stderr, /^isotls: /);
      }
    });
  });
});
