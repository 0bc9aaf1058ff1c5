import { decodePem, parseCertificate, type Certificate } from '../x509/index.js';

/** "EC P-256", "RSA 2048", "Ed25519". */
export function describeKey(c: Certificate): string {
  const k = c.publicKey.key;
  switch (k.kind) {
    case 'rsa': return `RSA ${k.bits}`;
    case 'ec': return `EC ${k.curve}`;
    case 'ed25519': return 'Ed25519';
    case 'ed448': return 'Ed448';
  }
}

/** Every certificate in a PEM bundle (or one DER certificate), in file order. */
export function readCertificates(data: Uint8Array, file: string): Certificate[] {
  const text = new TextDecoder().decode(data);
  if (text.includes('-----BEGIN')) {
    const blocks = decodePem(text).filter((b) => b.label === 'CERTIFICATE');
    if (blocks.length === 0) throw new Error(`${file} holds no CERTIFICATE block`);
    return blocks.map((b) => parseCertificate(b.der));
  }
  return [parseCertificate(data)];
}
