import { platformProvider } from '../crypto/platform.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { TlsError } from '../errors.js';
import type { Certificate } from './certificate.js';
import { parseProfile, type ValidationProfile } from './profile.js';
import { createTrustStore, isTrustStore, loadCertificates, type CertificateInput, type TrustStore } from './trust-store.js';
import { validatePath, type ChainPolicy, type Purpose } from './verify-chain.js';

/** `verifyChain` input: certificates as parsed objects, PEM text or DER. */
export interface VerifyChainInput {
  leaf: Certificate | CertificateInput;
  intermediates?: Certificate[] | CertificateInput;
  /** Trust anchors: a TrustStore (`createTrustStore`, `mozillaRoots()`), parsed certificates, PEM text or DER. */
  anchors?: TrustStore | Certificate[] | CertificateInput;
  /** Same as `anchors` (the name connect() uses); give one of the two. */
  trustStore?: TrustStore;
  /** Structural rules: 'webpki' (default), 'rfc5280' or 'private' (docs/X509.md). */
  profile?: ValidationProfile;
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
  const given = input.trustStore ?? input.anchors;
  const anchors = isTrustStore(given) ? given : createTrustStore(certs(given as Certificate[] | CertificateInput | undefined, 'anchors'));
  return validatePath({
    leaf, intermediates: certs(input.intermediates, 'intermediates'), anchors, provider: input.provider ?? await platformProvider(),
    profile: parseProfile(input.profile, 'profile'),
    ...(input.purpose ? { purpose: input.purpose } : {}), ...(input.name ? { name: input.name } : {}), ...(input.now ? { now: input.now } : {}),
    ...(input.maxChainLength !== undefined ? { maxChainLength: input.maxChainLength } : {}), ...(input.policy ? { policy: input.policy } : {}),
  });
}
