import { TlsError } from '../errors.js';
import type { Certificate } from './certificate.js';
import { decodeDer, seq, type DerNode } from './der.js';
import { parseName, type DistinguishedName } from './name.js';
import { OID } from './oids.js';

/** One GeneralSubtree base (RFC 5280 §4.2.1.10); forms we do not evaluate are kept as `other`. */
export type Subtree =
  | { type: 'dns'; value: string }
  | { type: 'email'; value: string }
  | { type: 'uri'; value: string }
  | { type: 'ip'; address: Uint8Array; mask: Uint8Array }
  | { type: 'dir'; name: DistinguishedName }
  | { type: 'other'; tag: number };

/** A CA's nameConstraints extension: permitted and excluded subtrees (RFC 5280 §4.2.1.10). */
export interface NameConstraints { permitted: Subtree[]; excluded: Subtree[] }

function malformed(why: string): TlsError { return new TlsError('bad_certificate', 'malformed_certificate', `tls: malformed nameConstraints: ${why}`); }

function subtree(base: DerNode): Subtree {
  if (base.tagClass !== 'context') throw malformed('GeneralName is not context-tagged');
  const text = () => String.fromCharCode(...base.content);
  switch (base.tag) {
    case 1: return { type: 'email', value: text().toLowerCase() };
    case 2: return { type: 'dns', value: text().toLowerCase() };
    case 4: return { type: 'dir', name: parseName(base.children[0], 'directoryName') };
    case 6: return { type: 'uri', value: text().toLowerCase() };
    case 7: {
      const c = base.content;
      if (c.length !== 8 && c.length !== 32) throw malformed(`iPAddress constraint of ${c.length} bytes`);
      return { type: 'ip', address: c.subarray(0, c.length / 2), mask: c.subarray(c.length / 2) };
    }
    default: return { type: 'other', tag: base.tag };
  }
}

export function parseNameConstraints(value: Uint8Array): NameConstraints {
  const out: NameConstraints = { permitted: [], excluded: [] };
  const parts = seq(decodeDer(value, 'nameConstraints'), 'NameConstraints');
  // RFC 5280 §4.2.1.10: "Conforming CAs MUST NOT issue certificates where name constraints is an empty sequence"
  if (parts.length === 0) throw malformed('neither permittedSubtrees nor excludedSubtrees');
  for (const part of parts) {
    if (part.tagClass !== 'context' || (part.tag !== 0 && part.tag !== 1)) throw malformed('unexpected field');
    // GeneralSubtrees ::= SEQUENCE SIZE (1..MAX)
    if (part.children.length === 0) throw malformed(`empty ${part.tag === 0 ? 'permittedSubtrees' : 'excludedSubtrees'}`);
    // [0]/[1] IMPLICIT GeneralSubtrees: the children are the GeneralSubtree SEQUENCEs
    for (const st of part.children) {
      const [base, ...rest] = seq(st, 'GeneralSubtree');
      // RFC 5280: minimum MUST be zero and maximum absent
      if (rest.length) throw malformed('minimum/maximum are not allowed');
      (part.tag === 0 ? out.permitted : out.excluded).push(subtree(base!));
    }
  }
  return out;
}

// ---- matching (RFC 5280 §4.2.1.10) ----

/**
 * A DNS SAN that can be judged against DNS constraints: LDH labels of 1–63
 * octets (underscore tolerated, as real certificates use it), at most 253 in
 * all, a `*` allowed only as the whole left-most label. Anything else could
 * smuggle a name past a permitted subtree, so it satisfies none.
 */
export function isValidDnsSan(name: string): boolean {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  if (n.length === 0 || n.length > 253) return false;
  return n.split('.').every((label, i) => (i === 0 && label === '*') || /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(label));
}

/** "example.com" covers example.com and any name built by adding labels on the left. */
function dnsWithin(name: string, base: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, ''), b = base.replace(/^\./, '').replace(/\.$/, '');
  if (b === '') return true;
  return n === b || n.endsWith('.' + b);
}

/** A mailbox "a@host" is covered by "a@host" (exact), "host" (that host) or ".domain" (any host below it). */
function emailWithin(mailbox: string, base: string): boolean {
  const m = mailbox.toLowerCase();
  const at = m.lastIndexOf('@');
  const host = at >= 0 ? m.slice(at + 1) : m;
  if (base.includes('@')) return m === base;
  if (base.startsWith('.')) return host.endsWith(base);
  return host === base;
}

/** The host of a URI ("scheme://[userinfo@]host[:port]/..."), lower-cased; undefined if it has none or it is an IP literal. */
function uriHost(uri: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(uri);
  if (!m) return undefined;
  const host = m[1]!.replace(/^.*@/, '').replace(/:\d*$/, '').toLowerCase();
  if (host === '' || host.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(host)) return undefined;
  return host;
}

/** RFC 5280 §4.2.1.10: a URI constraint names a host exactly, or with a leading period any host below a domain. */
function uriWithin(uri: string, base: string): boolean {
  const host = uriHost(uri);
  if (host === undefined) return false;
  return base.startsWith('.') ? host.endsWith(base) : host === base;
}

function ipWithin(ip: Uint8Array, st: { address: Uint8Array; mask: Uint8Array }): boolean {
  if (ip.length !== st.address.length) return false;
  for (let i = 0; i < ip.length; i++) if ((ip[i]! & st.mask[i]!) !== (st.address[i]! & st.mask[i]!)) return false;
  return true;
}

/** The constraint's RDN sequence must be a prefix of the subject's. */
function dirWithin(subject: DistinguishedName, base: DistinguishedName): boolean {
  if (base.attributes.length > subject.attributes.length) return false;
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  return base.attributes.every((a, i) => a.type === subject.attributes[i]!.type && norm(a.value) === norm(subject.attributes[i]!.value));
}

interface NamesOf { dns: string[]; email: string[]; ip: Uint8Array[]; dir: DistinguishedName[]; uri: string[] }

function namesOf(c: Certificate): NamesOf {
  // email addresses in the subject count as rfc822Names (RFC 5280 §4.2.1.10)
  const subjectEmails = c.subject.attributes.filter((a) => a.type === OID.emailAddress).map((a) => a.value);
  return { dns: c.subjectAltNames.dns, email: [...c.subjectAltNames.email, ...subjectEmails], ip: c.subjectAltNames.ip, dir: [...(c.subject.attributes.length ? [c.subject] : []), ...c.subjectAltNames.dir], uri: c.subjectAltNames.uri };
}

/** Applies one name form: excluded subtrees first, then (if any exist for the form) permitted ones. */
function checkForm<N, S extends Subtree>(names: N[], permitted: S[], excluded: S[], within: (n: N, st: S) => boolean, fail: (n: N, why: string) => TlsError): void {
  for (const n of names) {
    if (excluded.some((st) => within(n, st))) throw fail(n, 'excluded');
    if (permitted.length && !permitted.some((st) => within(n, st))) throw fail(n, 'not permitted');
  }
}

/** Throws name_constraint_violation if `c` has a name outside the CA's permitted subtrees or inside its excluded ones. */
export function checkNameConstraints(c: Certificate, ca: Certificate, nc: NameConstraints): void {
  const names = namesOf(c);
  const fail = (what: string, why: string) => new TlsError('bad_certificate', 'name_constraint_violation', `tls: certificate "${c.subject.text}" has ${what} (${why}) under the name constraints of CA "${ca.subject.text}"`);
  const of = <T extends Subtree['type']>(list: Subtree[], type: T) => list.filter((s): s is Extract<Subtree, { type: T }> => s.type === type);
  const dnsPermitted = of(nc.permitted, 'dns'), dnsExcluded = of(nc.excluded, 'dns');
  if (dnsPermitted.length || dnsExcluded.length) {
    const bad = names.dns.find((n) => !isValidDnsSan(n));
    if (bad !== undefined) throw fail(`DNS name ${JSON.stringify(bad)}`, 'not a valid host name, so it cannot be judged against DNS constraints');
  }
  checkForm(names.dns, dnsPermitted, dnsExcluded, (n, st) => dnsWithin(n, st.value), (n, why) => fail(`DNS name ${n}`, why));
  checkForm(names.email, of(nc.permitted, 'email'), of(nc.excluded, 'email'), (n, st) => emailWithin(n, st.value), (n, why) => fail(`email ${n}`, why));
  checkForm(names.ip, of(nc.permitted, 'ip'), of(nc.excluded, 'ip'), (n, st) => ipWithin(n, st), (n, why) => fail(`IP address ${Array.from(n).join(n.length === 4 ? '.' : ':')}`, why));
  checkForm(names.dir, of(nc.permitted, 'dir'), of(nc.excluded, 'dir'), (n, st) => dirWithin(n, st.name), (n, why) => fail(`subject ${n.text}`, why));
  checkForm(names.uri, of(nc.permitted, 'uri'), of(nc.excluded, 'uri'), (n, st) => uriWithin(n, st.value), (n, why) => fail(`URI ${n}`, why));
}
