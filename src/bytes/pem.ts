import { TlsError } from '../errors.js';
import { fromBase64, toBase64 } from './encoding.js';

/** One PEM block: its label (`CERTIFICATE`, `PRIVATE KEY`, …) and the DER it holds. */
export interface PemBlock { label: string; der: Uint8Array }

/** All PEM blocks in a text (RFC 7468), in order. Text outside the blocks is ignored; bad base64 is a config error. */
export function decodePem(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    // RFC 1421 headers (Proc-Type, DEK-Info) precede a blank line; the base64 follows it
    const body = /^[\s\S]*?:[^\n]*\n\s*\n([\s\S]*)$/.exec(m[2]!)?.[1] ?? m[2]!;
    let der: Uint8Array;
    try { der = fromBase64(body); } catch (e) {
      throw new TlsError('config', 'malformed_pem', `tls: the PEM block "${m[1]}" is not valid base64 (${(e as Error).message})`);
    }
    out.push({ label: m[1]!, der });
  }
  return out;
}

/**
 * The text of bytes that hold PEM (as `readFileSync('ca.pem')` returns), or
 * undefined for anything else (DER starts with 0x30, a SEQUENCE).
 */
export function pemTextOf(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0 || bytes[0] === 0x30) return undefined;
  // PEM files may start with comments or "Bag Attributes" before the first block
  const text = new TextDecoder('utf-8').decode(bytes);
  return text.includes('-----BEGIN ') ? text : undefined;
}

/** Encodes DER as a PEM block with `label`, 64 characters per line. */
export function encodePem(label: string, der: Uint8Array): string {
  const b64 = toBase64(der).replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
