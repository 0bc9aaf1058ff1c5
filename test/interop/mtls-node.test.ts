import assert from 'node:assert/strict';
import type { TLSSocket } from 'node:tls';
import { connect, TlsError } from '../../src/index.js';
import { readExactly } from '../helpers/data.js';
import { CLIENT_KEYS, clientText, identityFormats } from '../helpers/clients.js';
import { startNodeTlsServer } from '../helpers/node-server.js';
import { ROOT_CA } from '../helpers/pki.js';

const opts = (port: number) => ({ host: '127.0.0.1', port, servername: 'isotls.test', ca: ROOT_CA() });

/** A Node server that requires a client certificate from client CA A and reports the subject it verified. */
async function mtlsServer(version: 'TLSv1.2' | 'TLSv1.3', ca = clientText('client-ca-A.crt')) {
  const seen: string[] = [];
  const srv = await startNodeTlsServer({
    version, key: 'ecdsa',
    handler: (s: TLSSocket) => {
      const cert = s.getPeerCertificate();
      seen.push(s.authorized ? String(cert.subject?.CN) : `unauthorized:${s.authorizationError}`);
      s.end('ok');
    },
  });
  srv.server.setSecureContext({ cert: (await import('../helpers/pki.js')).serverIdentity('ecdsa').cert, key: (await import('../helpers/pki.js')).serverIdentity('ecdsa').key, minVersion: version, maxVersion: version, ca });
  (srv.server as unknown as { requestCert: boolean; rejectUnauthorized: boolean }).requestCert = true;
  (srv.server as unknown as { rejectUnauthorized: boolean }).rejectUnauthorized = true;
  return { ...srv, seen };
}

describe('interop mTLS: Node tls server with requestCert + rejectUnauthorized', function () {
  this.timeout(60000);
  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
    for (const name of CLIENT_KEYS) {
      for (const [format, identity] of identityFormats(name)) {
        it(`${version}: ${name} from ${format}`, async () => {
          const srv = await mtlsServer(version);
          try {
            const conn = await connect({ ...opts(srv.port), ...identity });
            assert.equal(conn.info.version, version);
            assert.equal(new TextDecoder().decode(await readExactly(() => conn.read(), 2)), 'ok');
            assert.equal(conn.info.clientCertificateSent, true);
            assert.deepEqual(srv.seen, [name], 'the server verified our certificate');
            await conn.close();
          } finally { await srv.close(); }
        });
      }
    }
  }
});
