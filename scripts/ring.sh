#!/usr/bin/env bash
# A local ring of peerstore-server processes, for people and for tests. Data and logs under .peerstore/ring/.
#
#   scripts/ring.sh start N [BASEPORT]   start N nodes on BASEPORT.. (default 3001); the first starts the ring
#   scripts/ring.sh status               print the ring as the first node sees it
#   scripts/ring.sh stop                 stop every node of the local ring (SIGTERM: they leave gracefully)
# Set PEERSTORE_NETWORK_KEY_FILE to run a private ring.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/common.sh

DIR="$PWD/.peerstore/ring"
KEYARGS=()
[ -n "${PEERSTORE_NETWORK_KEY_FILE:-}" ] && KEYARGS=(-networkKeyFile "$PEERSTORE_NETWORK_KEY_FILE")

bin() {
    ensure_swift
    ensure_system_packages
    swift build -c release --product peerstore-server >/dev/null
    echo "$(swift build -c release --show-bin-path)/peerstore-server"
}

case "${1:-}" in
start)
    n="${2:?usage: scripts/ring.sh start N [BASEPORT]}"
    base="${3:-3001}"
    server="$(bin)"
    mkdir -p "$DIR"
    for i in $(seq 0 $((n - 1))); do
        port=$((base + i))
        if [ -f "$DIR/$port.pid" ] && kill -0 "$(cat "$DIR/$port.pid")" 2>/dev/null; then
            log "node :$port already running"
            continue
        fi
        "$server" -addr ":$port" -dataPath "$DIR/$port" -initialPeerAddr ":$base" "${KEYARGS[@]}" \
            >"$DIR/$port.out" 2>"$DIR/$port.log" </dev/null &
        echo $! >"$DIR/$port.pid"
        for _ in $(seq 1 100); do grep -q "listening on" "$DIR/$port.out" 2>/dev/null && break; sleep 0.1; done
        grep -q "listening on" "$DIR/$port.out" || die "node :$port did not start (see $DIR/$port.log)"
        log "node :$port started (data in $DIR/$port)"
    done
    echo "$base" >"$DIR/base"
    ;;
status)
    server="$(bin)"
    base="$(cat "$DIR/base" 2>/dev/null || echo 3001)"
    "$server" -operation status -peerAddr ":$base" "${KEYARGS[@]}"
    ;;
stop)
    shopt -s nullglob
    for pidfile in "$DIR"/*.pid; do
        pid="$(cat "$pidfile")"
        kill -TERM "$pid" 2>/dev/null && log "stopping node $(basename "$pidfile" .pid)"
        rm -f "$pidfile"
    done
    ;;
*)
    echo "usage: scripts/ring.sh start N [BASEPORT] | status | stop" >&2
    exit 2
    ;;
esac
