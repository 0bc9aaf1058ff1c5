import { decodePem } from '../bytes/pem.js';
import { TlsError } from '../errors.js';
import { parseCertificate, type Certificate } from './certificate.js';

/** What the `ca` option accepts: PEM text (one or many certificates), DER bytes, or a list of them. */
export type CertificateInput = string | Uint8Array | ReadonlyArray<string | Uint8Array>;

/** Parses PEM bundles and DER into certificates; text outside PEM blocks is ignored. */
export function loadCertificates(input: CertificateInput | undefined): Certificate[] {
  if (input === undefined) return [];
  const items = typeof input === 'string' || input instanceof Uint8Array ? [input] : input;
  const out: Certificate[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      const blocks = decodePem(item).filter((b) => b.label === 'CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE' || b.label === 'X509 CERTIFICATE');
      if (blocks.length === 0) throw new TlsError('config', 'no_certificates', 'tls: no PEM CERTIFICATE block found in the given text');
      for (const b of blocks) out.push(parseCertificate(b.der));
    } else {
      out.push(parseCertificate(item));
    }
  }
  return out;
}
