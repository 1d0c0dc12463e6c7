# Shared by the benchmark scripts: markdown table rows and the figures in their cells (medians from results files).
# Needs median (scripts/lib/bench.sh).

# table_row LABEL CELL...: one markdown row, the label 22 wide, every cell 17.
table_row() {
    printf '| %-22s |' "$1"
    shift
    local c
    for c in "$@"; do printf ' %-17s |' "$c"; done
    printf '\n'
}

# table_rule CELLS: the rule under a header of CELLS cells (beside the label).
table_rule() {
    printf '|%s|' ------------------------
    for _ in $(seq 1 "$1"); do printf '%s|' -------------------; done
    printf '\n'
}

# ratio A B: A / B with two decimals, "-" when either is missing or B is 0.
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f\n", a / b }'
}

# time_cell FILE: "S s / M" (median wall seconds, median peak MiB) from a results file, "-" without one.
time_cell() {
    [ -s "$1" ] || { echo "-"; return; }
    awk -v s="$(median "$1" 1)" -v m="$(median "$1" 2)" 'BEGIN { printf "%.2f s / %.0f\n", s, m / 1024 }'
}

# mib_cell FILE: the median of a file of byte counts, in MiB.
mib_cell() {
    [ -s "$1" ] || { echo "-"; return; }
    awk -v b="$(median "$1" 1)" 'BEGIN { printf "%.0f MiB\n", b / 1048576 }'
}

# cpu_per_gib FILE BYTES: "client server", the median CPU seconds (columns 3 and 4 of a results file) per GiB of BYTES,
# two decimals each ("- -" without the file or the columns).
cpu_per_gib() {
    [ -s "$1" ] || { echo "- -"; return; }
    local c s
    c=$(median "$1" 3)
    s=$(median "$1" 4)
    awk -v c="$c" -v s="$s" -v b="$2" 'BEGIN { g = b / 1073741824
        if (c == "" || s == "" || g == 0) { print "- -"; exit }
        printf "%.2f %.2f\n", c / g, s / g }'
}

# cpu_cell FILE BYTES SERVER: "client + server" CPU seconds per GiB, or the client's alone when SERVER is 0.
cpu_cell() {
    local c s
    read -r c s <<<"$(cpu_per_gib "$1" "$2")"
    if [ "$c" = "-" ]; then echo "-"; elif [ "$3" = 0 ]; then echo "$c"; else echo "$c + $s"; fi
}
