import { createCipheriv, createHmac } from 'node:crypto';
import { cbc, gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { defaultProvider } from '../src/crypto/provider.js';
import type { RecordProtection } from '../src/record/protection.js';
import { Tls12AeadDirection } from '../src/record/tls12-aead.js';
import { Tls12CbcDirection } from '../src/record/tls12-cbc.js';
import { ContentType } from '../src/wire/constants.js';
import { fmt, fmtRatio, interleaved, median, ratios } from './timing.js';

/**
 * record_seal_1.2 / record_open_1.2 at 64 B, 1 KiB, 16 KiB with the pure
 * provider. References: the raw @noble one-shot (AEAD, or AES-CBC + HMAC for
 * CBC) and node:crypto, on the same bytes, interleaved. Correctness is checked
 * before timing (each sealed record opens to its plaintext).
 */
const SIZES: [string, number][] = [['64', 64], ['1k', 1024], ['16k', 16384]];
type Case = { short: string; make: () => { w: RecordProtection; r: () => RecordProtection }; noble: (pt: Uint8Array) => void; node: (pt: Uint8Array) => void };
const key16 = new Uint8Array(16).fill(7), key32 = new Uint8Array(32).fill(7), iv4 = new Uint8Array(4).fill(1), iv12 = new Uint8Array(12).fill(1);
const nonce = new Uint8Array(12).fill(3), aad = new Uint8Array(13).fill(5), iv16 = new Uint8Array(16).fill(9), macKey = new Uint8Array(32).fill(2), macKey48 = new Uint8Array(48).fill(2);
const rnd = (n: number) => new Uint8Array(n).fill(4);
const P = defaultProvider;

const nodeAead = (alg: string, k: Uint8Array, tag = 16) => (pt: Uint8Array) => {
  const c = createCipheriv(alg as 'aes-128-gcm', k, nonce, { authTagLength: tag } as never);
  if (alg.includes('ccm')) (c as unknown as { setAAD(a: Uint8Array, o: object): void }).setAAD(aad, { plaintextLength: pt.length }); else c.setAAD(aad);
  Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
};
const padded = (n: number, mac: number) => { const len = n + mac; return new Uint8Array(len + 16 - (len % 16)); };

const CASES: Case[] = [
  { short: 'ecdhe_aes128gcm', make: () => ({ w: new Tls12AeadDirection(P.aeads['AES-128-GCM'], key16, iv4), r: () => new Tls12AeadDirection(P.aeads['AES-128-GCM'], key16, iv4) }), noble: (pt) => gcm(key16, nonce, aad).encrypt(pt), node: nodeAead('aes-128-gcm', key16) },
  { short: 'ecdhe_aes256gcm', make: () => ({ w: new Tls12AeadDirection(P.aeads['AES-256-GCM'], key32, iv4), r: () => new Tls12AeadDirection(P.aeads['AES-256-GCM'], key32, iv4) }), noble: (pt) => gcm(key32, nonce, aad).encrypt(pt), node: nodeAead('aes-256-gcm', key32) },
  { short: 'ecdhe_chacha20poly1305', make: () => ({ w: new Tls12AeadDirection(P.aeads['ChaCha20-Poly1305'], key32, iv12), r: () => new Tls12AeadDirection(P.aeads['ChaCha20-Poly1305'], key32, iv12) }), noble: (pt) => chacha20poly1305(key32, nonce, aad).encrypt(pt), node: nodeAead('chacha20-poly1305', key32) },
  { short: 'dhe_aes128ccm', make: () => ({ w: new Tls12AeadDirection(P.aeads['AES-128-CCM'], key16, iv4), r: () => new Tls12AeadDirection(P.aeads['AES-128-CCM'], key16, iv4) }), noble: (pt) => gcm(key16, nonce, aad).encrypt(pt), node: nodeAead('aes-128-ccm', key16) },
  { short: 'dhe_aes128ccm8', make: () => ({ w: new Tls12AeadDirection(P.aeads['AES-128-CCM-8'], key16, iv4), r: () => new Tls12AeadDirection(P.aeads['AES-128-CCM-8'], key16, iv4) }), noble: (pt) => gcm(key16, nonce, aad).encrypt(pt), node: nodeAead('aes-128-ccm', key16, 8) },
  ...(['mte', 'etm'] as const).flatMap((mode) => [
    { short: `ecdhe_aes128cbc_sha256_${mode}`, make: () => ({ w: new Tls12CbcDirection(key16, macKey, P.hashes['SHA-256'], mode === 'etm', rnd), r: () => new Tls12CbcDirection(key16, macKey, P.hashes['SHA-256'], mode === 'etm', rnd) }),
      noble: (pt: Uint8Array) => { hmac(sha256, macKey, pt); cbc(key16, iv16, { disablePadding: true }).encrypt(padded(pt.length, 32)); },
      node: (pt: Uint8Array) => { createHmac('sha256', macKey).update(pt).digest(); const c = createCipheriv('aes-128-cbc', key16, iv16); c.setAutoPadding(false); Buffer.concat([c.update(padded(pt.length, 32)), c.final()]); } },
    { short: `ecdhe_aes256cbc_sha384_${mode}`, make: () => ({ w: new Tls12CbcDirection(key32, macKey48, P.hashes['SHA-384'], mode === 'etm', rnd), r: () => new Tls12CbcDirection(key32, macKey48, P.hashes['SHA-384'], mode === 'etm', rnd) }),
      noble: (pt: Uint8Array) => { hmac(sha384, macKey48, pt); cbc(key32, iv16, { disablePadding: true }).encrypt(padded(pt.length, 48)); },
      node: (pt: Uint8Array) => { createHmac('sha384', macKey48).update(pt).digest(); const c = createCipheriv('aes-256-cbc', key32, iv16); c.setAutoPadding(false); Buffer.concat([c.update(padded(pt.length, 48)), c.final()]); } },
  ]),
];

export async function benchRecords12(): Promise<string[]> {
  const rows: string[] = [];
  const head = `${'scenario (MB/s, median of 7 rounds)'.padEnd(46)} ${'isotls'.padStart(8)} ${'noble raw'.padStart(10)} ${'node raw'.padStart(9)}  ${'isotls/noble'.padStart(17)}  ${'isotls/node raw'.padStart(17)}`;
  console.log(head); rows.push(head);
  for (const c of CASES) {
    for (const [label, size] of SIZES) {
      const pt = new Uint8Array(size).fill(0x61);
      const { w, r } = c.make();
      // correctness before timing
      const check = await w.seal(ContentType.application_data, pt);
      const opened = await r().open(check.subarray(0, 5), check.slice(5));
      if (Buffer.compare(Buffer.from(opened.content), Buffer.from(pt)) !== 0) throw new Error(`${c.short}: round trip failed`);
      const seal = c.make().w;
      const writer = c.make().w;
      const records: Uint8Array[] = [];
      for (let i = 0; i < 64; i++) records.push(await writer.seal(ContentType.application_data, pt));
      let opener = r(), i = 0;
      const openOne = async () => {
        if (i === records.length) { opener = r(); i = 0; }
        const rec = records[i++]!;
        const copy = new Uint8Array(rec.length + 3).subarray(3);
        copy.set(rec);
        await opener.open(copy.subarray(0, 5), copy.subarray(5));
      };
      const m = await interleaved([['seal', () => seal.seal(ContentType.application_data, pt)], ['open', openOne], ['noble', () => c.noble(pt)], ['node', () => c.node(pt)]]);
      const mb = (x: number[]) => fmt((median(x) * size) / 1e6, 1);
      for (const op of ['seal', 'open'] as const) {
        // the references only seal: an open rate is printed without a ratio rather than divided by a seal rate
        const vs = (ref: string) => (op === 'seal' ? fmtRatio(ratios(m.get(op)!, m.get(ref)!)) : 'n/a').padStart(17);
        const refs = op === 'seal' ? `${mb(m.get('noble')!).padStart(10)} ${mb(m.get('node')!).padStart(9)}` : `${'—'.padStart(10)} ${'—'.padStart(9)}`;
        const line = `${`record_${op}_1.2_${c.short}_${label}`.padEnd(46)} ${mb(m.get(op)!).padStart(8)} ${refs}  ${vs('noble')}  ${vs('node')}`;
        console.log(line); rows.push(line);
      }
    }
  }
  return rows;
}
