// Browsers: bundle with any bundler; TCP goes through the isotls relay (see relay.ts), TLS stays end to end.
import { connect } from 'isotls';

/** Says hello over mutual TLS to an echo server and returns what came back. */
export async function hello(o: { relay: string; port: number; ca: string; cert: string; key: string }): Promise<string> {
  const conn = await connect({
    host: '127.0.0.1', port: o.port, servername: 'isotls.test',
    relay: o.relay,                     // e.g. 'ws://127.0.0.1:8080/': the relay dials host:port for us
    ca: o.ca, cert: o.cert, key: o.key,
  });
  try {
    await conn.write(new TextEncoder().encode('hello\n'));
    const reply = await conn.read();
    return `${conn.info.version} ${new TextDecoder().decode(reply ?? new Uint8Array())}`;
  } finally {
    await conn.close(); // sends close_notify
  }
}
