#!/usr/bin/env bash
# TAP tests of make bench's checks and tables for several CPUs, on inputs
# written here: qemu/bench-smp-order.awk must pass a transcript holding
# every record of each CPU once and in order (interleaved between CPUs, as
# two CPUs print), and refuse, naming the problem, one that lost a record,
# has one out of order or repeated, ends early, or lacks the result line;
# qemu/bench-smp.awk's tables must show the rates worked out by hand below.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)

T=$(mktemp -d "${TMPDIR:-/tmp}/bench-smp.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

echo "1..8"
# shellcheck source=tests/host/lib-tap.sh
. "$root/tests/host/lib-tap.sh"

# transcript SEQS...: a listener transcript with a boot line, the records
# "CPU:SEQ" in the order given, then the result line.
transcript() {
	local rec stamp=1
	echo "[    0.051544] netconsole: network logging started"
	for rec in "$@"; do
		printf '[    1.%06d] bench-smp %s %08d xxxxxxxx\n' "$stamp" "${rec%%:*}" "${rec#*:}"
		stamp=$((stamp + 1))
	done
	echo "[    2.000000] bench: smp-flood cpus=2 count=3 size=64 ns=100 cpu0_ns=50 cpu1_ns=100 tx_dropped=0"
}

# check NAME WANT_STATUS WANT_TEXT TRANSCRIPT-FILE
check() {
	local out rc
	out=$(awk -v cpus=2 -v count=3 -f "$root/qemu/bench-smp-order.awk" "$4" 2>&1)
	rc=$?
	if [ "$rc" = "$2" ] && grep -qxF -- "$3" <<<"$out"; then
		ok "$1"
	else
		not_ok "$1" "exit $rc, want $2; output:" "$out" "want the line: $3"
	fi
}

transcript 0:0 1:0 1:1 0:1 0:2 1:2 >"$T/good"
check "each CPU's records once and in order, interleaved: accepted" 0 "received 3 3" "$T/good"
transcript 0:0 1:0 1:1 0:2 1:2 >"$T/lost"
check "a lost record is named" 1 "CPU 0: record 1 missing (record 2 came next)" "$T/lost"
transcript 0:0 1:0 1:2 1:1 0:1 0:2 >"$T/order"
check "a record out of order is named" 1 "CPU 1: record 1 after record 2 (out of order or repeated)" "$T/order"
transcript 0:0 1:0 1:1 0:1 0:1 0:2 1:2 >"$T/twice"
check "a repeated record is named" 1 "CPU 0: record 1 after record 1 (out of order or repeated)" "$T/twice"
transcript 0:0 1:0 0:1 0:2 >"$T/short"
check "records that never came are named" 1 "CPU 1: records 1 to 2 missing at the end" "$T/short"
transcript 0:0 1:0 1:1 0:1 0:2 1:2 | grep -v 'bench: smp-flood' >"$T/noresult"
check "a missing result line is named" 1 'no "bench: smp-flood" result line' "$T/noresult"

# Raw figures: two-CPU floods of 1000 records per CPU in 0.1 s (both), CPU 0
# alone in 0.05 s and CPU 1 in 0.1 s; tcpdump saw 2000 packets in 0.1999 s;
# the second run lost 10 and reordered. The one-CPU flood: 100000 in 2 s.
cat >"$T/raw.txt" <<'EOF'
flood e1000 256 100000 2000000000 0 100000 100000 1.0 2.0 0
smp-flood e1000 256 1000 100000000 50000000 100000000 0 1000 1000 ok 2000 10.0000 10.1999
smp-flood rtl8139 256 1000 200000000 200000000 100000000 3 995 995 bad 1990 10.0 11.0
oops-cpus e1000 1 0.3 9000000
oops-cpus e1000 1 0.5 11000000
oops-cpus e1000 1 0.4 10000000
oops-cpus e1000 4 0.9 25000000
EOF
out=$(awk -v nics="e1000 rtl8139" -v sizes="256" -f "$root/qemu/bench-smp.awk" "$T/raw.txt" 2>&1)
# By hand: 2000 records / 0.1 s = 20000/s, 5.12 MB/s at 256 bytes; CPU 0
# 1000 / 0.05 s, CPU 1 1000 / 0.1 s; 1999 gaps / 0.1999 s = 10000/s; the
# one-CPU flood 50000/s. rtl8139: 2000 / 0.2 s, lost 2000 - 1990.
want_e1000=$(printf '  %-8s %5d | %10.0f %8.2f %10.0f %10.0f | %10.0f %7d %7d %8s | %10s' e1000 256 20000 5.12 20000 10000 10000 0 0 yes 50000)
want_rtl=$(printf '  %-8s %5d | %10.0f %8.2f %10.0f %10.0f | %10.0f %7d %7d %8s | %10s' rtl8139 256 10000 2.56 5000 10000 1989 10 3 NO -)
if grep -qxF -- "$want_e1000" <<<"$out" && grep -qxF -- "$want_rtl" <<<"$out"; then
	ok "the two-CPU flood's rates, loss and order per NIC"
else
	not_ok "the two-CPU flood's rates, loss and order per NIC" "got:" "$out" "want:" "$want_e1000" "$want_rtl"
fi
# Medians: 1 CPU 0.4 s (0.3..0.5), 10000 us (9000..11000); 4 CPUs one run.
want1=$(printf '  %-8s %4d %4d | %9.3f %9.3f %9.3f | %11.1f %11.1f %11.1f' e1000 1 3 0.4 0.3 0.5 10000 9000 11000)
want4=$(printf '  %-8s %4d %4d | %9.3f %9.3f %9.3f | %11.1f %11.1f %11.1f' e1000 4 1 0.9 0.9 0.9 25000 25000 25000)
if grep -qxF -- "$want1" <<<"$out" && grep -qxF -- "$want4" <<<"$out"; then
	ok "time to oops with 1 and 4 CPUs side by side"
else
	not_ok "time to oops with 1 and 4 CPUs side by side" "got:" "$out" "want:" "$want1" "$want4"
fi
