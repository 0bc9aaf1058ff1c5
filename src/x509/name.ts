import { seq, oid, stringValue, TAG, expect, type DerNode } from './der.js';
import { ATTRIBUTE_SHORT_NAMES, OID } from './oids.js';
import { equalBytes } from '../bytes/encoding.js';

/** An X.501 Name (RFC 5280 §4.1.2.4), kept with its DER for exact comparison. */
export interface DistinguishedName {
  der: Uint8Array;
  attributes: { type: string; value: string }[];
  /** OpenSSL-style one-line form, e.g. `CN=isotls.test, O=isotls tests`. */
  text: string;
  commonName: string | undefined;
}

export function parseName(n: DerNode | undefined, what: string): DistinguishedName {
  const rdns = seq(n, what);
  const attributes: { type: string; value: string }[] = [];
  for (const rdn of rdns) {
    for (const atv of expect(rdn, TAG.SET, `${what} RDN`).children) {
      const [t, v] = seq(atv, `${what} attribute`);
      const type = oid(t, `${what} attribute type`);
      attributes.push({ type, value: v ? stringValue(v, `${what} attribute value`) : '' });
    }
  }
  const text = attributes.map((a) => `${ATTRIBUTE_SHORT_NAMES[a.type] ?? a.type}=${a.value}`).join(', ');
  const cn = attributes.filter((a) => a.type === OID.commonName).pop();
  return { der: n!.raw, attributes, text, commonName: cn?.value };
}

/**
 * Name equality for chaining. Byte equality covers what real CAs emit; the
 * fallback compares attribute values case-insensitively with whitespace folded,
 * a subset of RFC 5280 §7.1's comparison rules.
 */
export function namesEqual(a: DistinguishedName, b: DistinguishedName): boolean {
  if (equalBytes(a.der, b.der)) return true;
  if (a.attributes.length !== b.attributes.length) return false;
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  return a.attributes.every((x, i) => x.type === b.attributes[i]!.type && norm(x.value) === norm(b.attributes[i]!.value));
}
