// Cloudflare Workers / workerd: bundle with wrangler or esbuild (external: cloudflare:sockets).
import { connect as tcpConnect } from 'cloudflare:sockets';
import { connect } from 'isotls';
import { workersTransport } from 'isotls/transport/workers';

/** Says hello over mutual TLS to an echo server and returns what came back. */
export async function hello(o: { port: number; ca: string; cert: string; key: string }): Promise<string> {
  // Plain TCP from the Workers runtime; isotls does the TLS (so client certificates work).
  const transport = await workersTransport(tcpConnect({ hostname: '127.0.0.1', port: o.port }));
  const conn = await connect({ transport, servername: 'isotls.test', ca: o.ca, cert: o.cert, key: o.key });
  try {
    await conn.write(new TextEncoder().encode('hello\n'));
    const reply = await conn.read();
    return `${conn.info.version} ${new TextDecoder().decode(reply ?? new Uint8Array())}`;
  } finally {
    await conn.close(); // sends close_notify
  }
}
