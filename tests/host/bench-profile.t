#!/usr/bin/env bash
# TAP tests of qemu/bench-profile.awk, make bench's per-stage profile table,
# on raw lines written here with round figures: each stage's cycles per
# record (cycles / COUNT, worked out by hand below), the total, the time per
# record (NS / COUNT) and the TSC rate they imply (cycles / NS), and a row
# per NIC, size and format present, in order; no table without profile lines.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
table=$root/qemu/bench-profile.awk

echo "1..4"
n=0
check() {
	n=$((n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		printf '#   got:  %s\n#   want: %s\n' "$2" "$3"
	fi
}

raw='profile e1000 64 plain 1000 2000000 0 other=100000 format=300000 ring=200000 doorbell=3400000
profile e1000 64 extended 10 50000 1 other=2000 format=3000 ring=5000 doorbell=90000
flood e1000 64 1000 2000000 0 1000 1000 1 2 0
profile rtl8139 1000 plain 100 1000000 0 other=100 format=200 ring=300 doorbell=1999400'
out=$(printf '%s\n' "$raw" | awk -v nics="e1000 rtl8139" -v sizes="64 1000" -f "$table")
rows=$(printf '%s\n' "$out" | awk '$1 == "e1000" || $1 == "rtl8139"')

# 1000 records, 4 000 000 cycles in 2 ms: 4000 cycles and 2 us per record, 2000 MHz.
check "plain e1000 64: cycles per stage, total, us per record, MHz, lost" \
	"$(printf '%s\n' "$rows" | sed -n 1p | tr -s ' ')" \
	" e1000 64 plain | 100 300 200 3400 | 4000 2.00 2000 0"
# 10 records, 100 000 cycles in 50 us: 10 000 cycles and 5 us per record.
check "extended e1000 64 after plain, one record lost" \
	"$(printf '%s\n' "$rows" | sed -n 2p | tr -s ' ')" \
	" e1000 64 extended | 200 300 500 9000 | 10000 5.00 2000 1"
check "rtl8139 1000 last, the stage names as the header" \
	"$(printf '%s\n' "$rows" | sed -n 3p | tr -s ' ')$(printf '%s\n' "$out" | grep -c ' other *format *ring *doorbell ')" \
	" rtl8139 1000 plain | 1 2 3 19994 | 20000 10.00 2000 01"
check "no profile lines, no table" \
	"$(printf 'flood e1000 64 1 1 1 1 1 1 1 1\n' | awk -v nics=e1000 -v sizes=64 -f "$table")" ""
