import { TlsError } from '../errors.js';
import type { RequestBody } from './request-body.js';

/** The request as it changes along a redirect chain. */
export interface RedirectState {
  url: URL;
  method: string;
  headers: Headers;
  body: RequestBody | null;
  /** TLS options; client credentials are removed when a redirect leaves the origin. */
  tls: Record<string, unknown>;
  count: number;
}

/** Fetch standard: at most 20 redirects. */
export const MAX_REDIRECTS = 20;

export const isRedirect = (status: number): boolean => status === 301 || status === 302 || status === 303 || status === 307 || status === 308;

/** Request-body headers dropped when a redirect turns the request into a GET (Fetch standard §4.4 step 12). */
const BODY_HEADERS = ['content-encoding', 'content-language', 'content-location', 'content-type', 'content-length'];
/** Credentials that must not follow the request to another origin. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
/** TLS options that present a client identity: a certificate is a credential too. */
const CLIENT_IDENTITY = ['cert', 'key', 'passphrase', 'pfx', 'identities', 'selectIdentity', 'postHandshakeAuth'];

/** TLS options bound to the first origin's server. */
const HOST_BOUND = ['servername', 'expectedCommonName', 'session', 'earlyData', 'echConfigList'];

const networkError = (reason: string, message: string): TypeError => new TypeError('fetch failed', { cause: new TlsError('http', reason, `http: ${message}`) });

/** Fetch standard §4.4 "HTTP-redirect fetch": updates `state` to follow a redirect to `location`. */
export function followRedirect(state: RedirectState, status: number, location: string): void {
  if (++state.count > MAX_REDIRECTS) throw networkError('too_many_redirects', `more than ${MAX_REDIRECTS} redirects`);
  let next: URL;
  try { next = new URL(location, state.url); } catch { throw networkError('bad_redirect', `the Location "${location.slice(0, 100)}" is not a URL`); }
  if (next.protocol !== 'https:') throw networkError('unsupported_scheme', `a redirect to ${next.protocol} (${next.href}): isotls/fetch speaks https only`);
  if (next.username || next.password) throw networkError('bad_redirect', 'a redirect to a URL with credentials');
  if (status !== 303 && state.body !== null && !state.body.replayable) throw networkError('stream_body_redirect', `a ${status} redirect needs the request body again, and a ReadableStream body can be sent only once`);
  if (((status === 301 || status === 302) && state.method === 'POST') || (status === 303 && state.method !== 'GET' && state.method !== 'HEAD')) {
    state.method = 'GET';
    state.body = null;
    for (const h of BODY_HEADERS) state.headers.delete(h);
  }
  if (next.origin !== state.url.origin) {
    for (const h of CREDENTIAL_HEADERS) state.headers.delete(h);
    const tls = { ...state.tls };
    for (const k of CLIENT_IDENTITY) delete tls[k];
    // Options that name the first origin's server do not carry to another one.
    for (const k of HOST_BOUND) delete tls[k];
    state.tls = tls;
  }
  state.url = next;
}
