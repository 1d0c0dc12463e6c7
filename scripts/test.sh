#!/usr/bin/env bash
# Installs what is missing, builds everything, runs every test. Used by CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/common.sh

ensure_swift
ensure_system_packages iproute2  # ip netns: the multi-host test

log "building (debug, with tests)"
swift build --build-tests
export PEERSTORE_BIN_DIR="$(swift build --show-bin-path)"

log "running the tests"
# One test at a time: several suites start rings of real server processes, and the crash-safety test measures how
# many kill cycles fit in its time budget; on 2 cores, running them side by side makes them starve each other.
swift test --skip-build --no-parallel
