import { decodePem, pemTextOf } from '../bytes/pem.js';
import { TlsError } from '../errors.js';
import { parseCertificate, type Certificate } from './certificate.js';

/** What the `ca` and `cert` options accept: PEM text (one or many certificates), DER bytes, bytes holding PEM, or a list of them. */
export type CertificateInput = string | Uint8Array | ReadonlyArray<string | Uint8Array>;

const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'TRUSTED CERTIFICATE', 'X509 CERTIFICATE']);

/**
 * PEM text already parsed, for callers that ask (`cache: true`: connect()'s
 * `ca`), so trust anchors passed to every connect() are parsed once. Strings
 * cannot change; bytes can, so they are always parsed. The certificates are
 * shared by the connections, which only read them. Bounded: the oldest entry
 * goes first.
 */
const PARSED = new Map<string, { certs: Certificate[]; blocks: number }>();
const PARSED_SKIPPING_KEYS = new Map<string, { certs: Certificate[]; blocks: number }>();
const MAX_PARSED = 64;
function remember(cache: typeof PARSED, text: string, value: { certs: Certificate[]; blocks: number }): void {
  if (cache.size >= MAX_PARSED) cache.delete(cache.keys().next().value!);
  cache.set(text, value);
}

/**
 * Parses PEM bundles and DER into certificates. Bytes that hold PEM text
 * (a Node Buffer from readFileSync) are read as PEM; other bytes as DER.
 * Every error is a `config/…` TlsError that names `option` and the entry
 * (counted from 1 over list items and PEM blocks), e.g.
 * "`ca` entry 2: not a certificate (PEM label 'PRIVATE KEY')".
 */
export function loadCertificates(input: CertificateInput | undefined, option = 'ca', o: { skipPrivateKeys?: boolean; cache?: boolean } = {}): Certificate[] {
  if (input === undefined) return [];
  const items: unknown[] = typeof input === 'string' || input instanceof Uint8Array ? [input] : Array.isArray(input) ? input : [input];
  const out: Certificate[] = [];
  let entry = 0;
  const fail = (reason: string, what: string, cause?: unknown) => new TlsError('config', reason, `tls: \`${option}\` entry ${entry}: ${what}`, cause === undefined ? {} : { cause });
  const parse = (der: Uint8Array) => {
    try { return parseCertificate(der); } catch (e) {
      throw fail('malformed_certificate', `${e instanceof Error ? e.message.replace(/^tls: /, '') : String(e)}`, e);
    }
  };
  for (const item of items) {
    const cache = !o.cache ? undefined : o.skipPrivateKeys ? PARSED_SKIPPING_KEYS : PARSED;
    const hit = typeof item === 'string' ? cache?.get(item) : undefined;
    if (hit) { entry += hit.blocks; out.push(...hit.certs); continue; }
    const text = typeof item === 'string' ? item : item instanceof Uint8Array ? pemTextOf(item) : undefined;
    if (text !== undefined) {
      const blocks = decodePem(text);
      const first = out.length;
      if (blocks.length === 0) { entry++; throw fail('no_certificates', 'no PEM block found in the text (expected -----BEGIN CERTIFICATE-----)'); }
      for (const b of blocks) {
        entry++;
        // a client's chain file often holds its key too (the same PEM passed as `cert` and `key`)
        if (o.skipPrivateKeys && /PRIVATE KEY$/.test(b.label)) continue;
        if (!CERTIFICATE_LABELS.has(b.label)) throw fail('not_a_certificate', `not a certificate (PEM label '${b.label}')`);
        out.push(parse(b.der));
      }
      if (cache && typeof item === 'string') remember(cache, item, { certs: out.slice(first), blocks: blocks.length });
    } else if (item instanceof Uint8Array) {
      entry++;
      if (item[0] !== 0x30) throw fail('not_a_certificate', `neither PEM text nor a DER certificate (first byte 0x${(item[0] ?? 0).toString(16).padStart(2, '0')})`);
      out.push(parse(item));
    } else {
      entry++;
      throw fail('bad_option', `expected PEM text or DER bytes, got ${item === null ? 'null' : typeof item}`);
    }
  }
  return out;
}

/**
 * Trust anchors parsed once, for connect({ trustStore }) / verifyChain({ anchors }):
 * build it at start-up and pass the same object to every connection.
 */
export interface TrustStore {
  readonly kind: 'isotls-trust-store';
  readonly anchors: readonly Certificate[];
  /** SHA-256 fingerprints of the anchors, for the "is this an anchor" test. */
  readonly fingerprints: ReadonlySet<string>;
  /**
   * Set for a root program's own set (`mozillaRoots()`): the program vetted
   * each root, so the webpki profile's rules on a root's own form (BR
   * 7.1.2.1) are not applied to it; see docs/X509.md.
   */
  readonly rootProgram: string | undefined;
}

/** Whether `x` is a TrustStore made by `createTrustStore` (or `mozillaRoots()`). */
export function isTrustStore(x: unknown): x is TrustStore {
  return typeof x === 'object' && x !== null && (x as TrustStore).kind === 'isotls-trust-store';
}

/** Parses PEM text, DER, or bytes holding PEM (or a list of them) into a reusable TrustStore. */
export function createTrustStore(input: CertificateInput | readonly Certificate[], o: { rootProgram?: string; option?: string } = {}): TrustStore {
  const isParsed = Array.isArray(input) && input.length > 0 && input.every((c) => typeof c === 'object' && c !== null && 'tbs' in c);
  const anchors = isParsed ? [...(input as readonly Certificate[])] : loadCertificates(input as CertificateInput, o.option ?? 'trustStore');
  return Object.freeze({ kind: 'isotls-trust-store', anchors: Object.freeze(anchors), fingerprints: new Set(anchors.map((a) => a.fingerprintSHA256hex)), rootProgram: o.rootProgram });
}
