/** `isotls/x509`: certificate parsing and verification, usable without a TLS connection. */
export { parseCertificate, formatIp, type Certificate, type KeyUsage } from './certificate.js';
export { loadCertificates, createTrustStore, isTrustStore, type CertificateInput, type TrustStore } from './trust-store.js';
export { PROFILE_RULES, PROFILES, type ValidationProfile, type ProfileRule } from './profile.js';
export { basicVerifier, checkValidity, validatePath, clearSignatureCache, signatureCacheStats, DEFAULT_CHAIN_POLICY, API_GATEWAY_PROFILE, type ServerCertificateVerifier, type BasicVerifierOptions, type ChainPolicy, type Purpose, type VerifyChainOptions } from './verify-chain.js';
export { verifyChain, type VerifyChainInput } from './verify-chain-api.js';
export { parsePrivateKey } from './private-key.js';
export { parsePkcs12, type Pkcs12Contents } from './pkcs12.js';
export { checkServerName, dnsNameMatches, parseIp } from './hostname.js';
export { parseSpki, type SubjectPublicKeyInfo } from './public-key.js';
export { decodePem, encodePem } from '../bytes/pem.js';
