/**
 * NIST PKITS (Public Key Interoperability Test Suite, certification path
 * validation, 2011 edition) sections, recognised by the end-entity
 * certificate's file name. Each section is run or skipped with a reason.
 * The test numbers are the PKITS document's (e.g. 4.6.4); "Valid"/"Invalid"
 * in the name is the expected outcome.
 */
export interface Section { id: string; title: string; match: RegExp; skip?: string }

const REVOCATION = 'revocation (CRLs) is not implemented: isotls validates paths, it does not fetch or check CRLs';
const POLICIES = 'certificate policies are not processed (no policy tree, no explicit-policy requirement)';

export const SECTIONS: Section[] = [
  { id: '4.1', title: 'Signature Verification', match: /^(Valid|Invalid)(CertificatePath|CASignature|EESignature)Test/ },
  { id: '4.1-dsa', title: 'Signature Verification (DSA)', match: /DSA/, skip: 'DSA keys and signatures are not supported (TLS 1.3 has no DSA)' },
  { id: '4.2', title: 'Validity Periods', match: /^(Valid|Invalid)(CAnot|EEnot|pre2000UTCnot|pre2000UTCEEnot|GeneralizedTimenot)/ },
  { id: '4.3', title: 'Verifying Name Chaining', match: /^(Valid|Invalid)(NameChaining|NameUIDs|RFC3280|UTF8String|Rollover)/ },
  { id: '4.4', title: 'Basic Certificate Revocation Tests', match: /CRL|Revoked|SerialNumber|SeparateCertificateandCRLKeys|TwoCRLs/, skip: REVOCATION },
  { id: '4.5-crl', title: 'Self-Issued Certificates (revocation cases)', match: /^(InvalidBasicSelfIssuedOldWithNewTest2|InvalidBasicSelfIssuedNewWithOldTest5|ValidBasicSelfIssuedCRLSigningKeyTest6|InvalidBasicSelfIssuedCRLSigningKeyTest7)EE/, skip: REVOCATION },
  { id: '4.5', title: 'Verifying Paths with Self-Issued Certificates', match: /^(Valid|Invalid)BasicSelfIssued/ },
  { id: '4.6', title: 'Verifying Basic Constraints', match: /^(Valid|Invalid)(MissingbasicConstraints|cAFalse|basicConstraintsNotCritical|pathLenConstraint|SelfIssuedpathLenConstraint)/ },
  { id: '4.7-crl', title: 'Key Usage (cRLSign cases)', match: /cRLSignFalse/, skip: REVOCATION },
  { id: '4.7', title: 'Key Usage', match: /^(Valid|Invalid)keyUsage/ },
  { id: '4.8-4.12', title: 'Certificate Policies, Require Explicit Policy, Policy Mappings, Inhibit Policy Mapping, Inhibit Any Policy', match: /Polic|inhibitAny|UserNotice|CPSPointer/, skip: POLICIES },
  { id: '4.13', title: 'Name Constraints', match: /nameConstraints/ },
  { id: '4.14', title: 'Distribution Points', match: /distributionPoint|DistributionPoint|onlyContains|onlySomeReasons|IDPwithindirectCRL|cRLIssuer/, skip: REVOCATION },
  { id: '4.15', title: 'Delta-CRLs', match: /deltaCRL/, skip: REVOCATION },
  { id: '4.16', title: 'Private Certificate Extensions', match: /^(Valid|Invalid)Unknown(Not)?CriticalCertificateExtension/ },
];

/** The first section whose pattern matches (order matters: specific skips before their section). */
export function sectionOf(file: string): Section | undefined {
  return SECTIONS.find((s) => s.match.test(file));
}
