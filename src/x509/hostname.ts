import type { Certificate } from './certificate.js';

/**
 * Server identity checks (RFC 6125 / RFC 9525): DNS names against SAN dNSName
 * entries, case-insensitively, with a wildcard allowed only as the whole
 * left-most label of a name with at least three labels; IP hosts against
 * iPAddress entries. The subject CN is consulted only with the legacy
 * `commonNameFallback`.
 */

export function parseIp(host: string): Uint8Array | undefined {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) {
    const b = v4.slice(1).map(Number);
    return b.every((x) => x <= 255) ? new Uint8Array(b) : undefined;
  }
  if (!h.includes(':') || !/^[0-9a-fA-F:.]+$/.test(h)) return undefined;
  const halves = h.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const part of s.split(':')) {
      if (part.includes('.')) { const v = parseIp(part); if (!v || v.length !== 4) return undefined; out.push((v[0]! << 8) | v[1]!, (v[2]! << 8) | v[3]!); }
      else if (/^[0-9a-fA-F]{1,4}$/.test(part)) out.push(parseInt(part, 16));
      else return undefined;
    }
    return out;
  };
  const head = parse(halves[0]!), tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const fill = 8 - head.length - tail.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0 || (halves.length === 2 && fill < 1)) return undefined;
  const groups = [...head, ...new Array(halves.length === 2 ? fill : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => { out[2 * i] = g >>> 8; out[2 * i + 1] = g & 0xff; });
  return out;
}

/** Lower-cases and drops one trailing dot (an absolute name means the same host). */
function normalizeDns(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

/** Does SAN pattern `pattern` match `host`? Both are ASCII (A-label) names. */
export function dnsNameMatches(pattern: string, host: string): boolean {
  const p = normalizeDns(pattern), h = normalizeDns(host);
  if (p.length === 0 || h.length === 0) return false;
  if (!p.includes('*')) return p === h;
  const pl = p.split('.'), hl = h.split('.');
  // only "*" as the entire left-most label, and not directly under a single-label suffix (no "*.com")
  if (pl[0] !== '*' || pl.slice(1).some((l) => l.includes('*')) || pl.length < 3) return false;
  if (hl.length !== pl.length) return false;
  if (hl[0]!.length === 0) return false;
  return pl.slice(1).join('.') === hl.slice(1).join('.');
}

/** Result of `checkServerName`: ok, or why the name does not match. */
export type IdentityCheck = { ok: true } | { ok: false; reason: string };

/**
 * `commonNameFallback` (legacy, off by default): a certificate with no DNS or
 * IP subjectAltName at all is matched by its subject CN, as a DNS pattern
 * (OpenSSL's default, node:tls). Never for IP hosts.
 */
export function checkServerName(cert: Certificate, host: string, o: { commonNameFallback?: boolean } = {}): IdentityCheck {
  const ip = parseIp(host);
  if (ip) {
    const match = cert.subjectAltNames.ip.some((c) => c.length === ip.length && c.every((b, i) => b === ip[i]));
    return match ? { ok: true } : { ok: false, reason: `IP address ${host} is not among the certificate's iPAddress SANs` };
  }
  if (/[^\x21-\x7e]/.test(host)) return { ok: false, reason: `host name "${host}" is not an ASCII (A-label) name` };
  const sans = cert.subjectAltNames.dns;
  if (sans.some((p) => dnsNameMatches(p, host))) return { ok: true };
  if (o.commonNameFallback && sans.length === 0 && cert.subjectAltNames.ip.length === 0) {
    const cn = cert.subject.commonName;
    if (cn !== undefined && dnsNameMatches(cn, host)) return { ok: true };
    return { ok: false, reason: `the certificate has no DNS subjectAltName and its common name "${cn ?? '(none)'}" does not match (CN fallback)` };
  }
  return { ok: false, reason: sans.length ? `host name "${host}" matches none of the certificate's DNS names: ${sans.join(', ')}` : `the certificate has no DNS subjectAltName (the subject CN is not used)` };
}
