#!/usr/bin/env bash
# Fuzzes the decoders with libFuzzer (Fuzz/, built with -sanitize=fuzzer,address in release mode).
#   scripts/fuzz.sh TARGET SECONDS     one target for SECONDS
#   scripts/fuzz.sh all SECONDS        every target, SECONDS each, one after another
#   scripts/fuzz.sh TARGET -runs N     N inputs instead of a time
#   scripts/fuzz.sh list               the targets
#   scripts/fuzz.sh seeds              rewrites Fuzz/corpus from the seed generator
# Each run starts from a copy of Fuzz/corpus/TARGET in a temp folder (new inputs are never written into the
# repository) and prints one line: target, inputs run, seconds, execs/s, crashes. A crash, hang (-timeout) or
# memory blow-up (-rss_limit_mb) keeps its input, prints its path, and the script exits 1.
# FUZZ_SCRATCH: the build folder (default .build-fuzz-lf); FUZZ_FLAGS: more libFuzzer flags.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/common.sh

targets="frame handshake wire chunk manifest tree snapshot head snapshot-index file-cache sync-head folder-state share-token inbox-entry segment"
usage="usage: scripts/fuzz.sh TARGET|all SECONDS | TARGET|all -runs N | list | seeds (targets: $targets)"

[ $# -ge 1 ] || die "$usage"
what="$1"
case "$what" in
    list) echo "$targets"; exit 0 ;;
    seeds) ;;
    all) ;;
    *) [[ " $targets " == *" $what "* ]] || die "unknown fuzz target '$what'; $usage" ;;
esac
limit=()
if [ "$what" != seeds ]; then
    if [ "${2:-}" = "-runs" ]; then
        [[ "${3:-}" =~ ^[0-9]+$ ]] || die "-runs needs a count of inputs; $usage"
        limit=(-runs="$3")
    else
        [[ "${2:-}" =~ ^[0-9]+$ ]] || die "give the seconds to fuzz for, or -runs N; $usage"
        limit=(-max_total_time="$2")
    fi
fi

ensure_swift
ensure_system_packages

scratch="${FUZZ_SCRATCH:-$PWD/.build-fuzz-lf}"
log "building the fuzz targets (release, -sanitize=fuzzer,address) in $scratch"
build_log="$(mktemp /tmp/peerstore-fuzz-build.XXXXXX)"
# lld: gold fails on this link (an internal error in its DWARF reader).
if ! swift build -c release --package-path Fuzz --scratch-path "$scratch" --product PeerStoreFuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld >"$build_log" 2>&1; then
    grep -v 'Cannot export local symbol' "$build_log" | tail -40 >&2
    die "the fuzz build failed (whole log: $build_log)"
fi
rm -f "$build_log"
binary="$scratch/release/PeerStoreFuzz"
# Swift's own crash backtracer would hold a crashing run for minutes; libFuzzer prints the stack instead.
export SWIFT_BACKTRACE=enable=no

if [ "$what" = seeds ]; then
    rm -rf Fuzz/corpus
    PEERSTORE_FUZZ_WRITE_SEEDS="$PWD/Fuzz/corpus" "$binary"
    log "wrote Fuzz/corpus ($(find Fuzz/corpus -type f | wc -l) files)"
    exit 0
fi

work="$(mktemp -d /tmp/peerstore-fuzz.XXXXXX)"
# Files a target writes per input (the segment scanner's) go to memory where there is some.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then scratch_files="$(mktemp -d /dev/shm/peerstore-fuzz.XXXXXX)"; else scratch_files="$work/tmp"; fi
kept=0
cleanup() { rm -rf "$scratch_files"; [ "$kept" -eq 1 ] || rm -rf "$work"; }
trap cleanup EXIT

run_target() {
    local target="$1" dir="$work/$1"
    mkdir -p "$dir/corpus" "$dir/artifacts" "$scratch_files/$target"
    cp Fuzz/corpus/"$target"/* "$dir/corpus/" 2>/dev/null || true
    local rc=0 started=$SECONDS
    (cd "$dir" && PEERSTORE_FUZZ_TARGET="$target" TMPDIR="$scratch_files/$target" "$binary" "${limit[@]}" \
        -artifact_prefix="$dir/artifacts/" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
        ${FUZZ_FLAGS:-} corpus >"$dir/log" 2>&1) || rc=$?
    local runs seconds rate crashes
    runs="$(awk '/stat::number_of_executed_units/ {print $2}' "$dir/log" | tail -1)"
    rate="$(awk '/stat::average_exec_per_sec/ {print $2}' "$dir/log" | tail -1)"
    seconds=$((SECONDS - started))
    crashes="$(find "$dir/artifacts" -type f | wc -l)"
    printf '%-15s inputs %-11s seconds %-7s execs/s %-7s crashes %s\n' "$target" "${runs:-?}" "$seconds" "${rate:-?}" "$crashes"
    if [ "$crashes" -gt 0 ] || [ "$rc" -ne 0 ]; then
        kept=1
        find "$dir/artifacts" -type f -printf '  input kept: %p\n'
        echo "  log: $dir/log"
        return 1
    fi
}

failed=0
if [ "$what" = all ]; then
    for t in $targets; do run_target "$t" || failed=1; done
else
    run_target "$what" || failed=1
fi
exit "$failed"
