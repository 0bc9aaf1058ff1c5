import assert from 'node:assert/strict';
import { connect } from '../../src/index.js';
import { keyLogCollector, RecordTracer, tracingTransport } from '../../src/debug/index.js';
import { nodeTcpConnect } from '../../src/transport/node-tcp.js';
import { startNodeTlsServer } from '../helpers/node-server.js';
import { ROOT_CA } from '../helpers/pki.js';

describe('debug: record trace and SSLKEYLOGFILE', () => {
  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
    it(`${version}: the trace names the plaintext flight, and the key log matches the server's`, async () => {
      const srv = await startNodeTlsServer({ version });
      const serverKeys: string[] = [];
      srv.server.on('keylog', (line: Buffer) => serverKeys.push(line.toString().trim()));
      const lines: string[] = [];
      const keys = keyLogCollector();
      try {
        const transport = tracingTransport(await nodeTcpConnect('127.0.0.1', srv.port), (l) => lines.push(l));
        const conn = await connect({ transport, servername: 'isotls.test', ca: ROOT_CA(), onKeyLog: keys.onKeyLog });
        await conn.write(new Uint8Array([1]));
        await conn.read();
        await conn.close();
      } finally {
        await srv.close();
      }
      assert.match(lines[0]!, /^client → handshake 0x0301 \d+ \[client_hello\]$/);
      assert.ok(lines.some((l) => /^← server handshake 0x0303 \d+ \[server_hello/.test(l)), lines.join('\n'));
      if (version === 'TLSv1.2') for (const m of ['certificate', 'server_key_exchange', 'server_hello_done', 'client_key_exchange']) assert.ok(lines.some((l) => l.includes(m)), `${m} missing from the trace`);
      assert.ok(lines.some((l) => l.startsWith('client → application_data')));
      // Our SSLKEYLOGFILE lines are the ones OpenSSL logs on the other end: the same secrets.
      const ours = keys.text().trim().split('\n').sort();
      assert.deepEqual(ours.map((l) => l.split(' ')[0]), version === 'TLSv1.3'
        ? ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'EXPORTER_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_TRAFFIC_SECRET_0']
        : ['CLIENT_RANDOM']);
      for (const l of ours) assert.ok(serverKeys.includes(l), `server did not log ${l.split(' ')[0]}`);
    });
  }

  it('tracer copes with records split across chunks and with garbage', () => {
    const t = new RecordTracer('server');
    const rec = new Uint8Array([21, 3, 3, 0, 2, 2, 40]);
    assert.deepEqual(t.push(rec.subarray(0, 3)), []);
    assert.deepEqual(t.push(rec.subarray(3)).map((r) => r.alert), ['fatal handshake_failure']);
    const junk = new RecordTracer('server').push(new Uint8Array([0xff, 0xff, 0xff, 0, 1, 0, 9, 9]));
    assert.equal(junk[0]!.contentType, '0x00ff');
  });
});
