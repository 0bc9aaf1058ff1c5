/** `isotls/x509`: certificate parsing and verification, usable without a TLS connection. */
export { parseCertificate, formatIp, type Certificate, type KeyUsage } from './certificate.js';
export { loadCertificates, type CertificateInput } from './trust-store.js';
export { basicVerifier, checkValidity, type ServerCertificateVerifier, type BasicVerifierOptions } from './verify-chain.js';
export { checkServerName, dnsNameMatches, parseIp } from './hostname.js';
export { parseSpki, type SubjectPublicKeyInfo } from './public-key.js';
export { decodePem, encodePem } from '../bytes/pem.js';
