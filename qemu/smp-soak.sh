#!/usr/bin/env bash
# Repeated SMP runs with varied timing: each run boots one SMP case of
# tests/qemu/smp.t through qemu/run-crash.sh (2 or 4 CPUs, both NICs), with
# chatter=MS:COUNT before the crash site so that the fault lands at a
# different moment each time, and checks it as smp.t does: the run
# completed, the network transcript equals the serial one, every packet's
# checksums are valid, check-oops.sh accepts the serial oops against the
# ELF and QEMU's interrupt log, and that log shows no hardware interrupt
# reaching a CPU after its own first exception (check-cpu-log.awk). Prints
# one line per run and a summary per
# NIC: runs, failures, and the time from the fault to the panic's end line
# (kernel timestamps on serial) and from the first oops packet to the last
# packet (tcpdump on the tap); for hardlockup both from the site's line, and
# the detection within its bound (tests/qemu/hardlockup-bound.awk). A
# measurement, never part of make test.
#
# usage: smp-soak.sh [--runs N] [--nics "e1000 rtl8139"] [--jobs N] [--outdir DIR]
# Failing runs keep their logs in DIR/fail-<nic>-<n>/ (default build/smp-soak).
# Exit: 0 no run failed, 1 some did, 2 usage.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=tests/qemu/lib-netcheck.sh
. "$root/tests/qemu/lib-netcheck.sh"

runs=50
nics="e1000 rtl8139"
jobs=2
outdir=$root/build/smp-soak
kernel=${NC_KERNEL:-$root/build/kernel.elf}

usage() {
	sed -n '/^# usage:/p' "$0" | sed 's/^# //' >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--runs | --nics | --jobs | --outdir)
		[ $# -ge 2 ] || usage
		case $1 in
		--runs) runs=$2 ;;
		--nics) nics=$2 ;;
		--jobs) jobs=$2 ;;
		--outdir) outdir=$2 ;;
		esac
		shift 2
		;;
	*) usage ;;
	esac
done
case $runs$jobs in *[!0-9]* | '') usage ;; esac

# The cases cycle with the run number: "cpus site extra".
CASES=("2 smp-tx-held" "4 smp-irq-nic nic_irq_cpu=1" "2 smp-log-held" "4 smp-tx-held"
	"2 smp-irq-nic nic_irq_cpu=1" "4 smp-log-held" "2 init-null crash_cpu=1"
	"4 stack-overflow crash_cpu=3" "4 irq-nic nic_irq_cpu=2" "2 smp-both" "4 smp-both"
	"1 hardlockup" "2 hardlockup crash_cpu=1" "4 hardlockup crash_cpu=3")

# Seconds between a serial line holding TEXT and the end line, by the
# kernel's timestamps.
fault_to_end_s() { # SERIAL TEXT
	awk -v text="$2" -v end="$NC_END_LINE_PREFIX" '
		function ts(line) { sub(/^\[ */, "", line); sub(/\].*/, "", line); return line + 0 }
		!t0 && index($0, text) { t0 = ts($0) }
		t0 && index($0, end) { printf "%.3f", ts($0) - t0; exit }' "$1"
}

one_run() { # NIC N
	local nic=$1 n=$2 cpus site extra ms count dir problems out fault
	read -r cpus site extra <<<"${CASES[$((n % ${#CASES[@]}))]}"
	ms=$((1 + n * 7 % 19))
	count=$((3 + n * 5 % 17))
	dir=$outdir/run-$nic-$n
	rm -rf "$dir"
	bash "$here/run-crash.sh" --nic "$nic" --smp "$cpus" --cpu-log --crash "$site" \
		--append "chatter=$ms:$count${extra:+ $extra}" --logdir "$dir" --timeout 120 \
		>"$dir.stderr" 2>&1
	local rc=$?
	problems=""
	[ $rc -eq 0 ] || problems="run-crash exit $rc: $(tail -n 1 "$dir.stderr");"
	out=$(nc_check_same_transcript "$dir") || problems="$problems transcript differs;"
	out=$(nc_check_checksums "$dir") || problems="$problems $out;"
	out=$(bash "$root/tests/qemu/check-oops.sh" "$dir/serial.log" "$kernel" "$site" "$dir/cpu.log" 2>&1) ||
		problems="$problems check-oops: $(head -n 1 <<<"$out");"
	out=$(sh "$root/tests/qemu/cpu-stacks.sh" "$kernel" "$cpus" 2>&1) &&
		out=$(awk -v stacks="$out" -f "$root/tests/qemu/check-cpu-log.awk" "$dir/cpu.log") ||
		problems="$problems check-cpu-log: $(head -n 1 <<<"$out");"
	fault="BUG: "
	[ "$site" = stack-overflow ] && fault="BUG: stack guard page"
	# A hard lockup: from the site's line to the end, within the
	# detector's bound (hardlockup-bound.awk).
	if [ "$site" = hardlockup ]; then
		fault="crash: hardlockup: spinning"
		out=$(awk -f "$root/tests/qemu/hardlockup-bound.awk" "$dir/serial.log") ||
			problems="$problems $out;"
	fi
	printf '%s %s %s cpus=%s chatter=%s:%s kernel_fault_to_end_s=%s host_first_to_last_packet_s=%s %s\n' \
		"$nic" "$n" "$site" "$cpus" "$ms" "$count" "$(fault_to_end_s "$dir/serial.log" "$fault")" \
		"$(nc_first_to_last_packet_s "$dir/capture.pcap" "$fault")" "${problems:-ok}"
	if [ -n "$problems" ]; then
		rm -rf "$outdir/fail-$nic-$n"
		mv "$dir" "$outdir/fail-$nic-$n"
	else
		rm -rf "$dir"
	fi
	rm -f "$dir.stderr"
}

mkdir -p "$outdir" || exit 2
results=$outdir/results.txt
: >"$results"
for nic in $nics; do
	for ((n = 0; n < runs; n++)); do
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
			wait -n
		done
		one_run "$nic" "$n" | tee -a "$results" &
	done
done
wait
for nic in $nics; do
	awk -v nic="$nic" '$1 == nic {
			n++; if ($NF != "ok") f++
			split($6, a, "="); k[n] = a[2]; split($7, b, "="); h[n] = b[2] }
		END {
			printf "%s: %d runs, %d failed; fault to end line (kernel) %s s; first to last oops packet (host) %s s\n",
				nic, n, f, range(k, n), range(h, n)
		}
		function range(v, n,   i, lo, hi, s, m) {
			lo = hi = ""
			for (i = 1; i <= n; i++) if (v[i] != "") {
				if (lo == "" || v[i] + 0 < lo) lo = v[i] + 0
				if (hi == "" || v[i] + 0 > hi) hi = v[i] + 0
				s += v[i]; m++ }
			return m ? sprintf("min %.3f, mean %.3f, max %.3f", lo, s / m, hi) : "n/a" }' \
		"$results"
done | tee "$outdir/summary.txt"
! grep -qv ' ok$' "$results"
