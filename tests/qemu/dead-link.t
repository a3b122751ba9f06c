#!/usr/bin/env bash
# A dead link (TAP), on both NICs: qemu/run-crash.sh --link-script cuts the
# guest's link with the QEMU monitor's set_link while the kernel logs a
# numbered line every 50 ms (chatter=50:COUNT); the crash comes after the
# last line (crash=irq-timer).
#   outage: the link comes back before the crash. Serial has every line; the
#     network transcript is the serial one minus exactly the records logged
#     while the link was down, and the kernel's "N messages dropped while the
#     link was down" line, on both, counts exactly those.
#   dead: the link never comes back. The panic completes regardless: serial
#     has the whole oops, the end line follows the fault within
#     PANIC_BOUND_MS of kernel time, QEMU exits (panic=-1) within
#     EXIT_BOUND_MS of wall-clock time after the fault's first line reached
#     the serial log, and nothing of the oops reached the tap.
#
# Environment: NC_TIMEOUT is one run's limit in seconds (default 60);
# NC_KERNEL another kernel ELF (as for qemu/run-crash.sh).
# Failing cases keep their logs in build/test-logs/dead-link-<case>/.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib-cases.sh
. "$here/lib-cases.sh"

# The bounds this test holds the kernel to. With the link down netconsole
# costs one register read per record, so the panic takes what the serial
# console takes; the exit adds the reset's at most 110 ms. The exit bound,
# measured from outside by polling the serial log, leaves room for a busy
# host.
PANIC_BOUND_MS=500
EXIT_BOUND_MS=1500

# A case is "nic scenario chatter-lines link-script"; the script's times
# count from the first chatter line, so a slow boot does not move the outage.
cases=()
for nic in e1000 rtl8139; do
	cases+=("$nic outage 80 off@300 on@1600" "$nic dead 60 off@300")
done

case_name() {
	local nic scenario
	read -r nic scenario _ <<<"$1"
	echo "dead-link-$nic-$scenario"
}

case_group() {
	echo "${1%% *}"
}

case_args() {
	local nic scenario count script
	read -r nic scenario count script <<<"$1"
	run_args=(--nic "$nic" --crash irq-timer --append "chatter=50:$count"
		--link-script "$script" --link-after "chatter: line 1 of")
}

# The moment the fault's first line reaches the serial log starts the clock
# for the exit bound.
case_watch() {
	local dir=$2 child=$3
	while kill -0 "$child" 2>/dev/null; do
		if grep -qF "BUG: kernel NULL pointer dereference" "$dir/serial.log" 2>/dev/null; then
			echo "${EPOCHREALTIME/./}" >"$dir/fault-seen"
			break
		fi
		sleep 0.01
	done
}

check_case() {
	local nic scenario count
	read -r nic scenario count _ <<<"$1"
	"check_$scenario" "$2" "$count"
}

case_note() {
	cat "$2/bound" 2>/dev/null
}

# check_every_line SERIAL COUNT: all chatter lines 1..COUNT, once each.
check_every_line() {
	local i n
	for ((i = 1; i <= $2; i++)); do
		n=$(grep -cF "] chatter: line $i of $2" "$1")
		[ "$n" = 1 ] || echo "serial has chatter line $i of $2 $n times, not once"
	done
}

# kernel_ms LOG TEXT: the timestamp of the first line holding TEXT, in ms.
kernel_ms() {
	grep -F -m 1 -- "$2" "$1" | sed -n 's/^\[ *\([0-9]*\)\.\([0-9]\{3\}\).*/\1\2/p' |
		sed 's/^0*\(.\)/\1/'
}

check_outage() {
	local dir=$1 count=$2 out serial_part n net_n added removed
	serial_part=$dir/serial.transcript
	out=$(check_every_line "$dir/serial.log" "$count") || true
	[ -n "$out" ] && echo "$out"
	nc_serial_transcript "$dir/serial.log" >"$serial_part"
	out=$(nc_check_text "$dir/transcript.log" "$NC_END_LINE_PREFIX" "panic end line") || echo "$out"
	n=$(sed -n 's/.*] netconsole: eth0: \([0-9]*\) messages dropped while the link was down$/\1/p' \
		"$serial_part")
	net_n=$(sed -n 's/.*] netconsole: eth0: \([0-9]*\) messages dropped while the link was down$/\1/p' \
		"$dir/transcript.log")
	if [ "$(printf '%s\n' "$n" | grep -c .)" != 1 ]; then
		echo "serial should have one 'messages dropped' line, has: ${n:-none}"
		return
	fi
	echo "$n records dropped while the link was down, reported on both consoles" >"$dir/bound"
	[ "$n" -gt 0 ] || echo "the kernel reports $n messages dropped; the link cut lost none"
	[ "$net_n" = "$n" ] || echo "the network's 'messages dropped' line says '${net_n:-nothing}', serial's $n"
	# Each record is one line: the network must only lack lines, never add
	# or change one, and lack exactly as many as the kernel reported.
	added=$(diff --unchanged-line-format= --old-line-format= --new-line-format='%L' \
		"$serial_part" "$dir/transcript.log" | grep -c .)
	removed=$(diff --unchanged-line-format= --old-line-format='%L' --new-line-format= \
		"$serial_part" "$dir/transcript.log" | grep -c .)
	[ "$added" = 0 ] && [ "$removed" = "$n" ] && return
	echo "network vs serial: $added lines added, $removed missing; the kernel reported $n dropped"
	diff "$serial_part" "$dir/transcript.log" | head -n 8
}

check_dead() {
	local dir=$1 count=$2 out fault_ms end_ms exit_us seen_us
	out=$(check_every_line "$dir/serial.log" "$count") || true
	[ -n "$out" ] && echo "$out"
	out=$(bash "$here/check-oops.sh" "$dir/serial.log" "${NC_KERNEL:-$root/build/kernel.elf}" irq-timer) ||
		printf 'serial oops: %s\n' "$out"
	fault_ms=$(kernel_ms "$dir/serial.log" "BUG: kernel NULL pointer dereference")
	end_ms=$(kernel_ms "$dir/serial.log" "$NC_END_LINE_PREFIX")
	exit_us=$(sed -n 's/^qemu_exit_epoch_us=//p' "$dir/timing")
	seen_us=$(cat "$dir/fault-seen" 2>/dev/null)
	if [ -z "$fault_ms" ] || [ -z "$end_ms" ] || [ -z "$exit_us" ] || [ -z "$seen_us" ]; then
		echo "cannot time the panic (fault '$fault_ms' end '$end_ms' ms; seen '$seen_us' exit '$exit_us' us)"
		return
	fi
	echo "panic $((end_ms - fault_ms)) ms of kernel time; QEMU exited $(((exit_us - seen_us) / 1000)) ms after the fault showed on serial" >"$dir/bound"
	[ $((end_ms - fault_ms)) -le "$PANIC_BOUND_MS" ] ||
		echo "the panic took $((end_ms - fault_ms)) ms of kernel time (bound $PANIC_BOUND_MS)"
	[ $(((exit_us - seen_us) / 1000)) -le "$EXIT_BOUND_MS" ] ||
		echo "QEMU exited $(((exit_us - seen_us) / 1000)) ms after the fault showed on serial (bound $EXIT_BOUND_MS)"
	if grep -qF "Oops:" "$dir/transcript.log" 2>/dev/null; then
		echo "the oops reached the tap although the link was down"
	fi
}

cases_run
