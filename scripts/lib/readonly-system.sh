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
# Mounts already read-only are left alone; a remount keeps nosuid, nodev and noexec (the kernel may insist).
awk '{print $2, $4}' /proc/self/mounts | sort -u | while read -r point opts; do
    case "$point" in "$writable" | /home | /root | /proc | /proc/* | /sys | /sys/* | /dev | /dev/*) continue ;; esac
    case ",$opts," in *,ro,*) continue ;; esac
    keep=""
    for flag in nosuid nodev noexec; do case ",$opts," in *,$flag,*) keep="$keep,$flag" ;; esac; done
    mount -o "remount,bind,ro$keep" "$point" 2>/dev/null || { echo "error: cannot make $point read-only" >&2; exit 1; }
done
if touch /usr/.peerstore-rw-probe 2>/dev/null; then rm -f /usr/.peerstore-rw-probe; echo "error: /usr is still writable" >&2; exit 1; fi
exec "$@"
