import { GATEWAY_CLIENT_CERTIFICATE_POLICY, type ClientCertificatePolicy } from '../index.js';
import { keyMatchesCertificate, type Certificate, type PrivateKey } from '../x509/index.js';
import { describeKey } from './certificates.js';

/** What `isotls check-client-cert` reports (schema `isotls.client-cert/1`). */
export interface ClientCertReport {
  schema: 'isotls.client-cert/1';
  policy: string;
  certificates: { subject: string; issuer: string; key: string; signature: string; notAfter: string }[];
  violations: string[];
  ok: boolean;
}

/** The policies `--policy` names. `none` checks only what every server checks (dates, key match, usage). */
export const POLICIES: Record<string, ClientCertificatePolicy> = { gateway: GATEWAY_CLIENT_CERTIFICATE_POLICY, none: {} };

/**
 * The pre-flight an API gateway applies to a client certificate, done
 * locally: the key matches the certificate, dates, key type and size, the
 * signature hashes, the chain length, and that the certificate may be used
 * for client authentication. Every violation is listed, not just the first.
 */
export function checkClientCertificate(chain: Certificate[], key: PrivateKey, policyName: string, now = new Date()): ClientCertReport {
  const policy = POLICIES[policyName];
  if (!policy) throw new Error(`unknown policy "${policyName}" (known: ${Object.keys(POLICIES).join(', ')})`);
  const v: string[] = [];
  const leaf = chain[0]!;
  if (!keyMatchesCertificate(key, leaf)) v.push('the private key does not belong to the certificate (their public keys differ)');
  chain.forEach((c, i) => {
    const what = i === 0 ? 'the certificate' : `chain certificate ${i} (${c.subject.text})`;
    if (now < c.notBefore) v.push(`${what} is not valid before ${c.notBefore.toISOString()}`);
    if (now > c.notAfter) v.push(`${what} expired on ${c.notAfter.toISOString()}`);
    if (policy.forbidSha1 && /sha1/i.test(c.signatureAlgorithm.name)) v.push(`${what} is signed with SHA-1 (${c.signatureAlgorithm.name})`);
    const k = c.publicKey.key;
    if (k.kind === 'rsa' && policy.minRsaBits !== undefined && k.bits < policy.minRsaBits) v.push(`${what} has an RSA key of ${k.bits} bits; at least ${policy.minRsaBits} required`);
    if (k.kind === 'ec' && policy.allowedCurves && !policy.allowedCurves.includes(k.curve)) v.push(`${what} uses curve ${k.curve}; allowed: ${policy.allowedCurves.join(', ')}`);
    if (k.kind === 'ed25519' && policy.allowEd25519 === false) v.push(`${what} has an Ed25519 key, which this policy does not allow`);
    if (k.kind === 'ed448' && policy.allowEd448 === false) v.push(`${what} has an Ed448 key, which this policy does not allow`);
  });
  // +1: the anchor above the presented chain counts toward the gateway's depth.
  if (policy.maxChainLength !== undefined && chain.length + (chain.length > 0 && chain.at(-1)!.selfIssued ? 0 : 1) > policy.maxChainLength) v.push(`the chain is ${chain.length} certificates (plus its root); at most ${policy.maxChainLength} with the root allowed`);
  if (leaf.extKeyUsage && !leaf.extKeyUsage.includes('1.3.6.1.5.5.7.3.2') && !leaf.extKeyUsage.includes('2.5.29.37.0')) v.push('the certificate\'s extended key usage does not include clientAuth');
  if (leaf.keyUsage && !leaf.keyUsage.has('digitalSignature')) v.push('the certificate\'s key usage does not include digitalSignature (needed to sign the handshake)');
  if (leaf.basicConstraints?.cA) v.push('the certificate is a CA certificate, not an end-entity one');
  return {
    schema: 'isotls.client-cert/1', policy: policyName,
    certificates: chain.map((c) => ({ subject: c.subject.text, issuer: c.issuer.text, key: describeKey(c), signature: c.signatureAlgorithm.name, notAfter: c.notAfter.toISOString() })),
    violations: v, ok: v.length === 0,
  };
}
