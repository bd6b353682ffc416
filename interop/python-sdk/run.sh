#!/usr/bin/env bash
# The official Tencent Cloud Python SDK, configured as its users configure it, runs the seed
# walkthrough against a fresh `cvm sim` on 127.0.0.1 in all six cells (TC3-HMAC-SHA256,
# HmacSHA256, HmacSHA1 x POST, GET), and a wrong key must get AuthFailure.SignatureFailure.
# Not part of `cargo test`: it needs Python and the SDK from PyPI (installed into ./venv).
# Usage: interop/python-sdk/run.sh [--only TC3-HMAC-SHA256:GET ...]   (CVM_BIN picks the binary)
#        interop/python-sdk/run.sh --replies   (every emulated reply parsed by the SDK's models:
#        reply_models.py over the replies tests/reply_shapes.rs dumps)
set -u
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
BIN=${CVM_BIN:-$top/target/debug/cvm}
[ -x "$BIN" ] || (cd "$top" && cargo build -q -p cvm-cli) || exit 1
cd "$here"
[ -x venv/bin/python ] || { python3 -m venv venv && venv/bin/pip install -q tencentcloud-sdk-python-common tencentcloud-sdk-python-cvm; } || exit 1
if [ "${1:-}" = "--replies" ]; then
    (cd "$top" && CVM_REPLY_DUMP="$here/replies.json" cargo test -q -p cvm-sim --test reply_shapes) || exit 1
    exec venv/bin/python reply_models.py replies.json
fi
"$BIN" sim --listen 127.0.0.1:0 > sim.out 2> sim.err &
SIM_PID=$!
trap 'kill "$SIM_PID" 2>/dev/null; wait "$SIM_PID" 2>/dev/null' EXIT
for _ in $(seq 50); do grep -q 'SecretKey' sim.out 2>/dev/null && break; sleep 0.1; done
venv/bin/python walkthrough.py --sim-out sim.out "$@"
