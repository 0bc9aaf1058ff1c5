#!/usr/bin/env node
/**
 * `isotls`: TLS diagnostics from the command line (docs/cli.md). Commands:
 * probe, scan, chain, check-client-cert, fetch. Exit codes: 0 fine, 1 the
 * check found a problem, 2 bad usage or input, 3 the network or TLS failed.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { connect, TlsError, type ConnectOptions } from '../index.js';
import { mozillaRoots } from '../roots/index.js';
import { tracingTransport } from '../debug/index.js';
import { nodeTcpConnect } from '../transport/node-tcp.js';
import { createTrustStore, parseCertificate, parsePrivateKey, type Certificate, type TrustStore } from '../x509/index.js';
import { one, parseArgs, parseTarget, seconds, UsageError, type Parsed } from './args.js';
import { readCertificates } from './certificates.js';
import { explainChain } from './chain.js';
import { checkClientCertificate } from './check-client-cert.js';
import { fetchCommand } from './fetch-command.js';
import { probe } from './probe.js';
import { render } from './render.js';
import { comparePolicy, scan, type ScanPolicy } from './scan.js';

/** Failures of the network or of TLS: exit 3. */
class NetworkFailure extends Error {}

const USAGE = `usage: isotls <command> [options]
  probe HOST[:PORT]   connect once; negotiated parameters, the chain, validation, client-certificate request
  scan HOST[:PORT]    versions, suites, groups, signature schemes the server accepts  [--policy FILE]
  chain FILE|HOST[:PORT]  build and validate a chain, explaining each step
  check-client-cert --cert FILE --key FILE [--chain FILE] [--policy gateway|none]
  fetch URL           HTTPS request (-X, -H, -d, --cacert, --cert, --key, -k, -v)
common: --servername NAME --ca FILE --cert FILE --key FILE --pfx FILE --passphrase P --alpn LIST
        --keylog FILE --trace (probe: the record trace; chain: handshake debug lines) --json --no-color
exit codes: 0 fine, 1 the check found a problem, 2 bad usage or input, 3 network or TLS failure`;

const TLS_VALUES = ['servername', 'ca', 'cacert', 'cert', 'key', 'pfx', 'passphrase', 'alpn', 'keylog', 'profile', 'timeout'];
const COMMON_BOOLEANS = ['json', 'trace', 'no-color', 'help'];
/** Commands without a TLS connection of their own take no --trace. */
const PLAIN_BOOLEANS = ['json', 'no-color', 'help'];

function readFile(path: string, what: string): Uint8Array {
  try { return new Uint8Array(readFileSync(path)); } catch (e) { throw new UsageError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`); }
}

function readPemCertificates(path: string, what: string): Certificate[] {
  const data = readFile(path, what);
  try { return readCertificates(data, path); } catch (e) { throw new UsageError(`${what} ${path} is not a certificate file: ${e instanceof Error ? e.message.replace(/^tls: /, '') : String(e)}`); }
}

/** The trust to validate under: --ca (or --cacert) when given, else the Mozilla roots. */
function trustFrom(p: Parsed): { store: TrustStore; list: Certificate[]; label: string } {
  const ca = one(p, 'ca') ?? one(p, 'cacert');
  if (ca) {
    const list = readPemCertificates(ca, '--ca');
    return { store: createTrustStore(list), list, label: ca };
  }
  return { store: mozillaRoots(), list: [], label: 'Mozilla roots' };
}

/** connect() options from the common flags. */
function tlsOptions(p: Parsed, log: (s: string) => void): Omit<ConnectOptions, 'host' | 'port'> {
  const o: Omit<ConnectOptions, 'host' | 'port'> = {};
  const servername = one(p, 'servername');
  if (servername) o.servername = servername;
  const cert = one(p, 'cert'), key = one(p, 'key'), pfx = one(p, 'pfx');
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--cert and --key go together');
  if (cert && key) { o.cert = new TextDecoder().decode(readFile(cert, '--cert')); o.key = readFile(key, '--key'); }
  if (pfx) o.pfx = readFile(pfx, '--pfx');
  const passphrase = one(p, 'passphrase');
  if (passphrase !== undefined) o.passphrase = passphrase;
  const alpn = one(p, 'alpn');
  if (alpn) o.ALPNProtocols = alpn.split(',').map((s) => s.trim()).filter(Boolean);
  const keylog = one(p, 'keylog');
  if (keylog) o.onKeyLog = (line) => appendFileSync(keylog, `${line}\n`);
  const timeout = seconds(p, 'timeout');
  if (timeout) o.handshakeTimeout = timeout;
  const profile = one(p, 'profile');
  if (profile) {
    if (profile !== 'webpki' && profile !== 'rfc5280' && profile !== 'private') throw new UsageError(`--profile ${profile}: one of webpki, rfc5280, private`);
    o.profile = profile;
  }
  if (p.flags.has('trace')) o.onDebug = (m) => log(`debug: ${m}`);
  return o;
}

/** With --trace: the connection's records, annotated (isotls/debug), on stderr. */
async function tracedTransport(p: Parsed, host: string, port: number): Promise<ConnectOptions['transport']> {
  if (!p.flags.has('trace')) return undefined;
  return tracingTransport(await nodeTcpConnect(host, port), (line) => process.stderr.write(`${line}\n`));
}

function output(p: Parsed, report: object, human: string): void {
  process.stdout.write(p.flags.has('json') ? `${JSON.stringify(report, null, 2)}\n` : human);
}

/** Runs one command line; returns the exit code. Writes to stdout/stderr; never throws. */
export async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR && !rest.includes('--no-color');
  try {
    switch (command) {
      case 'probe': {
        const p = parseArgs(rest, { values: TLS_VALUES, booleans: COMMON_BOOLEANS });
        const { host, port } = parseTarget(p.positionals[0]);
        const trust = trustFrom(p);
        const options = { ...tlsOptions(p, (s) => process.stderr.write(`${s}\n`)), trustStore: trust.store, transport: await tracedTransport(p, host, port) };
        const report = await network(() => probe(host, port, options, trust.label));
        output(p, report, render.probe(report, color));
        return report.validation.trusted ? 0 : 1;
      }
      case 'scan': {
        const p = parseArgs(rest, { values: ['servername', 'policy', 'timeout'], booleans: PLAIN_BOOLEANS });
        const { host, port } = parseTarget(p.positionals[0]);
        const policyFile = one(p, 'policy');
        let policy: ScanPolicy | undefined;
        if (policyFile) {
          try { policy = JSON.parse(new TextDecoder().decode(readFile(policyFile, '--policy'))) as ScanPolicy; } catch (e) { throw e instanceof UsageError ? e : new UsageError(`--policy ${policyFile} is not JSON`); }
        }
        const servername = one(p, 'servername') ?? (/^[\d.]+$|:/.test(host) ? undefined : host);
        const progress = process.stderr.isTTY && !p.flags.has('json') ? (done: number, total: number) => {
          const width = 30, filled = Math.round((done / total) * width);
          process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} probes`);
          if (done === total) process.stderr.write('\n');
        } : undefined;
        const report = await network(() => scan({ host, port, servername, ...(progress ? { onProgress: progress } : {}), ...(seconds(p, 'timeout') ? { timeoutMs: seconds(p, 'timeout')! } : {}) }));
        const differences = policy ? comparePolicy(report, policy) : [];
        output(p, policy ? { ...report, policy: { file: policyFile, differences } } : report, render.scan(report, color, policy ? differences : undefined));
        return differences.length > 0 ? 1 : 0;
      }
      case 'chain': {
        const p = parseArgs(rest, { values: [...TLS_VALUES, 'name', 'at'], booleans: COMMON_BOOLEANS });
        const source = p.positionals[0];
        if (!source) throw new UsageError('chain needs a PEM file or host[:port]');
        const trust = trustFrom(p);
        let presented: Certificate[];
        let name = one(p, 'name');
        const isFile = (() => { try { readFileSync(source); return true; } catch { return false; } })();
        if (isFile) presented = readPemCertificates(source, 'chain file');
        else {
          const { host, port } = parseTarget(source);
          presented = (await fetchPresented(host, port, p)).map((der) => parseCertificate(der));
          name ??= one(p, 'servername') ?? host;
        }
        const at = one(p, 'at');
        const profile = tlsOptions(p, () => undefined).profile;
        const report = await explainChain(source, presented, trust.store, { anchorList: trust.list, ...(name ? { name } : {}), ...(at ? { now: new Date(at) } : {}), ...(profile ? { profile } : {}) });
        output(p, report, render.chain(report, color));
        return report.valid ? 0 : 1;
      }
      case 'check-client-cert': {
        const p = parseArgs(rest, { values: ['cert', 'key', 'chain', 'policy', 'passphrase'], booleans: PLAIN_BOOLEANS });
        const cert = one(p, 'cert'), key = one(p, 'key');
        if (!cert || !key) throw new UsageError('check-client-cert needs --cert FILE and --key FILE');
        const chain = readPemCertificates(cert, '--cert');
        const extra = one(p, 'chain');
        if (extra) chain.push(...readPemCertificates(extra, '--chain'));
        let privateKey;
        try { privateKey = parsePrivateKey(readFile(key, '--key'), one(p, 'passphrase')); } catch (e) { throw e instanceof UsageError ? e : new UsageError(`--key ${key}: ${e instanceof Error ? e.message.replace(/^tls: /, '') : String(e)}`); }
        const report = checkClientCertificate(chain, privateKey, one(p, 'policy') ?? 'gateway');
        output(p, report, render.clientCert(report, color));
        return report.ok ? 0 : 1;
      }
      case 'fetch': return await fetchCommand(rest, color);
      case undefined: case 'help': case '--help': case '-h':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) { process.stderr.write(`isotls: ${e.message}\n${command && !e.message.startsWith('unknown command') ? '' : `${USAGE}\n`}`); return 2; }
    if (e instanceof NetworkFailure) { process.stderr.write(`isotls: ${e.message}\n`); return 3; }
    process.stderr.write(`isotls: ${e instanceof Error ? e.message : String(e)}\n`);
    return 3;
  }
}

/** The chain exactly as the server presented it (DER), from a connection that does not judge it. */
async function fetchPresented(host: string, port: number, p: Parsed): Promise<Uint8Array[]> {
  const conn = await network(() => connect({ ...tlsOptions(p, () => undefined), host, port, rejectUnauthorized: false }));
  const ders = conn.info.peerCertificates.map((c) => c.der);
  await conn.close().catch(() => undefined);
  return ders;
}

/** Runs a network step; its failure becomes one line and exit code 3. */
async function network<T>(f: () => Promise<T>): Promise<T> {
  try { return await f(); } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof TlsError) throw new NetworkFailure(`${e.message.replace(/^tls: /, '')} (${e.code})`);
    throw new NetworkFailure(e instanceof Error ? e.message : String(e));
  }
}

const invokedDirectly = typeof process !== 'undefined' && process.argv[1] !== undefined && /(?:^|[/\\])(main\.(?:js|ts)|isotls)$/.test(process.argv[1]);
if (invokedDirectly) process.exitCode = await run(process.argv.slice(2));
