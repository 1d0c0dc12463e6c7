#!/usr/bin/env bash
# Runs a command with /etc, /usr/local, /usr/lib/systemd/user and /var/log replaced by scratch copies under SCRATCH,
# and /run/systemd hidden (no systemd to reload), so that a live install into / (useradd, units, binaries) changes
# nothing outside. Run it as root inside a new mount namespace:
#
#   unshare -m --propagation private scripts/lib/scratch-system.sh SCRATCH COMMAND...
set -euo pipefail
scratch="$1"; shift
mkdir -p "$scratch"
mount --make-rprivate /
cp -a /etc "$scratch/etc"
mount --bind "$scratch/etc" /etc
for dir in /usr/local /usr/lib/systemd/user /var/log; do
    [ -d "$dir" ] || { echo "error: no $dir to put a scratch copy over" >&2; exit 1; }
    mkdir -p "$scratch$dir"
    mount --bind "$scratch$dir" "$dir"
done
[ -d /run/systemd ] && mount -t tmpfs tmpfs /run/systemd
for dir in /etc /usr/local /usr/lib/systemd/user /var/log; do
    mountpoint -q "$dir" || { echo "error: $dir is not the scratch copy" >&2; exit 1; }
done
[ ! -e /var/lib/peerstore ] || { echo "error: /var/lib/peerstore exists: a real node lives here, not testing over it" >&2; exit 1; }
exec "$@"
