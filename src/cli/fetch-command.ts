import { appendFileSync, readFileSync } from 'node:fs';
import type { ConnectionInfo } from '../index.js';
import { mozillaRoots } from '../roots/index.js';
import { Client, type FetchTlsOptions } from '../http/index.js';
import { one, parseArgs, seconds, UsageError } from './args.js';

/**
 * `isotls fetch URL` with curl's familiar flags: -X METHOD, -H 'Name: value'
 * (repeatable), -d DATA (or -d @FILE), --cacert FILE, --cert FILE, --key FILE,
 * -k (no verification), -v (the TLS and HTTP summary on stderr), -i (headers
 * in the output), -o FILE, --json (the response as JSON: status, headers, body
 * text). Exit 0 on any HTTP status (as curl), 22 with --fail on status ≥ 400,
 * 3 on a network or TLS failure.
 */
export async function fetchCommand(argv: string[], color: boolean): Promise<number> {
  const p = parseArgs(argv, {
    values: ['request', 'header', 'data', 'cacert', 'ca', 'cert', 'key', 'passphrase', 'servername', 'output', 'keylog', 'proxy', 'max-time'],
    booleans: ['insecure', 'verbose', 'include', 'json', 'fail', 'http1.1', 'no-color'],
    aliases: { X: 'request', H: 'header', d: 'data', k: 'insecure', v: 'verbose', i: 'include', o: 'output', E: 'cert', x: 'proxy', m: 'max-time', f: 'fail' },
  });
  const url = p.positionals[0];
  if (!url) throw new UsageError('fetch needs a URL');
  try { new URL(url); } catch { throw new UsageError(`"${url}" is not a URL`); }
  const tls: FetchTlsOptions = {};
  const read = (f: string, what: string) => { try { return readFileSync(f); } catch (e) { throw new UsageError(`cannot read ${what} ${f}: ${(e as NodeJS.ErrnoException).code}`); } };
  const ca = one(p, 'cacert') ?? one(p, 'ca');
  // As curl trusts the system's roots without --cacert, we trust the Mozilla roots.
  if (ca) tls.ca = read(ca, '--cacert').toString('utf8'); else tls.trustStore = mozillaRoots();
  const cert = one(p, 'cert'), key = one(p, 'key');
  if (cert) tls.cert = read(cert, '--cert').toString('utf8');
  if (key) tls.key = new Uint8Array(read(key, '--key'));
  if (cert && !key) tls.key = new Uint8Array(read(cert, '--cert')); // curl allows the key in the --cert file
  const passphrase = one(p, 'passphrase');
  if (passphrase !== undefined) tls.passphrase = passphrase;
  const servername = one(p, 'servername');
  if (servername) tls.servername = servername;
  if (p.flags.has('insecure')) tls.rejectUnauthorized = false;
  const keylog = one(p, 'keylog');
  if (keylog) tls.onKeyLog = (line) => appendFileSync(keylog, `${line}\n`);
  const headers = new Headers();
  for (const h of p.values.get('header') ?? []) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new UsageError(`-H "${h}" is not "Name: value"`);
    headers.append(h.slice(0, colon).trim(), h.slice(colon + 1).trim());
  }
  let body: Uint8Array<ArrayBuffer> | undefined;
  const data = p.values.get('data');
  if (data) {
    body = new TextEncoder().encode(data.map((d) => (d.startsWith('@') ? read(d.slice(1), '-d').toString('utf8') : d)).join('&'));
    if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded');
  }
  const method = one(p, 'request') ?? (body ? 'POST' : 'GET');
  const verbose = p.flags.has('verbose');
  const log = (s: string) => process.stderr.write(`${s}\n`);
  if (verbose) tls.onDebug = (m) => log(`* ${m}`);
  const maxTime = seconds(p, 'max-time');
  const client = new Client({
    tls, http2: p.flags.has('http1.1') ? false : 'auto', ...(one(p, 'proxy') ? { proxy: one(p, 'proxy')! } : {}),
    // -v: the handshake summary, as curl prints it.
    ...(verbose ? { onConnect: (info: ConnectionInfo, origin: string) => {
      const leaf = info.peerCertificates[0];
      log(`* connected to ${origin}: ${info.version} ${info.cipherSuite}, group ${info.group}, signature ${info.signatureAlgorithm}, ALPN ${info.alpnProtocol || 'none'}${info.resumed ? ', resumed' : ''}`);
      if (leaf) log(`* server certificate: ${leaf.subject}; issuer ${leaf.issuer}; expires ${leaf.notAfter.toISOString()}; SHA-256 ${leaf.fingerprintSHA256hex}`);
      log(`* ${info.authorized ? 'certificate verified' : `certificate NOT verified: ${info.authorizationError?.message.replace(/^tls: /, '') ?? 'verification disabled (-k)'}`}`);
      if (info.clientCertificateRequested) log(`* client certificate requested; ${info.clientCertificateSent ? 'sent' : 'none sent'}`);
    } } : {}),
  });
  try {
    let res: Response;
    try {
      res = await client.fetch(url, { method, headers, ...(body ? { body } : {}), redirect: 'manual', ...(maxTime ? { signal: AbortSignal.timeout(maxTime) } : {}) });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      log(`isotls: ${cause?.message?.replace(/^tls: /, '') ?? (e as Error).message}${cause?.code ? ` (${cause.code})` : ''}`);
      return 3;
    }
    if (verbose) {
      log(`> ${method} ${new URL(url).pathname}${new URL(url).search}`);
      headers.forEach((v, k) => log(`> ${k}: ${k === 'authorization' ? '(hidden)' : v}`));
      log(`< ${res.status} ${res.statusText}`);
      res.headers.forEach((v, k) => log(`< ${k}: ${v}`));
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    const responseHeaders: [string, string][] = [];
    res.headers.forEach((v, k) => responseHeaders.push([k, v]));
    if (p.flags.has('json')) {
      process.stdout.write(`${JSON.stringify({ schema: 'isotls.fetch/1', url: res.url, status: res.status, headers: Object.fromEntries(responseHeaders), body: new TextDecoder().decode(bytes) }, null, 2)}\n`);
    } else {
      if (p.flags.has('include')) process.stdout.write(`${res.status} ${res.statusText}\n${responseHeaders.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n`);
      const out = one(p, 'output');
      if (out) { try { (await import('node:fs')).writeFileSync(out, bytes); } catch (e) { throw new UsageError(`cannot write ${out}: ${(e as NodeJS.ErrnoException).code}`); } } else process.stdout.write(bytes);
    }
    void color;
    return p.flags.has('fail') && res.status >= 400 ? 22 : 0;
  } finally {
    await client.close();
  }
}
