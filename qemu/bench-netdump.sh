#!/usr/bin/env bash
# Netdump speed: crashes a guest of each RAM size with netdump= on one NIC
# and prints the dump's rate as the host measured it (bytes received over
# first data chunk to closing message) and the whole dump's time, against
# the NIC's ceiling when the caller measured one.
#
# usage: bench-netdump.sh [--nic e1000|rtl8139] [--mem "64 256"] [--runs N]
#                         [--ceiling MB_PER_S]
# Needs root (namespaces and taps, as qemu/run-crash.sh). Prints one line
# per run and a summary with the median of each size; exits 1 when a run
# did not leave a complete, verified dump.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TARGET_MBS=150

nic=e1000
mems="64 256"
runs=3
ceiling=""
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || { sed -n '/^# usage:/,/^# Needs/p' "$0" >&2 && exit 2; }
	case $1 in
	--nic) nic=$2 ;;
	--mem) mems=$2 ;;
	--runs) runs=$2 ;;
	--ceiling) ceiling=$2 ;;
	*)
		echo "bench-netdump: unknown option '$1'" >&2
		exit 2
		;;
	esac
	shift 2
done

work=$(mktemp -d "${TMPDIR:-/tmp}/nc-bench-netdump.XXXXXX")
trap 'rm -rf "$work"' EXIT
# After a SIGKILL, which allows no trap, the guard removes it.
setsid -f bash "$here/guard.sh" $$ --remove "$work" </dev/null >/dev/null 2>&1

value() {
	sed -n "s/^$2: //p" "$1" | head -n 1
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'
}

failed=0
printf '%-8s %-5s %-4s %9s %10s %9s %7s\n' nic ram run dump_MiB data_MB/s total_s resent
for mem in $mems; do
	: >"$work/rates.$mem"
	: >"$work/totals.$mem"
	for run in $(seq 1 "$runs"); do
		dir="$work/$mem-$run"
		if ! bash "$here/run-crash.sh" --nic "$nic" --crash init-null --netdump host \
			--mem "$mem" --timeout 300 --logdir "$dir" >"$work/run.log" 2>&1; then
			echo "bench-netdump: $nic ${mem} MiB run $run failed: $(tail -n 1 "$work/run.log")" >&2
			failed=1
			continue
		fi
		info=$(find "$dir/dumps" -name 'info.*' | head -n 1)
		if [ "$(value "$info" complete)" != yes ]; then
			echo "bench-netdump: $nic ${mem} MiB run $run: dump incomplete: $(value "$info" verdict)" >&2
			failed=1
			continue
		fi
		bytes=$(value "$info" received_bytes)
		rate=$(value "$info" data_mb_per_s)
		total=$(value "$info" seconds)
		echo "$rate" >>"$work/rates.$mem"
		echo "$total" >>"$work/totals.$mem"
		printf '%-8s %-5s %-4s %9s %10s %9s %7s\n' "$nic" "$mem" "$run" \
			"$((bytes / 1048576))" "$rate" "$total" "$(value "$info" kernel_resends)"
	done
done

echo
echo "median over $runs runs ($nic, TCG); target >= $TARGET_MBS MB/s"
for mem in $mems; do
	rate=$(median <"$work/rates.$mem")
	line="  ${mem} MiB guest: ${rate} MB/s data phase, $(median <"$work/totals.$mem") s herald to close"
	if [ -n "$ceiling" ] && [ "$rate" != - ]; then
		line+=", $(awk -v r="$rate" -v c="$ceiling" 'BEGIN { printf "%.0f", 100 * r / c }')% of the NIC ceiling ($ceiling MB/s)"
	fi
	echo "$line"
done
[ -n "$ceiling" ] || echo "  NIC ceiling: not given (--ceiling MB/s, as make bench measures it)"
exit "$failed"
