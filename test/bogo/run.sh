#!/usr/bin/env bash
# `npm run bogo`: BoringSSL's TLS test runner ("BoGo") against isotls as a client.
# The runner is fetched as a Go module, the way Go's own crypto/tls tests fetch it, at a pinned version;
# test/bogo/shim.sh is the shim, test/bogo/config.json lists the disabled tests (each with its reason) and
# maps BoringSSL error names to isotls codes. Prints "bogo: P passed, F failed, U unimplemented, D disabled"
# and exits non-zero on any failure. Results: .peers/bogo/results.json (the runner's JSON).
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
# The BoringSSL commit Go's crypto/tls BoGo test used in 2024 (module path github.com/google/boringssl).
BORINGSSL_MODULE="github.com/google/boringssl"
BORINGSSL_VERSION="v0.0.0-20240412155355-1c6e10495e4f"
export GOFLAGS=-buildvcs=false
workers="${BOGO_WORKERS:-2}"

if ! command -v go >/dev/null 2>&1; then echo "bogo: go is not installed"; echo "bogo: 0 passed, 1 failed, 0 unimplemented, 0 disabled"; exit 1; fi
json="$(go mod download -json "$BORINGSSL_MODULE@$BORINGSSL_VERSION" 2>&1)"
dir="$(printf '%s' "$json" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const j=JSON.parse(s);if(j.Dir)console.log(j.Dir);}catch{}})')"
if [ -z "$dir" ] || [ ! -d "$dir/ssl/test/runner" ]; then
  echo "bogo: could not download $BORINGSSL_MODULE@$BORINGSSL_VERSION from the Go module proxy:"; printf '%s\n' "$json" | head -5
  echo "bogo: 0 passed, 1 failed, 0 unimplemented, 0 disabled"; exit 1
fi
mkdir -p .peers/bogo
npx esbuild test/bogo/shim.ts --bundle --platform=node --format=esm --outfile=.peers/bogo/shim.mjs --log-level=warning || { echo "bogo: shim build failed"; exit 1; }

runner() { # runner <json-output> [flags...]
  local out="$1"; shift
  (cd "$dir/ssl/test/runner" && go test . -shim-path "$root/test/bogo/shim.sh" -allow-unimplemented -loose-errors -num-workers "$workers" -pipe -json-output "$out" "$@") > "${out%.json}.log" 2>&1
}

# Which tests the shim would run at all (those whose flags it implements reach it and end at once here), to count the
# disabled ones that matter: a disabled server, DTLS or QUIC test would be unimplemented anyway.
ISOTLS_BOGO_COUNT_ONLY=1 runner "$root/.peers/bogo/all.json"
runner "$root/.peers/bogo/results.json" -shim-config "$root/test/bogo/config.json"
status=$?

node - "$root/.peers/bogo/all.json" "$root/.peers/bogo/results.json" "$status" <<'NODE'
const [all, results, status] = process.argv.slice(2);
const fs = require('node:fs');
const everyTest = JSON.parse(fs.readFileSync(all, 'utf8')).tests;
const tests = JSON.parse(fs.readFileSync(results, 'utf8')).tests;
const count = (a) => Object.values(tests).filter((t) => t.actual === a).length;
const p = count('PASS'), f = count('FAIL'), u = count('SKIP');
const disabled = Object.keys(everyTest).filter((n) => !(n in tests));
const disabledRunnable = disabled.filter((n) => everyTest[n].actual !== 'SKIP'); // reached the shim (pass or fail)
fs.writeFileSync(results.replace(/results\.json$/, 'disabled.txt'), disabledRunnable.sort().join('\n') + '\n');
for (const [name, t] of Object.entries(tests)) if (t.actual === 'FAIL') console.log(`bogo: FAILED ${name}`);
if (status !== '0' && f === 0) console.log(`bogo: the runner exited with status ${status} (see ${results.replace(/json$/, 'log')})`);
console.log(`bogo: (${disabled.length - disabledRunnable.length} more tests match a disabled pattern but would be unimplemented anyway: server, DTLS, QUIC, or flags the shim lacks)`);
console.log(`bogo: ${p} passed, ${f} failed, ${u} unimplemented, ${disabledRunnable.length} disabled`);
process.exit(f > 0 || status !== '0' || p === 0 ? 1 : 0);
NODE
