#!/usr/bin/env bash
# Tests scripts/install.sh into a temporary root: the files and their modes (man pages, completions, server.yaml),
# systemd-analyze verify on the units, the shipped server.yaml and backup.yaml (and their commented examples)
# accepted by the built binaries and a bogus key refused, the node started as the unit starts it (-config, hardened
# file system, a backup, the nightly command, a clean exit on SIGTERM), a second run that changes nothing and keeps an
# edited server.yaml, an upgrade from server.env, -uninstall and -uninstall -purge; as root also an install into / on
# scratch copies (the system user, server.yaml 0640 root:peerstore). Run by scripts/test.sh; needs systemd-analyze
# (and, as root, unshare and setpriv: util-linux).
#
#   scripts/test-install.sh BIN_DIR     BIN_DIR holds built peerstore-server and peerstore-client (any build)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/common.sh

LIVE=0
[ "${1:-}" = -live ] && LIVE=1 && shift    # inside scratch-system.sh: the checks of an install into /
BIN_DIR="${1:-${PEERSTORE_BIN_DIR:-}}"
[ -n "$BIN_DIR" ] && [ -x "$BIN_DIR/peerstore-server" ] \
    || die "usage: scripts/test-install.sh BIN_DIR (a folder with peerstore-server and peerstore-client)"
command -v systemd-analyze >/dev/null 2>&1 || die "systemd-analyze is missing: apt-get install systemd"

T="$(mktemp -d /tmp/peerstore-install-test.XXXXXX)"
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null || true
    rm -rf "$T"
}
trap cleanup EXIT
chmod 755 "$T"
ROOT="$T/root"
PREFIX="$ROOT/usr/local"
FAILS=0
fail() { printf 'FAIL: %s\n' "$*" >&2; FAILS=$((FAILS + 1)); }
ok() { printf 'ok: %s\n' "$*" >&2; }
check() { local what="$1"; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }
mode_is() { [ -e "$2" ] && [ "$(stat -c %a "$2")" = "$1" ]; }
absent() { local p; for p in "$@"; do [ ! -e "$p" ] || return 1; done; }
same_files() { cmp -s "$1" "$2"; }
# A run that failed (status $1) with exactly one line on stderr ($2), matching the pattern $3 if given.
one_line_error() { [ "$1" -ne 0 ] && [ "$(wc -l <"$2")" -eq 1 ] && grep -q "^error: ${3:-}" "$2"; }
# The same for the binaries, whose one line starts with their name.
one_line_error_of() { [ "$1" -ne 0 ] && [ "$(wc -l <"$2")" -eq 1 ] && grep -q "^peerstore-[a-z]*: $3" "$2"; }
install_into() { bash scripts/install.sh -noBuild -binDir "$BIN_DIR" -root "$ROOT" -prefix "$PREFIX" "$@" </dev/null; }
# Every file under the root, with its mode, size, mtime and checksum: what a second run must not change.
snapshot() {
    (cd "$ROOT" && find . -type f -print0 | sort -z | xargs -0 -r stat -c '%n %a %s %Y' &&
        find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}
# systemd-analyze verify: exit 0 and not a word (it prints warnings, such as an unknown key, yet exits 0).
verify() {
    local out rc=0
    out="$("$@" 2>&1)" || rc=$?
    printf '%s\n' "$*: rc=$rc${out:+, said: $out}" >&2
    [ "$rc" -eq 0 ] && [ -z "$out" ]
}
refused() { ! "$@" >/dev/null 2>&1; }
quietly() { "$@" >/dev/null; }

# An install into / itself (as root only), with /etc, /usr/local, /usr/lib/systemd/user and /var/log scratch copies
# in a mount namespace (scripts/lib/scratch-system.sh): the system user, the default paths, a second run, -purge.
if [ "$LIVE" -eq 1 ]; then
    live() { bash scripts/install.sh -noBuild -binDir "$BIN_DIR" "$@" </dev/null; }
    rc=0; live >"$T/live1.out" 2>"$T/live1.err" || rc=$?
    check "install.sh into / succeeds (was $rc)" test "$rc" -eq 0
    [ "$rc" -eq 0 ] || cat "$T/live1.err" >&2
    check "it creates the system user peerstore" grep -q "created the system user peerstore" "$T/live1.err"
    entry="$(getent passwd peerstore || true)"
    IFS=: read -r _ _ uid gid _ home shell <<<"${entry:-x:x:99999:0::x:x}"
    check "peerstore is a system user (uid $uid < 1000)" test "$uid" -lt 1000
    check "peerstore has no login, home /var/lib/peerstore" test "$shell:$home" = /usr/sbin/nologin:/var/lib/peerstore
    check "peerstore has its own group" test "$(getent group peerstore | cut -d: -f3)" = "$gid"
    check "the binaries are in /usr/local/bin" test -x /usr/local/bin/peerstore-server -a -x /usr/local/bin/peerstore-client
    UNIT=/etc/systemd/system/peerstore-server.service
    check "the server unit runs /usr/local/bin/peerstore-server" grep -q "^ExecStart=/usr/local/bin/peerstore-server " "$UNIT"
    check "the user units are in /usr/lib/systemd/user" \
        test -f /usr/lib/systemd/user/peerstore-backup.service -a -f /usr/lib/systemd/user/peerstore-backup.timer
    check "systemd-analyze verify accepts the unit as installed" verify systemd-analyze verify "$UNIT"
    check "server.yaml is in /etc/peerstore" cmp -s dist/systemd/server.yaml /etc/peerstore/server.yaml
    check "server.yaml is 0640 root:peerstore" test "$(stat -c %a:%U:%G /etc/peerstore/server.yaml)" = 640:root:peerstore
    as_user() { local who="$1"; shift; setpriv --reuid="$who" --regid="$who" --init-groups -- "$@" >/dev/null 2>&1; }
    check "the unit's user peerstore can read server.yaml (-config it -version)" \
        as_user peerstore /usr/local/bin/peerstore-server -config /etc/peerstore/server.yaml -version
    rc=0; setpriv --reuid=nobody --regid=nogroup --clear-groups -- /usr/local/bin/peerstore-server \
        -config /etc/peerstore/server.yaml -version >/dev/null 2>"$T/nobody.err" || rc=$?
    check "another user cannot read server.yaml (exit $rc)" one_line_error_of "$rc" "$T/nobody.err" "cannot read -config /etc/peerstore/server.yaml"
    check "the man pages are in /usr/local/share/man/man1" \
        test -f /usr/local/share/man/man1/peerstore-server.1 -a -f /usr/local/share/man/man1/peerstore-client.1
    check "no daemon-reload without a running systemd" grep -q "systemd is not running here" "$T/live1.err"
    rc=0; live >"$T/live2.out" 2>"$T/live2.err" || rc=$?
    check "a second install into / succeeds (was $rc)" test "$rc" -eq 0
    check "a second install into / changes nothing" refused grep -q -e '^==> installed' -e 'created the system user' "$T/live2.err"
    rc=0; live -uninstall -purge >"$T/live3.out" 2>"$T/live3.err" || rc=$?
    check "-uninstall -purge into / succeeds (was $rc)" test "$rc" -eq 0
    check "-uninstall -purge removes the user" refused getent passwd peerstore
    check "-uninstall -purge removes the group" refused getent group peerstore
    check "-uninstall -purge removes the files and /etc/peerstore" absent /usr/local/bin/peerstore-server "$UNIT" \
        /usr/lib/systemd/user/peerstore-backup.timer /etc/peerstore /usr/local/share/man/man1/peerstore-server.1 \
        /usr/local/share/bash-completion/completions/peerstore-client
    [ "$FAILS" -eq 0 ] || die "$FAILS checks of the install into / failed"
    exit 0
fi

log "install.sh into $ROOT"
install_into >"$T/out1" 2>"$T/err1" || { cat "$T/err1" >&2; die "install.sh failed"; }
SERVER_UNIT="$ROOT/etc/systemd/system/peerstore-server.service"
USER_UNITS="$ROOT/usr/lib/systemd/user"
CONFIG="$ROOT/etc/peerstore/server.yaml"
SHARE="$PREFIX/share"
# dist/ SOURCE and installed DESTINATION of each man page, completion and example, a line.
DOCS="dist/man/peerstore-server.1 $SHARE/man/man1/peerstore-server.1
dist/man/peerstore-client.1 $SHARE/man/man1/peerstore-client.1
dist/completions/bash/peerstore-server $SHARE/bash-completion/completions/peerstore-server
dist/completions/bash/peerstore-client $SHARE/bash-completion/completions/peerstore-client
dist/completions/zsh/_peerstore-server $SHARE/zsh/site-functions/_peerstore-server
dist/completions/zsh/_peerstore-client $SHARE/zsh/site-functions/_peerstore-client
dist/completions/fish/peerstore-server.fish $SHARE/fish/vendor_completions.d/peerstore-server.fish
dist/completions/fish/peerstore-client.fish $SHARE/fish/vendor_completions.d/peerstore-client.fish"
EXAMPLE="$SHARE/doc/peerstore/backup.yaml"

for exe in peerstore-server peerstore-client; do
    check "$exe is 0755" mode_is 755 "$PREFIX/bin/$exe"
    check "$exe is the built one" same_files "$BIN_DIR/$exe" "$PREFIX/bin/$exe"
done
check "server unit is 0644" mode_is 644 "$SERVER_UNIT"
check "backup service is 0644" mode_is 644 "$USER_UNITS/peerstore-backup.service"
check "backup timer is 0644" mode_is 644 "$USER_UNITS/peerstore-backup.timer"
check "server.yaml is 0644 in a root with no group peerstore" mode_is 644 "$CONFIG"
check "install.sh says why server.yaml is 0644" grep -q "no group peerstore in $ROOT/etc/group" "$T/err1"
check "a fresh install says nothing of server.env" refused grep -q server.env "$T/err1"
check "/etc/peerstore is 0755" mode_is 755 "$ROOT/etc/peerstore"
while read -r src dest; do
    check "${dest#"$PREFIX"/} is $src, 0644" eval 'same_files "$src" "$dest" && mode_is 644 "$dest"'
done <<<"$DOCS"
check "the example backup.yaml is installed, 0644, its paths under PREFIX" \
    eval 'mode_is 644 "$EXAMPLE" && sed "s#/usr/local/#$PREFIX/#g" dist/systemd/backup.yaml | cmp -s - "$EXAMPLE"'
expected="$( (printf '%s\n' ./etc/peerstore/server.yaml ./etc/systemd/system/peerstore-server.service \
    ./usr/lib/systemd/user/peerstore-backup.service ./usr/lib/systemd/user/peerstore-backup.timer \
    ./usr/local/bin/peerstore-client ./usr/local/bin/peerstore-server ./usr/local/share/doc/peerstore/backup.yaml
    while read -r _ dest; do printf '.%s\n' "${dest#"$ROOT"}"; done <<<"$DOCS") | sort)"
check "no other file is written" test "$(cd "$ROOT" && find . -type f | sort)" = "$expected"
check "server.yaml is the template" same_files dist/systemd/server.yaml "$CONFIG"
check "server unit runs the installed binary with -config server.yaml" \
    grep -qx "ExecStart=$PREFIX/bin/peerstore-server -config /etc/peerstore/server.yaml -dataPath /var/lib/peerstore \$PEERSTORE_SERVER_ARGS" "$SERVER_UNIT"
check "the unit's comments name the installed backup.yaml" grep -q "$SHARE/doc/peerstore/" "$USER_UNITS/peerstore-backup.service"
if command -v man >/dev/null 2>&1; then
    check "man finds the installed page under PREFIX/share/man" \
        test "$(man -M "$SHARE/man" -w peerstore-server 2>/dev/null)" = "$SHARE/man/man1/peerstore-server.1"
fi
check "the bash completion defines a completion for peerstore-client" \
    bash -c '. "$1" && complete -p peerstore-client >/dev/null' _ "$SHARE/bash-completion/completions/peerstore-client"
check "backup service runs the installed client" \
    grep -qx "ExecStart=$PREFIX/bin/peerstore-client -operation backup -quiet" "$USER_UNITS/peerstore-backup.service"
for line in User=peerstore StateDirectory=peerstore Environment=PEERSTORE_SERVER_ARGS= \
    EnvironmentFile=-/etc/peerstore/server.env Restart=on-failure \
    NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes PrivateDevices=yes \
    ProtectKernelTunables=yes ProtectKernelModules=yes ProtectControlGroups=yes \
    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" LockPersonality=yes RestrictRealtime=yes \
    SystemCallArchitectures=native ReadWritePaths=/var/lib/peerstore; do
    check "server unit has $line" grep -qx "$line" "$SERVER_UNIT"
done
for line in SuccessExitStatus=3 Type=oneshot Restart=on-failure RestartSec=15min "RestartPreventExitStatus=3 64" StandardOutput=journal; do
    check "backup service has $line" grep -qx "$line" "$USER_UNITS/peerstore-backup.service"
done
for line in OnCalendar=daily RandomizedDelaySec=1h Persistent=true WantedBy=timers.target; do
    check "timer has $line" grep -qx "$line" "$USER_UNITS/peerstore-backup.timer"
done
check "prints how to start the node" grep -qx "  systemctl enable --now peerstore-server" "$T/out1"
check "prints how to enable the nightly backup" grep -qx "  systemctl --user enable --now peerstore-backup.timer" "$T/out1"
check "prints a cron line" grep -qx "  17 3 \* \* \* $PREFIX/bin/peerstore-client -operation backup -quiet" "$T/out1"


# The shipped settings files are accepted by the built binaries: -config FILE -version parses the file's keys as the
# flags they stand for (a key that is not a flag is refused with exit 64, in one line naming the file), so do the
# commented examples (the `#key: value` lines, uncommented), and a bogus key is refused, also by a real start.
examples() { sed -n 's/^#\([A-Za-z]\{1,\}: \)/\1/p' "$1"; }
examples dist/systemd/server.yaml >"$T/server-examples.yaml"
examples dist/systemd/backup.yaml >"$T/backup-examples.yaml"
check "server.yaml has its commented examples (8 keys)" test "$(wc -l <"$T/server-examples.yaml")" -eq 8
check "backup.yaml has its commented examples (6 keys)" test "$(wc -l <"$T/backup-examples.yaml")" -eq 6
for file in dist/systemd/server.yaml "$T/server-examples.yaml"; do
    check "peerstore-server accepts -config $file" quietly "$BIN_DIR/peerstore-server" -config "$file" -version
done
for file in dist/systemd/backup.yaml "$T/backup-examples.yaml"; do
    check "peerstore-client accepts -config $file" quietly "$BIN_DIR/peerstore-client" -config "$file" -version
done
{ cat dist/systemd/server.yaml; echo "bogusKey: 1"; } >"$T/bogus.yaml"
rc=0; "$BIN_DIR/peerstore-server" -config "$T/bogus.yaml" -version >"$T/bogus.out" 2>"$T/bogus.err" || rc=$?
check "a server.yaml with a bogus key is refused (exit $rc, 64 expected) in one line naming it" \
    eval 'test "$rc" -eq 64 && test "$(wc -l <"$T/bogus.err")" -eq 1 && grep -q "$T/bogus.yaml.*bogusKey" "$T/bogus.err"'
rc=0; timeout 20 "$BIN_DIR/peerstore-server" -config "$T/bogus.yaml" -addr 127.0.0.1:0 -dataPath "$T/bogus-data" \
    >"$T/bogus2.out" 2>"$T/bogus2.err" </dev/null || rc=$?
check "a node with a bogus key in its file does not start (exit $rc)" \
    eval 'test "$rc" -eq 64 && refused grep -q "listening on" "$T/bogus2.out" && test ! -e "$T/bogus-data"'
{ cat dist/systemd/backup.yaml; echo "localpath: /tmp"; } >"$T/bogus-backup.yaml"
check "a backup.yaml with a bogus key is refused" refused "$BIN_DIR/peerstore-client" -config "$T/bogus-backup.yaml" -version

mkdir -p "$T/run" && chmod 700 "$T/run"
check "systemd-analyze verify accepts the server unit" verify systemd-analyze verify "$SERVER_UNIT"
user_verify() { env XDG_RUNTIME_DIR="$T/run" systemd-analyze --user verify "$@"; }
check "systemd-analyze --user verify accepts the backup service and timer" \
    verify user_verify "$USER_UNITS/peerstore-backup.service" "$USER_UNITS/peerstore-backup.timer"
mkdir -p "$T/bad"
sed "s#^ExecStart=$PREFIX/bin/#ExecStart=$T/missing/#" "$SERVER_UNIT" >"$T/bad/peerstore-server.service"
sed 's/^OnCalendar=/OnCalender=/' "$USER_UNITS/peerstore-backup.timer" >"$T/bad/peerstore-backup.timer"
cp "$USER_UNITS/peerstore-backup.service" "$T/bad/"
check "verify refuses a unit whose binary is missing" refused systemd-analyze verify "$T/bad/peerstore-server.service"
check "verify (as used here) refuses a mistyped timer" refused user_verify "$T/bad/peerstore-backup.timer"

# The node as the unit runs it: the installed unit's ExecStart, with the installed server.yaml and a data path under
# $T for /etc/peerstore and /var/lib/peerstore, no server.env (so $PEERSTORE_SERVER_ARGS adds nothing) and a free
# port appended (the command line wins over the file's addr). As root, also as the unit's hardening leaves it:
# a normal user, no new privileges, every mount read-only but the data path, /home and /root empty
# (scripts/lib/readonly-system.sh, in its own mount namespace). A backup and a restore through it must work, and
# SIGTERM must end it with exit 0.
log "starting the installed node as its unit's ExecStart runs it, with the installed server.yaml"
mkdir -p "$T/data" "$T/src/sub"
head -c 300000 /dev/urandom >"$T/src/sub/random.bin"
echo "installed node" >"$T/src/hello.txt"
AS=()
if [ "$(id -u)" -eq 0 ]; then
    chown 65534:65534 "$T/data"
    AS=(unshare -m --propagation private scripts/lib/readonly-system.sh "$T/data"
        setpriv --reuid=65534 --regid=65534 --clear-groups --no-new-privs --)
fi
NODE="$(sed -n 's/^ExecStart=//p' "$SERVER_UNIT" | sed -e "s# -config /etc/peerstore/# -config $ROOT/etc/peerstore/#" \
    -e "s# -dataPath /var/lib/peerstore # -dataPath $T/data #" -e 's# \$PEERSTORE_SERVER_ARGS$##')"
check "the node's command line is the unit's, moved into the test root" \
    test "$NODE" = "$PREFIX/bin/peerstore-server -config $CONFIG -dataPath $T/data"
# shellcheck disable=SC2086 # split like systemd splits ExecStart
"${AS[@]}" $NODE -addr 127.0.0.1:0 >"$T/server.out" 2>"$T/server.err" </dev/null &
SERVER_PID=$!
for _ in $(seq 1 150); do
    grep -q "listening on" "$T/server.out" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
done
ADDR="$(sed -n 's/.*listening on \(127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/server.out" | head -1)"
check "the node listens with server.yaml and the appended -addr ($ADDR)" \
    test -n "$ADDR" -a "$ADDR" != 127.0.0.1:3001
CLIENT=(timeout 120 "$PREFIX/bin/peerstore-client" -home "$T/user/.peerstore")
check "a backup through the node works" "${CLIENT[@]}" -operation backup -quiet -peerAddr "${ADDR:-127.0.0.1:1}" -localPath "$T/src"
check "a restore through the node works" "${CLIENT[@]}" -operation restore -quiet -filedest "$T/restored"
check "the restored folder is the one backed up" diff -r "$T/src" "$T/restored"
# The nightly run: the installed backup service's ExecStart as a user manager runs it (HOME set, no flags but its
# own): it must back up the remembered folder to the remembered node, and say nothing.
NIGHTLY="$(sed -n 's/^ExecStart=//p' "$USER_UNITS/peerstore-backup.service")"
before="$("${CLIENT[@]}" -operation snapshots 2>&1 | wc -l)"
echo "changed" >>"$T/src/hello.txt"
rc=0
# shellcheck disable=SC2086 # systemd splits ExecStart into words
(cd / && env -u PEERSTORE_HOME HOME="$T/user" timeout 120 $NIGHTLY >"$T/nightly.out" 2>&1) || rc=$?
check "the nightly command backs up with the remembered flags (exit $rc)" test "$rc" -eq 0
check "the nightly command is quiet" test ! -s "$T/nightly.out"
check "the nightly command added a snapshot" test "$("${CLIENT[@]}" -operation snapshots 2>&1 | wc -l)" -gt "$before"
# The drop-in the example backup.yaml shows: the same run with -config ~/.config/peerstore/backup.yaml (%h), whose
# keys must apply (skipIfUnchanged: nothing changed, no new snapshot; metricsFile written) along with the remembered
# folder and node. systemd-analyze --user verify must accept the unit with that ExecStart.
DROPIN="$(sed -n 's/^#  *ExecStart=\(.*-config .*\)$/\1/p' "$EXAMPLE")"
check "the example shows a drop-in ExecStart with -config %h/.config/peerstore/backup.yaml" \
    test "$DROPIN" = "$PREFIX/bin/peerstore-client -config %h/.config/peerstore/backup.yaml -operation backup -quiet"
mkdir -p "$T/dropin" "$T/user/.config/peerstore"
sed "s#^ExecStart=.*#ExecStart=$DROPIN#" "$USER_UNITS/peerstore-backup.service" >"$T/dropin/peerstore-backup.service"
check "systemd-analyze --user verify accepts the backup service with the drop-in's ExecStart" \
    verify user_verify "$T/dropin/peerstore-backup.service"
printf 'metricsFile: %s\nskipIfUnchanged: true\n' "$T/user/backup.prom" >"$T/user/.config/peerstore/backup.yaml"
before="$("${CLIENT[@]}" -operation snapshots 2>&1 | wc -l)"
rc=0
# shellcheck disable=SC2086 # systemd splits ExecStart into words
(cd / && env -u PEERSTORE_HOME HOME="$T/user" timeout 120 ${DROPIN//%h/$T/user} >"$T/dropin.out" 2>&1) || rc=$?
check "the drop-in's command backs up with backup.yaml and the remembered flags (exit $rc)" test "$rc" -eq 0
check "the drop-in's command is quiet" test ! -s "$T/dropin.out"
check "backup.yaml's skipIfUnchanged applied (no new snapshot)" \
    test "$("${CLIENT[@]}" -operation snapshots 2>&1 | wc -l)" -eq "$before"
check "backup.yaml's metricsFile was written" grep -qx "peerstore_backup_last_exit_code 0" "$T/user/backup.prom"
check "the node stored the backup in its data path" test -n "$(find "$T/data" -type f -size +100k 2>/dev/null)"
kill -TERM "$SERVER_PID" 2>/dev/null || true
rc=0
for _ in $(seq 1 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$SERVER_PID" 2>/dev/null; then
    fail "the node did not stop within 30 s of SIGTERM"
    kill -KILL "$SERVER_PID" 2>/dev/null || true
fi
wait "$SERVER_PID" 2>/dev/null || rc=$?
SERVER_PID=""
check "SIGTERM stops the node with exit 0 (was $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$T/server.err" >&2

log "install.sh again, with an edited server.yaml, from another folder with a relative -binDir"
sed -i 's/^addr: .*/addr: "127.0.0.1:3009"/' "$CONFIG"
echo "replicas: 2" >>"$CONFIG"
chmod 600 "$CONFIG"
cp -p "$CONFIG" "$T/edited.yaml"
snapshot >"$T/before"
sleep 1   # a rewritten file would show a later mtime
# From another folder, with -binDir relative to it.
REPO="$PWD"
(cd "$BIN_DIR/.." && bash "$REPO/scripts/install.sh" -noBuild -binDir "$(basename "$BIN_DIR")" -root "$ROOT" \
    -prefix "$PREFIX" </dev/null >"$T/out2" 2>"$T/err2") || { cat "$T/err2" >&2; die "the second install.sh failed"; }
snapshot >"$T/after"
check "a second run changes no file (mode, size, mtime, content)" cmp -s "$T/before" "$T/after"
check "a second run keeps the edited server.yaml" same_files "$T/edited.yaml" "$CONFIG"
check "a second run keeps the mode of the edited server.yaml" mode_is 600 "$CONFIG"
check "a second run says it kept server.yaml" grep -q "kept $CONFIG" "$T/err2"
check "a second run installs nothing" refused grep -q '^==> installed' "$T/err2"

log "install.sh over the install before server.yaml (an old server.env), into a root with a group peerstore"
OLD="$T/old"
mkdir -p "$OLD/etc/peerstore"
printf 'peerstore:x:%s:\n' "$(id -g)" >"$OLD/etc/group"     # a group the test may give files to, as root or not
printf '%s\n' '# Settings of the PeerStore node' 'PEERSTORE_SERVER_ARGS="-addr 127.0.0.1:0 -logLevel debug"' \
    >"$OLD/etc/peerstore/server.env"
cp -p "$OLD/etc/peerstore/server.env" "$T/old.env"
rc=0; bash scripts/install.sh -noBuild -binDir "$BIN_DIR" -root "$OLD" </dev/null >"$T/out8" 2>"$T/err8" || rc=$?
check "install.sh over an old server.env succeeds (was $rc)" test "$rc" -eq 0
check "it installs server.yaml 0640, group peerstore of the root's etc/group" \
    test "$(stat -c %a:%g "$OLD/etc/peerstore/server.yaml" 2>/dev/null)" = "640:$(id -g)"
check "it leaves server.env as it was" same_files "$T/old.env" "$OLD/etc/peerstore/server.env"
NOTE="^==> note: $OLD/etc/peerstore/server.env .*still applies.*move its flags into $OLD/etc/peerstore/server.yaml"
check "it says, in one line, that server.env still applies and where to move it" \
    eval 'test "$(grep -c server.env "$T/err8")" -eq 1 && grep -q "$NOTE" "$T/err8"'
# The unit's ExecStart as systemd runs it with the old file: $PEERSTORE_SERVER_ARGS split into words after -config,
# so the old -addr wins over server.yaml's addr (127.0.0.1:3001) and the old -logLevel applies.
OLD_ARGS="$(. "$OLD/etc/peerstore/server.env" && printf '%s' "$PEERSTORE_SERVER_ARGS")"
OLD_NODE="$(sed -n 's/^ExecStart=//p' "$OLD/etc/systemd/system/peerstore-server.service" \
    | sed -e "s# /etc/peerstore/# $OLD/etc/peerstore/#" -e "s# /var/lib/peerstore # $T/old-data #" \
        -e "s# \\\$PEERSTORE_SERVER_ARGS\$# $OLD_ARGS#")"
check "the old node's command line is the unit's with server.env's flags last" \
    test "$OLD_NODE" = "$OLD/usr/local/bin/peerstore-server -config $OLD/etc/peerstore/server.yaml -dataPath $T/old-data $OLD_ARGS"
# shellcheck disable=SC2086 # split like systemd splits ExecStart and $PEERSTORE_SERVER_ARGS
$OLD_NODE >"$T/old.out" 2>"$T/old.err" </dev/null &
SERVER_PID=$!
for _ in $(seq 1 150); do
    grep -q "listening on" "$T/old.out" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
done
ADDR="$(sed -n 's/.*listening on \(127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/old.out" | head -1)"
check "the node set up by server.env listens on its -addr, not server.yaml's ($ADDR)" \
    test -n "$ADDR" -a "$ADDR" != 127.0.0.1:3001
check "server.env's -logLevel debug applies" grep -q " debug " "$T/old.err"
kill -TERM "$SERVER_PID" 2>/dev/null || true
for _ in $(seq 1 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
kill -KILL "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
rc=0; bash scripts/install.sh -noBuild -binDir "$BIN_DIR" -root "$OLD" </dev/null >"$T/out9" 2>"$T/err9" || rc=$?
check "a second run over server.env installs nothing and says it again" \
    eval 'test "$rc" -eq 0 && refused grep -q "^==> installed" "$T/err9" && grep -q "note: .*server.env" "$T/err9"'
rm -rf "$OLD"

log "bad flags"
rc=0; bash scripts/install.sh -prefixx /opt </dev/null >"$T/out3" 2>"$T/err3" || rc=$?
check "an unknown flag fails with one line" one_line_error "$rc" "$T/err3" "unknown flag '-prefixx'"
rc=0; install_into -binDir "$T/nowhere" >"$T/out4" 2>"$T/err4" || rc=$?
grep -v '^==> ' "$T/err4" >"$T/err4.errors" || true    # ensure_system_packages may say what it installs
check "a -binDir without binaries fails with one line" one_line_error "$rc" "$T/err4.errors" "no peerstore-server in $T/nowhere"
rc=0; bash scripts/install.sh -root "$T/stage" -prefix /usr/local -uninstall </dev/null >"$T/out6" 2>"$T/err6" || rc=$?
check "a -prefix outside -root fails with one line (a staging run never touches the system)" \
    one_line_error "$rc" "$T/err6" "-prefix /usr/local is outside -root"
rc=0; bash scripts/install.sh -root relative/dir -noBuild </dev/null >"$T/out5" 2>"$T/err5" || rc=$?
check "a relative -root fails with one line" one_line_error "$rc" "$T/err5" "-root must be an absolute path"

log "install.sh -uninstall"
mkdir -p "$ROOT/var/lib/peerstore" && echo data >"$ROOT/var/lib/peerstore/marker"
uninstall() { bash scripts/install.sh -uninstall -root "$ROOT" -prefix "$PREFIX" "$@" </dev/null; }
uninstall >"$T/out6" 2>"$T/err6" || { cat "$T/err6" >&2; die "-uninstall failed"; }
check "-uninstall removes the binaries and units, keeps server.yaml and the data" \
    test "$(cd "$ROOT" && find . -type f | sort)" = "$(printf '%s\n' ./etc/peerstore/server.yaml ./var/lib/peerstore/marker)"
check "-uninstall removes the man pages, completions and backup.yaml" \
    absent $(while read -r _ dest; do printf '%s ' "$dest"; done <<<"$DOCS") "$EXAMPLE" "$SHARE/doc/peerstore"
uninstall -purge >"$T/out7" 2>"$T/err7" || { cat "$T/err7" >&2; die "-uninstall -purge failed"; }
check "-uninstall -purge removes /etc/peerstore and the data too" test -z "$(cd "$ROOT" && find . -type f)"
check "-uninstall -purge leaves no /etc/peerstore folder" test ! -e "$ROOT/etc/peerstore"

if [ "$(id -u)" -eq 0 ]; then
    log "install.sh into / (scratch copies of /etc, /usr/local, /usr/lib/systemd/user, /var/log in a mount namespace)"
    unshare -m --propagation private scripts/lib/scratch-system.sh "$T/scratch" \
        bash scripts/test-install.sh -live "$BIN_DIR" || fail "the install into / (see above)"
fi

[ "$FAILS" -eq 0 ] || die "$FAILS install.sh checks failed"
log "install.sh: every check passed"
