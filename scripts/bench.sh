#!/usr/bin/env bash
# PeerStore against restic and BorgBackup on the same generated tree, side by side in one run.
#
#   scripts/bench.sh [-size MIB] [-runs N] [-bigfile MIB] [-smallFiles N] [-json]
#   (defaults: 1024 MiB, 3 runs, 4096 MiB, 200000 files; -bigfile 0 and -smallFiles 0 skip those cases)
#
# Each run takes every tool in turn (PeerStore on a 1-node ring with -replicas 1, PeerStore on a 3-node ring with
# -replicas 3, restic with a local repository, restic over SFTP, borg with repokey encryption and lz4 with a local
# repository, borg over ssh) through the same cases, on a fresh copy of the corpus and a fresh repository: first
# backup, backup with no change, backup after a deterministic small mutation, full restore, one large file restored.
# The page cache is dropped before each timed step where permitted. Prints medians (wall seconds, and the peak memory
# of the client process) and the bytes each repository stores, with the ratios PS1/restic, PS3/restic (local
# repository), PS1/restic-sftp and PS1/borg-ssh.
#
# The deployed shape of restic and borg ("restic sftp", "borg ssh"): the script starts a private sshd (Debian's
# openssh-server, installed if missing) on a free port of 127.0.0.1, with its own sshd_config, host key, client key,
# authorized_keys ("restrict") and known_hosts under bench-data/ssh/: public keys only, no forwarding, root allowed
# with a key only (prohibit-password), or the invoking user. It stops on exit. restic reaches its repository through
# the sftp subsystem (sftp-server; an `sftp:` repository with -o sftp.command="ssh -F bench-data/ssh/ssh_config ..."),
# borg through `borg serve` (an ssh:// repository, BORG_RSH="ssh -F ..."); both with the stock ssh client and its
# default cipher, so they pay a channel cipher and a server process, as PeerStore does. Nothing leaves loopback. The
# repositories of both shapes lie on the disk of bench-data/.
#
# PeerStore also syncs the mutated tree as a folder, once per run and ring, beside its backups: a first round (its
# blocks are already on the ring from the backups), a round with no change, and a round after the small mutation.
# Then every tool takes seven more backups, each after a round change (a new 8 MiB file in place of the last round's,
# and the small mutation), keeps the last 5 of its 10 snapshots and reclaims the rest: the "prune" case times
# `peerstore-client -operation prune`, `restic prune` and `borg compact` (the forget step is not timed), and its
# peak memory is compared with the tool's own first backup.
#
# Many small files (-smallFiles N, 0 skips; 1000000 for the million-file case): `peerstore-gen -smallFiles N -seed 1`
# makes N files of 200-4,000 bytes (half text, half random bytes) in N/100 folders, once; then in each run PeerStore
# (1 node), restic and borg (local and over ssh) take a first backup, a no-change backup and a full restore of it,
# with the client's peak memory, and the bytes each repository stores; its own table (ratios: time / peak memory)
# and "smallFiles" in -json.
#
# Then, once, PeerStore backs up and restores a single file of -bigfile MiB (random bytes; 0 skips it) and reports
# its peak memory against the 200 MiB bound.
#
# CPU, for every case: the client's CPU seconds (user+sys from GNU time, with the children it waited for, such as
# restic's and borg's ssh) and the server side's: for PeerStore the ring's nodes (utime+stime from /proc/PID/stat of
# every node, before and after the step), for the ssh shapes the sshd's sessions (the listener's cutime+cstime, into
# which the kernel adds each per-connection sshd, sftp-server and borg serve as it ends); none for a local
# repository. Both per GiB of the source the case covers: the tree (onefile: the large file; small-file cases: the
# small tree; the big file: itself). Printed as a "CPU seconds per GiB, client + server" table and as
# "cpuSecondsPerGiB": {"client", "server"} beside every case in -json.
#
# The source trees and the repositories stay in bench-data/. Where it may (as root, with loop devices), every tool
# restores into a freshly made ext4 filesystem with a journal, mounted from an image under bench-data/: the same
# conditions for all, and the usual ones. (Without a journal, as on some VM root filesystems, ext4 skips inodes deleted
# in the last minutes when it creates files, and creating a tree right after deleting one gets several times slower,
# for whichever tool comes next.)
# Installs restic, borgbackup, GNU time, e2fsprogs, openssh-server and -client, iproute2 (ss) and procps (pgrep) with
# apt-get if missing. Data under bench-data/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/common.sh

SIZE_MIB=1024
RUNS=3
JSON=0
BIG_MIB=4096
SMALL_FILES=200000
while [ $# -gt 0 ]; do
    case "$1" in
    -size | --size) SIZE_MIB="$2"; shift 2 ;;
    -runs | --runs) RUNS="$2"; shift 2 ;;
    -bigfile | --bigfile) BIG_MIB="$2"; shift 2 ;;
    -smallFiles | --smallFiles) SMALL_FILES="$2"; shift 2 ;;
    -json | --json) JSON=1; shift ;;
    *) die "usage: scripts/bench.sh [-size MIB] [-runs N] [-bigfile MIB] [-smallFiles N] [-json]" ;;
    esac
done

ensure_swift
ensure_system_packages restic borgbackup time e2fsprogs openssh-server openssh-client iproute2 procps
DATA="$PWD/bench-data"
mkdir -p "$DATA"
SCRATCH="$DATA/scratch"           # where restores go: a journaled ext4 mounted here if possible
log "building (release)"
swift build -c release >"$DATA/build.log" 2>&1 || { cat "$DATA/build.log" >&2; die "the release build failed"; }
BIN="$(swift build -c release --show-bin-path)"

BASE="$DATA/corpus-$SIZE_MIB"     # generated once, never modified
WORK="$DATA/work/tree"            # what every tool backs up (a fresh copy per tool and run)
OUT="$SCRATCH/out"                # where full restores go
RES="$DATA/results"
PORT=3451
mkdir -p "$DATA" "$RES"
rm -f "$RES"/*
if [ ! -d "$BASE" ]; then
    log "generating a $SIZE_MIB MiB tree in $BASE (seed 1)"
    "$BIN/peerstore-gen" -out "$BASE" -size "$SIZE_MIB" -seed 1 >/dev/null
fi
export RESTIC_PASSWORD=peerstore-bench BORG_PASSPHRASE=peerstore-bench BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes \
    BORG_RELOCATED_REPO_ACCESS_IS_OK=yes BORG_BASE_DIR="$DATA/borg-home"

. scripts/lib/bench.sh
. scripts/lib/sshd.sh
. scripts/lib/bench-report.sh

# A fresh ext4 with a journal on a sparse image, for every tool alike; the plain folder if this is not possible.
FS_NOTE="to the filesystem of bench-data/ (no scratch ext4 could be mounted)"
unmount_scratch() {
    if mountpoint -q "$SCRATCH" 2>/dev/null; then umount "$SCRATCH" || true; fi
    rm -f "$DATA/scratch.img"
}
trap 'stop_nodes; stop_sshd; unmount_scratch' EXIT
unmount_scratch
rm -rf "$SCRATCH" && mkdir -p "$SCRATCH"
if [ "$(id -u)" -eq 0 ] && command -v mkfs.ext4 >/dev/null 2>&1; then
    # Room for a restored tree beside the sources' copies, the large file and the small-file tree (a 4 KiB block and
    # an inode per file, the inodes at one per 8 KiB so that 1,000,000 files fit).
    truncate -s "$((SIZE_MIB * 3 + BIG_MIB + SMALL_FILES * 8 / 1024 + 2048))M" "$DATA/scratch.img"
    if mkfs.ext4 -q -F -i 8192 "$DATA/scratch.img" >/dev/null 2>&1 && mount -o loop "$DATA/scratch.img" "$SCRATCH" 2>/dev/null; then
        FS_NOTE="to a fresh journaled ext4 (loop-mounted image)"
    else
        rm -f "$DATA/scratch.img"
    fi
fi
log "restores go $FS_NOTE"

# The deployed shape of restic and Borg: a repository behind a private sshd on 127.0.0.1 (key only), reached with the
# stock ssh client and its default cipher; restic through the sftp subsystem (sftp-server), Borg through `borg serve`.
start_sshd "$DATA/ssh"
log "sshd for restic over SFTP and borg over ssh: $SSH_HOST (127.0.0.1), pid $SSHD_PID"
export BORG_RSH="ssh -F $SSH_CONFIG" BORG_REMOTE_PATH="env BORG_BASE_DIR=$DATA/borg-serve-home borg"
RESTIC_SFTP=(-o "sftp.command=ssh -F $SSH_CONFIG $SSH_HOST -s sftp")

# server_ticks TOOL: the CPU ticks so far of TOOL's server side: the ring's nodes for PeerStore, the sshd's finished
# sessions (sftp-server, borg serve) for the ssh shapes, 0 for a local repository.
server_ticks() {
    case "$1" in
    peerstore*) proc_ticks "${PIDS[@]}" ;;
    *-sftp | *-ssh) sshd_ticks ;;
    *) echo 0 ;;
    esac
}

# timed TOOL CASE CMD...: runs CMD after dropping the page cache; appends "seconds peakKiB clientCPU serverCPU" to
# results/TOOL.CASE (CPU in seconds, user+sys; the client's from GNU time, with the children it waited for, such as
# ssh; the server's from /proc before and after).
timed() {
    local tool="$1" case="$2" t0 t1
    shift 2
    drop_caches
    t0=$(server_ticks "$tool")
    /usr/bin/time -f "%e %M %U %S" -o "$RES/last" "$@" >/dev/null 2>"$RES/stderr" || { cat "$RES/stderr" >&2; die "$tool $case failed: $*"; }
    t1=$(server_ticks "$tool")
    awk -v t=$((t1 - t0)) -v hz="$CLK_TCK" 'END { printf "%s %s %.2f %.2f\n", $1, $2, $3 + $4, t / hz }' "$RES/last" >>"$RES/$tool.$case"
}
CLK_TCK=$(getconf CLK_TCK)

# The deterministic small change: append to a log, rewrite 64 KiB in the middle of a big file, add, delete and rename
# a few small files.
mutate() {
    local t="$1"
    printf 'bench mutation: one more line of log\n%.0s' $(seq 1 200) >>"$t/big/server-0.log"
    local size
    size=$(stat -c %s "$t/big/random-1.bin")
    head -c 65536 /dev/zero | tr '\0' 'm' | dd of="$t/big/random-1.bin" bs=1 seek=$((size / 2)) conv=notrunc status=none
    mkdir -p "$t/bench-added"
    for i in $(seq 1 20); do printf 'added file %d\n' "$i" >"$t/bench-added/new-$i.txt"; done
    local files
    mapfile -t files < <(find "$t/small" -type f -print | LC_ALL=C sort)
    rm -f "${files[@]:0:10}"
    for f in "${files[@]: -10}"; do mv "$f" "$f.renamed"; done
}

fresh_tree() {
    rm -rf "$DATA/work" "$OUT" "$SCRATCH/one-file"
    mkdir -p "$DATA/work"
    mkdir -p "$WORK" && cp -a "$BASE/." "$WORK/"
}

# The round files: 8 MiB of random bytes each, made once, the same for every tool.
ROUNDS="$DATA/rounds"
if [ ! -f "$ROUNDS/7.bin" ]; then
    mkdir -p "$ROUNDS"
    for i in $(seq 1 7); do head -c $((8 << 20)) /dev/urandom >"$ROUNDS/$i.bin"; done
fi

# more_backups TREE CMD...: seven more backups of TREE with CMD (which may use $ROUND, 1 to 7), each after a round
# change, untimed.
more_backups() {
    local t="$1"
    shift
    for ROUND in $(seq 1 7); do
        cp "$ROUNDS/$ROUND.bin" "$t/bench-round.bin"
        mutate "$t"
        ROUND=$ROUND "$@" >/dev/null 2>"$RES/stderr" || { cat "$RES/stderr" >&2; die "backup round $ROUND failed: $*"; }
    done
}

# same_tree RESTORED TOOL [SOURCE]: dies unless RESTORED holds the same tree as SOURCE (default: the work tree).
same_tree() { diff -r --no-dereference "${3:-$WORK}/" "$1/" >/dev/null || die "$2: the restored tree differs from the source"; }

LARGE="big/random-0.bin"
# The bytes each case covers, for CPU seconds per GiB: the tree's files (apparent sizes), the large file, the small tree.
tree_bytes() { find "$1" -type f -printf '%s\n' | awk '{ t += $1 } END { printf "%.0f\n", t }'; }
TREE_BYTES=$(tree_bytes "$BASE")
LARGE_BYTES=$(stat -c %s "$BASE/$LARGE")
SMALL_BYTES=0
# case_bytes CASE: the bytes of the source that results case CASE covers.
case_bytes() {
    case "$1" in
    onefile) echo "$LARGE_BYTES" ;;
    small.*) echo "$SMALL_BYTES" ;;
    bigbackup | bigrestore) echo $((BIG_MIB << 20)) ;;
    *) echo "$TREE_BYTES" ;;
    esac
}

peerstore() {
    local nodes="$1" tool="peerstore$1"
    local ring="$DATA/ring" home="$DATA/ps-home"
    rm -rf "$home"
    start_ring "$nodes" "$nodes" "$ring" "$PORT"
    wait_converged "$nodes" "$PORT"
    local c=("$BIN/peerstore-client" -home "$home" -quiet)
    timed "$tool" first "${c[@]}" -operation backup -peerAddr "127.0.0.1:$PORT" -localPath "$WORK"
    timed "$tool" nochange "${c[@]}" -operation backup
    mutate "$WORK"
    timed "$tool" mutation "${c[@]}" -operation backup
    timed "$tool" restore "${c[@]}" -operation restore -filedest "$OUT"
    same_tree "$OUT" "$tool"
    timed "$tool" onefile "${c[@]}" -operation getfile -filename "$LARGE" -filedest "$SCRATCH/one-file"
    cmp -s "$WORK/$LARGE" "$SCRATCH/one-file" || die "$tool: the large file restored differs"
    du -sb "$ring" | cut -f1 >>"$RES/$tool.stored"
    peerstore_sync "$tool" "${c[@]}"
    more_backups "$WORK" "${c[@]}" -operation backup
    "${c[@]}" -operation forget -keep-last 5 >/dev/null
    timed "$tool" prune "${c[@]}" -operation prune
    stop_nodes
    rm -rf "$ring" "$home" "$OUT" "$SCRATCH/one-file"
}

# peerstore_sync TOOL CLIENT...: sync rounds of a copy of the (mutated) tree as folder "bench" of the same user.
peerstore_sync() {
    local tool="$1"
    shift
    local dir="$DATA/work/sync"
    rm -rf "$dir" && mkdir -p "$dir" && cp -a "$WORK/." "$dir/"
    local s=("$@" -operation sync -device bench-sync -localPath "$dir" -folder bench)
    timed "$tool" syncfirst "${s[@]}"
    timed "$tool" syncnochange "${s[@]}"
    mutate "$dir"
    timed "$tool" syncmutation "${s[@]}"
    rm -rf "$dir"
}

# restic_run TOOL REPO_DIR REPO [OPTION...]: restic with the repository REPO (stored in REPO_DIR) through the cases.
restic_run() {
    local tool="$1" dir="$2" spec="$3"
    shift 3
    local r=(restic -q --repo "$spec" "$@")
    rm -rf "$dir"
    "${r[@]}" init >/dev/null
    timed "$tool" first "${r[@]}" backup "$WORK"
    timed "$tool" nochange "${r[@]}" backup "$WORK"
    mutate "$WORK"
    timed "$tool" mutation "${r[@]}" backup "$WORK"
    timed "$tool" restore "${r[@]}" restore latest --target "$OUT"
    same_tree "$OUT$WORK" "$tool"
    timed "$tool" onefile sh -c 'out="$1"; shift; "$@" >"$out"' _ "$SCRATCH/one-file" "${r[@]}" dump latest "$WORK/$LARGE"
    cmp -s "$WORK/$LARGE" "$SCRATCH/one-file" || die "$tool: the large file restored differs"
    du -sb "$dir" | cut -f1 >>"$RES/$tool.stored"
    more_backups "$WORK" "${r[@]}" backup "$WORK"
    "${r[@]}" forget --keep-last 5 >/dev/null
    timed "$tool" prune "${r[@]}" prune
    rm -rf "$dir" "$OUT" "$SCRATCH/one-file"
}

# borg_run TOOL REPO_DIR REPO: borg with the repository REPO (stored in REPO_DIR; ssh:// goes through BORG_RSH).
borg_run() {
    local tool="$1" dir="$2" repo="$3"
    rm -rf "$dir" "$BORG_BASE_DIR"
    borg init -e repokey "$repo" >/dev/null 2>&1
    timed "$tool" first borg create --compression lz4 "$repo::a1" "$WORK"
    timed "$tool" nochange borg create --compression lz4 "$repo::a2" "$WORK"
    mutate "$WORK"
    timed "$tool" mutation borg create --compression lz4 "$repo::a3" "$WORK"
    mkdir -p "$OUT"
    timed "$tool" restore sh -c 'cd "$1" && borg extract "$2::a3"' _ "$OUT" "$repo"
    same_tree "$OUT$WORK" "$tool"
    timed "$tool" onefile sh -c 'borg extract --stdout "$1::a3" "$2" >"$3"' _ "$repo" "${WORK#/}/$LARGE" "$SCRATCH/one-file"
    cmp -s "$WORK/$LARGE" "$SCRATCH/one-file" || die "$tool: the large file restored differs"
    du -sb "$dir" | cut -f1 >>"$RES/$tool.stored"
    more_backups "$WORK" sh -c 'borg create --compression lz4 "$1::r$ROUND" "$2"' _ "$repo" "$WORK"
    borg prune --keep-last 5 "$repo" >/dev/null 2>&1
    timed "$tool" prune borg compact "$repo"
    rm -rf "$dir" "$OUT" "$SCRATCH/one-file"
}

TOOLS=(peerstore1 peerstore3 restic restic-sftp borg borg-ssh)
for run in $(seq 1 "$RUNS"); do
    for tool in "${TOOLS[@]}"; do
        log "run $run/$RUNS: $tool"
        fresh_tree
        case "$tool" in
        peerstore1) peerstore 1 ;;
        peerstore3) peerstore 3 ;;
        restic) restic_run restic "$DATA/restic-repo" "$DATA/restic-repo" ;;
        restic-sftp) restic_run restic-sftp "$DATA/restic-sftp-repo" "sftp:$SSH_HOST:$DATA/restic-sftp-repo" "${RESTIC_SFTP[@]}" ;;
        borg) borg_run borg "$DATA/borg-repo" "$DATA/borg-repo" ;;
        borg-ssh) borg_run borg-ssh "$DATA/borg-ssh-repo" "ssh://$SSH_HOST$DATA/borg-ssh-repo" ;;
        esac
    done
done
rm -rf "$DATA/work"

# The small-file tree: -smallFiles files of 200-4,000 bytes in folders of 100, generated once (seed 1) and never
# modified, so every tool backs up the generated folder itself. First backup, no-change backup, full restore.
SMALL="$DATA/small-$SMALL_FILES"
SMALL_TOOLS=(peerstore1 restic restic-sftp borg borg-ssh)
SMALL_CASES=(first nochange restore)

small_peerstore() {
    local ring="$DATA/ring" home="$DATA/ps-home"
    rm -rf "$home" "$OUT"
    start_ring 1 1 "$ring" "$PORT"
    wait_converged 1 "$PORT"
    local c=("$BIN/peerstore-client" -home "$home" -quiet)
    timed peerstore1 small.first "${c[@]}" -operation backup -peerAddr "127.0.0.1:$PORT" -localPath "$SMALL"
    timed peerstore1 small.nochange "${c[@]}" -operation backup
    timed peerstore1 small.restore "${c[@]}" -operation restore -filedest "$OUT"
    same_tree "$OUT" "peerstore1 (small files)" "$SMALL"
    du -sb "$ring" | cut -f1 >>"$RES/peerstore1.small.stored"
    stop_nodes
    rm -rf "$ring" "$home" "$OUT"
}

# small_restic TOOL REPO_DIR REPO [OPTION...]
small_restic() {
    local tool="$1" dir="$2" spec="$3"
    shift 3
    local r=(restic -q --repo "$spec" "$@")
    rm -rf "$dir" "$OUT"
    "${r[@]}" init >/dev/null
    timed "$tool" small.first "${r[@]}" backup "$SMALL"
    timed "$tool" small.nochange "${r[@]}" backup "$SMALL"
    timed "$tool" small.restore "${r[@]}" restore latest --target "$OUT"
    same_tree "$OUT$SMALL" "$tool (small files)" "$SMALL"
    du -sb "$dir" | cut -f1 >>"$RES/$tool.small.stored"
    rm -rf "$dir" "$OUT"
}

# small_borg TOOL REPO_DIR REPO
small_borg() {
    local tool="$1" dir="$2" repo="$3"
    rm -rf "$dir" "$BORG_BASE_DIR" "$OUT"
    borg init -e repokey "$repo" >/dev/null 2>&1
    timed "$tool" small.first borg create --compression lz4 "$repo::s1" "$SMALL"
    timed "$tool" small.nochange borg create --compression lz4 "$repo::s2" "$SMALL"
    mkdir -p "$OUT"
    timed "$tool" small.restore sh -c 'cd "$1" && borg extract "$2::s2"' _ "$OUT" "$repo"
    same_tree "$OUT$SMALL" "$tool (small files)" "$SMALL"
    du -sb "$dir" | cut -f1 >>"$RES/$tool.small.stored"
    rm -rf "$dir" "$OUT"
}

if [ "$SMALL_FILES" -gt 0 ]; then
    if [ ! -d "$SMALL" ]; then
        log "generating $SMALL_FILES small files in $SMALL (seed 1)"
        "$BIN/peerstore-gen" -out "$SMALL" -smallFiles "$SMALL_FILES" -seed 1 >/dev/null
    fi
    SMALL_BYTES=$(tree_bytes "$SMALL")
    for run in $(seq 1 "$RUNS"); do
        for tool in "${SMALL_TOOLS[@]}"; do
            log "run $run/$RUNS, $SMALL_FILES small files: $tool"
            case "$tool" in
            peerstore1) small_peerstore ;;
            restic) small_restic restic "$DATA/restic-repo" "$DATA/restic-repo" ;;
            restic-sftp) small_restic restic-sftp "$DATA/restic-sftp-repo" "sftp:$SSH_HOST:$DATA/restic-sftp-repo" "${RESTIC_SFTP[@]}" ;;
            borg) small_borg borg "$DATA/borg-repo" "$DATA/borg-repo" ;;
            borg-ssh) small_borg borg-ssh "$DATA/borg-ssh-repo" "ssh://$SSH_HOST$DATA/borg-ssh-repo" ;;
            esac
        done
    done
fi

# One large file, once: a client's peak memory must stay under 200 MiB whatever the file's size.
BIG_RESULT=""
if [ "$BIG_MIB" -gt 0 ]; then
    log "one file of $BIG_MIB MiB: backup and restore through PeerStore (1 node)"
    big_dir="$DATA/big-file" ring="$DATA/ring" home="$DATA/ps-home"
    rm -rf "$big_dir" "$home" && mkdir -p "$big_dir"
    dd if=/dev/urandom of="$big_dir/big.bin" bs=1M count="$BIG_MIB" status=none
    start_ring 1 1 "$ring" "$PORT"
    wait_converged 1 "$PORT"
    c=("$BIN/peerstore-client" -home "$home" -quiet)
    timed peerstore1 bigbackup "${c[@]}" -operation backup -peerAddr "127.0.0.1:$PORT" -localPath "$big_dir"
    timed peerstore1 bigrestore "${c[@]}" -operation getfile -filename big.bin -filedest "$SCRATCH/big-restored"
    cmp -s "$big_dir/big.bin" "$SCRATCH/big-restored" || die "the $BIG_MIB MiB file restored differs"
    stop_nodes
    rm -rf "$big_dir" "$ring" "$home" "$SCRATCH/big-restored"
    BIG_RESULT="$(awk -v b="$(cat "$RES/peerstore1.bigbackup")" -v r="$(cat "$RES/peerstore1.bigrestore")" 'BEGIN {
        split(b, x, " "); split(r, y, " ")
        printf "%.2f %.0f %.2f %.0f", x[1], x[2] / 1024, y[1], y[2] / 1024 }')"
    BIG_BACKUP_CPU=$(cpu_per_gib "$RES/peerstore1.bigbackup" "$((BIG_MIB << 20))")
    BIG_RESTORE_CPU=$(cpu_per_gib "$RES/peerstore1.bigrestore" "$((BIG_MIB << 20))")
fi

# json_cases TOOLS_VAR PREFIX CASE...: "case":{"tool":{"seconds":S,"peakKiB":K},...},... for the tools named in array
# TOOLS_VAR, from the results files TOOL.PREFIXCASE.
json_cases() {
    local -n tools_=$1
    local prefix="$2"
    shift 2
    local sep="" c t s2 f cc sc
    for c in "$@"; do
        printf '%s"%s":{' "$sep" "$c"
        s2=""
        for t in "${tools_[@]}"; do
            f="$RES/$t.$prefix$c"
            read -r cc sc <<<"$(cpu_per_gib "$f" "$(case_bytes "$prefix$c")")"
            [ "$(server_ticks_kind "$t")" = none ] && sc=null
            printf '%s"%s":{"seconds":%s,"peakKiB":%s,"cpuSecondsPerGiB":{"client":%s,"server":%s}}' \
                "$s2" "$t" "$(median "$f" 1)" "$(median "$f" 2)" "$cc" "$sc"
            s2=","
        done
        printf '}'
        sep=","
    done
}

CASES=(first nochange mutation restore onefile prune)
CPU_NOTE="CPU seconds (user+sys) per GiB of the source the case covers (the tree; onefile: the large file; smallFiles: the small tree; bigFile: the file); client: the client process and the children it waited for (ssh); server: the ring's nodes for PeerStore, the sshd's sessions (sftp-server, borg serve) for the ssh shapes, null for a local repository"
# server_ticks_kind TOOL: nodes, sshd or none.
server_ticks_kind() {
    case "$1" in
    peerstore*) echo nodes ;;
    *-sftp | *-ssh) echo sshd ;;
    *) echo none ;;
    esac
}
SYNC_CASES=(syncfirst syncnochange syncmutation)
PS_TOOLS=(peerstore1 peerstore3)
if [ "$JSON" = 1 ]; then
    printf '{"sizeMiB":%s,"runs":%s,"treeBytes":%s,"cpuNote":"%s","cases":{' "$SIZE_MIB" "$RUNS" "$TREE_BYTES" "$CPU_NOTE"
    json_cases TOOLS "" "${CASES[@]}"
    printf '},"storedBytes":{'
    s2=""
    for t in "${TOOLS[@]}"; do printf '%s"%s":%s' "$s2" "$t" "$(median "$RES/$t.stored" 1)"; s2=","; done
    printf '},"sync":{'
    json_cases PS_TOOLS "" "${SYNC_CASES[@]}"
    printf '}'
    if [ "$SMALL_FILES" -gt 0 ]; then
        printf ',"smallFiles":{"files":%s,"folders":%s,"bytes":%s,"cases":{' "$SMALL_FILES" "$(((SMALL_FILES + 99) / 100))" "$SMALL_BYTES"
        json_cases SMALL_TOOLS small. "${SMALL_CASES[@]}"
        printf '},"storedBytes":{'
        s2=""
        for t in "${SMALL_TOOLS[@]}"; do printf '%s"%s":%s' "$s2" "$t" "$(median "$RES/$t.small.stored" 1)"; s2=","; done
        printf '}}'
    fi
    if [ -n "$BIG_RESULT" ]; then
        read -r bs bm rs rm_ <<<"$BIG_RESULT"
        read -r bcc bsc <<<"$BIG_BACKUP_CPU"
        read -r rcc rsc <<<"$BIG_RESTORE_CPU"
        printf ',"bigFile":{"mib":%s,"backupSeconds":%s,"backupPeakMiB":%s,"restoreSeconds":%s,"restorePeakMiB":%s' \
            "$BIG_MIB" "$bs" "$bm" "$rs" "$rm_"
        printf ',"backupCpuSecondsPerGiB":{"client":%s,"server":%s},"restoreCpuSecondsPerGiB":{"client":%s,"server":%s}}' \
            "$bcc" "$bsc" "$rcc" "$rsc"
    fi
    printf ',"filesystem":"%s"}\n' "$FS_NOTE"
    exit 0
fi

printf '\n%s MiB tree, medians of %s runs (wall seconds / client peak MiB), restores %s; this machine: %s cores, shared\n\n' \
    "$SIZE_MIB" "$RUNS" "$FS_NOTE" "$(nproc)"
LABELS=("PeerStore 1 node" "PeerStore 3 (k=3)" restic "restic sftp" borg "borg ssh")
RATIOS=("PS1/restic" "PS3/restic" "PS1/restic-sftp" "PS1/borg-ssh")
# ratios_of SUFFIX COLUMN: the four ratio cells for results files *.SUFFIX.
ratios_of() {
    local m1 m3
    m1=$(median "$RES/peerstore1.$1" "$2")
    m3=$(median "$RES/peerstore3.$1" "$2")
    printf '%s\n' "$(ratio "$m1" "$(median "$RES/restic.$1" "$2")")" "$(ratio "$m3" "$(median "$RES/restic.$1" "$2")")" \
        "$(ratio "$m1" "$(median "$RES/restic-sftp.$1" "$2")")" "$(ratio "$m1" "$(median "$RES/borg-ssh.$1" "$2")")"
}
table_row case "${LABELS[@]}" "${RATIOS[@]}"
table_rule $((${#LABELS[@]} + ${#RATIOS[@]}))
for c in "${CASES[@]}"; do
    row=()
    for t in "${TOOLS[@]}"; do row+=("$(time_cell "$RES/$t.$c")"); done
    mapfile -t ratios < <(ratios_of "$c" 1)
    table_row "$c" "${row[@]}" "${ratios[@]}"
done
row=()
for t in "${TOOLS[@]}"; do row+=("$(mib_cell "$RES/$t.stored")"); done
mapfile -t ratios < <(ratios_of stored 1)
table_row "stored bytes" "${row[@]}" "${ratios[@]}"
if [ "$SMALL_FILES" -gt 0 ]; then
    printf '\n%s small files (200-4,000 bytes, %s folders), medians of %s runs (wall seconds / client peak MiB; ratios: time / peak)\n\n' \
        "$SMALL_FILES" "$(((SMALL_FILES + 99) / 100))" "$RUNS"
    table_row case "PeerStore 1 node" restic "restic sftp" borg "borg ssh" "PS1/restic" "PS1/restic-sftp" "PS1/borg-ssh"
    table_rule 8
    # small_ratio CASE OTHER: "time / peak" of peerstore1 over OTHER for the small-file CASE.
    small_ratio() {
        local a="$RES/peerstore1.small.$1" b="$RES/$2.small.$1"
        printf '%s / %s\n' "$(ratio "$(median "$a" 1)" "$(median "$b" 1)")" "$(ratio "$(median "$a" 2)" "$(median "$b" 2)")"
    }
    for c in "${SMALL_CASES[@]}"; do
        row=()
        for t in "${SMALL_TOOLS[@]}"; do row+=("$(time_cell "$RES/$t.small.$c")"); done
        table_row "$c" "${row[@]}" "$(small_ratio "$c" restic)" "$(small_ratio "$c" restic-sftp)" "$(small_ratio "$c" borg-ssh)"
    done
    row=()
    for t in "${SMALL_TOOLS[@]}"; do row+=("$(mib_cell "$RES/$t.small.stored")"); done
    a=$(median "$RES/peerstore1.small.stored" 1)
    table_row "stored bytes" "${row[@]}" "$(ratio "$a" "$(median "$RES/restic.small.stored" 1)")" \
        "$(ratio "$a" "$(median "$RES/restic-sftp.small.stored" 1)")" "$(ratio "$a" "$(median "$RES/borg-ssh.small.stored" 1)")"
fi
printf '\nSync of the mutated tree as a folder (PeerStore only; the no-change round beside the no-change backup)\n\n'
table_row case "PeerStore 1 node" "PeerStore 3 (k=3)"
table_rule 2
for c in "${SYNC_CASES[@]}" nochange; do
    row=()
    for t in "${PS_TOOLS[@]}"; do row+=("$(time_cell "$RES/$t.$c")"); done
    label="$c"
    [ "$c" = nochange ] && label="(backup nochange)"
    table_row "$label" "${row[@]}"
done
printf '\nPrune after forget of 5 of 10 snapshots: peak memory beside the first backup'"'"'s (the bound: no more)\n\n'
for t in "${TOOLS[@]}"; do
    awk -v t="$t" -v p="$(median "$RES/$t.prune" 2)" -v b="$(median "$RES/$t.first" 2)" -v s="$(median "$RES/$t.prune" 1)" 'BEGIN {
        printf "%-12s prune %.2f s, %.0f MiB peak; first backup %.0f MiB peak: %s\n", t, s, p / 1024, b / 1024, (p <= b) ? "within" : "OVER" }'
done
if [ -n "$BIG_RESULT" ]; then
    read -r bs bm rs rm_ <<<"$BIG_RESULT"
    verdict=$(awk -v a="$bm" -v b="$rm_" 'BEGIN { print (a < 200 && b < 200) ? "under" : "OVER" }')
    printf '\nOne %s MiB file (random bytes), PeerStore 1 node: backup %s s / %s MiB peak, getfile %s s / %s MiB peak: %s the 200 MiB bound\n' \
        "$BIG_MIB" "$bs" "$bm" "$rs" "$rm_" "$verdict"
fi

# CPU seconds per GiB, client + server, for every case (the cells of tools a case does not run are "-").
printf '\nCPU seconds (user+sys) per GiB, client + server (PeerStore: + the ring'"'"'s nodes; sftp/ssh: + sshd with sftp-server\n'
printf 'or borg serve; local repositories: the client alone), medians; per GiB of the %s MiB tree (onefile: of the large\n' "$(awk -v b="$TREE_BYTES" 'BEGIN { printf "%.0f", b / 1048576 }')"
small_note=""
[ "$SMALL_FILES" -gt 0 ] && small_note="; small: of the $SMALL_FILES small files, $(awk -v b="$SMALL_BYTES" 'BEGIN { printf "%.0f", b / 1048576 }') MiB"
printf 'file, %.0f MiB%s)\n\n' "$(awk -v b="$LARGE_BYTES" 'BEGIN { print b / 1048576 }')" "$small_note"
table_row case "${LABELS[@]}"
table_rule ${#LABELS[@]}
cpu_rows=("${CASES[@]}" "${SYNC_CASES[@]}")
[ "$SMALL_FILES" -gt 0 ] && for c in "${SMALL_CASES[@]}"; do cpu_rows+=("small.$c"); done
for c in "${cpu_rows[@]}"; do
    row=()
    for t in "${TOOLS[@]}"; do
        k=0
        [ "$(server_ticks_kind "$t")" != none ] && k=1
        row+=("$(cpu_cell "$RES/$t.$c" "$(case_bytes "$c")" "$k")")
    done
    table_row "${c/small./small }" "${row[@]}"
done
if [ -n "$BIG_RESULT" ]; then
    read -r bcc bsc <<<"$BIG_BACKUP_CPU"
    read -r rcc rsc <<<"$BIG_RESTORE_CPU"
    printf '\nOne %s MiB file, PeerStore 1 node, CPU s/GiB client + node: backup %s + %s, getfile %s + %s\n' "$BIG_MIB" "$bcc" "$bsc" "$rcc" "$rsc"
fi
