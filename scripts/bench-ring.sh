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

PIDS=()
stop_all() {
    for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
    PIDS=()
}
trap stop_all EXIT

# start_ring N REPLICAS DIR: nodes on BASE.., each joining through the first.
start_ring() {
    local n="$1" replicas="$2" dir="$3"
    rm -rf "$dir" && mkdir -p "$dir"
    for i in $(seq 0 $((n - 1))); do
        local port=$((BASE + i))
        "$BIN/peerstore-server" -addr "127.0.0.1:$port" -dataPath "$dir/$port" -initialPeerAddr "127.0.0.1:$BASE" \
            -replicas "$replicas" -logLevel warning >"$dir/$port.out" 2>"$dir/$port.log" </dev/null &
        PIDS+=($!)
        for _ in $(seq 1 200); do grep -q "listening on" "$dir/$port.out" 2>/dev/null && break; sleep 0.05; done
    done
}

# converged N: the status walk from the first node has N rows and every row's neighbours are the rows beside it.
converged() {
    local table
    table="$("$BIN/peerstore-server" -operation status -peerAddr "127.0.0.1:$BASE" 2>/dev/null)" || return 1
    echo "$table" | awk -v n="$1" 'NR > 1 { id[NR-1] = $3; pred[NR-1] = $4; succ[NR-1] = $5; rows++ }
        END { if (rows != n) exit 1
              for (i = 1; i <= n; i++) { p = (i == 1 ? n : i - 1); s = (i == n ? 1 : i + 1)
                  if (n > 1 && (pred[i] != id[p] || succ[i] != id[s])) exit 1 }
              exit 0 }'
}

wait_converged() {
    for _ in $(seq 1 1200); do converged "$1" && return 0; sleep 0.1; done
    die "a ring of $1 nodes did not converge within 120 s"
}

now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.2f\n", a - b }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
drop_caches() { sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true; }

for n in $RING_SIZES; do
    : >"$DATA/join-$n.txt"
    for run in $(seq 1 "$RUNS"); do
        t0=$(now)
        start_ring "$n" 3 "$DATA/ring"
        wait_converged "$n"
        since "$t0" >>"$DATA/join-$n.txt"
        stop_all
    done
    log "join to converged, $n nodes (first start to converged), median of $RUNS: $(median <"$DATA/join-$n.txt") s"
done

: >"$DATA/backup-1.txt"; : >"$DATA/backup-3.txt"; : >"$DATA/restore-1.txt"; : >"$DATA/restore-3.txt"
for run in $(seq 1 "$RUNS"); do
    for n in 1 3; do
        start_ring "$n" "$n" "$DATA/ring"
        wait_converged "$n"
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
        stop_all
    done
done
rm -rf "$DATA/out" "$DATA/ring"
log "backup of $SIZE_MIB MiB, median of $RUNS: 1 node k=1 $(median <"$DATA/backup-1.txt") s, 3 nodes k=3 $(median <"$DATA/backup-3.txt") s"
log "restore, median of $RUNS: 1 node k=1 $(median <"$DATA/restore-1.txt") s, 3 nodes k=3 $(median <"$DATA/restore-3.txt") s"
