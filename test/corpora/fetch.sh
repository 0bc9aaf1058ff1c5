#!/usr/bin/env bash
# Fetches the independent X.509 corpora into .peers/ (not committed: one is 37 MB, the other is generated
# with fresh keys and dates each time):
#   .peers/pkits/certs        NIST PKITS certificates, from PyPI's cryptography-vectors (pinned below)
#   .peers/bettertls/tests.json  Netflix BetterTLS path-building and name-constraints tests, exported by its
#                             own Go command (module pinned below)
# Run by .ci/run; run it by hand to get the suites locally. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
PKITS_VERSION=44.0.0
BETTERTLS_VERSION=v0.0.0-20250909192348-e1e99e353074

if [ ! -f .peers/pkits/VERSION ] || [ "$(cat .peers/pkits/VERSION)" != "$PKITS_VERSION" ]; then
  tmp="$(mktemp -d)"
  python3 -m pip download --quiet --no-deps --disable-pip-version-check "cryptography-vectors==$PKITS_VERSION" -d "$tmp"
  rm -rf .peers/pkits && mkdir -p .peers/pkits
  python3 - "$tmp"/cryptography_vectors-"$PKITS_VERSION"-*.whl .peers/pkits <<'PY'
import sys, zipfile, os
wheel, out = sys.argv[1], sys.argv[2]
prefix = 'cryptography_vectors/x509/PKITS_data/certs/'
with zipfile.ZipFile(wheel) as z:
    os.makedirs(os.path.join(out, 'certs'), exist_ok=True)
    for name in z.namelist():
        if name.startswith(prefix) and name.endswith('.crt'):
            with open(os.path.join(out, 'certs', name[len(prefix):]), 'wb') as f:
                f.write(z.read(name))
PY
  echo "$PKITS_VERSION" > .peers/pkits/VERSION
  rm -rf "$tmp"
fi
echo "pkits: $(ls .peers/pkits/certs | wc -l) certificates from cryptography-vectors $PKITS_VERSION"

if [ ! -f .peers/bettertls/VERSION ] || [ "$(cat .peers/bettertls/VERSION)" != "$BETTERTLS_VERSION" ]; then
  mkdir -p .peers/bettertls
  GOBIN="$PWD/.peers/bettertls" GOFLAGS=-mod=mod go install "github.com/Netflix/bettertls/test-suites/cmd/bettertls@$BETTERTLS_VERSION"
  echo "$BETTERTLS_VERSION" > .peers/bettertls/VERSION
fi
# exported fresh each run: the certificates it makes are valid from now for about a year
.peers/bettertls/bettertls export-tests --out .peers/bettertls/tests.json
echo "bettertls: tests exported by github.com/Netflix/bettertls $BETTERTLS_VERSION"
