#!/usr/bin/env bash
# Runs a command with the file system as the server unit's hardening leaves it, or stricter: every mount read-only
# (ProtectSystem=strict; /tmp too, stricter than PrivateTmp), /home and /root empty (ProtectHome=yes), only WRITABLE
# writable (ReadWritePaths). Run it as root inside a new mount namespace, so nothing outside changes:
#
#   unshare -m --propagation private scripts/lib/readonly-system.sh WRITABLE COMMAND...
#
# It execs COMMAND (same pid), so a signal sent to the pid reaches COMMAND.
set -euo pipefail
writable="$1"; shift
[ -d "$writable" ] || { echo "error: no folder $writable" >&2; exit 1; }
mount --make-rprivate /
mount --bind "$writable" "$writable"
for home in /home /root; do
    [ -d "$home" ] && mount -t tmpfs -o ro,mode=0755 tmpfs "$home"
done
awk '{print $2}' /proc/self/mounts | sort -u | while read -r point; do
    case "$point" in "$writable" | /home | /root | /proc | /proc/* | /sys | /sys/* | /dev | /dev/*) continue ;; esac
    mount -o remount,bind,ro "$point" 2>/dev/null || { echo "error: cannot make $point read-only" >&2; exit 1; }
done
if touch /usr/.peerstore-rw-probe 2>/dev/null; then rm -f /usr/.peerstore-rw-probe; echo "error: /usr is still writable" >&2; exit 1; fi
exec "$@"
