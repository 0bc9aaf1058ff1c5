/**
 * `npm run bench [records|records12|handshakes|transfer|memory|mtls|x509|pq|features|http] [name filter]`:
 * every contender is measured in interleaved rounds in the same run (servers
 * in a separate process), outputs are checked before timing, and each line
 * gives medians and, for ratios, the median and min–max of per-round ratios.
 */
import { benchHandshakes } from './handshakes.js';
import { benchMemory } from './memory.js';
import { benchMtls } from './mtls.js';
import { benchRecords } from './records.js';
import { benchRecords12 } from './records12.js';
import { benchTransfer } from './transfer.js';
import { benchX509 } from './x509.js';
import { benchPostQuantum } from './pq.js';
import { benchFeatures } from './features.js';
import { benchHttp } from './http.js';

const [which, filter] = process.argv.slice(2);
console.log(`isotls bench — node ${process.version}, ${new Date().toISOString()}`);
if (!which || which === 'records') await benchRecords(filter);
if (!which || which === 'records12') await benchRecords12();
if (!which || which === 'handshakes') await benchHandshakes(filter);
if (!which || which === 'transfer') await benchTransfer(filter);
if (!which || which === 'memory') await benchMemory(filter);
if (!which || which === 'mtls') await benchMtls();
if (!which || which === 'x509') await benchX509();
if (!which || which === 'pq') await benchPostQuantum();
if (!which || which === 'features') await benchFeatures();
if (!which || which === 'http') await benchHttp();
