/**
 * `npm run fuzz -- --iterations N [--seed S]`: long-running mutation fuzzing of every parser of peer- or
 * file-supplied bytes, and of whole handshakes (a scripted server whose ServerHello or encrypted flight is
 * mutated, through connect()). Every input must end in a TlsError or a successful parse; anything else
 * (TypeError, RangeError, an internal_error, a hang) is a finding, saved under test/fuzz/findings/ and
 * reported. Inputs come from the seed corpus in test/fuzz/corpus/ (one file per target; written on first
 * run from the project's vectors), mutated from there; a mutation that produced an error reason not yet
 * seen for its target joins the in-memory corpus, so later mutations build on it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePem } from '../../src/bytes/pem.js';
import { TlsError } from '../../src/errors.js';
import { connect } from '../../src/index.js';
import { memoryPair } from '../../src/transport/memory.js';
import { decodeAlert } from '../../src/wire/alert.js';
import { decodeClientHello } from '../../src/wire/client-hello.js';
import { HandshakeAssembler } from '../../src/wire/handshake-message.js';
import { decodeServerHello } from '../../src/wire/server-hello.js';
import { decodeCertificate12, decodeCertificateRequest12, decodeServerKeyExchange } from '../../src/wire/tls12-messages.js';
import { decodeCertificate13, decodeCertificateRequest13, decodeCertificateVerify, decodeEncryptedExtensions, decodeNewSessionTicket } from '../../src/wire/tls13-messages.js';
import { parseCertificate } from '../../src/x509/certificate.js';
import { parsePkcs12 } from '../../src/x509/pkcs12.js';
import { parsePrivateKey } from '../../src/x509/private-key.js';
import { runFakeServer } from '../helpers/fake-server.js';
import { mutate, xorshift } from '../helpers/mutate.js';
import { pki, ROOT_CA } from '../helpers/pki.js';
import { ROOT } from '../helpers/vectors.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : dflt; };
const ITERATIONS = arg('iterations', 100_000);
const SEED = arg('seed', 1);
const CORPUS = join(ROOT, 'test', 'fuzz', 'corpus');
const FINDINGS = join(ROOT, 'test', 'fuzz', 'findings');

const hex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
const rfc = JSON.parse(readFileSync(join(ROOT, 'vectors', 'tls13', 'rfc8448-simple-1rtt.json'), 'utf8')).values;
const t12 = JSON.parse(readFileSync(join(ROOT, 'vectors', 'tls12', 'tls12-ecdhe-rsa-aes128-cbc-sha-trace.json'), 'utf8')).values;
const clientFile = (n: string) => new Uint8Array(readFileSync(join(ROOT, 'vectors', 'pki', 'clients', n)));

/** Each target: its seed (written to the corpus once), its parser, and its weight (cheap parsers run more). */
const TARGETS: { name: string; seed: () => Uint8Array; parse: (b: Uint8Array) => unknown; weight: number }[] = [
  { name: 'ClientHello', seed: () => hex(rfc.client_hello).subarray(4), parse: decodeClientHello, weight: 10 },
  { name: 'ServerHello', seed: () => hex(rfc.server_hello).subarray(4), parse: decodeServerHello, weight: 10 },
  { name: 'EncryptedExtensions', seed: () => hex(rfc.encrypted_extensions).subarray(4), parse: decodeEncryptedExtensions, weight: 10 },
  { name: 'Certificate13', seed: () => hex(rfc.certificate).subarray(4), parse: (b) => decodeCertificate13(b).entries.map((e) => parseCertificate(e.certData)), weight: 2 },
  { name: 'CertificateVerify', seed: () => hex(rfc.certificate_verify).subarray(4), parse: decodeCertificateVerify, weight: 10 },
  { name: 'NewSessionTicket', seed: () => hex(rfc.new_session_ticket).subarray(4), parse: decodeNewSessionTicket, weight: 10 },
  { name: 'CertificateRequest13', seed: () => new Uint8Array([0, 0, 8, 0, 13, 0, 4, 0, 2, 4, 3]), parse: decodeCertificateRequest13, weight: 10 },
  { name: 'Certificate12', seed: () => hex(t12.record_server_certificate).subarray(9), parse: (b) => decodeCertificate12(b).map(parseCertificate), weight: 2 },
  { name: 'ServerKeyExchange', seed: () => hex(t12.record_server_key_exchange).subarray(9), parse: (b) => decodeServerKeyExchange(b, 'ecdhe'), weight: 10 },
  { name: 'CertificateRequest12', seed: () => new Uint8Array([2, 1, 64, 0, 4, 4, 3, 8, 4, 0, 0]), parse: decodeCertificateRequest12, weight: 10 },
  { name: 'HandshakeFraming', seed: () => hex(rfc.server_hello), parse: (b) => { const a = new HandshakeAssembler(); a.push(b); while (a.next()); }, weight: 10 },
  { name: 'Alert', seed: () => new Uint8Array([2, 40]), parse: decodeAlert, weight: 5 },
  { name: 'X509-rsa', seed: () => decodePem(pki('server-rsa.crt'))[0]!.der, parse: parseCertificate, weight: 2 },
  { name: 'X509-ecdsa', seed: () => decodePem(pki('server-ecdsa.crt'))[0]!.der, parse: parseCertificate, weight: 2 },
  { name: 'X509-rsapss', seed: () => decodePem(pki('server-rsapss.crt'))[0]!.der, parse: parseCertificate, weight: 2 },
  { name: 'PKCS8-ec', seed: () => clientFile('client-ecdsa-p256.pkcs8.der'), parse: (b) => parsePrivateKey(b), weight: 2 },
  { name: 'PKCS8-rsa', seed: () => clientFile('client-rsa2048.pkcs8.der'), parse: (b) => parsePrivateKey(b), weight: 1 },
  { name: 'PKCS12', seed: () => clientFile('client-ecdsa-p256.p12'), parse: (b) => parsePkcs12(b, 'isotls-test'), weight: 0.05 },
];

function seedCorpus(name: string, seed: () => Uint8Array): Uint8Array[] {
  const dir = join(CORPUS, name);
  if (!existsSync(dir)) { mkdirSync(dir, { recursive: true }); writeFileSync(join(dir, 'seed.bin'), seed()); }
  return readdirSync(dir).sort().map((f) => new Uint8Array(readFileSync(join(dir, f))));
}

function finding(target: string, input: Uint8Array, what: string): void {
  mkdirSync(FINDINGS, { recursive: true });
  const file = join(FINDINGS, `${target}-${Date.now()}.bin`);
  writeFileSync(file, input);
  console.log(`FINDING ${target}: ${what} (input saved to ${file})`);
}

async function parsers(iterations: number): Promise<{ inputs: number; findings: number; perTarget: Map<string, number> }> {
  const next = xorshift(SEED);
  const totalWeight = TARGETS.reduce((n, t) => n + t.weight, 0);
  const corpora = new Map(TARGETS.map((t) => [t.name, seedCorpus(t.name, t.seed)]));
  const reasons = new Map(TARGETS.map((t) => [t.name, new Set<string>()]));
  const perTarget = new Map<string, number>();
  let findings = 0;
  for (let i = 0; i < iterations; i++) {
    let pick = (next() / 0xffffffff) * totalWeight;
    const t = TARGETS.find((x) => (pick -= x.weight) < 0) ?? TARGETS[0]!;
    const corpus = corpora.get(t.name)!;
    const input = mutate(corpus[next() % corpus.length]!, next);
    perTarget.set(t.name, (perTarget.get(t.name) ?? 0) + 1);
    try { t.parse(input); } catch (e) {
      if (!(e instanceof TlsError)) { findings++; finding(t.name, input, `${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`); continue; }
      const seen = reasons.get(t.name)!;
      if (!seen.has(e.reason) && corpus.length < 64) { seen.add(e.reason); corpus.push(input); }
    }
    if ((i + 1) % 100_000 === 0) console.log(`  ${i + 1} parser inputs`);
  }
  return { inputs: iterations, findings, perTarget };
}

async function handshakes(iterations: number): Promise<{ inputs: number; findings: number; codes: Map<string, number> }> {
  const next = xorshift(SEED * 7 + 1);
  const codes = new Map<string, number>();
  let findings = 0;
  const mutateMessage = (raw: Uint8Array) => {
    const m = mutate(raw.subarray(4), next);
    const out = new Uint8Array(4 + m.length);
    out[0] = raw[0]!; out[1] = m.length >>> 16; out[2] = (m.length >>> 8) & 0xff; out[3] = m.length & 0xff; out.set(m, 4);
    return out;
  };
  for (let i = 0; i < iterations; i++) {
    const target = next() % 4;
    const [c, s] = memoryPair();
    const script = target === 0 ? { mutateServerHello: mutateMessage } : { mutate: { [(['EE', 'Certificate', 'CV'] as const)[target - 1]!]: mutateMessage } };
    const server = runFakeServer(s, script);
    let code = 'ok';
    try { const conn = await connect({ servername: 'isotls.test', ca: ROOT_CA(), transport: c, handshakeTimeout: 3000 }); await conn.close(); } catch (e) {
      code = e instanceof TlsError ? e.code : `not a TlsError: ${e}`;
    }
    await Promise.race([server, new Promise((r) => setTimeout(r, 3000))]);
    if (!code.startsWith('not a TlsError') && !code.startsWith('internal_error') && code !== 'transport/handshake_timeout') {
      codes.set(code, (codes.get(code) ?? 0) + 1);
    } else { findings++; console.log(`FINDING handshake ${i} (target ${target}): ${code}`); }
  }
  return { inputs: iterations, findings, codes };
}

const start = performance.now();
const handshakeCount = Math.max(1, Math.round(ITERATIONS / 1000));
console.log(`fuzz: ${ITERATIONS} parser inputs over ${TARGETS.length} targets and ${handshakeCount} mutated handshakes through connect(), seed ${SEED}`);
const p = await parsers(ITERATIONS);
const h = await handshakes(handshakeCount);
const seconds = ((performance.now() - start) / 1000).toFixed(0);
for (const [t, n] of p.perTarget) console.log(`  ${t}: ${n}`);
console.log(`  handshake outcomes: ${[...h.codes].map(([c, n]) => `${c} ${n}`).join(', ')}`);
console.log(`fuzz: ${p.inputs + h.inputs} inputs (${p.inputs} parser, ${h.inputs} handshakes) in ${seconds} s, ${p.findings + h.findings} findings`);
process.exit(p.findings + h.findings > 0 ? 1 : 0);
