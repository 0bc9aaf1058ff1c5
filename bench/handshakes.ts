import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import type { ProviderName } from '../src/crypto/platform.js';
import { connect, type ConnectOptions, type TlsSession } from '../src/index.js';
import { startPeer } from './peer.js';
import { fmt, fmtRatio, interleaved, median, ratios, type Contender } from './timing.js';

const pki = (n: string) => readFileSync(fileURLToPath(new URL(`../vectors/pki/${n}`, import.meta.url)), 'utf8');
const PING = new Uint8Array([0x45, 0x78]); // 'E' (echo mode), then one byte the server echoes

interface Scenario {
  name: string;
  server: Record<string, unknown>;
  iso: Partial<ConnectOptions>;
  node: tls.ConnectionOptions;
  expect: { version: 'TLSv1.3' | 'TLSv1.2'; cipherSuite?: string; group?: string };
  resume?: boolean;
}

const mtls = (client: string) => ({ cert: pki(`clients/${client}.crt`), key: pki(`clients/${client}.pkcs8.pem`) });
const SCENARIOS: Scenario[] = [
  ...(['ecdsa', 'rsa', 'ed25519'] as const).map((key): Scenario => ({
    name: `handshake_full_1.3_x25519_${key}`,
    server: { cert: `server-${key}.chain.pem`, key: `server-${key}.key`, minVersion: 'TLSv1.3' },
    iso: { groups: ['x25519'] }, node: { minVersion: 'TLSv1.3', ecdhCurve: 'X25519' },
    expect: { version: 'TLSv1.3', group: 'x25519' },
  })),
  {
    name: 'handshake_full_1.2_ecdhe_rsa_x25519',
    server: { cert: 'server-rsa.chain.pem', key: 'server-rsa.key', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' },
    iso: { groups: ['x25519'], cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] }, node: { maxVersion: 'TLSv1.2', ecdhCurve: 'X25519' },
    expect: { version: 'TLSv1.2', cipherSuite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', group: 'x25519' },
  },
  {
    name: 'handshake_full_1.2_ecdhe_ecdsa_x25519',
    server: { cert: 'server-ecdsa.chain.pem', key: 'server-ecdsa.key', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' },
    // TLS 1.2 (RFC 8422 §5.1.1): supported_groups also names the curves a server's ECDSA key may be on, so P-256 is offered too
    iso: { groups: ['x25519', 'secp256r1'], cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'] }, node: { maxVersion: 'TLSv1.2', ecdhCurve: 'X25519:P-256' },
    expect: { version: 'TLSv1.2', cipherSuite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', group: 'x25519' },
  },
  {
    name: 'handshake_full_1.2_dhe_rsa_ffdhe2048',
    server: { cert: 'server-rsa.chain.pem', key: 'server-rsa.key', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'DHE-RSA-AES128-GCM-SHA256', dhparam: 'ffdhe2048.pem' },
    iso: { cipherSuites: ['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'] }, node: { maxVersion: 'TLSv1.2' },
    expect: { version: 'TLSv1.2', cipherSuite: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256' },
  },
  {
    name: 'handshake_resumed_1.2_ticket',
    server: { cert: 'server-rsa.chain.pem', key: 'server-rsa.key', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' },
    iso: { cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] }, node: { maxVersion: 'TLSv1.2' },
    expect: { version: 'TLSv1.2', cipherSuite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' }, resume: true,
  },
  ...(['client-ecdsa-p256', 'client-rsa2048'] as const).flatMap((client) => (['TLSv1.3', 'TLSv1.2'] as const).map((version): Scenario => ({
    name: `handshake_full_${version === 'TLSv1.3' ? '1.3' : '1.2'}_mtls_${client.replace('client-', '')}`,
    server: { cert: 'server-ecdsa.chain.pem', key: 'server-ecdsa.key', minVersion: version, maxVersion: version, requestCert: true, rejectUnauthorized: true, ca: 'clients/client-ca-A.crt' },
    iso: mtls(client), node: { minVersion: version, maxVersion: version, ...mtls(client) },
    expect: { version },
  }))),
];

/**
 * Full (and one resumed) handshakes per second: connect, verify the chain
 * (ECDSA P-256 intermediate under an RSA-2048 root), one byte echoed, close.
 * isotls with each crypto provider and node:tls.connect, interleaved, against
 * one server in another process. Every isotls handshake checks what it
 * negotiated and that the server was authorized.
 */
export async function benchHandshakes(only?: string): Promise<string[]> {
  const rows: string[] = [];
  const head = `${'scenario (handshakes/s, median of 7 rounds)'.padEnd(46)} ${'node'.padStart(8)} ${'webcrypto'.padStart(10)} ${'pure'.padStart(8)} ${'node:tls'.padStart(9)}  ${'isotls(node)/node:tls'.padStart(22)}  ${'isotls(webcrypto)/node:tls'.padStart(27)}`;
  console.log(head); rows.push(head);
  const ca = pki('root-ca.crt');
  for (const sc of SCENARIOS.filter((s) => !only || s.name.includes(only))) {
    const peer = await startPeer(sc.server);
    const base: ConnectOptions = { host: '127.0.0.1', port: peer.port, servername: 'isotls.test', ca, ...sc.iso };
    const iso = async (crypto: ProviderName, session?: TlsSession) => {
      const c = await connect({ ...base, crypto, ...(session ? { session } : {}) });
      const i = c.info;
      if (i.version !== sc.expect.version || (sc.expect.cipherSuite && i.cipherSuite !== sc.expect.cipherSuite) || (sc.expect.group && i.group !== sc.expect.group)
        || !i.authorized || i.resumed !== !!session || i.cryptoProvider !== crypto) {
        throw new Error(`${sc.name}: negotiated ${JSON.stringify({ v: i.version, s: i.cipherSuite, g: i.group, a: i.authorized, r: i.resumed, p: i.cryptoProvider })}`);
      }
      await c.write(PING);
      if ((await c.read())?.[0] !== 0x78) throw new Error(`${sc.name}: no echo`);
      const s = c.session;
      await c.close();
      return s;
    };
    let nodeSession: Buffer | undefined;
    const nodeOnce = () => new Promise<void>((resolve, reject) => {
      const resuming = sc.resume === true && nodeSession !== undefined;
      const s = tls.connect({ host: '127.0.0.1', port: peer.port, servername: 'isotls.test', ca, ...sc.node, ...(sc.resume && nodeSession ? { session: nodeSession } : {}) }, () => { s.write(PING); });
      s.on('session', (sess) => { nodeSession = sess; });
      s.once('data', (d) => {
        if (resuming && !s.isSessionReused()) reject(new Error('node:tls did not resume'));
        if (s.getProtocol() !== sc.expect.version) reject(new Error(`node:tls negotiated ${s.getProtocol()}`));
        if (d[0] !== 0x78) reject(new Error('node:tls: no echo'));
        s.end(); resolve();
      });
      s.on('error', reject);
    });
    const contenders: Contender[] = [];
    for (const p of ['node', 'webcrypto', 'pure'] as const) {
      const session = sc.resume ? await iso(p) : undefined;
      contenders.push([p, () => iso(p, session)]);
    }
    if (sc.resume) await nodeOnce();
    contenders.push(['node:tls', nodeOnce]);
    const m = await interleaved(contenders, { rounds: 7, ms: 500, warmup: 3 });
    const g = (n: string) => m.get(n)!;
    const line = `${sc.name.padEnd(46)} ${fmt(median(g('node')), 1).padStart(8)} ${fmt(median(g('webcrypto')), 1).padStart(10)} ${fmt(median(g('pure')), 1).padStart(8)} ${fmt(median(g('node:tls')), 1).padStart(9)}  ${fmtRatio(ratios(g('node'), g('node:tls'))).padStart(22)}  ${fmtRatio(ratios(g('webcrypto'), g('node:tls'))).padStart(27)}`;
    console.log(line); rows.push(line);
    await peer.stop();
  }
  return rows;
}
