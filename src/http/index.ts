/**
 * `isotls/fetch`: HTTPS as the platform's `fetch()`, over isotls, so requests
 * can present client certificates and trust private CAs in every runtime.
 *
 *   import { fetch, Client } from 'isotls/fetch';
 *   const res = await fetch('https://api.example.com/v1/items', { tls: { ca, cert, key } });
 */
export { Client, fetch, type ClientOptions, type FetchInit, type FetchTlsOptions } from './client.js';
