#!/usr/bin/env bash
# Installs what is missing, builds PeerStore, starts a local ring (one node until the live ring lands), backs up a
# folder and restores it, and prints what it did and how to run the nightly backup.
#
#   scripts/quickstart.sh [FOLDER]     back up FOLDER (default: a small demo folder it creates)
#   scripts/quickstart.sh stop         stop the node it started
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/common.sh

ROOT="$PWD/.peerstore/quickstart"
PORT="${PEERSTORE_PORT:-3001}"
PIDFILE="$ROOT/server.pid"

if [ "${1:-}" = "stop" ]; then
    if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
        kill -TERM "$(cat "$PIDFILE")" && rm -f "$PIDFILE" && log "node stopped"
    else
        log "no quickstart node is running"
    fi
    exit 0
fi

ensure_swift
ensure_system_packages

log "building (release)"
swift build -c release --product peerstore-server >/dev/null
swift build -c release --product peerstore-client >/dev/null
BIN="$(swift build -c release --show-bin-path)"
mkdir -p "$ROOT"

# One node on 127.0.0.1:$PORT, data in $ROOT/node-$PORT; reuse it if it is already running.
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    log "node already running (pid $(cat "$PIDFILE"))"
else
    log "starting peerstore-server on :$PORT"
    "$BIN/peerstore-server" -addr ":$PORT" -dataPath "$ROOT/node-$PORT" >"$ROOT/server.out" 2>"$ROOT/server.log" </dev/null &
    echo $! >"$PIDFILE"
    for _ in $(seq 1 100); do
        grep -q "listening on" "$ROOT/server.out" 2>/dev/null && break
        kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { cat "$ROOT/server.log" >&2; die "peerstore-server did not start (is port $PORT taken? set PEERSTORE_PORT)"; }
        sleep 0.1
    done
    grep -q "listening on" "$ROOT/server.out" || die "peerstore-server did not start within 10 s"
fi

SRC="${1:-}"
if [ -z "$SRC" ]; then
    SRC="$ROOT/demo"
    if [ ! -d "$SRC" ]; then
        mkdir -p "$SRC/notes" "$SRC/photos"
        echo "Welcome to PeerStore. This file was backed up encrypted." >"$SRC/README.txt"
        seq 1 200000 >"$SRC/notes/numbers.txt"
        head -c 3000000 /dev/urandom >"$SRC/photos/holiday.raw"
        ln -sf ../README.txt "$SRC/notes/readme-link"
        : >"$SRC/notes/empty.txt"
    fi
fi

HOME_DIR="$ROOT/home"
CLIENT=("$BIN/peerstore-client" -home "$HOME_DIR")
log "backing up $SRC"
"${CLIENT[@]}" -operation backup -peerAddr ":$PORT" -localPath "$SRC"
log "backing up again (nothing changed, so nothing new is sent)"
"${CLIENT[@]}" -operation backup
"${CLIENT[@]}" -operation snapshots

DEST="$ROOT/restored-$(date +%Y%m%d-%H%M%S)"
log "restoring everything into $DEST"
"${CLIENT[@]}" -operation restore -filedest "$DEST"
diff -r --no-dereference "$SRC" "$DEST" >/dev/null || die "the restored copy differs from $SRC"
log "the restored copy is identical to $SRC"

cat <<MSG

Done. What happened:
  - a storage node runs on 127.0.0.1:$PORT (pid $(cat "$PIDFILE")), data in $ROOT/node-$PORT
  - your identity is in $HOME_DIR (keep a copy of $HOME_DIR/identity somewhere safe)
  - $SRC was backed up twice and restored into $DEST

The nightly backup repeats the first one with no flags:
  PEERSTORE_HOME=$HOME_DIR $BIN/peerstore-client -operation backup
for example from cron:
  15 2 * * *  PEERSTORE_HOME=$HOME_DIR $BIN/peerstore-client -operation backup -quiet

Restore one file:
  PEERSTORE_HOME=$HOME_DIR $BIN/peerstore-client -operation getfile -filename README.txt -filedest /tmp/README.txt
Stop the node: scripts/quickstart.sh stop
MSG
