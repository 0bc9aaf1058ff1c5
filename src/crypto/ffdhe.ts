import { TlsError } from '../errors.js';
import { knownDhGroups, type DhGroup } from './dh-groups.js';
import type { RandomSource } from './random.js';
import { bigIntToBytes, bitLength, bytesToBigInt } from './rsa.js';

/**
 * Finite-field DHE for TLS 1.2 (RFC 5246 §8.1.2, RFC 7919). The server picks
 * the group; we accept it only if it is large enough and either a known safe
 * group (RFC 7919, RFC 3526 2048-bit) or passes a safe-prime probable-prime
 * test. Private exponents are short, as RFC 7919 §5.2 permits for safe primes.
 */

/** Windowed (4-bit fixed window) modular exponentiation on BigInt. */
export function modPowWindowed(base: bigint, exp: bigint, mod: bigint): bigint {
  base %= mod;
  const table: bigint[] = [1n, base];
  for (let i = 2; i < 16; i++) table.push((table[i - 1]! * base) % mod);
  const bits = exp.toString(2);
  const pad = (4 - (bits.length % 4)) % 4;
  const s = '0'.repeat(pad) + bits;
  let r = 1n;
  for (let i = 0; i < s.length; i += 4) {
    r = (r * r) % mod; r = (r * r) % mod; r = (r * r) % mod; r = (r * r) % mod;
    const w = parseInt(s.slice(i, i + 4), 2);
    if (w) r = (r * table[w]!) % mod;
  }
  return r;
}

/** Short exponent sizes from RFC 7919 §5.2 (at least twice the group's security strength). */
function exponentBits(pBits: number): number {
  if (pBits <= 2048) return 256;
  if (pBits <= 3072) return 288;
  if (pBits <= 4096) return 336;
  if (pBits <= 6144) return 384;
  return 416;
}

/** Miller-Rabin with fixed small-prime bases: deterministic, so the verdict does not depend on randomness. */
function probablyPrime(n: bigint, rounds = 6): boolean {
  if (n < 2n) return false;
  for (const p of [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n]) if (n % p === 0n) return n === p;
  let d = n - 1n, s = 0;
  while ((d & 1n) === 0n) { d >>= 1n; s++; }
  for (const a of [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n].slice(0, rounds)) {
    let x = modPowWindowed(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let i = 1; i < s; i++) { x = (x * x) % n; if (x === n - 1n) { composite = false; break; } }
    if (composite) return false;
  }
  return true;
}

const customVerdicts = new Map<string, boolean>();

export interface DhParams { p: Uint8Array; g: Uint8Array }
export interface DhKeyPair { group: DhGroup; publicKey: Uint8Array; agree(peer: Uint8Array): Uint8Array }

function insufficient(reason: string, msg: string): TlsError {
  return new TlsError('insufficient_security', reason, `tls: ${msg}`);
}

/** Checks the server's (p, g) and returns the group it names. */
export function acceptDhGroup(params: DhParams, minBits: number): DhGroup {
  const p = bytesToBigInt(params.p), g = bytesToBigInt(params.g);
  const bits = bitLength(p);
  if (bits < minBits) throw insufficient('dh_group_too_small', `the server's DHE group is ${bits} bits; at least ${minBits} are required (minDHSize)`);
  if (bits > 8192) throw insufficient('dh_group_too_large', `the server's DHE group is ${bits} bits; more than 8192 is refused`);
  if ((p & 1n) === 0n || g <= 1n || g >= p - 1n) throw insufficient('malformed_dh_group', `the server's ${bits}-bit DHE group is malformed (even modulus or generator out of range)`);
  const known = knownDhGroups().find((k) => k.p === p && k.g === g);
  if (known) return known;
  const key = p.toString(16) + ':' + g.toString(16);
  let ok = customVerdicts.get(key);
  if (ok === undefined) {
    ok = probablyPrime(p) && probablyPrime((p - 1n) >> 1n);
    if (customVerdicts.size > 64) customVerdicts.clear();
    customVerdicts.set(key, ok);
  }
  if (!ok) throw insufficient('unsafe_dh_group', `the server's ${bits}-bit DHE group is not a safe prime`);
  return { name: `custom-${bits}`, p, g, bits };
}

export function generateDhKeyPair(group: DhGroup, random: RandomSource): DhKeyPair {
  const xBits = exponentBits(group.bits);
  const xb = random(xBits / 8);
  xb[0] = xb[0]! | 0x80; // full-length exponent
  const x = bytesToBigInt(xb);
  const len = Math.ceil(group.bits / 8);
  const y = modPowWindowed(group.g, x, group.p);
  return {
    group,
    publicKey: bigIntToBytes(y, len),
    agree(peer) {
      const ys = bytesToBigInt(peer);
      // RFC 7919 §5.1: 1 < Ys < p-1
      if (ys <= 1n || ys >= group.p - 1n) throw new TlsError('illegal_parameter', 'invalid_dh_public', 'tls: the server DHE public value is out of range (must be 1 < Ys < p-1)');
      const z = modPowWindowed(ys, x, group.p);
      if (z <= 1n || z === group.p - 1n) throw new TlsError('illegal_parameter', 'invalid_dh_public', 'tls: the DHE shared secret is degenerate');
      // RFC 5246 §8.1.2: leading zero bytes of Z are stripped
      const zb = bigIntToBytes(z, len);
      let i = 0;
      while (i < zb.length - 1 && zb[i] === 0) i++;
      return zb.slice(i);
    },
  };
}
