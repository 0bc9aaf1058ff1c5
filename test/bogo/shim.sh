#!/usr/bin/env bash
# BoGo shim launcher. Answers the runner's capability probe, and exits 89 ("unimplemented") at once for any
# flag shim.ts does not implement (server mode, DTLS, QUIC, and the rest), without starting Node. Otherwise
# runs the bundled shim (built by test/bogo/run.sh into .peers/bogo/shim.mjs).
here="$(cd "$(dirname "$0")" && pwd)"
bool_flags=" -ipv6 -verify-peer -verify-fail -expect-verify-result -no-tls13 -no-tls12 -no-tls1 -no-tls11 -expect-session-miss -expect-no-session -shim-writes-first -on-resume-shim-writes-first -shim-shuts-down -check-close-notify -key-update -expect-hrr -expect-no-hrr -expect-extended-master-secret -async -implicit-handshake -expect-ech-accept -enable-ech-grease "
value_flags=" -port -shim-id -trust-cert -cert-file -key-file -signing-prefs -min-version -max-version -expect-version -curves -expect-curve-id -verify-prefs -expect-peer-signature-algorithm -advertise-alpn -expect-alpn -host-name -resume-count -ech-config-list -expect-ech-retry-configs "
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  a="${args[$i]}"
  if [ "$a" = "-is-handshaker-supported" ]; then echo "No"; exit 0; fi
  if [[ "$bool_flags" == *" $a "* ]]; then continue; fi
  if [[ "$value_flags" == *" $a "* ]]; then i=$((i + 1)); continue; fi
  echo "flag $a is not implemented by the isotls shim" >&2
  exit 89
done
# ISOTLS_BOGO_COUNT_ONLY: a test the shim would run fails at once instead (run.sh counts them this way)
[ -n "${ISOTLS_BOGO_COUNT_ONLY:-}" ] && exit 1
exec node "${ISOTLS_BOGO_SHIM:-$here/../../.peers/bogo/shim.mjs}" "$@"
