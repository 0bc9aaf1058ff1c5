import { TlsConnection, toTlsError } from './connection.js';
import { withDeadline } from './deadline.js';
import { environmentKeyLog } from './keylog-env.js';
import { TlsError } from './errors.js';
import type { Tls12Support } from './handshake/tls12-support.js';
import { chooseProvider, resolveOptions, type ConnectOptions } from './options.js';
import { checkOptions } from './options-check.js';
import { dialTcp } from './transport/dial.js';
import { TransportError, type Transport } from './transport/types.js';

/**
 * Resolves the options, dials when no transport is given, and runs the
 * handshake. `tls12` is passed by the full client only (see tls12-support.ts).
 */
export async function connectWith(given: ConnectOptions, tls12?: Tls12Support): Promise<TlsConnection> {
  let options = given;
  let resolved: ReturnType<typeof resolveOptions>;
  try {
    checkOptions(options); // before the provider is chosen from them
    if (options.onKeyLog === undefined) {
      const fromEnvironment = await environmentKeyLog();
      if (fromEnvironment) options = { ...options, onKeyLog: fromEnvironment };
    }
    resolved = resolveOptions(options, tls12, await chooseProvider(options));
  } catch (e) {
    // options are checked and loaded up front; anything unforeseen is still a config error, never a TypeError
    if (e instanceof TlsError) throw e;
    throw new TlsError('config', 'invalid_options', `tls: the options could not be used: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
  let transport: Transport | undefined = options.transport;
  if (!transport) {
    if (!options.host || !options.port) throw new TlsError('config', 'no_transport', 'tls: pass `transport`, or `host` and `port`');
    try {
      const dialing = dialTcp(options.host, options.port, { timeoutMs: resolved.timeoutMs, ...(options.relay ? { relay: options.relay } : {}) });
      // a socket that opens after the caller gave up is closed at once
      if (options.signal) dialing.then((t) => { if (options.signal!.aborted) void t.close(); }, () => undefined);
      transport = await withDeadline(dialing, { signal: options.signal, what: 'connect()' });
    } catch (e) {
      if (e instanceof TlsError) throw e;
      if (e instanceof TransportError && e.reason === 'no_tcp') throw new TlsError('config', 'no_tcp', `tls: ${e.message}`, { cause: e });
      // A runtime module that fails to load is a failure to connect, not an isotls bug.
      throw e instanceof TransportError ? toTlsError(e) : new TlsError('transport', 'connect_failed', `tls: ${(e as Error)?.message ?? e}`, { cause: e });
    }
  }
  return TlsConnection.handshake(transport, options, resolved);
}
