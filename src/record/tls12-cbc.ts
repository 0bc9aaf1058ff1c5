import { AesCbc } from '../crypto/aes-cbc.js';
import type { HashAlgorithm } from '../crypto/hash.js';
import { hmac } from '../crypto/hmac.js';
import type { RandomSource } from '../crypto/random.js';
import { equalConstantTime } from '../bytes/encoding.js';
import { TlsError } from '../errors.js';
import { encodeRecordHeader, MAX_PLAINTEXT } from '../wire/record-header.js';
import { allocRecord, encodeSequence, type RecordProtection } from './protection.js';

/**
 * TLS 1.2 AES-CBC record protection with HMAC (RFC 5246 §6.2.3.2), as
 * MAC-then-encrypt or, when negotiated, encrypt-then-MAC (RFC 7366). Each
 * record has a fresh random explicit IV.
 *
 * Every failure (length, padding, MAC) is the same bad_record_mac. For
 * MAC-then-encrypt the padding check reads a fixed window, the MAC is always
 * computed and the hash is fed dummy bytes so the work does not depend on the
 * padding length (Lucky 13); docs/SECURITY.md says what JavaScript still leaks.
 */
export class Tls12CbcDirection implements RecordProtection {
  private readonly cbc: AesCbc;
  private seq = 0;
  private readonly macLen: number;

  constructor(key: Uint8Array, private readonly macKey: Uint8Array, private readonly hash: HashAlgorithm, private readonly encryptThenMac: boolean, private readonly random: RandomSource) {
    this.cbc = new AesCbc(key);
    this.macLen = hash.outputLen;
  }

  get sequenceNumber(): number { return this.seq; }

  private mac(seq: Uint8Array, type: number, length: number, ...parts: Uint8Array[]): Uint8Array {
    let total = 13;
    for (const p of parts) total += p.length;
    const input = new Uint8Array(total);
    input.set(seq); input[8] = type; input[9] = 3; input[10] = 3; input[11] = length >>> 8; input[12] = length & 0xff;
    let o = 13;
    for (const p of parts) { input.set(p, o); o += p.length; }
    return hmac(this.hash, this.macKey, input);
  }

  async seal(type: number, content: Uint8Array): Promise<Uint8Array> {
    if (this.seq >= Number.MAX_SAFE_INTEGER) throw new TlsError('internal_error', 'sequence_overflow', 'tls: record sequence number exhausted');
    const seq = encodeSequence(this.seq++);
    const iv = this.random(16);
    const macInPlaintext = this.encryptThenMac ? 0 : this.macLen;
    const unpadded = content.length + macInPlaintext;
    const padLen = 15 - (unpadded % 16); // padding bytes after the length byte; total is a block multiple
    const ctLen = unpadded + padLen + 1;
    const length = 16 + ctLen + (this.encryptThenMac ? this.macLen : 0);
    const out = allocRecord(length);
    encodeRecordHeader(type, 0x0303, length, out);
    out.set(iv, 5);
    const ct = out.subarray(21, 21 + ctLen);
    ct.set(content);
    if (!this.encryptThenMac) ct.set(this.mac(seq, type, content.length, content), content.length);
    ct.fill(padLen, unpadded);
    this.cbc.encryptInPlace(iv, ct);
    if (this.encryptThenMac) out.set(this.mac(seq, type, 16 + ctLen, iv, ct), 21 + ctLen);
    return out;
  }

  async open(header: Uint8Array, fragment: Uint8Array): Promise<{ type: number; content: Uint8Array }> {
    const seq = encodeSequence(this.seq++);
    const type = header[0]!;
    const bad = () => new TlsError('bad_record_mac', 'decryption_failed', 'tls: a record failed authentication (bad_record_mac): it was altered in transit or keys disagree');
    const content = this.encryptThenMac ? this.openEtm(seq, type, fragment, bad) : this.openMte(seq, type, fragment, bad);
    if (content.length > MAX_PLAINTEXT) throw new TlsError('record_overflow', 'plaintext_too_long', `tls: decrypted record of ${content.length} bytes exceeds 2^14`);
    return { type, content };
  }

  private openEtm(seq: Uint8Array, type: number, fragment: Uint8Array, bad: () => TlsError): Uint8Array {
    const m = this.macLen;
    if (fragment.length < 32 + m || (fragment.length - m) % 16 !== 0) throw bad();
    const ivct = fragment.subarray(0, fragment.length - m);
    const expected = this.mac(seq, type, ivct.length, ivct);
    if (!equalConstantTime(expected, fragment.subarray(fragment.length - m))) throw bad();
    // authenticated: padding errors now can only be the peer's own, but are reported the same way
    const iv = ivct.slice(0, 16);
    const ct = ivct.subarray(16);
    this.cbc.decryptInPlace(iv, ct);
    const padLen = ct[ct.length - 1]!;
    if (padLen + 1 > ct.length) throw bad();
    let diff = 0;
    for (let i = ct.length - 1 - padLen; i < ct.length; i++) diff |= ct[i]! ^ padLen;
    if (diff !== 0) throw bad();
    return ct.subarray(0, ct.length - padLen - 1);
  }

  private openMte(seq: Uint8Array, type: number, fragment: Uint8Array, bad: () => TlsError): Uint8Array {
    const m = this.macLen;
    // public length checks: IV + at least one block holding MAC and the padding-length byte
    const minCt = Math.max(16, Math.ceil((m + 1) / 16) * 16);
    if (fragment.length < 16 + minCt || fragment.length % 16 !== 0) throw bad();
    const iv = fragment.slice(0, 16);
    const ct = fragment.subarray(16);
    this.cbc.decryptInPlace(iv, ct);
    const L = ct.length;
    const padLen = ct[L - 1]!;

    // padding check over a fixed 256-byte window, branch-free on the secret padLen
    let good = ((L - (m + padLen + 1)) >> 31) + 1 & 1; // 1 when padLen + 1 + m <= L
    const window = Math.min(256, L);
    for (let i = 0; i < window; i++) {
      const b = ct[L - 1 - i]!;
      const inPad = ((i - padLen - 1) >> 31) & 1; // 1 when i <= padLen
      good &= 1 - (inPad & (((b ^ padLen) + 0xff) >> 8));
    }
    // with bad padding, proceed as if there were none (RFC 5246 §6.2.3.2 timing advice)
    const effPad = padLen * good;
    const contentLen = L - m - 1 - effPad;

    const expected = this.mac(seq, type, contentLen, ct.subarray(0, contentLen));
    // equalise hashing work: feed the bytes the MAC would have covered with no padding
    this.hash.digest(new Uint8Array(effPad));

    // copy the received MAC out of a secret position without a secret-dependent index
    const received = new Uint8Array(m);
    const lo = Math.max(0, L - 1 - 255 - m);
    for (let off = lo; off <= L - 1 - m; off++) {
      const mask = -(((off ^ contentLen) - 1) >>> 31) & 0xff; // 0xff when off === contentLen
      for (let k = 0; k < m; k++) received[k] = received[k]! | (ct[off + k]! & mask);
    }
    const macOk = equalConstantTime(expected, received) ? 1 : 0;
    if ((good & macOk) !== 1) throw bad();
    return ct.subarray(0, contentLen);
  }
}
