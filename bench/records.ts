import { createCipheriv, createDecipheriv } from 'node:crypto';
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { tls13Suite } from '../src/handshake/cipher-suites.js';
import { Tls13Direction } from '../src/record/tls13-protection.js';
import { ContentType, type CipherSuiteName } from '../src/wire/constants.js';
import { benchProviders } from './providers.js';
import { fmt, fmtRatio, interleaved, median, ratios } from './timing.js';

/**
 * record_seal / record_open for every TLS 1.3 suite at 64 B, 1 KiB and 16 KiB:
 * isotls's record protection (header, inner plaintext, nonce, AEAD, one
 * record at a time, awaited) with each provider, against the raw @noble
 * one-shot AEAD and raw node:crypto on the same bytes, interleaved. Every
 * provider's first record is compared with node:crypto's before timing.
 */
const SIZES: [string, number][] = [['64', 64], ['1k', 1024], ['16k', 16384]];
const SUITES: [CipherSuiteName, string, string, number][] = [
  ['TLS_AES_128_GCM_SHA256', 'aes128gcm', 'aes-128-gcm', 16],
  ['TLS_AES_256_GCM_SHA384', 'aes256gcm', 'aes-256-gcm', 16],
  ['TLS_CHACHA20_POLY1305_SHA256', 'chacha20poly1305', 'chacha20-poly1305', 16],
  ['TLS_AES_128_CCM_SHA256', 'aes128ccm', 'aes-128-ccm', 16],
  ['TLS_AES_128_CCM_8_SHA256', 'aes128ccm8', 'aes-128-ccm', 8],
];

function nodeSeal(alg: string, tagLen: number, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array): Uint8Array {
  const c = createCipheriv(alg as 'aes-128-gcm', key, nonce, { authTagLength: tagLen } as never);
  if (alg.includes('ccm')) (c as unknown as { setAAD(a: Uint8Array, o: object): void }).setAAD(aad, { plaintextLength: pt.length });
  else c.setAAD(aad);
  return new Uint8Array(Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]));
}

function nodeOpen(alg: string, tagLen: number, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array {
  const len = sealed.length - tagLen;
  const d = createDecipheriv(alg as 'aes-128-gcm', key, nonce, { authTagLength: tagLen } as never);
  (d as unknown as { setAuthTag(t: Uint8Array): void }).setAuthTag(sealed.subarray(len));
  if (alg.includes('ccm')) (d as unknown as { setAAD(a: Uint8Array, o: object): void }).setAAD(aad, { plaintextLength: len });
  else d.setAAD(aad);
  const out = Buffer.concat([d.update(sealed.subarray(0, len)), d.final()]);
  if (out.length !== len) throw new Error('node:crypto open failed');
  return out;
}

export async function benchRecords(only?: string): Promise<string[]> {
  const providers = await benchProviders();
  const rows: string[] = [];
  const head = `${'scenario (MB/s, median of 7 rounds)'.padEnd(38)} ${'pure'.padStart(8)} ${'webcrypto'.padStart(10)} ${'node'.padStart(8)} ${'noble raw'.padStart(10)} ${'node raw'.padStart(9)}  ${'pure/noble'.padStart(17)}  ${'node/node raw'.padStart(17)}`;
  console.log(head); rows.push(head);
  for (const [suiteName, short, nodeAlg, tagLen] of SUITES) {
    for (const [label, size] of SIZES) {
      if (only && !`${short}_${label}`.includes(only)) continue;
      const pt = new Uint8Array(size).fill(0x61);
      const inner = new Uint8Array(size + 1); inner.set(pt); inner[size] = ContentType.application_data;
      const header = new Uint8Array([23, 3, 3, (size + 1 + tagLen) >> 8, (size + 1 + tagLen) & 0xff]);
      const key = new Uint8Array(tls13Suite(suiteName, providers.pure).aead.keyLength).fill(7);
      const iv = new Uint8Array(12).fill(9);
      const ref = nodeSeal(nodeAlg, tagLen, key, iv, header, inner);
      const sealers = Object.fromEntries(await Promise.all(Object.entries(providers).map(async ([name, p]) => {
        const suite = tls13Suite(suiteName, p);
        const check = await new Tls13Direction(suite.aead, key, iv).seal(ContentType.application_data, pt);
        if (Buffer.compare(Buffer.from(check.subarray(5)), Buffer.from(ref)) !== 0) throw new Error(`${suiteName} (${name}): isotls record differs from node:crypto`);
        return [name, { suite, dir: new Tls13Direction(suite.aead, key, iv) }] as const;
      })));
      const nobleSeal = short.startsWith('chacha') ? () => chacha20poly1305(key, iv, header).encrypt(inner) : () => gcm(key, iv, header).encrypt(inner);
      const nobleLabel = short.includes('ccm') ? 'noble GCM' : 'noble';
      const seal = await interleaved([
        ['pure', () => sealers.pure!.dir.seal(ContentType.application_data, pt)],
        ['webcrypto', () => sealers.webcrypto!.dir.seal(ContentType.application_data, pt)],
        ['node', () => sealers.node!.dir.seal(ContentType.application_data, pt)],
        ['noble', nobleSeal],
        ['nodeRaw', () => nodeSeal(nodeAlg, tagLen, key, iv, header, inner)],
      ]);
      // open: records pre-sealed at consecutive sequence numbers, each opened from its own copy (open works in place)
      const records = await (async () => { const w = new Tls13Direction(sealers.pure!.suite.aead, key, iv); const out: Uint8Array[] = []; for (let i = 0; i < 64; i++) out.push(await w.seal(ContentType.application_data, pt)); return out; })();
      const opener = (name: 'pure' | 'webcrypto' | 'node') => {
        let dir = new Tls13Direction(sealers[name]!.suite.aead, key, iv), i = 0;
        return async () => {
          if (i === records.length) { dir = new Tls13Direction(sealers[name]!.suite.aead, key, iv); i = 0; }
          const r = records[i++]!;
          const copy = new Uint8Array(r.length + 3).subarray(3);
          copy.set(r);
          const opened = await dir.open(copy.subarray(0, 5), copy.subarray(5));
          if (opened.content.length !== size) throw new Error('open returned the wrong length');
        };
      };
      // the references open too (opening is compared with opening, sealing with sealing)
      const sealedInner = nobleSeal();
      // (for CCM the noble column is GCM: sealedInner is then a GCM ciphertext)
      const nobleOpen = short.startsWith('chacha') ? () => chacha20poly1305(key, iv, header).decrypt(sealedInner) : () => gcm(key, iv, header).decrypt(sealedInner);
      const open = await interleaved([['pure', opener('pure')], ['webcrypto', opener('webcrypto')], ['node', opener('node')], ['noble', nobleOpen], ['nodeRaw', () => nodeOpen(nodeAlg, tagLen, key, iv, header, ref)]]);
      const mb = (r: number[]) => fmt((median(r) * size) / 1e6, 1);
      for (const [op, m] of [['seal', seal], ['open', open]] as const) {
        const g = (n: string) => m.get(n)!;
        const line = `${`record_${op}_1.3_${short}_${label}`.padEnd(38)} ${mb(g('pure')).padStart(8)} ${mb(g('webcrypto')).padStart(10)} ${mb(g('node')).padStart(8)} ${mb(g('noble')).padStart(10)} ${mb(g('nodeRaw')).padStart(9)}  ${fmtRatio(ratios(g('pure'), g('noble'))).padStart(17)}  ${fmtRatio(ratios(g('node'), g('nodeRaw'))).padStart(17)}${nobleLabel !== 'noble' ? ' (noble column: GCM; noble has no CCM)' : ''}`;
        console.log(line); rows.push(line);
      }
    }
  }
  return rows;
}
