# Shared by the benchmark scripts: timing, medians, page-cache drops and a local ring of release-built nodes.
# Needs BIN (the release bin folder) set; nodes started here are recorded in PIDS and stopped by stop_nodes.

PIDS=()

now() { date +%s.%N; }
# since T0: seconds since T0, two decimals.
since() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.2f\n", a - b }'; }
# median FILE [COLUMN]: the median of a column of numbers ("-" for a missing or empty file).
median() {
    [ -s "$1" ] || { echo "-"; return; }
    awk -v c="${2:-1}" '{ print $c }' "$1" | sort -n |
        awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# proc_ticks PID...: the sum of utime+stime+cutime+cstime (clock ticks) of the processes named (0 for gone ones).
proc_ticks() {
    local total=0 pid t
    for pid in "$@"; do
        [ -n "$pid" ] || continue
        t=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)
        total=$((total + ${t:-0}))
    done
    echo "$total"
}

drop_caches() { sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true; }

stop_nodes() {
    for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
    PIDS=()
}

# start_ring N REPLICAS DIR BASEPORT: N nodes on BASEPORT.. in DIR (emptied first), each joining through the first.
start_ring() {
    local n="$1" replicas="$2" dir="$3" base="$4"
    rm -rf "$dir" && mkdir -p "$dir"
    for i in $(seq 0 $((n - 1))); do
        local port=$((base + i))
        "$BIN/peerstore-server" -addr "127.0.0.1:$port" -dataPath "$dir/$port" -initialPeerAddr "127.0.0.1:$base" \
            -replicas "$replicas" -logLevel warning >"$dir/$port.out" 2>"$dir/$port.log" </dev/null &
        PIDS+=($!)
        for _ in $(seq 1 200); do grep -q "listening on" "$dir/$port.out" 2>/dev/null && break; sleep 0.05; done
    done
}

# converged N BASEPORT: the status walk from the first node has N rows and every row's neighbours are the rows beside it.
converged() {
    local table
    table="$("$BIN/peerstore-server" -operation status -peerAddr "127.0.0.1:$2" 2>/dev/null)" || return 1
    echo "$table" | awk -v n="$1" 'NR > 1 { id[NR-1] = $3; pred[NR-1] = $4; succ[NR-1] = $5; rows++ }
        END { if (rows != n) exit 1
              for (i = 1; i <= n; i++) { p = (i == 1 ? n : i - 1); s = (i == n ? 1 : i + 1)
                  if (n > 1 && (pred[i] != id[p] || succ[i] != id[s])) exit 1 }
              exit 0 }'
}

# wait_converged N BASEPORT: up to 120 s.
wait_converged() {
    for _ in $(seq 1 1200); do converged "$1" "$2" && return 0; sleep 0.1; done
    die "a ring of $1 nodes did not converge within 120 s"
}
