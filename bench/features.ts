import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connect, type ConnectOptions, type TlsSession } from '../src/index.js';
import { buildGoPeer, startGoServer } from '../test/helpers/go-server.js';
import { startOpenSslServer } from '../test/helpers/openssl-server.js';
import { buildRustPeer, startRustServer } from '../test/helpers/rust-server.js';
import { fmt, fmtRatio, interleaved, median, ratios, type Contender } from './timing.js';

const path = (n: string) => fileURLToPath(new URL(`../vectors/pki/${n}`, import.meta.url));
const line = new Uint8Array([0x61, 0x0a]);

/**
 * What each TLS 1.3 feature of this round costs a full handshake: isotls
 * (node provider) against a baseline of X25519 alone, no GREASE, no
 * certificate compression, interleaved in one run per server. Against Go's
 * crypto/tls (ECH keys enabled): GREASE, X25519MLKEM768, Encrypted Client
 * Hello, and a PSK resumption (each connection resumes the ticket the previous
 * one received). Against OpenSSL's s_server: x448 and an Ed448 certificate
 * (against an Ed25519 one). Against rustls: certificate compression (zlib). Every
 * handshake checks it got the feature and echoes a line.
 */
export async function benchFeatures(): Promise<string[]> {
  const rows: string[] = [];
  const head = `${'feature (handshakes/s, median of 7 rounds)'.padEnd(46)} ${'feature'.padStart(9)} ${'baseline'.padStart(9)}  ${'feature/baseline (min–max)'.padStart(26)}`;
  console.log(head); rows.push(head);
  const ca = readFileSync(path('root-ca.crt'), 'utf8');
  const baseline: Partial<ConnectOptions> = { crypto: 'node', groups: ['x25519'], grease: false, certificateCompression: false };
  const once = (port: number, extra: Partial<ConnectOptions>, check: (info: Awaited<ReturnType<typeof connect>>['info']) => boolean) => async () => {
    const c = await connect({ host: '127.0.0.1', port, servername: 'isotls.test', ca, ...baseline, ...extra });
    if (!check(c.info)) throw new Error(`features bench: unexpected ${JSON.stringify({ g: c.info.group, r: c.info.resumed, e: c.info.echAccepted, z: c.info.certificateCompression })}`);
    await c.write(line);
    if ((await c.read())?.[0] !== 0x61) throw new Error('features bench: no echo');
    await c.close();
    return c;
  };
  const row = async (name: string, feature: Contender[1], base: Contender[1]) => {
    const m = await interleaved([['feature', feature], ['baseline', base]], { rounds: 7, ms: 500, warmup: 3 });
    const text = `${name.padEnd(46)} ${fmt(median(m.get('feature')!), 1).padStart(9)} ${fmt(median(m.get('baseline')!), 1).padStart(9)}  ${fmtRatio(ratios(m.get('feature')!, m.get('baseline')!)).padStart(26)}`;
    console.log(text); rows.push(text);
  };

  if (buildGoPeer()) {
    const go = await startGoServer(['-cert', path('server-ecdsa.chain.pem'), '-key', path('server-ecdsa.key'), '-min', '1.3', '-ech-public-name', 'public.isotls.test']);
    const drain = (async () => { for (;;) { try { await go.nextReport(60000); } catch { return; } } })();
    try {
      const base = once(go.port, {}, (i) => i.group === 'x25519' && !i.resumed);
      await row('go: GREASE', once(go.port, { grease: true }, (i) => i.group === 'x25519'), base);
      await row('go: X25519MLKEM768 (+ X25519 share)', once(go.port, { groups: ['X25519MLKEM768', 'x25519'] }, (i) => i.group === 'X25519MLKEM768'), base);
      await row('go: Encrypted Client Hello', once(go.port, { echConfigList: go.echConfigList! }, (i) => i.echAccepted), base);
      // PSK resumption: each resumed connection reads its echo, which brings Go's next ticket
      let session: TlsSession | undefined = (await once(go.port, {}, () => true)()).session;
      const resumed = async () => {
        const c = await once(go.port, { session: session! }, (i) => i.resumed)();
        session = c.session;
        if (!session) throw new Error('features bench: no new ticket');
      };
      await row('go: PSK resumption (psk_dhe_ke)', resumed, base);
    } finally { await go.close(); await drain; }
  } else console.log('features: Go rows skipped (Go is not installed)');

  // x448 and Ed448 against OpenSSL's s_server (Go has neither): the same server software for feature and baseline
  const openssl = async (key: string, groups: string) => startOpenSslServer({ key: key as 'ecdsa', mode: 'rev', naccept: 1_000_000, version: '1.3', args: ['-groups', groups] });
  try {
    const x = await openssl('ecdsa', 'X448:X25519');
    try {
      await row('openssl: x448 (instead of x25519)', once(x.port, { groups: ['x448'] }, (i) => i.group === 'x448'), once(x.port, {}, (i) => i.group === 'x25519'));
    } finally { await x.close(); }
    const ed448 = await openssl('ed448', 'X25519'), ed25519 = await openssl('ed25519', 'X25519');
    try {
      await row('openssl: Ed448 certificate (vs Ed25519)', once(ed448.port, {}, (i) => i.signatureAlgorithm === 'ed448'), once(ed25519.port, {}, (i) => i.signatureAlgorithm === 'ed25519'));
    } finally { await ed448.close(); await ed25519.close(); }
  } catch (e) { console.log(`features: OpenSSL rows skipped (${(e as Error).message.split('\n')[0]})`); }

  if (buildRustPeer()) {
    const rust = await startRustServer(path('server-rsa.chain.pem'), path('server-rsa.key'));
    try {
      await row('rustls: certificate compression (zlib)', once(rust.port, { certificateCompression: ['zlib'] }, (i) => i.certificateCompression === 'zlib'), once(rust.port, {}, (i) => i.certificateCompression === false));
    } finally { await rust.close(); }
  } else console.log('features: rustls row skipped (cargo is not installed)');
  return rows;
}
