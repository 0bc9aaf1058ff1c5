import { connect } from '../index.js';
import { GROUPS, isCbc, nameIn, SIGNATURE_SCHEMES, TLS12_SUITES, TLS13_SUITES } from './catalog.js';
import { sendHello, type HelloAnswer, type HelloSpec, type WireVersion } from './hello-probe.js';

/** What `isotls scan` reports (docs/cli.md, schema `isotls.scan/1`). */
export interface ScanReport {
  schema: 'isotls.scan/1';
  host: string;
  port: number;
  servername: string | null;
  versions: { 'TLSv1.3': boolean; 'TLSv1.2': boolean; 'TLSv1.1': boolean; 'TLSv1.0': boolean };
  /** Accepted suites per version: in the server's order when it has one, else in the order of the catalog. */
  suites: { 'TLSv1.3': string[]; 'TLSv1.2': string[] };
  /** Whether the server chooses by its own order (null: fewer than two suites accepted). */
  serverPreference: { 'TLSv1.3': boolean | null; 'TLSv1.2': boolean | null };
  groups: { 'TLSv1.3': string[]; 'TLSv1.2': string[] };
  signatureSchemes: { 'TLSv1.3': string[]; 'TLSv1.2': string[] };
  tls12: { secureRenegotiation: boolean; extendedMasterSecret: boolean; encryptThenMac: boolean | null } | null;
  probes: number;
  durationMs: number;
}

const ALL_SIGS = SIGNATURE_SCHEMES.map(([c]) => c);
const ALL_GROUPS = GROUPS.map(([c]) => c);
const EC_GROUPS = GROUPS.filter(([, n]) => !n.startsWith('ffdhe') && n !== 'X25519MLKEM768').map(([c]) => c);
/** Suites a TLS 1.0/1.1 server can pick. */
const LEGACY_SUITES = TLS12_SUITES.filter(([, n]) => n.endsWith('_SHA') || n.includes('RC4')).map(([c]) => c);

export interface ScanOptions {
  host: string;
  port: number;
  servername: string | undefined;
  /** Called after each probe with the count so far and the expected total (a progress bar). */
  onProgress?: (done: number, total: number) => void;
  timeoutMs?: number;
}

/**
 * Which versions, suites, groups and signature schemes a server accepts, each
 * offered alone in its own ClientHello (hello-probe.ts); TLS 1.3 signature
 * schemes by full isotls handshakes (their CertificateVerify is encrypted).
 */
export async function scan(o: ScanOptions): Promise<ScanReport> {
  const start = Date.now();
  let probes = 0;
  const expected = 4 + TLS13_SUITES.length + TLS12_SUITES.length + GROUPS.length + EC_GROUPS.length + SIGNATURE_SCHEMES.length * 2 + 12;
  const hello = async (spec: Omit<HelloSpec, 'serverName'>, throughKeyExchange = false): Promise<HelloAnswer> => {
    const random = crypto.getRandomValues(new Uint8Array(32));
    const a = await sendHello(o.host, o.port, { ...spec, serverName: o.servername }, random, { timeoutMs: o.timeoutMs ?? 5000, throughKeyExchange });
    probes++;
    o.onProgress?.(probes, Math.max(expected, probes));
    return a;
  };
  const ok = (a: HelloAnswer, version: number) => (a.kind === 'server_hello' || a.kind === 'hello_retry_request') && a.version === version;

  // Versions.
  const v13 = await hello({ version: 0x0304, suites: TLS13_SUITES.map(([c]) => c), groups: ALL_GROUPS, signatureSchemes: ALL_SIGS });
  const v12 = await hello({ version: 0x0303, suites: TLS12_SUITES.map(([c]) => c), groups: ALL_GROUPS, signatureSchemes: ALL_SIGS });
  const legacy = async (version: WireVersion) => ok(await hello({ version, suites: LEGACY_SUITES, groups: EC_GROUPS, signatureSchemes: ALL_SIGS }), version);
  const versions = { 'TLSv1.3': ok(v13, 0x0304), 'TLSv1.2': ok(v12, 0x0303), 'TLSv1.1': await legacy(0x0302), 'TLSv1.0': await legacy(0x0301) };
  if (!Object.values(versions).some(Boolean) && (v13.kind === 'not_tls' || v12.kind === 'not_tls')) throw new Error(`${o.host}:${o.port} does not speak TLS`);

  // Suites, each alone.
  const accepted13: number[] = [];
  if (versions['TLSv1.3']) for (const [c] of TLS13_SUITES) if (ok(await hello({ version: 0x0304, suites: [c], groups: ALL_GROUPS, signatureSchemes: ALL_SIGS }), 0x0304)) accepted13.push(c);
  const accepted12: number[] = [];
  if (versions['TLSv1.2']) {
    // 161 suites: asked 8 at a time (each its own connection), kept in catalogue order.
    const results = await inParallel(TLS12_SUITES.map(([c]) => c), 8, async (c) => {
      const a = await hello({ version: 0x0303, suites: [c], groups: ALL_GROUPS, signatureSchemes: ALL_SIGS });
      return ok(a, 0x0303) && a.suite === c;
    });
    TLS12_SUITES.forEach(([c], i) => { if (results[i]) accepted12.push(c); });
  }

  // Server preference: the same choice from an order and its reverse means the server's own order, found by elimination.
  const order = async (version: WireVersion, accepted: number[]): Promise<[number[], boolean | null]> => {
    if (accepted.length < 2) return [accepted, null];
    const pick = async (suites: number[]) => (await hello({ version, suites, groups: ALL_GROUPS, signatureSchemes: ALL_SIGS })).suite;
    const a = await pick(accepted), b = await pick([...accepted].reverse());
    if (a !== b) return [accepted, false];
    const ordered: number[] = [];
    let left = [...accepted];
    while (left.length > 1) {
      const chosen = await pick(left);
      if (chosen === undefined || !left.includes(chosen)) break;
      ordered.push(chosen);
      left = left.filter((s) => s !== chosen);
    }
    return [[...ordered, ...left], true];
  };
  const [ordered13, pref13] = await order(0x0304, accepted13);
  const [ordered12, pref12] = await order(0x0303, accepted12);

  // Groups: TLS 1.3 by HelloRetryRequest (no key share offered), TLS 1.2 by the ServerKeyExchange's curve.
  const groups13: string[] = [];
  if (versions['TLSv1.3']) for (const [c, n] of GROUPS) {
    const a = await hello({ version: 0x0304, suites: accepted13, groups: [c], signatureSchemes: ALL_SIGS });
    if (ok(a, 0x0304) && a.group === c) groups13.push(n);
  }
  const ecdheSuites = accepted12.filter((c) => nameIn(TLS12_SUITES, c).startsWith('TLS_ECDHE_'));
  const groups12: string[] = [];
  if (ecdheSuites.length > 0) for (const c of EC_GROUPS) {
    let a = await hello({ version: 0x0303, suites: ecdheSuites, groups: [c], signatureSchemes: ALL_SIGS }, true);
    // In TLS 1.2 an ECDSA certificate's own curve must be among the client's groups too (RFC 8422 §5.1):
    // offered alone, a key-exchange group can fail for that reason; ask again with the NIST curves after it.
    if (!ok(a, 0x0303)) a = await hello({ version: 0x0303, suites: ecdheSuites, groups: [c, ...[0x17, 0x18, 0x19].filter((x) => x !== c)], signatureSchemes: ALL_SIGS }, true);
    if (ok(a, 0x0303) && a.group === c) groups12.push(nameIn(GROUPS, c));
  }

  // Signature schemes: TLS 1.2 from the ServerKeyExchange; TLS 1.3 by full handshakes limited to one scheme.
  const sigs12: string[] = [];
  const signedSuites = accepted12.filter((c) => /^TLS_(ECDHE|DHE)_/.test(nameIn(TLS12_SUITES, c)));
  if (signedSuites.length > 0) for (const [c, n] of SIGNATURE_SCHEMES) {
    const a = await hello({ version: 0x0303, suites: signedSuites, groups: EC_GROUPS, signatureSchemes: [c] }, true);
    if (ok(a, 0x0303) && a.signatureScheme === c) sigs12.push(n);
  }
  const sigs13: string[] = [];
  if (versions['TLSv1.3']) for (const [, n] of SIGNATURE_SCHEMES) {
    if (n.endsWith('sha1')) continue; // not allowed in TLS 1.3 CertificateVerify
    try {
      const conn = await connect({ host: o.host, port: o.port, servername: o.servername, minVersion: 'TLSv1.3', rejectUnauthorized: false, signatureAlgorithms: [n], handshakeTimeout: o.timeoutMs ?? 5000 });
      if (conn.info.signatureAlgorithm === n) sigs13.push(n);
      await conn.close();
    } catch { /* refused with this scheme alone */ }
    probes++;
    o.onProgress?.(probes, Math.max(expected, probes));
  }

  // TLS 1.2 extensions from the ServerHello; encrypt-then-MAC only means something with a CBC suite.
  let tls12: ScanReport['tls12'] = null;
  if (versions['TLSv1.2']) {
    const cbc = accepted12.filter((c) => isCbc(nameIn(TLS12_SUITES, c)));
    let etm: boolean | null = null;
    if (cbc.length > 0) etm = ((await hello({ version: 0x0303, suites: cbc, groups: ALL_GROUPS, signatureSchemes: ALL_SIGS })).extensions ?? []).includes(0x0016);
    const ext = v12.extensions ?? [];
    tls12 = { secureRenegotiation: ext.includes(0xff01), extendedMasterSecret: ext.includes(0x0017), encryptThenMac: etm };
  }
  o.onProgress?.(probes, probes);
  return {
    schema: 'isotls.scan/1', host: o.host, port: o.port, servername: o.servername ?? null, versions,
    suites: { 'TLSv1.3': ordered13.map((c) => nameIn(TLS13_SUITES, c)), 'TLSv1.2': ordered12.map((c) => nameIn(TLS12_SUITES, c)) },
    serverPreference: { 'TLSv1.3': pref13, 'TLSv1.2': pref12 },
    groups: { 'TLSv1.3': groups13, 'TLSv1.2': groups12 },
    signatureSchemes: { 'TLSv1.3': sigs13, 'TLSv1.2': sigs12 },
    tls12, probes, durationMs: Date.now() - start,
  };
}

/** Runs `f` over `items` with at most `limit` in flight; results in the items' order. */
async function inParallel<T, R>(items: T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) { const i = next++; out[i] = await f(items[i]!); }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A published policy: what the server must accept, exactly (docs/cli.md). */
export interface ScanPolicy { versions?: string[]; suites?: { 'TLSv1.3'?: string[]; 'TLSv1.2'?: string[] }; groups?: string[] }

/** Differences between a scan and a policy: each a line a person can act on. */
export function comparePolicy(r: ScanReport, p: ScanPolicy): string[] {
  const out: string[] = [];
  const diff = (what: string, have: string[], want: string[]) => {
    for (const w of want) if (!have.includes(w)) out.push(`${what}: ${w} is required but not accepted`);
    for (const h of have) if (!want.includes(h)) out.push(`${what}: ${h} is accepted but not allowed`);
  };
  if (p.versions) diff('versions', Object.entries(r.versions).filter(([, v]) => v).map(([k]) => k), p.versions);
  for (const v of ['TLSv1.3', 'TLSv1.2'] as const) if (p.suites?.[v]) diff(`${v} suites`, r.suites[v], p.suites[v]!);
  if (p.groups) diff('groups', [...new Set([...r.groups['TLSv1.3'], ...r.groups['TLSv1.2']])], p.groups);
  return out;
}
