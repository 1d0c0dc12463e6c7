#!/usr/bin/env bash
# Installs what is missing, builds everything, runs every test. Used by CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/common.sh

ensure_swift
ensure_system_packages util-linux iproute2 systemd chromium  # setpriv: the normal-user pass; ip netns: the multi-host test; systemd-analyze: install.sh; chromium: the status page test

# CI keeps only the end of the output: a test run's failures are repeated after it, where they will be seen. The run's
# own exit status (pipefail) decides success; this only copies lines.
repeat_failures_last() {
    local log_file
    log_file="$(mktemp /tmp/peerstore-test-log.XXXXXX)"
    tee "$log_file"
    if grep -qE '^✘|Fatal error' "$log_file"; then
        log "failures, repeated from above:"
        grep -E '^✘|Fatal error' "$log_file" | head -60 >&2
    fi
    rm -f "$log_file"
}

log "building (debug, with tests)"
swift build --build-tests
export PEERSTORE_BIN_DIR="$(swift build --show-bin-path)"

log "running the tests"
# One test at a time: several suites start rings of real server processes, and the crash-safety test measures how
# many kill cycles fit in its time budget; on 2 cores, running them side by side makes them starve each other.
swift test --skip-build --no-parallel 2>&1 | repeat_failures_last

log "testing scripts/install.sh into a temporary root"
scripts/test-install.sh "$PEERSTORE_BIN_DIR"

# The end-to-end suite once more as a normal user (uid 65534), as a real deployment runs node and client: root may do
# what such a user may not (set SO_DEBUG, write anywhere), and a suite that only ever runs as root hides it. The test
# bundle and the executables are copied to a folder that user can read, wherever this clone is.
if [ "$(id -u)" -eq 0 ]; then
    log "running the end-to-end tests again as a normal user (nobody)"
    # With the in-process suites that were end-to-end cases (modes, owners, read-only folders, the file cache, sync).
    user_suites='EndToEndTests|MetadataRoundTripTests|FileCacheInMemoryTests|RestoreDebrisInMemoryTests|SyncInMemoryTests|SyncApplierTests'
    userdir="$(mktemp -d /tmp/peerstore-user-tests.XXXXXX)"
    trap 'rm -rf "$userdir"' EXIT
    chmod 755 "$userdir"
    cp "$PEERSTORE_BIN_DIR/PeerStorePackageTests.xctest" "$PEERSTORE_BIN_DIR/peerstore-server" "$PEERSTORE_BIN_DIR/peerstore-client" "$userdir/"
    (cd /tmp && setpriv --reuid=65534 --regid=65534 --clear-groups -- env HOME=/tmp PEERSTORE_HOME= PEERSTORE_BIN_DIR="$userdir" \
        "$userdir/PeerStorePackageTests.xctest" --no-parallel --testing-library swift-testing \
        --filter "$user_suites" </dev/null) 2>&1 | repeat_failures_last
fi
