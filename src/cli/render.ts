import type { ChainReport } from './chain.js';
import type { ClientCertReport } from './check-client-cert.js';
import type { ProbeReport } from './probe.js';
import type { ScanReport } from './scan.js';

/** ANSI colours, only when writing to a terminal (and NO_COLOR is unset). */
function paint(color: boolean) {
  const c = (code: number) => (s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { good: c(32), bad: c(31), warn: c(33), dim: c(2), bold: c(1) };
}

const yesNo = (b: boolean | null, p: ReturnType<typeof paint>) => (b === null ? p.dim('n/a') : b ? p.good('yes') : p.bad('no'));

/** The readable reports; `--json` prints the objects themselves. */
export const render = {
  probe(r: ProbeReport, color: boolean): string {
    const p = paint(color);
    const lines = [
      p.bold(`${r.host}:${r.port}`) + `  ${r.tlsVersion}  ${r.usedCipher}`,
      `  group ${r.group}, signature ${r.signatureScheme}, ALPN ${r.alpn ?? p.dim('none')}, resumption ${yesNo(r.resumption, p)}, handshake ${r.handshakeMs} ms`,
      `  SNI ${r.sni ?? p.dim('(none: IP address)')}`,
      `  leaf: CN=${r.commonName ?? '-'}, issued by ${r.issuedBy ?? '-'}, expires ${r.expire}`,
      `  fingerprint SHA-256 ${r.fingerprintSHA256hex}`,
      p.bold('chain as presented'),
      ...r.chain.flatMap((c, i) => [
        `  ${i}  ${c.subject}`,
        `     issuer ${c.issuer}`,
        `     ${c.key}, valid ${c.notBefore} to ${c.notAfter}${c.subjectAltNames.length ? `, SAN ${c.subjectAltNames.join(' ')}` : ''}`,
        `     SHA-256 ${c.sha256}`,
      ]),
      p.bold('validation') + ` (trust: ${r.validation.trust})`,
      r.validation.trusted ? `  ${p.good('trusted')}` : `  ${p.bad('not trusted')}: ${r.validation.error?.message.replace(/^tls: /, '')} (${r.validation.error?.code})`,
      p.bold('client certificate'),
      r.clientCertificate.requested
        ? `  requested${r.clientCertificate.sent ? ', ' + p.good('sent') : ', ' + p.warn('none sent')}; acceptable CAs: ${r.clientCertificate.acceptableCAs.length ? r.clientCertificate.acceptableCAs.join('; ') : 'any (none named)'}; signature algorithms: ${r.clientCertificate.signatureAlgorithms.join(', ')}`
        : '  not requested',
    ];
    return `${lines.join('\n')}\n`;
  },

  scan(r: ScanReport, color: boolean, differences?: string[]): string {
    const p = paint(color);
    const lines = [p.bold(`${r.host}:${r.port}`) + `  ${r.probes} probes in ${(r.durationMs / 1000).toFixed(1)} s`];
    lines.push(p.bold('versions'));
    for (const [v, ok] of Object.entries(r.versions)) lines.push(`  ${v.padEnd(8)} ${ok ? (v === 'TLSv1.1' || v === 'TLSv1.0' ? p.warn('accepted (obsolete; detected only)') : p.good('accepted')) : p.dim('no')}`);
    for (const v of ['TLSv1.3', 'TLSv1.2'] as const) {
      if (!r.versions[v]) continue;
      const pref = r.serverPreference[v];
      lines.push(p.bold(`${v} suites`) + (pref === null ? '' : pref ? ' (server order)' : ' (client order: the server follows ours)'));
      for (const s of r.suites[v]) lines.push(`  ${s}`);
      lines.push(p.bold(`${v} groups`) + `  ${r.groups[v].join(', ') || p.dim('none found')}`);
      lines.push(p.bold(`${v} signature schemes`) + `  ${r.signatureSchemes[v].join(', ') || p.dim('none found')}`);
    }
    if (r.tls12) lines.push(p.bold('TLS 1.2 extensions') + `  secure renegotiation ${yesNo(r.tls12.secureRenegotiation, p)}, extended master secret ${yesNo(r.tls12.extendedMasterSecret, p)}, encrypt-then-MAC ${yesNo(r.tls12.encryptThenMac, p)}`);
    if (differences) {
      lines.push(p.bold('policy'));
      if (differences.length === 0) lines.push(`  ${p.good('matches')}`);
      for (const d of differences) lines.push(`  ${p.bad('✗')} ${d}`);
    }
    return `${lines.join('\n')}\n`;
  },

  chain(r: ChainReport, color: boolean): string {
    const p = paint(color);
    const lines = [p.bold(`chain from ${r.source}`)];
    for (const s of r.steps) {
      lines.push(`  ${s.position}  ${s.subject}`);
      lines.push(`     issuer ${s.issuer}: ${s.issuerFound === 'missing' ? p.bad('missing') : s.issuerFound}${s.caIssuers.length ? ` (AIA caIssuers ${s.caIssuers.join(', ')})` : ''}`);
      lines.push(`     ${s.key}, ${s.signature}, ${s.dates === 'valid' ? 'valid' : p.bad(s.dates)} ${s.notBefore} to ${s.notAfter}`);
    }
    lines.push(r.valid ? `${p.good('valid')}: ${r.path.join(' → ')}` : `${p.bad('not valid')}: ${r.error?.message.replace(/^tls: /, '')} (${r.error?.code})`);
    for (const f of r.findings) lines.push(`  • ${f}`);
    return `${lines.join('\n')}\n`;
  },

  clientCert(r: ClientCertReport, color: boolean): string {
    const p = paint(color);
    const lines = [p.bold(`client certificate (policy ${r.policy})`)];
    for (const c of r.certificates) lines.push(`  ${c.subject}  ${c.key}, ${c.signature}, expires ${c.notAfter}`);
    lines.push(r.ok ? p.good('no violations') : p.bad(`${r.violations.length} violation(s)`));
    for (const v of r.violations) lines.push(`  ✗ ${v}`);
    return `${lines.join('\n')}\n`;
  },
};
