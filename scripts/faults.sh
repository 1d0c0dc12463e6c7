#!/usr/bin/env bash
# The fault cases, long: kill -9 at random moments (block writes; backups on a ring), a partition of a 6-node ring
# across two network namespaces and its heal, a torn data path as a power loss
# leaves it, a full disk. Each case runs real peerstore-server processes on 127.0.0.1 (and a tmpfs it mounts), every
# loop bounded in count and time, and records a row of figures; the table is printed at the end. The short subset of
# the same cases runs in every scripts/test.sh.
#
#   scripts/faults.sh            (the long run: about 20-30 minutes on 2 cores)
#   scripts/faults.sh -short     (the subset scripts/test.sh runs)
#   scripts/faults.sh -only REGEX
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/common.sh

MODE=long
ONLY='Fault[A-Z][A-Za-z]*Tests|CrashSafetyTests|FrozenNodeTests|ConnectionFloodTests'
while [ $# -gt 0 ]; do
    case "${1#-}" in
        short|-short) MODE=short; shift ;;
        only|-only) [ $# -ge 2 ] || die "-only needs a regular expression of suite names"; ONLY="$2"; shift 2 ;;
        help|h|-help) sed -n '2,9p' "$0"; exit 0 ;;
        *) die "unknown flag '$1': see scripts/faults.sh -help" ;;
    esac
done
[ "$(id -u)" -eq 0 ] || die "the fault cases mount a small filesystem and need root: sudo scripts/faults.sh"

ensure_swift
ensure_system_packages util-linux iproute2  # mount: the disk-full case; ip netns: the partition case
log "building (debug, with tests)"
swift build --build-tests
export PEERSTORE_BIN_DIR="$(swift build --show-bin-path)"

report="$(mktemp /tmp/peerstore-faults.XXXXXX)"
trap 'rm -f "$report"' EXIT
log "running the fault cases ($MODE)"
status=0
PEERSTORE_FAULTS="$MODE" PEERSTORE_FAULTS_REPORT="$report" \
    swift test --skip-build --no-parallel --filter "$ONLY" </dev/null || status=$?

printf '\n%-42s %5s  %s\n' "case" "runs" "figures"
printf '%-42s %5s  %s\n' "----" "----" "-------"
while IFS=$'\t' read -r name runs figures; do
    printf '%-42s %5s  %s\n' "$name" "$runs" "$figures"
done <"$report"
[ -s "$report" ] || log "no case recorded figures"
if [ "$status" -ne 0 ]; then
    log "a fault case failed (exit $status): see its expectations above"
    exit "$status"
fi
log "every fault case passed: lost 0, torn 0"
