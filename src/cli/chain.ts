import { TlsError } from '../index.js';
import { verifyChain, type Certificate, type TrustStore, type ValidationProfile } from '../x509/index.js';
import { describeKey } from './certificates.js';

/** One step of the explanation: a certificate and what was found about it. */
export interface ChainStep {
  position: number;
  subject: string;
  issuer: string;
  key: string;
  signature: string;
  notBefore: string;
  notAfter: string;
  /** 'valid', 'expired' or 'not yet valid' at the time of the check. */
  dates: string;
  selfSigned: boolean;
  /** Where its issuer is: 'next in the chain', 'trust store', 'elsewhere in the bundle', or 'missing'. */
  issuerFound: string;
  /** When the issuer is missing: where the certificate's AIA says to fetch it. */
  caIssuers: string[];
}

/** What `isotls chain` reports (schema `isotls.chain/1`). */
export interface ChainReport {
  schema: 'isotls.chain/1';
  source: string;
  steps: ChainStep[];
  valid: boolean;
  /** The validated path, leaf to anchor, when valid. */
  path: string[];
  error: { code: string; message: string } | null;
  /** Plain sentences: what is wrong and what to do. */
  findings: string[];
}

const sameName = (a: Certificate['subject'], b: Certificate['issuer']) => a.text === b.text;

/** Validates `presented` (leaf first) against `anchors` and explains each step, as a person debugging a chain needs it. */
export async function explainChain(source: string, presented: Certificate[], anchors: TrustStore, o: { profile?: ValidationProfile; name?: string; now?: Date; anchorList: Certificate[] }): Promise<ChainReport> {
  const now = o.now ?? new Date();
  const findings: string[] = [];
  const steps: ChainStep[] = presented.map((c, i) => {
    const selfSigned = sameName(c.subject, c.issuer);
    const next = presented[i + 1];
    const inStore = o.anchorList.some((a) => sameName(a.subject, c.issuer));
    const elsewhere = presented.some((p, j) => j !== i + 1 && j !== i && sameName(p.subject, c.issuer));
    const issuerFound = selfSigned ? 'itself' : next && sameName(next.subject, c.issuer) ? 'next in the chain' : inStore ? 'trust store' : elsewhere ? 'elsewhere in the bundle (out of order)' : 'missing';
    const dates = now < c.notBefore ? 'not yet valid' : now > c.notAfter ? 'expired' : 'valid';
    if (dates !== 'valid') findings.push(`certificate ${i} (${c.subject.text}) is ${dates}: valid ${c.notBefore.toISOString()} to ${c.notAfter.toISOString()}`);
    const caIssuers = c.authorityInfoAccess?.caIssuers ?? [];
    if (issuerFound === 'missing') findings.push(`the issuer of certificate ${i}, "${c.issuer.text}", is neither in the chain nor in the trust store: a missing intermediate${caIssuers.length > 0 ? `; its AIA says to fetch it from ${caIssuers.join(', ')}` : ' (the certificate has no AIA caIssuers URL)'}`);
    if (issuerFound.startsWith('elsewhere')) findings.push(`the issuer of certificate ${i} is in the bundle but not right after it: servers should send the chain in order`);
    if (selfSigned && i === 0) findings.push('the leaf is self-signed: it validates only if it is itself in the trust store');
    return {
      position: i, subject: c.subject.text, issuer: c.issuer.text, key: describeKey(c), signature: c.signatureAlgorithm.name,
      notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(), dates, selfSigned, issuerFound, caIssuers,
    };
  });
  let path: string[] = [];
  let error: ChainReport['error'] = null;
  try {
    const validated = await verifyChain({
      leaf: presented[0]!, intermediates: presented.slice(1), trustStore: anchors, now,
      ...(o.profile ? { profile: o.profile } : {}), ...(o.name ? { name: /^[\d.]+$|:/.test(o.name) ? { ip: o.name } : { dns: o.name } } : {}),
    });
    path = validated.map((c) => c.subject.text);
  } catch (e) {
    if (!(e instanceof TlsError)) throw e;
    error = { code: e.code, message: e.message };
    if (findings.length === 0) findings.push(e.message.replace(/^tls: /, ''));
  }
  return { schema: 'isotls.chain/1', source, steps, valid: error === null, path, error, findings };
}
