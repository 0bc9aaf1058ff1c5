/**
 * Runs inside a private network namespace (see gnutls.test.ts): starts
 * gnutls-serv for each case, drives isotls against it, prints one JSON line
 * per case and stops every server it started. gnutls-serv binds all
 * addresses, which here means only the namespace's own loopback.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { connect, type TlsConnection } from '../../src/index.js';
import { tracingTransport } from '../../src/debug/index.js';
import { nodeTcpConnect } from '../../src/transport/node-tcp.js';
import { pki, pkiPath } from '../helpers/pki.js';

interface Case { name: string; key: 'rsa' | 'ecdsa'; priority: string; expect: { suite: string; group?: RegExp; etm?: boolean }; mib?: boolean; resume?: boolean; noticket?: boolean; client?: string; recordSizeLimit?: number }
const base = 'NONE:+VERS-TLS1.2:+SIGN-ALL:+GROUP-ALL:+COMP-NULL:+CTYPE-X509';
const c = (name: string, key: 'rsa' | 'ecdsa', kx: string, cipher: string, mac: string, suite: string, extra: Partial<Case> = {}): Case =>
  ({ name, key, priority: `${base}:+${kx}:+${cipher}:+${mac}`, expect: { suite }, ...extra });

const CASES: Case[] = [
  c('ECDHE-RSA AES-128-GCM', 'rsa', 'ECDHE-RSA', 'AES-128-GCM', 'AEAD', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'),
  c('ECDHE-RSA AES-256-GCM', 'rsa', 'ECDHE-RSA', 'AES-256-GCM', 'AEAD', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'),
  c('DHE-RSA AES-128-GCM', 'rsa', 'DHE-RSA', 'AES-128-GCM', 'AEAD', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'),
  c('DHE-RSA AES-256-GCM', 'rsa', 'DHE-RSA', 'AES-256-GCM', 'AEAD', 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'),
  c('DHE-RSA AES-128-CCM', 'rsa', 'DHE-RSA', 'AES-128-CCM', 'AEAD', 'TLS_DHE_RSA_WITH_AES_128_CCM'),
  c('DHE-RSA AES-256-CCM', 'rsa', 'DHE-RSA', 'AES-256-CCM', 'AEAD', 'TLS_DHE_RSA_WITH_AES_256_CCM'),
  c('DHE-RSA AES-128-CCM-8', 'rsa', 'DHE-RSA', 'AES-128-CCM-8', 'AEAD', 'TLS_DHE_RSA_WITH_AES_128_CCM_8'),
  c('DHE-RSA AES-256-CCM-8', 'rsa', 'DHE-RSA', 'AES-256-CCM-8', 'AEAD', 'TLS_DHE_RSA_WITH_AES_256_CCM_8'),
  c('ECDHE-RSA AES-128-CBC-SHA256 (EtM)', 'rsa', 'ECDHE-RSA', 'AES-128-CBC', 'SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', { expect: { suite: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', etm: true } }),
  c('ECDHE-RSA AES-256-CBC-SHA384', 'rsa', 'ECDHE-RSA', 'AES-256-CBC', 'SHA384', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384'),
  c('DHE-RSA AES-128-CBC-SHA256', 'rsa', 'DHE-RSA', 'AES-128-CBC', 'SHA256', 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256'),
  c('DHE-RSA AES-256-CBC-SHA256', 'rsa', 'DHE-RSA', 'AES-256-CBC', 'SHA256', 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256'),
  c('ECDHE-ECDSA AES-128-GCM', 'ecdsa', 'ECDHE-ECDSA', 'AES-128-GCM', 'AEAD', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'),
  c('ECDHE-ECDSA AES-256-CBC-SHA384', 'ecdsa', 'ECDHE-ECDSA', 'AES-256-CBC', 'SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384'),
  c('ECDHE-ECDSA CHACHA20-POLY1305', 'ecdsa', 'ECDHE-ECDSA', 'CHACHA20-POLY1305', 'AEAD', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'),
  c('ECDHE-RSA CHACHA20-POLY1305', 'rsa', 'ECDHE-RSA', 'CHACHA20-POLY1305', 'AEAD', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'),
  c('DHE-RSA CHACHA20-POLY1305', 'rsa', 'DHE-RSA', 'CHACHA20-POLY1305', 'AEAD', 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256'),
  { ...c('CBC without EtM', 'rsa', 'ECDHE-RSA', 'AES-128-CBC', 'SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'), priority: `${base}:+ECDHE-RSA:+AES-128-CBC:+SHA256:%NO_ETM`, expect: { suite: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', etm: false } },
  { ...c('1 MiB echo over DHE AES-128-CCM', 'rsa', 'DHE-RSA', 'AES-128-CCM', 'AEAD', 'TLS_DHE_RSA_WITH_AES_128_CCM'), mib: true },
  { ...c('resumption by ticket', 'ecdsa', 'ECDHE-ECDSA', 'AES-128-GCM', 'AEAD', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'), resume: true },
  { ...c('resumption by session ID', 'ecdsa', 'ECDHE-ECDSA', 'AES-128-GCM', 'AEAD', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'), resume: true, noticket: true },
  // TLS 1.3: a NewSessionTicket becomes conn.session and is offered as a PSK (psk_dhe_ke)
  // RFC 8449: GnuTLS must split its handshake flight (certificate chain included) into records we can take
  { name: 'TLS 1.3 record_size_limit 512', key: 'ecdsa', priority: 'NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM', expect: { suite: 'TLS_AES_128_GCM_SHA256' }, recordSizeLimit: 512 },
  { name: 'TLS 1.2 record_size_limit 512', key: 'ecdsa', priority: 'NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM', expect: { suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' }, recordSizeLimit: 512 },
  { name: 'TLS 1.3 resumption (PSK from a ticket)', key: 'ecdsa', priority: 'NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM', expect: { suite: 'TLS_AES_128_GCM_SHA256' }, resume: true },
  // mutual TLS: --require-client-cert, client CA A
  ...['client-rsa2048', 'client-rsa4096', 'client-ecdsa-p256', 'client-ecdsa-p384', 'client-ed25519'].flatMap((client) => [
    // one suite per server, so the negotiated suite is a real check
    { name: `mTLS TLS 1.3 ${client}`, key: 'ecdsa' as const, priority: 'NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-256-GCM', expect: { suite: 'TLS_AES_256_GCM_SHA384' }, client },
    { name: `mTLS TLS 1.2 ${client}`, key: 'ecdsa' as const, priority: 'NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM', expect: { suite: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384' }, client },
  ]),
];

async function startServer(k: Case, port: number) {
  // --crlf: echo bytes unchanged (by default the echo server turns CRLF into LF)
  const args = ['--echo', '--crlf', '--port', String(port), '--x509certfile', pkiPath(`server-${k.key}.chain.pem`), '--x509keyfile', pkiPath(`server-${k.key}.key`),
    '--priority', k.priority, '--dhparams', pkiPath('ffdhe2048.pem'), ...(k.noticket ? ['--noticket'] : []),
    ...(k.client ? ['--require-client-cert', '--verify-client-cert', '--x509cafile', pkiPath('clients/client-ca-A.crt')] : [])];
  const proc = spawn('gnutls-serv', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { out += d; });
  const end = Date.now() + 10000;
  while (!/listening/i.test(out)) {
    if (Date.now() > end || proc.exitCode !== null) { proc.kill('SIGKILL'); throw new Error(`gnutls-serv did not start: ${out}`); }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { proc, output: () => out };
}

async function echo(conn: TlsConnection, data: Uint8Array): Promise<boolean> {
  const writer = (async () => { for (let o = 0, n = 1; o < data.length; o += n, n = (n * 7 + 13) % 30000 + 1) await conn.write(data.subarray(o, o + n)); })();
  const got: Uint8Array[] = [];
  let total = 0;
  while (total < data.length) { const c = await conn.read(); if (!c) break; got.push(c); total += c.length; }
  await writer;
  const h = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  return total === data.length && h(Buffer.concat(got)) === h(data);
}

let port = 20000;
for (const k of CASES) {
  const started = Date.now();
  const srv = await startServer(k, ++port);
  const result: Record<string, unknown> = { name: k.name };
  const deadline = setTimeout(() => { console.log(JSON.stringify({ ...result, ok: false, error: 'case timed out after 30 s', server: srv.output().slice(-500) })); process.exit(1); }, 30000);
  try {
    const opts = {
      host: '127.0.0.1', port, servername: 'isotls.test', ca: pki('root-ca.crt'), handshakeTimeout: 10000,
      ...(k.client ? { cert: pki(`clients/${k.client}.crt`), key: pki(`clients/${k.client}.pkcs8.pem`) } : {}),
    };
    // with a record_size_limit, every record the server sends is measured (the trace names each record and its length)
    let maxProtected = 0;
    const traced = k.recordSizeLimit ? { transport: tracingTransport(await nodeTcpConnect('127.0.0.1', port), (line) => {
      const m = /^← server application_data 0x0303 (\d+)/.exec(line);
      if (m) maxProtected = Math.max(maxProtected, Number(m[1]));
    }), recordSizeLimit: k.recordSizeLimit } : {};
    const conn = await connect({ ...opts, ...traced });
    result.version = conn.info.version;
    result.suite = conn.info.cipherSuite;
    result.group = conn.info.group;
    result.etm = conn.info.encryptThenMac;
    // gnutls-serv's echo is line- and C-string-based: printable lines, no NUL bytes, newline-terminated
    const data = new Uint8Array(k.mib ? 1 << 20 : 4096).map((_, i) => (i % 100 === 99 ? 0x0a : 33 + ((i * 131) % 94)));
    data[data.length - 1] = 0x0a;
    result.echo = await echo(conn, data);
    const session = conn.session;
    result.ticket = !!session?.ticket;
    await conn.close();
    if (k.resume) {
      const again = await connect({ ...opts, session });
      result.resumed = again.info.resumed;
      result.echoAfterResume = await echo(again, new Uint8Array(1000).map((_, i) => (i % 50 === 49 ? 0x0a : 0x61)));
      await again.close();
    }
    if (k.client) {
      await new Promise((r) => setTimeout(r, 100));
      result.serverSawClient = new RegExp(`CN=${k.client}`).test(srv.output());
      if (!result.serverSawClient) result.server = srv.output().slice(-800);
    }
    if (k.recordSizeLimit) {
      // a protected record: TLS 1.3 inner plaintext (limit) + 16-byte tag; TLS 1.2 GCM plaintext (limit) + 8-byte nonce + 16-byte tag
      result.maxProtectedRecord = maxProtected;
      result.withinLimit = maxProtected > 0 && maxProtected <= k.recordSizeLimit + (result.version === 'TLSv1.3' ? 16 : 24);
    }
    result.ok = (!k.recordSizeLimit || result.withinLimit === true) && (!k.client || result.serverSawClient === true) && result.suite === k.expect.suite && result.echo === true && (k.expect.etm === undefined || result.etm === k.expect.etm) && (!k.resume || (result.resumed === true && result.echoAfterResume === true));
  } catch (e) {
    result.ok = false;
    result.error = `${(e as { code?: string }).code ?? ''} ${(e as Error).message}`;
    result.server = srv.output().slice(-500);
  } finally {
    clearTimeout(deadline);
    srv.proc.kill('SIGTERM');
  }
  result.ms = Date.now() - started;
  console.log(JSON.stringify(result));
}
