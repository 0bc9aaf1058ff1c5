import { connect, TlsError, type CertificateRequestInfo, type ConnectOptions, type PeerCertificate } from '../index.js';
import { parseCertificate } from '../x509/index.js';
import { describeKey } from './certificates.js';

/** One certificate as the reports show it. */
export interface CertificateReport {
  subject: string;
  issuer: string;
  commonName: string | null;
  notBefore: string;
  notAfter: string;
  key: string;
  subjectAltNames: string[];
  sha256: string;
}

/** What `isotls probe` reports (docs/cli.md, schema `isotls.probe/1`). The first fields are the ones API providers' TLS test endpoints use. */
export interface ProbeReport {
  schema: 'isotls.probe/1';
  fingerprintSHA256hex: string;
  tlsVersion: string;
  usedCipher: string;
  commonName: string | null;
  sni: string | null;
  issuedBy: string | null;
  expire: string;
  host: string;
  port: number;
  group: string;
  signatureScheme: string;
  alpn: string | null;
  /** Whether the server issued a TLS 1.3 ticket or a TLS 1.2 session (seen after a short read). */
  resumption: boolean;
  chain: CertificateReport[];
  validation: { trusted: boolean; trust: string; error: { code: string; message: string } | null };
  clientCertificate: { requested: boolean; sent: boolean; acceptableCAs: string[]; signatureAlgorithms: string[] };
  handshakeMs: number;
}

export function certificateReport(c: PeerCertificate): CertificateReport {
  let key = 'unknown';
  try { key = describeKey(parseCertificate(c.der)); } catch { /* shown as unknown */ }
  return {
    subject: c.subject, issuer: c.issuer, commonName: c.commonName ?? null, notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(),
    key, subjectAltNames: c.subjectAltNames, sha256: c.fingerprintSHA256hex,
  };
}

/**
 * Connects once, without refusing an untrusted chain, and reports what was
 * negotiated, the chain as presented, whether (and why not) it validates
 * under `trust`, and what the server asked of a client certificate.
 */
export async function probe(host: string, port: number, options: Omit<ConnectOptions, 'host' | 'port'>, trust: string): Promise<ProbeReport> {
  let request: CertificateRequestInfo | undefined;
  const userSelect = options.selectIdentity;
  const started = Date.now();
  const conn = await connect({
    ...options, host, port, rejectUnauthorized: false,
    selectIdentity: (req, ids) => { request ??= req; return userSelect ? userSelect(req, ids) : undefined; },
  });
  const handshakeMs = Date.now() - started;
  const info = conn.info;
  // Tickets arrive after the handshake (TLS 1.3); give them a moment before judging resumption support.
  let resumption = conn.session !== undefined;
  if (!resumption && info.version === 'TLSv1.3') {
    await Promise.race([conn.read().catch(() => null), new Promise((r) => setTimeout(r, 300))]);
    resumption = conn.session !== undefined;
  }
  await conn.close().catch(() => undefined);
  const leaf = info.peerCertificates[0];
  const err = info.authorizationError;
  return {
    schema: 'isotls.probe/1',
    fingerprintSHA256hex: leaf?.fingerprintSHA256hex ?? '',
    tlsVersion: info.version, usedCipher: info.cipherSuite, commonName: leaf?.commonName ?? null, sni: info.servername ?? null,
    issuedBy: leaf?.issuerCommonName ?? null, expire: leaf ? leaf.notAfter.toISOString() : '',
    host, port, group: info.group, signatureScheme: info.signatureAlgorithm, alpn: info.alpnProtocol === false ? null : info.alpnProtocol, resumption,
    chain: info.peerCertificates.map(certificateReport),
    validation: { trusted: info.authorized, trust, error: err ? { code: err.code, message: err.message } : null },
    clientCertificate: {
      requested: info.clientCertificateRequested, sent: info.clientCertificateSent,
      acceptableCAs: request?.certificateAuthorities ?? [], signatureAlgorithms: request?.signatureAlgorithms ?? [],
    },
    handshakeMs,
  };
}

export { TlsError };
