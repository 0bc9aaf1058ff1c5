/**
 * `npm run demo`: starts Node's TLS server on 127.0.0.1 with the committed test
 * PKI (vectors/pki/), connects with isotls once per TLS 1.3 cipher suite,
 * sends a request, reads the reply, and prints one JSON report per connection
 * in the shape API providers' TLS test endpoints use. Exits 0 on success, or
 * non-zero after printing the error's code.
 */
import { readFileSync } from 'node:fs';
import { createServer, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { connect, TlsError, type TlsConnection } from '../../src/index.js';

const pkiFile = (name: string) => readFileSync(fileURLToPath(new URL(`../../vectors/pki/${name}`, import.meta.url)), 'utf8');
const SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256'];
const SNI = 'api.isotls.test';

/** `YYMMDDhhmmssZ`, as test endpoints print certificate expiry. */
function yymmddhhmmssZ(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

function report(conn: TlsConnection, reply: string) {
  const leaf = conn.info.peerCertificates[0]!;
  return {
    fingerprintSHA256hex: leaf.fingerprintSHA256hex,
    tlsVersion: conn.info.version,
    usedCipher: conn.info.cipherSuite,
    commonName: leaf.commonName,
    sni: conn.info.servername,
    issuedBy: leaf.issuerCommonName,
    expire: yymmddhhmmssZ(leaf.notAfter),
    reply,
  };
}

async function main(): Promise<number> {
  const server = createServer({
    cert: pkiFile('server-rsa.chain.pem'), key: pkiFile('server-rsa.key'),
    minVersion: 'TLSv1.3', ciphers: SUITES.join(':'),
  }, (socket: TLSSocket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => socket.end(`HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nhello from node:tls (${socket.getCipher().standardName})\n`));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    for (const suite of SUITES) {
      const conn = await connect({ host: '127.0.0.1', port, servername: SNI, ca: pkiFile('root-ca.crt'), cipherSuites: [suite] });
      await conn.write(new TextEncoder().encode(`GET / HTTP/1.1\r\nhost: ${SNI}\r\n\r\n`));
      let text = '';
      for (let c = await conn.read(); c !== null; c = await conn.read()) text += new TextDecoder().decode(c);
      await conn.close();
      console.log(JSON.stringify(report(conn, text.split('\r\n\r\n')[1]!.trim())));
    }
    return 0;
  } catch (e) {
    console.error(e instanceof TlsError ? `isotls demo failed: ${e.code}: ${e.message}` : `isotls demo failed: ${e}`);
    return 1;
  } finally {
    server.close();
  }
}

process.exitCode = await main();
