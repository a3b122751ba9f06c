#!/usr/bin/env bash
# TAP tests of qemu/bench-best.awk, which folds make bench's repeated
# throughput runs into one row each, on raw lines written here: the fastest
# run's row (fewest NS for the same COUNT) carrying the worst loss of any
# run (most TXDROP and PDROP, fewest RECEIVED), a baseline kernel's base-
# rows kept apart from the current kernel's, other rows passed through in
# order, and runs of one kind with different counts refused.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
best=$root/qemu/bench-best.awk

echo "1..6"
# shellcheck source=tests/host/lib-tap.sh
. "$root/tests/host/lib-tap.sh"
# check TITLE [DETAIL...]: ok when the command just before it succeeded.
check() {
	local status=$?
	if [ "$status" -eq 0 ]; then ok "$1"; else not_ok "$@"; fi
}

# KIND NIC SIZE COUNT NS TXDROP RECEIVED PCAPN FIRST LAST PDROP
raw='serial none 64 2000 400000000 0 2000 0 0 0 0
flood e1000 64 1000 3000000 0 1000 1000 1.0 1.003 0
flood e1000 64 1000 2000000 0 990 990 5.0 5.002 0
base-flood e1000 64 1000 4000000 2 1000 1000 9.0 9.004 0
flood e1000 64 1000 2500000 1 1000 1000 3.0 3.0025 7
base-flood e1000 64 1000 5000000 0 997 1000 7.0 7.005 0
blast e1000 64 1000 900000 0 1000 1000 2.0 2.0009 0
profile e1000 64 plain 1000 2000000 0 other=1 doorbell=2'
out=$(printf '%s\n' "$raw" | awk -f "$best")

got=$(printf '%s\n' "$out" | awk '$1 == "flood"')
# The 2 ms run is the fastest; the worst of the three: 1 txdrop, 990
# received, 7 dropped by tcpdump.
want='flood e1000 64 1000 2000000 1 990 990 5.0 5.002 7'
[ "$got" = "$want" ]
check "flood: the fastest run, with the worst loss of all three" \
	"got:  $got" "want: $want"

got=$(printf '%s\n' "$out" | awk '$1 == "base-flood"')
want='base-flood e1000 64 1000 4000000 2 997 1000 9.0 9.004 0'
[ "$got" = "$want" ]
check "the baseline's rows fold apart from the current kernel's" \
	"got:  $got" "want: $want"

[ "$(printf '%s\n' "$out" | awk '$1 == "blast"')" = 'blast e1000 64 1000 900000 0 1000 1000 2.0 2.0009 0' ]
check "a kind run once is kept as it is" "$out"

got=$(printf '%s\n' "$out" | awk '$1 == "serial" || $1 == "profile"')
[ "$got" = "$(printf '%s\n' "$raw" | awk '$1 == "serial" || $1 == "profile"')" ]
check "other rows pass through unchanged, in order" "$got"

[ "$(printf '%s\n' "$out" | wc -l)" -eq 5 ]
check "one row per kind, NIC and size" "$out"

err=$(printf 'flood e1000 64 1000 1 0 1000 1000 1 2 0\nflood e1000 64 2000 1 0 2000 2000 1 2 0\n' |
	awk -f "$best" 2>&1 >/dev/null)
status=$?
[ "$status" -ne 0 ] && case $err in *"runs of 1000 and 2000 records"*) true ;; *) false ;; esac
check "runs of one kind with different counts are refused, naming both" \
	"status $status: $err"
