// Deno: `deno run --allow-net=127.0.0.1 hello.ts` (no other permission is needed).
import { connect } from 'npm:isotls';

/** Says hello over mutual TLS to an echo server and returns what came back. */
export async function hello(o: { port: number; ca: string; cert: string; key: string }): Promise<string> {
  const conn = await connect({
    host: '127.0.0.1', port: o.port, servername: 'isotls.test', // dialled with Deno.connect
    ca: o.ca, cert: o.cert, key: o.key,                           // PEM: trust anchors, client chain, client key
  });
  try {
    await conn.write(new TextEncoder().encode('hello\n'));
    const reply = await conn.read();
    return `${conn.info.version} ${new TextDecoder().decode(reply ?? new Uint8Array())}`;
  } finally {
    await conn.close(); // sends close_notify
  }
}
