// The relay a browser page needs, run next to the TLS server (Node): forwards only to the allowlist.
import { createRelay } from 'isotls/relay';

/** Starts a relay on 127.0.0.1 that may reach only the TLS server at 127.0.0.1:`tlsPort`. */
export async function startRelay(tlsPort: number, origin: string) {
  const relay = createRelay({
    allow: [`127.0.0.1:${tlsPort}`],   // never an open proxy: only these targets
    origins: [origin],                   // only pages from this origin may use it
    maxConnections: 16,
  });
  const { url } = await relay.listen(0, '127.0.0.1');
  return { url, close: () => relay.close() };
}
