#!/usr/bin/env bash
# The official Tencent Cloud Node.js SDK's signature-v1 signing, timed beside cvm's by
# `benches/report` (its peer_node_sdk row): installs the pinned SDK from the npm registry into
# ./node_modules (npm ci, from package-lock.json) and runs bench_signing.js, which checks the SDK's
# signature of the walkthrough's RunInstances and prints one JSON object of timings.
# Not part of `cargo test`: it needs Node.js and npm. CVM_NODE picks the node binary.
# Usage: interop/node-sdk/run.sh [--install-only]
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
[ -d node_modules/tencentcloud-sdk-nodejs-common ] || npm ci --silent --no-audit --no-fund
[ "${1:-}" = "--install-only" ] && exit 0
exec "${CVM_NODE:-node}" bench_signing.js
