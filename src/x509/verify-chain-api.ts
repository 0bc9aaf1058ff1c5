import { platformProvider } from '../crypto/platform.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { TlsError } from '../errors.js';
import type { Certificate } from './certificate.js';
import { loadCertificates, type CertificateInput } from './trust-store.js';
import { validatePath, type ChainPolicy, type Purpose } from './verify-chain.js';

/** `verifyChain` input: certificates as parsed objects, PEM text or DER. */
export interface VerifyChainInput {
  leaf: Certificate | CertificateInput;
  intermediates?: Certificate[] | CertificateInput;
  anchors: Certificate[] | CertificateInput;
  purpose?: Purpose;
  name?: { dns: string } | { ip: string };
  now?: Date;
  maxChainLength?: number;
  policy?: ChainPolicy;
  provider?: CryptoProvider;
}

const isCert = (x: unknown): x is Certificate => typeof x === 'object' && x !== null && 'tbs' in x && 'fingerprintSHA256hex' in x;
const certs = (x: Certificate[] | Certificate | CertificateInput | undefined, option: string): Certificate[] =>
  x === undefined ? [] : isCert(x) ? [x] : Array.isArray(x) && x.every(isCert) ? (x as Certificate[]) : loadCertificates(x as CertificateInput, option);

/**
 * `isotls/x509` standalone validation: returns the validated path (leaf
 * first, anchor last) or throws a TlsError whose `reason` names the problem
 * (see `validatePath`).
 */
export async function verifyChain(input: VerifyChainInput): Promise<Certificate[]> {
  const [leaf] = certs(input.leaf as Certificate | CertificateInput, 'leaf');
  if (!leaf) throw new TlsError('config', 'no_certificate', 'tls: verifyChain needs a leaf certificate');
  return validatePath({
    leaf, intermediates: certs(input.intermediates, 'intermediates'), anchors: certs(input.anchors, 'anchors'), provider: input.provider ?? await platformProvider(),
    ...(input.purpose ? { purpose: input.purpose } : {}), ...(input.name ? { name: input.name } : {}), ...(input.now ? { now: input.now } : {}),
    ...(input.maxChainLength !== undefined ? { maxChainLength: input.maxChainLength } : {}), ...(input.policy ? { policy: input.policy } : {}),
  });
}
