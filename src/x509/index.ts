/** `isotls/x509`: certificate parsing and verification, usable without a TLS connection. */
export { parseCertificate, formatIp, type Certificate, type KeyUsage } from './certificate.js';
export { loadCertificates, createTrustStore, isTrustStore, type CertificateInput, type TrustStore } from './trust-store.js';
export { PROFILE_RULES, PROFILES, type ValidationProfile, type ProfileRule, type PathRole } from './profile.js';
export type { DistinguishedName } from './name.js';
export type { NameConstraints, Subtree } from './name-constraints.js';
export type { CertSignatureAlgorithm } from './signature-algorithm.js';
export type { DerNode } from './der.js';
export type { PrivateKey } from '../crypto/sign.js';
export type { PublicKey, SignatureAlgorithm } from '../crypto/signatures.js';
export type { RsaPublicKey } from '../crypto/rsa.js';
export { basicVerifier, checkValidity, validatePath, clearSignatureCache, signatureCacheStats, DEFAULT_CHAIN_POLICY, API_GATEWAY_PROFILE, type ServerCertificateVerifier, type BasicVerifierOptions, type ChainPolicy, type Purpose, type VerifyChainOptions } from './verify-chain.js';
export { verifyChain, type VerifyChainInput } from './verify-chain-api.js';
export { parsePrivateKey } from './private-key.js';
export { keyMatchesCertificate } from './key-match.js';
export { parsePkcs12, type Pkcs12Contents } from './pkcs12.js';
export { checkServerName, dnsNameMatches, parseIp, type IdentityCheck } from './hostname.js';
export { parseSpki, type SubjectPublicKeyInfo } from './public-key.js';
export { decodePem, encodePem, type PemBlock } from '../bytes/pem.js';
