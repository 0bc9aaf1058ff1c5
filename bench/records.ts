import { createCipheriv } from 'node:crypto';
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { defaultProvider } from '../src/crypto/provider.js';
import { tls13Suite } from '../src/handshake/cipher-suites.js';
import { Tls13Direction } from '../src/record/tls13-protection.js';
import { ContentType, type CipherSuiteName } from '../src/wire/constants.js';
import { fmt, measure } from './timing.js';

/**
 * record_seal / record_open for every TLS 1.3 suite at 64 B, 1 KiB and 16 KiB:
 * isotls's record protection (header, inner plaintext, nonce, AEAD) against
 * the raw @noble one-shot AEAD and node:crypto, on the same bytes, same run.
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
  const out = Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
  return new Uint8Array(out);
}

export function benchRecords(): string[] {
  const rows: string[] = [];
  const head = `${'scenario'.padEnd(40)} ${'isotls MB/s'.padStart(12)} ${'noble MB/s'.padStart(11)} ${'node MB/s'.padStart(10)} ${'vs noble'.padStart(9)} ${'vs node'.padStart(8)}`;
  console.log(head); rows.push(head);
  for (const [suiteName, short, nodeAlg, tagLen] of SUITES) {
    const suite = tls13Suite(suiteName, defaultProvider);
    const key = new Uint8Array(suite.aead.keyLength).fill(7);
    const iv = new Uint8Array(12).fill(9);
    for (const [label, size] of SIZES) {
      const pt = new Uint8Array(size).fill(0x61);
      const inner = new Uint8Array(size + 1); inner.set(pt); inner[size] = ContentType.application_data;
      const header = new Uint8Array([23, 3, 3, (size + 1 + tagLen) >> 8, (size + 1 + tagLen) & 0xff]);

      // correctness before timing: our first record equals node:crypto's AEAD over the same inner plaintext
      const check = new Tls13Direction(suite.aead, key, iv).seal(ContentType.application_data, pt);
      const ref = nodeSeal(nodeAlg, tagLen, key, iv, header, inner);
      if (Buffer.compare(Buffer.from(check.subarray(5)), Buffer.from(ref)) !== 0) throw new Error(`${suiteName}: isotls record differs from node:crypto`);

      // the raw noble one-shot primitive for this AEAD (CCM has none: compared against noble AES-GCM of the same key size)
      const nobleSeal = short.startsWith('chacha')
        ? () => chacha20poly1305(key, iv, header).encrypt(inner)
        : () => gcm(key, iv, header).encrypt(inner);
      const seal = new Tls13Direction(suite.aead, key, iv);
      const isoSealRate = measure(() => { seal.seal(ContentType.application_data, pt); });
      const nobleRate = measure(() => { nobleSeal(); });
      const nodeRate = measure(() => { nodeSeal(nodeAlg, tagLen, key, iv, header, inner); });
      const mb = (r: number) => (r * size) / 1e6;
      const line = (name: string, iso: number) => `${name.padEnd(40)} ${fmt(mb(iso), 1).padStart(12)} ${fmt(mb(nobleRate), 1).padStart(11)} ${fmt(mb(nodeRate), 1).padStart(10)} ${fmt(iso / nobleRate, 2).padStart(9)} ${fmt(iso / nodeRate, 2).padStart(8)}`;
      const l1 = line(`record_seal_1.3_${short}_${label}`, isoSealRate);
      console.log(l1); rows.push(l1);

      // open: records pre-sealed at consecutive sequence numbers, opened by a fresh direction per batch
      const batch = Array.from({ length: 64 }, () => 0);
      const writer = new Tls13Direction(suite.aead, key, iv);
      const records = batch.map(() => writer.seal(ContentType.application_data, pt));
      let opener = new Tls13Direction(suite.aead, key, iv), i = 0;
      const isoOpenRate = measure(() => {
        if (i === records.length) { opener = new Tls13Direction(suite.aead, key, iv); i = 0; }
        const r = records[i++]!;
        // open decrypts in place, so each record gets its own copy, aligned as the deframer makes it in real use
        const copy = new Uint8Array(r.length + 3).subarray(3);
        copy.set(r);
        opener.open(copy.subarray(0, 5), copy.subarray(5));
      });
      const l2 = line(`record_open_1.3_${short}_${label}`, isoOpenRate);
      console.log(l2); rows.push(l2);
    }
  }
  return rows;
}
