#!/usr/bin/env bash
# Figures of the live ring, measured side by side in one run (release build, 127.0.0.1, data under bench-data/):
#   - join to converged: N nodes started one after another through the first, until every node's predecessor and
#     successor in the status walk are right (for N in RING_SIZES, default "5 10")
#   - backup of a generated tree (SIZE_MIB, default 1024) through a 1-node ring with -replicas 1 and through a 3-node
#     ring with -replicas 3, alternating, RUNS times (default 3); then a restore from each; medians printed
# Usage: scripts/bench-ring.sh            (RUNS=5 SIZE_MIB=256 RING_SIZES="5 10 20" scripts/bench-ring.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/common.sh

RUNS="${RUNS:-3}"
SIZE_MIB="${SIZE_MIB:-1024}"
RING_SIZES="${RING_SIZES:-5 10}"
BASE=3401
DATA="$PWD/bench-data"
CORPUS="$DATA/corpus-$SIZE_MIB"

ensure_swift
ensure_system_packages
log "building (release)"
swift build -c release >/dev/null
BIN="$(swift build -c release --show-bin-path)"
mkdir -p "$DATA"
if [ ! -d "$CORPUS" ]; then
    log "generating a $SIZE_MIB MiB tree in $CORPUS"
    "$BIN/peerstore-gen" -out "$CORPUS" -size "$SIZE_MIB" >/dev/null
fi

. scripts/lib/bench.sh
trap stop_nodes EXIT

for n in $RING_SIZES; do
    : >"$DATA/join-$n.txt"
    for run in $(seq 1 "$RUNS"); do
        t0=$(now)
        start_ring "$n" 3 "$DATA/ring" "$BASE"
        wait_converged "$n" "$BASE"
        since "$t0" >>"$DATA/join-$n.txt"
        stop_nodes
    done
    log "join to converged, $n nodes (first start to converged), median of $RUNS: $(median "$DATA/join-$n.txt") s"
done

: >"$DATA/backup-1.txt"; : >"$DATA/backup-3.txt"; : >"$DATA/restore-1.txt"; : >"$DATA/restore-3.txt"
for run in $(seq 1 "$RUNS"); do
    for n in 1 3; do
        start_ring "$n" "$n" "$DATA/ring" "$BASE"
        wait_converged "$n" "$BASE"
        home="$DATA/home-$n"
        rm -rf "$home" "$DATA/out"
        drop_caches
        t0=$(now)
        "$BIN/peerstore-client" -home "$home" -quiet -operation backup -peerAddr "127.0.0.1:$BASE" -localPath "$CORPUS"
        since "$t0" >>"$DATA/backup-$n.txt"
        drop_caches
        t0=$(now)
        "$BIN/peerstore-client" -home "$home" -quiet -operation restore -peerAddr "127.0.0.1:$BASE" -filedest "$DATA/out"
        since "$t0" >>"$DATA/restore-$n.txt"
        diff -r --no-dereference "$CORPUS/" "$DATA/out/" >/dev/null || die "restore from the $n-node ring differs from the source"
        stop_nodes
    done
done
rm -rf "$DATA/out" "$DATA/ring"
log "backup of $SIZE_MIB MiB, median of $RUNS: 1 node k=1 $(median "$DATA/backup-1.txt") s, 3 nodes k=3 $(median "$DATA/backup-3.txt") s"
log "restore, median of $RUNS: 1 node k=1 $(median "$DATA/restore-1.txt") s, 3 nodes k=3 $(median "$DATA/restore-3.txt") s"
