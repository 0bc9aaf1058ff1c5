import type { Certificate } from './x509/certificate.js';
import { formatIp } from './x509/certificate.js';
import type { TlsError } from './errors.js';

/** A peer certificate as users see it (node:tls-like names). */
export interface PeerCertificate {
  subject: string;
  issuer: string;
  commonName: string | undefined;
  issuerCommonName: string | undefined;
  /** `DNS:name` and `IP:address` entries. */
  subjectAltNames: string[];
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** Uppercase hex SHA-256 of the DER. */
  fingerprintSHA256hex: string;
  der: Uint8Array;
}

/** What was negotiated, available once `connect()` resolves. */
export interface ConnectionInfo {
  version: 'TLSv1.3' | 'TLSv1.2';
  /** IANA name, e.g. `TLS_AES_256_GCM_SHA384`. */
  cipherSuite: string;
  /** Key exchange group: x25519, secp256r1, secp384r1, or for DHE ffdhe2048… / the RFC 3526 group / custom-<bits>; on a resumed TLS 1.2 session, those of the handshake that made it (as is `signatureAlgorithm`). */
  group: string;
  signatureAlgorithm: string;
  alpnProtocol: string | false;
  /** The SNI sent, or undefined when none was (IP hosts). */
  servername: string | undefined;
  /** True when a session was resumed (TLS 1.2 abbreviated handshake, or a TLS 1.3 ticket as a PSK); `authorized` then judges the stored chain under this connection's options. */
  resumed: boolean;
  /** Why the `session` passed to connect() was not offered (a full handshake ran instead), when it was not. */
  sessionNotOffered: string | undefined;
  /** TLS 1.2 only: RFC 7627 extended master secret negotiated (always true in TLS 1.3, which has it built in). */
  extendedMasterSecret: boolean;
  /** TLS 1.2 CBC only: RFC 7366 encrypt-then-MAC in use. */
  encryptThenMac: boolean;
  authorized: boolean;
  authorizationError: TlsError | undefined;
  clientCertificateRequested: boolean;
  clientCertificateSent: boolean;
  /** RFC 9849: true when Encrypted Client Hello was offered (`echConfigList`) and the server accepted it. */
  echAccepted: boolean;
  /** RFC 8879: 'zlib' or 'brotli' when the server sent its certificate compressed (TLS 1.3), else false. */
  certificateCompression: 'zlib' | 'brotli' | false;
  /** 0-RTT: true when early data was sent and the server accepted it; false when it was sent and rejected, or not sent. */
  earlyDataAccepted: boolean;
  helloRetryRequest: boolean;
  peerCertificates: PeerCertificate[];
  /** The crypto provider that ran this connection: `node`, `webcrypto`, `pure`, or a custom provider's name. */
  cryptoProvider: string;
}

export function describeCertificate(c: Certificate): PeerCertificate {
  return {
    subject: c.subject.text, issuer: c.issuer.text, commonName: c.subject.commonName, issuerCommonName: c.issuer.commonName,
    subjectAltNames: [...c.subjectAltNames.dns.map((d) => `DNS:${d}`), ...c.subjectAltNames.ip.map((i) => `IP:${formatIp(i)}`)],
    serialNumber: c.serialNumber, notBefore: c.notBefore, notAfter: c.notAfter, fingerprintSHA256hex: c.fingerprintSHA256hex, der: c.der,
  };
}
