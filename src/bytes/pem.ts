import { fromBase64, toBase64 } from './encoding.js';

export interface PemBlock { label: string; der: Uint8Array }

/** All PEM blocks in a text (RFC 7468), in order. Text outside the blocks is ignored. */
export function decodePem(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push({ label: m[1]!, der: fromBase64(m[2]!) });
  }
  return out;
}

export function encodePem(label: string, der: Uint8Array): string {
  const b64 = toBase64(der).replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
