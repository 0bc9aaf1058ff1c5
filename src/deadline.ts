import { TlsError } from './errors.js';

/**
 * Races `work` against an optional timeout and an optional AbortSignal. The
 * loser is not cancelled here: the caller closes the connection, which ends
 * the pending work, whose late outcome is then ignored.
 */
export function withDeadline<T>(work: Promise<T>, o: { timeoutMs?: number | undefined; signal?: AbortSignal | undefined; timeout?: () => TlsError; what: string }): Promise<T> {
  if (o.timeoutMs === undefined && !o.signal) return work;
  work.catch(() => undefined); // a late rejection of abandoned work is expected
  if (o.signal?.aborted) return Promise.reject(aborted(o.signal, o.what));
  return new Promise<T>((resolve, reject) => {
    const timer = o.timeoutMs !== undefined ? setTimeout(() => { done(); reject(o.timeout?.() ?? new TlsError('transport', 'timeout', `tls: ${o.what} timed out`)); }, o.timeoutMs) : undefined;
    const onAbort = () => { done(); reject(aborted(o.signal!, o.what)); };
    const done = () => { clearTimeout(timer); o.signal?.removeEventListener('abort', onAbort); };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    work.then((v) => { done(); resolve(v); }, (e) => { done(); reject(e); });
  });
}

/** The TlsError for an aborted operation; the signal's reason is kept as the cause. */
export function aborted(signal: AbortSignal, what: string): TlsError {
  return new TlsError('closed', 'aborted', `tls: ${what} was aborted${signal.reason instanceof Error ? `: ${signal.reason.message}` : ''}`, { cause: signal.reason });
}
