/**
 * The BoGo shim: drives isotls as a TLS client for BoringSSL's test runner
 * (ssl/test/runner, "BoGo"; see its PORTING.md). shim.sh runs this program
 * (bundled by esbuild) only when every flag is one this file implements, and
 * answers 89 ("unimplemented") itself otherwise.
 *
 * Per connection (the first, then -resume-count resumptions): dial -port on
 * loopback, send the 8-byte little-endian -shim-id, handshake with the
 * options the flags give, check the -expect-* flags, write "hello" with
 * -shim-writes-first, then echo application data XOR 0xff until the runner
 * closes. Exit 0 on success; on failure print the TlsError code and message
 * on stderr and exit 1.
 */
import * as net from 'node:net';
import { readFileSync } from 'node:fs';
import { constants, createPrivateKey, sign } from 'node:crypto';
import { connect, TlsError, type ConnectOptions, type ExternalSigner, type TlsConnection, type TlsSession } from '../../src/index.js';
import { nodeSocketConnect } from '../../src/transport/node-socket.js';
import { SignatureScheme, nameOf } from '../../src/wire/constants.js';

const UNIMPLEMENTED = 89;

interface Flags {
  port: number; shimId: bigint; ipv6: boolean;
  trustCert?: string; verifyPeer: boolean; verifyFail: boolean; expectVerifyResult: boolean; certFile?: string; keyFile?: string;
  minVersion?: number; maxVersion?: number; noTls13: boolean; noTls12: boolean; expectVersion?: number;
  curves: number[]; expectCurveId?: number; verifyPrefs: number[]; signingPrefs: number[]; expectPeerSignatureAlgorithm?: number;
  advertiseAlpn?: string; expectAlpn?: string; hostName?: string;
  echConfigList?: Uint8Array; expectEchAccept: boolean; echGrease: boolean; expectEchRetryConfigs?: Uint8Array;
  resumeCount: number; expectSessionMiss: boolean; expectNoSession: boolean;
  shimWritesFirst: boolean; onResumeShimWritesFirst: boolean; shimShutsDown: boolean; checkCloseNotify: boolean; keyUpdate: boolean;
  expectHrr: boolean; expectNoHrr: boolean; expectExtendedMasterSecret: boolean;
}

class Unimplemented extends Error {}

function parse(argv: string[]): Flags {
  const f: Flags = {
    port: 0, shimId: 0n, ipv6: false, verifyPeer: false, verifyFail: false, expectVerifyResult: false, noTls13: false, noTls12: false, curves: [], verifyPrefs: [], signingPrefs: [],
    resumeCount: 0, expectSessionMiss: false, expectNoSession: false, shimWritesFirst: false, onResumeShimWritesFirst: false,
    shimShutsDown: false, checkCloseNotify: false, keyUpdate: false, expectHrr: false, expectEchAccept: false, echGrease: false, expectNoHrr: false, expectExtendedMasterSecret: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => { const v = argv[++i]; if (v === undefined) throw new Error(`${flag} needs a value`); return v; };
    const int = () => Number.parseInt(value(), 10);
    switch (flag) {
      case '-port': f.port = int(); break;
      case '-shim-id': f.shimId = BigInt(value()); break;
      case '-ipv6': f.ipv6 = true; break;
      case '-trust-cert': f.trustCert = value(); break;
      case '-verify-peer': f.verifyPeer = true; break;
      case '-verify-fail': f.verifyFail = true; break;
      case '-expect-verify-result': f.expectVerifyResult = true; break;
      case '-cert-file': f.certFile = value(); break;
      case '-key-file': f.keyFile = value(); break;
      case '-min-version': f.minVersion = int(); break;
      case '-max-version': f.maxVersion = int(); break;
      case '-no-tls13': f.noTls13 = true; break;
      case '-no-tls12': f.noTls12 = true; break;
      case '-no-tls1': case '-no-tls11': break; // never offered anyway
      case '-expect-version': f.expectVersion = int(); break;
      case '-curves': f.curves.push(int()); break;
      case '-expect-curve-id': f.expectCurveId = int(); break;
      case '-verify-prefs': f.verifyPrefs.push(int()); break;
      case '-signing-prefs': f.signingPrefs.push(int()); break;
      case '-expect-peer-signature-algorithm': f.expectPeerSignatureAlgorithm = int(); break;
      case '-advertise-alpn': f.advertiseAlpn = value(); break;
      case '-expect-alpn': f.expectAlpn = value(); break;
      case '-host-name': f.hostName = value(); break;
      case '-ech-config-list': f.echConfigList = new Uint8Array(Buffer.from(value(), 'base64')); break;
      case '-expect-ech-accept': f.expectEchAccept = true; break;
      case '-enable-ech-grease': f.echGrease = true; break;
      case '-expect-ech-retry-configs': f.expectEchRetryConfigs = new Uint8Array(Buffer.from(value(), 'base64')); break;
      case '-resume-count': f.resumeCount = int(); break;
      case '-expect-session-miss': f.expectSessionMiss = true; break;
      case '-expect-no-session': f.expectNoSession = true; break;
      case '-shim-writes-first': f.shimWritesFirst = true; break;
      case '-on-resume-shim-writes-first': f.onResumeShimWritesFirst = true; break;
      case '-shim-shuts-down': f.shimShutsDown = true; break;
      case '-check-close-notify': f.checkCloseNotify = true; break;
      case '-key-update': f.keyUpdate = true; break;
      case '-expect-hrr': f.expectHrr = true; break;
      case '-expect-no-hrr': f.expectNoHrr = true; break;
      case '-expect-extended-master-secret': f.expectExtendedMasterSecret = true; break;
      // BoringSSL test modes with no meaning for an async JavaScript client: its I/O is always
      // non-blocking, and the handshake always runs before the first read or write returns.
      case '-async': case '-implicit-handshake': break;
      default: throw new Unimplemented(`flag ${flag} is not implemented by the isotls shim`);
    }
  }
  return f;
}

const VERSION_NAMES: Record<number, 'TLSv1.2' | 'TLSv1.3'> = { 0x0303: 'TLSv1.2', 0x0304: 'TLSv1.3' };
const CURVE_NAMES: Record<number, 'x25519' | 'x448' | 'secp256r1' | 'secp384r1' | 'secp521r1' | 'X25519MLKEM768'> = { 29: 'x25519', 30: 'x448', 23: 'secp256r1', 24: 'secp384r1', 25: 'secp521r1', 0x11ec: 'X25519MLKEM768' };

function options(f: Flags, session: TlsSession | undefined): ConnectOptions {
  let min = f.minVersion, max = f.maxVersion;
  if (max !== undefined && max < 0x0303) throw new Unimplemented('TLS 1.1 and older are not implemented');
  if (min !== undefined && min < 0x0303) min = undefined; // the runner's "at least TLS 1.0": isotls offers 1.2 and up
  if (min !== undefined && !VERSION_NAMES[min]) throw new Unimplemented(`min version 0x${min.toString(16)}`);
  if (max !== undefined && !VERSION_NAMES[max]) throw new Unimplemented(`max version 0x${max.toString(16)}`);
  const o: ConnectOptions = {
    rejectUnauthorized: f.verifyPeer,
    // BoringSSL checks no host name unless asked; the runner's certificates name no host
    checkServerIdentity: () => undefined,
    handshakeTimeout: 15000,
    readTimeout: 20000,
  };
  if (f.trustCert) o.ca = readFileSync(f.trustCert, 'utf8');
  // -verify-fail: the application's verifier refuses the chain. A verifier chooses the alert through its
  // TlsError's category; this one chooses handshake_failure, as BoringSSL sends for X509_V_ERR_APPLICATION_VERIFICATION.
  if (f.verifyFail) o.verifier = { verify: () => { throw new TlsError('handshake_failure', 'verify_failed', 'tls: the verifier refused the chain (-verify-fail)'); } };
  if (min !== undefined) o.minVersion = VERSION_NAMES[min]!;
  if (max !== undefined) o.maxVersion = VERSION_NAMES[max]!;
  if (f.noTls13) o.maxVersion = 'TLSv1.2';
  if (f.noTls12) o.minVersion = 'TLSv1.3';
  if (f.curves.length) o.groups = f.curves.map((c) => { const n = CURVE_NAMES[c]; if (!n) throw new Unimplemented(`curve ${c}`); return n; });
  if (f.verifyPrefs.length) {
    o.signatureAlgorithms = f.verifyPrefs.map((id) => {
      const n = nameOf(SignatureScheme, id);
      if (n.startsWith('0x')) throw new Unimplemented(`signature algorithm ${id}`);
      return n;
    });
  }
  if (f.advertiseAlpn !== undefined) o.ALPNProtocols = alpnList(f.advertiseAlpn);
  if (f.hostName !== undefined) o.servername = f.hostName;
  if (f.echConfigList) o.echConfigList = f.echConfigList;
  if (f.echGrease) o.greaseEch = true;
  if (f.certFile || f.keyFile) {
    if (!f.certFile || !f.keyFile) throw new Unimplemented('a certificate without a key (or a key without a certificate)');
    o.cert = readFileSync(f.certFile, 'utf8');
    o.key = f.signingPrefs.length ? restrictedSigner(readFileSync(f.keyFile, 'utf8'), f.signingPrefs) : readFileSync(f.keyFile, 'utf8');
  }
  if (session) o.session = session;
  return o;
}

/**
 * -signing-prefs limits the schemes the client may sign with, in that order: isotls's external-signer option
 * (`key: { algorithms, sign }`) carries exactly that, so the key is wrapped as an external signer over
 * node:crypto. Schemes node:crypto cannot produce here are unimplemented.
 */
function restrictedSigner(keyPem: string, prefs: number[]): ExternalSigner {
  const key = createPrivateKey(keyPem);
  const SIGN: Record<string, (data: Uint8Array) => Uint8Array> = {};
  const pss = (hash: string, len: number) => (data: Uint8Array) => new Uint8Array(sign(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: len }));
  const plain = (hash: string | null) => (data: Uint8Array) => new Uint8Array(sign(hash, data, key));
  Object.assign(SIGN, {
    rsa_pss_rsae_sha256: pss('sha256', 32), rsa_pss_rsae_sha384: pss('sha384', 48), rsa_pss_rsae_sha512: pss('sha512', 64),
    rsa_pkcs1_sha256: plain('sha256'), rsa_pkcs1_sha384: plain('sha384'), rsa_pkcs1_sha512: plain('sha512'),
    ecdsa_secp256r1_sha256: plain('sha256'), ecdsa_secp384r1_sha384: plain('sha384'), ecdsa_secp521r1_sha512: plain('sha512'), ed25519: plain(null),
  });
  const algorithms = prefs.map((id) => { const n = nameOf(SignatureScheme, id); if (!SIGN[n]) throw new Unimplemented(`signing with ${n}`); return n; });
  return { algorithms, sign: (alg, data) => SIGN[alg]!(data) };
}

/** -advertise-alpn takes the wire form: each protocol preceded by its length byte. */
function alpnList(wire: string): string[] {
  const bytes = Buffer.from(wire, 'latin1');
  const out: string[] = [];
  for (let i = 0; i < bytes.length;) { const n = bytes[i]!; out.push(bytes.subarray(i + 1, i + 1 + n).toString('latin1')); i += 1 + n; }
  return out;
}

function dial(f: Flags) {
  const id = Buffer.alloc(8);
  id.writeBigUInt64LE(f.shimId);
  // The shim id goes first on the socket, before any TLS byte (PORTING.md).
  const withId = { connect: (o: { host: string; port: number }) => { const s = net.connect(o); s.once('connect', () => s.write(id)); return s; } };
  return nodeSocketConnect(withId as never, f.ipv6 ? '::1' : '127.0.0.1', f.port, { timeoutMs: 15000 });
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`expectation failed: ${what}`);
}

async function runConnection(f: Flags, isResume: boolean, session: TlsSession | undefined): Promise<TlsConnection> {
  const conn = await connect({ ...options(f, session), transport: await dial(f) });
  const info = conn.info;
  if (f.expectVersion !== undefined) check(info.version === VERSION_NAMES[f.expectVersion], `version ${info.version}, expected 0x${f.expectVersion.toString(16)}`);
  if (f.expectCurveId !== undefined) check(info.group === CURVE_NAMES[f.expectCurveId], `group ${info.group}, expected ${f.expectCurveId}`);
  if (f.expectPeerSignatureAlgorithm !== undefined) check(info.signatureAlgorithm === nameOf(SignatureScheme, f.expectPeerSignatureAlgorithm), `peer signature algorithm ${info.signatureAlgorithm}`);
  if (f.expectAlpn !== undefined) check(info.alpnProtocol === f.expectAlpn, `ALPN ${info.alpnProtocol}, expected ${f.expectAlpn}`);
  if (f.expectHrr) check(info.helloRetryRequest, 'a HelloRetryRequest');
  if (f.echConfigList) check(info.echAccepted === f.expectEchAccept, `ECH ${info.echAccepted ? 'accepted' : 'not accepted'}`);
  if (f.expectNoHrr) check(!info.helloRetryRequest, 'no HelloRetryRequest');
  if (f.expectExtendedMasterSecret) check(info.extendedMasterSecret, 'the extended master secret');
  if (f.expectVerifyResult) check(info.authorized === !f.verifyFail, `verification result: authorized ${info.authorized}`);
  const expectResumed = isResume && !f.expectSessionMiss;
  check(info.resumed === expectResumed, `the session was${info.resumed ? '' : ' not'} resumed`);

  if (f.shimWritesFirst || (isResume && f.onResumeShimWritesFirst)) await conn.write(new TextEncoder().encode('hello'));
  if (f.shimShutsDown) {
    await conn.close();
    return conn;
  }
  for (;;) {
    let chunk: Uint8Array | null;
    try {
      chunk = await conn.read();
    } catch (e) {
      // BoringSSL's shim stops on an unclean shutdown too, unless asked to check close_notify
      if (!f.checkCloseNotify && e instanceof TlsError && e.code === 'transport/closed_without_close_notify') break;
      throw e;
    }
    if (chunk === null) break;
    if (f.keyUpdate) await conn.updateKeys(false);
    await conn.write(chunk.map((b) => b ^ 0xff));
  }
  if (f.expectNoSession) check(conn.session === undefined, 'no session');
  await conn.close();
  return conn;
}

let retryConfigsWanted: Uint8Array | undefined;

async function main(): Promise<void> {
  let f: Flags;
  try { f = parse(process.argv.slice(2)); } catch (e) {
    if (e instanceof Unimplemented) { process.stderr.write(`${e.message}\n`); process.exit(UNIMPLEMENTED); }
    throw e;
  }
  retryConfigsWanted = f.expectEchRetryConfigs;
  // BoringSSL's bidirectional SSL_shutdown (send close_notify, then wait for the peer's) has no isotls API:
  // close() sends close_notify and closes the transport.
  if (f.shimShutsDown && f.checkCloseNotify) throw new Unimplemented('bidirectional shutdown (-shim-shuts-down with -check-close-notify)');
  let session: TlsSession | undefined;
  let lastVersion = '', lastEms = false;
  for (let i = 0; i <= f.resumeCount; i++) {
    const isResume = i > 0;
    if (isResume && !session && lastVersion === 'TLSv1.2' && !lastEms) {
      // isotls makes no TLS 1.2 session without the extended master secret (RFC 7627 §5.3): a test that
      // resumes one needs something isotls refuses to do
      process.stderr.write('no session: isotls does not resume TLS 1.2 sessions without extended master secret\n');
      process.exit(UNIMPLEMENTED);
    }
    check(!isResume || session !== undefined, 'the previous connection left a session to resume');
    const conn = await runConnection(f, isResume, session);
    session = conn.session;
    lastVersion = conn.info.version;
    lastEms = conn.info.extendedMasterSecret === true;
  }
}

main().then(() => process.exit(0), (e) => {
  if (e instanceof Unimplemented) { process.stderr.write(`${e.message}\n`); process.exit(UNIMPLEMENTED); }
  const code = e instanceof TlsError ? e.code : 'shim';
  // -expect-ech-retry-configs: the rejection must carry exactly these retry configs
  const want = retryConfigsWanted;
  if (want && !(e instanceof TlsError && e.echRetryConfigs && Buffer.from(e.echRetryConfigs).equals(Buffer.from(want)))) {
    process.stderr.write('isotls error shim: the ECH retry configs differ from the expected ones\n');
    process.exit(1);
  }
  process.stderr.write(`isotls error ${code}: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
