#!/usr/bin/env bash
# Installs what is missing, builds everything, runs every test. Used by CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/common.sh

ensure_swift
ensure_system_packages

log "building (debug, with tests)"
swift build --build-tests
export PEERSTORE_BIN_DIR="$(swift build --show-bin-path)"

log "running the tests"
swift test --skip-build
