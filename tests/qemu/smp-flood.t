#!/usr/bin/env bash
# printk from two CPUs at once (TAP): on both NICs with -smp 2 (multi-
# threaded TCG), bench=smp-flood:COUNT:SIZE has CPU 0 and CPU 1 print COUNT
# records each at the same time, with the serial console on. Each CPU's
# records must reach the listener once each and in order
# (qemu/bench-smp-order.awk on the transcript), and the serial console the
# same (the same check on the serial log: a second witness, written by
# QEMU's UART), the network transcript must equal the serial one byte for
# byte, and every captured packet's checksums be valid. A CPU that prints
# faster than the consoles take records must wait for the CPU delivering
# them to hand the delivery over (kernel/console.c), or the log ring
# overwrites records no console has had yet.
#
# Environment: NIC filters the NICs; NC_TIMEOUT, NC_JOBS, NC_KERNEL as for
# network.t. Failing cases keep their logs in build/test-logs/smp-flood-<nic>/.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib-cases.sh
. "$here/lib-cases.sh"

# Only a bound on waiting: a loaded host slows the serial flood down.
cases_timeout_s=${NC_TIMEOUT:-120}
# Records per CPU and line size: 2 x 1500 records of 256 bytes are six times
# the log ring (128 KiB), so a CPU that outruns the consoles loses records.
COUNT=1500
SIZE=256
RESULT="bench: smp-flood cpus=2 count=$COUNT size=$SIZE "

nics=()
select_from nics "$CASES_ALL_NICS" "${NIC:-$CASES_ALL_NICS}" NIC
cases=("${nics[@]}")

case_name() {
	echo "smp-flood-$1"
}

case_args() {
	run_args=(--nic "$1" --smp 2 --crash none --append "bench=smp-flood:$COUNT:$SIZE"
		--end "$RESULT")
}

# check_order FILE WHAT: each CPU's records in FILE once each and in order.
check_order() {
	local out
	out=$(sed 's/\r$//' "$1" | awk -v cpus=2 -v count="$COUNT" -f "$root/qemu/bench-smp-order.awk") ||
		printf '%s\n' "$out" | grep -v '^received ' | sed "s/^/$2: /"
}

check_case() {
	local dir=$2 out
	check_order "$dir/transcript.log" "listener"
	check_order "$dir/serial.log" "serial"
	out=$(nc_check_same_transcript "$dir") || echo "$out"
	out=$(nc_check_checksums "$dir") || echo "$out"
}

cases_run
