#!/usr/bin/env bash
# Installs PeerStore as a service: the release binaries, their man pages and shell completions, the node's systemd
# unit (its own user, data in /var/lib/peerstore, settings in /etc/peerstore/server.yaml) and the user timer of the
# nightly backup. Never asks a question; running it again changes nothing and keeps an edited server.yaml.
#
#   scripts/install.sh [-prefix DIR] [-root DIR] [-binDir DIR] [-noBuild]
#   scripts/install.sh -uninstall [-purge] [-prefix DIR] [-root DIR]
set -euo pipefail
START="$PWD"                          # a relative -binDir is relative to where it was called from
cd "$(dirname "$0")/.."
. scripts/lib/common.sh

usage() {
    cat <<'USAGE'
usage: scripts/install.sh [-prefix DIR] [-root DIR] [-binDir DIR] [-noBuild] [-uninstall [-purge]]
  -prefix DIR   binaries go to DIR/bin (man pages, completions: DIR/share), and the units run them from there
                (default /usr/local; with -root, ROOT/usr/local: a staged install never touches the running system)
  -root DIR     units and /etc/peerstore go under DIR (default /; tests install into a temporary root)
  -binDir DIR   copy peerstore-server and peerstore-client from DIR (implies -noBuild)
  -noBuild      do not build; copy the binaries of .build/release (or -binDir)
  -uninstall    remove the binaries, man pages, completions and units; keeps /etc/peerstore and /var/lib/peerstore
  -purge        with -uninstall: remove /etc/peerstore and the node's data in /var/lib/peerstore too
USAGE
}

PREFIX=""
ROOT=/
BIN_DIR=""
BUILD=1
UNINSTALL=0
PURGE=0
while [ $# -gt 0 ]; do
    flag="${1#-}"; flag="${flag#-}"
    case "$flag" in
        prefix|root|binDir)
            [ $# -ge 2 ] || die "-$flag needs a folder: see scripts/install.sh -help"
            case "$flag" in prefix) PREFIX="$2" ;; root) ROOT="$2" ;; binDir) BIN_DIR="$2"; BUILD=0 ;; esac
            shift 2 ;;
        noBuild) BUILD=0; shift ;;
        uninstall) UNINSTALL=1; shift ;;
        purge) PURGE=1; shift ;;
        help|h) usage; exit 0 ;;
        *) die "unknown flag '$1': see scripts/install.sh -help" ;;
    esac
done
[ "$PURGE" -eq 0 ] || [ "$UNINSTALL" -eq 1 ] || die "-purge goes with -uninstall"

# Absolute paths with no characters a unit's ExecStart or the sed below would misread.
absolute() {
    case "$1" in /*) ;; *) die "-$2 must be an absolute path, not '$1'" ;; esac
    case "$1" in *[[:space:]\#\%\$\\]*) die "-$2 '$1' has a space or one of # % \$ \\: pick another folder" ;; esac
    local p="$1"
    while [ "${p%/}" != "$p" ] && [ "$p" != / ]; do p="${p%/}"; done
    printf '%s' "$p"
}
ROOT="$(absolute "$ROOT" root)"
R="${ROOT%/}"                         # "" for /, so "$R/etc" is /etc
# The binaries go to PREFIX/bin and the units run them from there. Staged into a -root, they stay inside it: a
# staging install or uninstall must never touch the running system's binaries.
PREFIX="$(absolute "${PREFIX:-$R/usr/local}" prefix)"
if [ -n "$R" ]; then
    case "$PREFIX/" in "$R"/*) ;; *) die "-prefix $PREFIX is outside -root $ROOT: give one inside it (default $R/usr/local)" ;; esac
fi
BIN="$PREFIX/bin"
SHARE="$PREFIX/share"
DOC="$SHARE/doc/peerstore"
SYSTEM_UNITS="$R/etc/systemd/system"
USER_UNITS="$R/usr/lib/systemd/user"
CONF="$R/etc/peerstore"
STATE="$R/var/lib/peerstore"
LIVE=0                                # installing into the running system (not a staging root)
[ "$ROOT" = / ] && LIVE=1
SYSTEMD=0
[ "$LIVE" -eq 1 ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 && SYSTEMD=1

if [ "$LIVE" -eq 1 ] && [ "$(id -u)" -ne 0 ]; then
    die "installing into / needs root: run sudo scripts/install.sh (or -root DIR to stage into a folder)"
fi

# Writes SRC to DEST with MODE only if its content or mode differ, so a second run changes nothing; 0 if it wrote.
put() {
    local src="$1" dest="$2" mode="$3"
    mkdir -p "$(dirname "$dest")" 2>/dev/null || die "cannot create $(dirname "$dest"): check -prefix and -root"
    if [ -f "$dest" ] && cmp -s "$src" "$dest" && [ "$(stat -c %a "$dest")" = "${mode#0}" ]; then
        log "unchanged $dest"
        return 1
    fi
    install -m "$mode" "$src" "$dest" 2>/dev/null || die "cannot write $dest: check -prefix and -root"
    log "installed $dest"
}

# A file of dist/systemd (a unit, the example backup.yaml) with the paths it names under /usr/local moved to PREFIX,
# so its ExecStart runs PREFIX/bin; 0 if it wrote.
put_unit() {
    local name="$1" dir="$2" tmp rc=0
    tmp="$(mktemp)"
    sed "s#/usr/local/#$PREFIX/#g" "dist/systemd/$name" >"$tmp"
    put "$tmp" "$dir/$name" 0644 || rc=$?
    rm -f "$tmp"
    return "$rc"
}

# The man pages and shell completions of dist/, where man, bash-completion, zsh and fish look under PREFIX/share:
# "SOURCE DESTINATION" a line.
docs() {
    local f
    for f in dist/man/*.1; do printf '%s %s\n' "$f" "$SHARE/man/man1/${f##*/}"; done
    for f in dist/completions/bash/*; do printf '%s %s\n' "$f" "$SHARE/bash-completion/completions/${f##*/}"; done
    for f in dist/completions/zsh/_*; do printf '%s %s\n' "$f" "$SHARE/zsh/site-functions/${f##*/}"; done
    for f in dist/completions/fish/*.fish; do printf '%s %s\n' "$f" "$SHARE/fish/vendor_completions.d/${f##*/}"; done
}

# The group peerstore's id in ROOT's group file (the system's, through getent, when installing into /); empty if none.
peerstore_gid() {
    if [ "$LIVE" -eq 1 ]; then
        getent group peerstore | cut -d: -f3
    elif [ -f "$R/etc/group" ]; then
        awk -F: '$1 == "peerstore" { print $3; exit }' "$R/etc/group"
    fi
}

remove() {
    local path
    for path in "$@"; do
        if [ -e "$path" ] || [ -L "$path" ]; then
            rm -rf "$path" || die "cannot remove $path"
            log "removed $path"
        fi
    done
}

if [ "$UNINSTALL" -eq 1 ]; then
    if [ "$SYSTEMD" -eq 1 ]; then
        systemctl disable --now peerstore-server.service >/dev/null 2>&1 || true
    fi
    remove "$BIN/peerstore-server" "$BIN/peerstore-client" "$SYSTEM_UNITS/peerstore-server.service" \
        "$USER_UNITS/peerstore-backup.service" "$USER_UNITS/peerstore-backup.timer"
    while read -r _ dest; do remove "$dest"; done < <(docs)
    remove "$DOC/backup.yaml"
    rmdir "$DOC" 2>/dev/null || true
    if [ "$PURGE" -eq 1 ]; then
        remove "$CONF" "$STATE"
        if [ "$LIVE" -eq 1 ] && id peerstore >/dev/null 2>&1; then
            userdel peerstore || die "cannot remove the user peerstore: userdel peerstore"
            log "removed the user peerstore"
        fi
    else
        log "kept $CONF and $STATE (scripts/install.sh -uninstall -purge removes them)"
    fi
    [ "$SYSTEMD" -eq 1 ] && systemctl daemon-reload
    echo "Each user who enabled the nightly backup: systemctl --user disable peerstore-backup.timer"
    exit 0
fi

ensure_system_packages
if [ "$BUILD" -eq 1 ]; then
    ensure_swift
    log "building (release)"
    swift build -c release --product peerstore-server >/dev/null || die "the release build failed: run swift build -c release to see why"
    swift build -c release --product peerstore-client >/dev/null || die "the release build failed: run swift build -c release to see why"
    BIN_DIR="$(swift build -c release --show-bin-path)"
fi
[ -n "$BIN_DIR" ] || BIN_DIR="$PWD/.build/release"
case "$BIN_DIR" in /*) ;; *) BIN_DIR="$START/$BIN_DIR" ;; esac
for exe in peerstore-server peerstore-client; do
    [ -x "$BIN_DIR/$exe" ] || die "no $exe in $BIN_DIR: build it (swift build -c release) or give -binDir"
done

# The binaries link the Swift runtime of the toolchain that built them (its RUNPATH): it must stay where it is, and
# not under /home or /root, which the unit's ProtectHome hides from the node.
if command -v ldd >/dev/null 2>&1; then
    ! ldd "$BIN_DIR/peerstore-server" 2>/dev/null | grep -q 'not found' \
        || die "$BIN_DIR/peerstore-server misses a library (ldd says 'not found'): install libsodium23, libssl3, libxxhash0 and the Swift toolchain it was built with"
    ldd "$BIN_DIR/peerstore-server" 2>/dev/null | grep -Eq '=> /(home|root)/' \
        && log "warning: peerstore-server loads the Swift runtime from /home or /root, which the unit hides (ProtectHome=yes): install the toolchain under /opt or /usr"
fi
SERVER_CHANGED=0
put "$BIN_DIR/peerstore-server" "$BIN/peerstore-server" 0755 && SERVER_CHANGED=1
put "$BIN_DIR/peerstore-client" "$BIN/peerstore-client" 0755 || true
put_unit peerstore-server.service "$SYSTEM_UNITS" && SERVER_CHANGED=1
put_unit peerstore-backup.service "$USER_UNITS" || true
put_unit peerstore-backup.timer "$USER_UNITS" || true
while read -r src dest; do put "$src" "$dest" 0644 || true; done < <(docs)
put_unit backup.yaml "$DOC" || true

if [ "$LIVE" -eq 1 ] && ! id peerstore >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /var/lib/peerstore --no-create-home --shell /usr/sbin/nologin \
        --comment "PeerStore storage node" peerstore || die "cannot create the system user peerstore (useradd --system)"
    log "created the system user peerstore"
fi

# The node's settings, read by the node itself (-config), so by its group: 0640 root:peerstore. A staged root without
# a group peerstore in its etc/group gets 0644 (the file holds no secret; the network key is a file of its own), so
# the node can still read it. An existing server.yaml is the user's and is kept as it is.
{ mkdir -p "$CONF" && chmod 755 "$CONF"; } 2>/dev/null || die "cannot create $CONF: check -root"
if [ -e "$CONF/server.yaml" ]; then
    log "kept $CONF/server.yaml"
else
    gid="$(peerstore_gid)"
    if [ -n "$gid" ]; then
        install -m 0640 -g "$gid" dist/systemd/server.yaml "$CONF/server.yaml" 2>/dev/null \
            || die "cannot write $CONF/server.yaml with the group peerstore (gid $gid): run as root"
    else
        install -m 0644 dist/systemd/server.yaml "$CONF/server.yaml" 2>/dev/null \
            || die "cannot write $CONF/server.yaml: check -root"
        log "no group peerstore in $R/etc/group: $CONF/server.yaml is 0644, for the node to read"
    fi
    log "installed $CONF/server.yaml"
fi
# Upgrades: the install.sh before server.yaml kept the settings in server.env (PEERSTORE_SERVER_ARGS="-addr ...").
# The unit still reads it, after -config, so its flags still win and the node runs as before; nothing is converted
# (a shell line is not YAML, and a guess would silently change a running node): say so until it is gone.
if [ -e "$CONF/server.env" ]; then
    log "note: $CONF/server.env (PEERSTORE_SERVER_ARGS) still applies and wins over server.yaml: move its flags into $CONF/server.yaml (flag: value a line), delete server.env, systemctl restart peerstore-server"
fi
if [ "$SYSTEMD" -eq 1 ]; then
    systemctl daemon-reload
    if [ "$SERVER_CHANGED" -eq 1 ] && systemctl is-active -q peerstore-server.service; then
        log "the node still runs the binary and unit it started with: systemctl restart peerstore-server"
    fi
else
    log "systemd is not running here (or -root was given): no daemon-reload"
fi

cat <<MSG

Installed. The node's settings: $CONF/server.yaml (flag: value a line); then start it, now and at every boot:
  systemctl enable --now peerstore-server
The nightly backup (as yourself, once your first backup remembered -peerAddr and -localPath):
  systemctl --user enable --now peerstore-backup.timer
Without systemd, a cron line (crontab -e) does the same:
  17 3 * * * $BIN/peerstore-client -operation backup -quiet
Old snapshots are not forgotten by the timer: set a policy once (peerstore-client -operation forget -keep-daily 7
-keep-weekly 5 -keep-monthly 12 -prune remembers it), then add ExecStartPost=$BIN/peerstore-client -operation forget
-prune -quiet with systemctl --user edit peerstore-backup.service.
MSG
