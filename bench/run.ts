/**
 * `npm run bench [records|handshakes]`: every number is printed beside a
 * reference measured in the same process (raw @noble, node:crypto, node:tls).
 * Ratios are isotls / reference: above 1.0 means isotls is faster.
 */
import { benchHandshakes } from './handshakes.js';
import { benchRecords } from './records.js';
import { benchHandshakes12 } from './handshakes12.js';
import { benchRecords12 } from './records12.js';
import { benchMtls } from './mtls.js';
import { benchX509 } from './x509.js';

const which = process.argv[2];
console.log(`isotls bench — node ${process.version}, ${new Date().toISOString()}`);
if (!which || which === 'records') benchRecords();
if (!which || which === 'handshakes') await benchHandshakes();
if (!which || which === 'records12') benchRecords12();
if (!which || which === 'handshakes12') await benchHandshakes12();
if (!which || which === 'mtls') await benchMtls();
if (!which || which === 'x509') benchX509();
