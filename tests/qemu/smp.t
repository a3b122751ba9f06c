#!/usr/bin/env bash
# Several CPUs (TAP): on both NICs with -smp 2 and -smp 4 (multi-threaded
# TCG), the kernel finds the CPUs in the ACPI MADT and brings the others up
# (Linux's lines, the summary naming N CPUs); a fault on another CPU
# (crash_cpu=N: a NULL write, a stack overflow into that CPU's own guard
# page, handled by that CPU's double-fault task) or in the NIC's interrupt
# routed by the I/O APIC to CPU 1 (nic_irq_cpu=1) reports that CPU in its
# CPU: line (swapper/N), and check-oops.sh holds it against QEMU's interrupt
# log and the ELF (the reported ESP is QEMU's and lies on that CPU's stack),
# and check-cpu-log.awk finds no hardware interrupt delivered to a CPU after
# its own first exception (each log entry given to a CPU by its SP, the
# stacks from cpu-stacks.sh);
# the panic stops every other CPU, each showing its NMI backtrace once; the
# network transcript equals the serial one and every packet's checksums are
# valid. The smp-* sites: smp-tx-held (CPU 1 floods netconsole, the boot
# CPU faults while CPU 1 holds the device lock mid-transmit: the oops follows
# the last flood record whole), smp-irq-nic (the NIC interrupt faults on CPU
# 1 while CPU 0 logs: <IRQ> on CPU 1), smp-log-held (CPU 1 stops holding the
# log lock: the oops takes it over after the bound and says so), smp-both
# (CPU 0 and CPU 1 fault at once: [#1] and [#2] whole, one per CPU, then one
# panic). hardlockup, with 1, 2 and 4 CPUs (on the last CPU: every CPU is
# watched): the CPU spins with interrupts off and the NMI watchdog reports it
# from its NMI; check-oops.sh finds that NMI in QEMU's interrupt log, at the
# reported EIP with the reported registers, IF clear, on that CPU's stack,
# and no interrupt inside the loop; the detection comes within its bound
# (hardlockup-bound.awk, kernel timestamps). softlockup on CPU 1 is reported
# from CPU 1's own timer interrupt (its local APIC timer's). nosmp on a
# 2-CPU machine runs on the boot CPU alone, as before.
#
# Environment: NIC filters the NICs; NC_TIMEOUT, NC_JOBS, NC_KERNEL as for
# network.t. Failing cases keep their logs in build/test-logs/smp-<case>/.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib-cases.sh
. "$here/lib-cases.sh"

# shellcheck disable=SC2034 # cases_select_filters fills all three
nics=() boots=() crashes=()
cases_select_filters
# A case is "nic cpus crash cpu-that-faults [extra-parameters]"; the CRASH
# filter selects by crash site.
cases=()
add_case() {
	local crash
	read -r _ _ crash _ <<<"$1"
	in_crashes "$crash" && cases+=("$1")
}
in_crashes() {
	local c
	for c in "${crashes[@]}"; do
		[ "$c" = "$1" ] && return 0
	done
	return 1
}
for nic in "${nics[@]}"; do
	for cpus in 2 4; do
		add_case "$nic $cpus irq-nic 1 nic_irq_cpu=1"
		add_case "$nic $cpus init-null $((cpus - 1)) crash_cpu=$((cpus - 1))"
		add_case "$nic $cpus stack-overflow 1 crash_cpu=1"
		add_case "$nic $cpus smp-tx-held 0"
		add_case "$nic $cpus smp-irq-nic 1 nic_irq_cpu=1"
		add_case "$nic $cpus smp-log-held 0"
		add_case "$nic $cpus smp-both 0"
	done
	add_case "$nic 2 irq-nic 0 nosmp"
	for cpus in 1 2 4; do
		add_case "$nic $cpus hardlockup $((cpus - 1)) crash_cpu=$((cpus - 1))"
	done
	# The soft-lockup watchdog watches every CPU too (its local APIC timer).
	add_case "$nic 2 softlockup 1 crash_cpu=1 softlockup_panic=1"
done
if [ "${#cases[@]}" -eq 0 ]; then
	echo "1..0 # skip the NIC and CRASH filters select no case"
	exit 0
fi

case_name() {
	local nic cpus crash cpu extra
	read -r nic cpus crash cpu extra <<<"$1"
	echo "smp-$nic-$cpus-$crash${extra:+-${extra%%=*}}"
}

case_group() {
	echo "${1%% *}"
}

case_args() {
	local nic cpus crash cpu extra
	read -r nic cpus crash cpu extra <<<"$1"
	run_args=(--nic "$nic" --smp "$cpus" --cpu-log --crash "$crash" --append "$extra")
}

# check_case CASE DIR: prints one line per failed assertion.
check_case() {
	local nic cpus crash cpu extra dir=$2 out up want_up backtraces
	read -r nic cpus crash cpu extra <<<"$1"
	local transcript="$dir/transcript.log" serial="$dir/serial.log"
	out=$(nc_check_text "$transcript" "$NC_END_LINE_PREFIX" "panic end line") || echo "$out"
	out=$(nc_check_same_transcript "$dir") || echo "$out"
	out=$(nc_check_checksums "$dir") || echo "$out"
	out=$(bash "$here/check-oops.sh" "$serial" "${NC_KERNEL:-$root/build/kernel.elf}" "$crash" \
		"$dir/cpu.log" 2>&1) || printf '%s\n' "$out" | sed 's/^/check-oops.sh: /'
	# No hardware interrupt reaches a CPU after its own first exception.
	local stacks
	if stacks=$(sh "$here/cpu-stacks.sh" "${NC_KERNEL:-$root/build/kernel.elf}" "$cpus" 2>&1); then
		out=$(awk -v stacks="$stacks" -f "$here/check-cpu-log.awk" "$dir/cpu.log") ||
			printf '%s\n' "$out" | sed 's/^/check-cpu-log.awk: /'
	else
		echo "$stacks"
	fi
	out=$(nc_check_text "$transcript" "CPU: $cpu PID: 0 Comm: swapper/$cpu " "faulting CPU") ||
		echo "$out"
	if [ "$crash" = hardlockup ]; then
		out=$(nc_check_text "$transcript" "NMI watchdog: Watchdog detected hard LOCKUP on cpu $cpu" \
			"hard lockup report") || echo "$out"
		awk -f "$here/hardlockup-bound.awk" "$serial" >"$dir/bound" || cat "$dir/bound"
	fi
	backtraces=$(grep -c '\] NMI backtrace for cpu ' "$serial")
	if [ "$cpus" = 1 ]; then
		[ "$backtraces" -eq 0 ] || echo "one CPU: $backtraces NMI backtraces, want none"
		return
	fi
	if [ "$extra" = nosmp ]; then
		out=$(nc_check_text "$serial" "smp: nosmp: running on the boot CPU only" "nosmp") ||
			echo "$out"
		grep -q 'Bringing up secondary CPUs' "$serial" && echo "nosmp: secondary CPUs brought up"
		[ "$backtraces" -eq 0 ] || echo "nosmp: $backtraces NMI backtraces, want none"
		return
	fi
	want_up=""
	for ((up = 1; up < cpus; up++)); do
		want_up="$want_up #$up"
	done
	for line in "smp: Bringing up secondary CPUs ..." "x86: Booting SMP configuration:" \
		".... node  #0, CPUs:     $want_up" "smp: Brought up 1 node, $cpus CPUs"; do
		grep -qxF -- "$line" <(sed 's/^\[ *[0-9]*\.[0-9]*\] //' "$serial") ||
			echo "bring-up: no line '$line'"
	done
	# Every other CPU, but one that reported an oops of its own (smp-both):
	# it stopped itself when it found the panic running.
	local want_bt=$((cpus - 1))
	[ "$crash" = smp-both ] && want_bt=$((cpus - 2))
	[ "$backtraces" -eq "$want_bt" ] ||
		echo "the panic showed $backtraces NMI backtraces, want one per other CPU still running ($want_bt)"
	case $crash in
	irq-nic | smp-irq-nic)
		out=$(nc_check_text "$transcript" " <IRQ>" "interrupt context") || echo "$out"
		;;
	smp-tx-held)
		# The other CPU flooded; the oops follows its last record whole.
		if ! awk '/\] smp: flood record / { last = NR; n++ } /BUG: kernel NULL/ { bug = NR }
			END { exit !(n >= 200 && bug == last + 1) }' "$transcript"; then
			echo "smp-tx-held: the oops does not follow a flood of at least 200 records"
		fi
		;;
	smp-both)
		# Both reports, one per CPU, whole (check-oops.sh), then one panic.
		out=$(nc_check_text "$transcript" "CPU: 1 PID: 0 Comm: swapper/1 " "second CPU's report") ||
			echo "$out"
		;;
	smp-log-held)
		out=$(nc_check_text "$transcript" \
			"smp: CPU 1 held a lock for more than 500 ms during the oops; it was taken over" \
			"log lock taken over") || echo "$out"
		;;
	esac
}

# The summary row of a hardlockup case: the detection (kernel timestamps)
# and the last packet after the site's line (tcpdump on the tap).
case_note() { # CASE DIR
	local last
	[ -s "$2/bound" ] || return 0
	last=$(nc_first_to_last_packet_s "$2/$NC_CAPTURE" "crash: hardlockup: spinning")
	echo "$(cat "$2/bound"); last packet ${last:-?} s after the site's line"
}

cases_run
