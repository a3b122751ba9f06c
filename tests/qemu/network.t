#!/usr/bin/env bash
# Network crash matrix (TAP): every NIC x boot x crash site runs through
# qemu/run-crash.sh in its own namespace, side by side. A case passes when
# the run completed, the network transcript equals the serial one byte for
# byte, every captured UDP packet from the guest has valid checksums and
# the right ports and MACs, the serial oops passes check-oops.sh for the
# case's crash site, and the oops says what the case expects.
# The IPv6 cases (NDP, plain and extended, on both NICs and boot paths; an
# IPv4 and an IPv6 target at once; the guest answering the host's neighbour
# solicitation) pass the same checks over IPv6, and the neighbour discovery
# must be on the wire with valid checksums.
#
# Environment: NIC, CRASH, BOOT filter the matrix (comma or space separated,
# e.g. NIC=rtl8139 CRASH=irq-nic BOOT=iso); NC_TIMEOUT is one run's limit in
# seconds (default 60); NC_JOBS the number of runs at once (default 2 x CPUs);
# NC_KERNEL another kernel ELF (as for qemu/run-crash.sh).
# Failing cases keep their logs in build/test-logs/<case>/.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib-cases.sh
. "$here/lib-cases.sh"

nics=() boots=() crashes=()
cases_select_filters
if [ "${#nics[@]}" -eq 0 ] || [ "${#boots[@]}" -eq 0 ] || [ "${#crashes[@]}" -eq 0 ]; then
	echo "1..0 # skip the NIC, BOOT and CRASH filters select no case"
	exit 0
fi

# A case is "nic boot config crash"; the 2001 and ARP configurations need
# one crash each to show they work, not the whole list.
cases=()
for nic in "${nics[@]}"; do
	for boot in "${boots[@]}"; do
		for crash in "${crashes[@]}"; do
			# The smp-* sites need several CPUs, and hardlockup runs
			# with 1, 2 and 4: smp.t boots them.
			case $crash in smp-* | hardlockup) continue ;; esac
			cases+=("$nic $boot linux $crash")
		done
		cases+=("$nic $boot 2001 ${crashes[0]}" "$nic $boot linux-arp ${crashes[0]}")
		# IPv6: neighbour discovery, plain and extended.
		cases+=("$nic $boot ipv6 ${crashes[0]}" "$nic $boot ipv6-ext ${crashes[0]}")
	done
	# An IPv4 and an IPv6 target together; the guest answering the host's
	# neighbour solicitation while chatter logs (the host pings it).
	cases+=("$nic ${boots[0]} ipv6-mixed ${crashes[0]}" "$nic ${boots[0]} ipv6-ns ${crashes[0]}")
done

WARN_READY_LINE="Kernel ready (crash=warn), idling"

case_name() {
	local nic boot config crash
	read -r nic boot config crash <<<"$1"
	echo "$nic-$boot-$config-$crash"
}

case_group() {
	echo "${1%% *}"
}

# The mixed case names the IPv6 sender's transcript after the guest's
# address; on the user backend both targets' datagrams reach the listener
# from slirp's own loopback sockets (127.0.0.1 and ::1, ports slirp picks).
case_backend_skip() {
	case $1 in
	*ipv6-mixed*)
		[ "$NB_BACKEND" = user ] || return 0
		echo "the mixed case tells its two senders apart by the guest's addresses; the user backend (QEMU user-mode network) hands both targets' datagrams to the listener from its own loopback sockets (127.0.0.1 and ::1)"
		;;
	esac
}

case_args() {
	local nic boot config crash
	read -r nic boot config crash <<<"$1"
	case $config in
	ipv6) run_args=(--config linux-arp --ipv6) ;;
	# No --ack: the kernel lingers its whole netconsole_linger=; keep it
	# short, as reliable.t does, or a loaded host keeps QEMU past its bound.
	ipv6-ext) run_args=(--config linux-arp --ipv6 --ext --append netconsole_linger=2) ;;
	ipv6-mixed) run_args=(--config mixed --ipv6) ;;
	ipv6-ns)
		run_args=(--config linux-arp --ipv6 --append "chatter=100:30"
			--traffic "ip -6 neigh flush dev $NCNS_TAP; ping -6 -c 2 -i 0.5 -W 1 $NCNS_GUEST_IP6; ip -6 neigh show dev $NCNS_TAP")
		;;
	*) run_args=(--config "$config") ;;
	esac
	run_args+=(--nic "$nic" --boot "$boot" --crash "$crash")
	# A WARN is no crash: the run ends at the ready line, QEMU still up.
	[ "$crash" = warn ] && run_args+=(--until "$WARN_READY_LINE")
	# A soft lockup ends the run only when it panics.
	[ "$crash" = softlockup ] && run_args+=(--append softlockup_panic=1)
}

# check_case CASE DIR: prints one line per failed assertion.
check_case() {
	local nic boot config crash dir=$2 out
	read -r nic boot config crash <<<"$1"
	local transcript="$dir/transcript.log"
	# The IPv6 cases' checks look at the IPv6 addresses (mixed: the IPv6
	# sender; its IPv4 twin is checked below).
	case $config in
	ipv6*) local NC_GUEST_IP=$NCNS_GUEST_IP6 NC_HOST_IP=$NCNS_HOST_IP6 ;;
	esac
	if [ "$crash" = warn ]; then
		out=$(nc_check_text "$transcript" "$WARN_READY_LINE" "the kernel going on after the warning") ||
			echo "$out"
		! grep -q "Kernel panic" "$transcript" || echo "warn: the transcript has a panic"
	else
		out=$(nc_check_text "$transcript" "$NC_END_LINE_PREFIX" "panic end line") || echo "$out"
	fi
	out=$(nc_check_text "$transcript" "eth0: $nic at" "NIC") || echo "$out"
	out=$(nc_check_same_transcript "$dir") || echo "$out"
	out=$(nc_check_checksums "$dir") || echo "$out"
	case $config in
	2001) out=$(nc_check_ports "$dir" 6666 6666) || echo "$out" ;;
	*) out=$(nc_check_ports "$dir" 6665 6666) || echo "$out" ;;
	esac
	out=$(nc_check_dest_mac "$dir") || echo "$out"
	# The serial oops, line by line, against the kernel the case booted.
	out=$(bash "$here/check-oops.sh" "$dir/serial.log" "${NC_KERNEL:-$root/build/kernel.elf}" "$crash" 2>&1) ||
		printf '%s\n' "$out" | sed 's/^/check-oops.sh: /'
	if [ "$config" = linux-arp ]; then
		out=$(nc_check_arp "$dir") || echo "$out"
	fi
	case $config in
	ipv6*) out=$(nc_check_ndp "$dir") || echo "$out" ;;
	esac
	if [ "$config" = ipv6-mixed ]; then
		# transcript.log is the first sender's, the IPv4 target (listed
		# first); the IPv6 one has its own, named after it.
		out=$(NC_TRANSCRIPT="transcript.log.$NCNS_GUEST_IP6-6665" nc_check_same_transcript "$dir") ||
			echo "IPv6 sender: $out"
		out=$(NC_GUEST_IP=$NCNS_GUEST_IP NC_HOST_IP=$NCNS_HOST_IP nc_check_checksums "$dir") ||
			echo "IPv4 sender: $out"
		out=$(NC_GUEST_IP=$NCNS_GUEST_IP NC_HOST_IP=$NCNS_HOST_IP nc_check_ports "$dir" 6665 6666) ||
			echo "IPv4 sender: $out"
		out=$(NC_GUEST_IP=$NCNS_GUEST_IP NC_HOST_IP=$NCNS_HOST_IP nc_check_arp "$dir") ||
			echo "IPv4 sender: $out"
	fi
	if [ "$config" = ipv6-ns ]; then
		out=$(nc_check_ns_answered "$dir" "$(cat "$dir/tap-mac" 2>/dev/null)") || echo "$out"
		grep -q "^$NCNS_GUEST_IP6 lladdr $NC_GUEST_MAC " "$dir/traffic.log" 2>/dev/null ||
			echo "the host's neighbour table has no $NC_GUEST_MAC for $NCNS_GUEST_IP6: $(tail -n 1 "$dir/traffic.log" 2>/dev/null)"
	fi
	case $crash in
	irq-*)
		out=$(nc_check_text "$transcript" " <IRQ>" "interrupt context") || echo "$out"
		out=$(nc_check_text "$transcript" "in interrupt" "interrupt context") || echo "$out"
		;;
	nested)
		out=$(nc_check_text "$transcript" "Oops: 0002 [#1]" "first report") || echo "$out"
		out=$(nc_check_text "$transcript" "Oops: 0002 [#2]" "nested report") || echo "$out"
		out=$(nc_check_text "$transcript" "EIP: crash_oops_nested+" "nested fault") || echo "$out"
		;;
	warn)
		out=$(nc_check_text "$transcript" "WARNING: CPU: 0 PID: 0 at kernel/harness/crash.c:" "warning") ||
			echo "$out"
		;;
	gpf) out=$(nc_check_text "$transcript" "general protection fault: 0000 [#1]" "title") || echo "$out" ;;
	int3) out=$(nc_check_text "$transcript" "int3: 0000 [#1]" "title") || echo "$out" ;;
	softlockup)
		out=$(nc_check_text "$transcript" "watchdog: BUG: soft lockup - CPU#0 stuck for" "title") || echo "$out"
		;;
	write-ro)
		out=$(nc_check_text "$transcript" "#PF: error_code(0x0003) - permissions violation" "title") ||
			echo "$out"
		;;
	corrupt-stack)
		out=$(nc_check_text "$transcript" "stack-protector: Kernel stack is corrupted in: crash_corrupt_stack+" \
			"panic") || echo "$out"
		;;
	stack-overflow)
		out=$(nc_check_text "$transcript" "BUG: stack guard page was hit at" "guard page") || echo "$out"
		out=$(nc_check_text "$transcript" "stack guard page: 0000 [#1]" "double fault") || echo "$out"
		;;
	early)
		# The oops must precede netconsole's start: it was sent by the
		# panic path bringing the NIC up, not by a running netconsole.
		if ! awk '/Oops: 0002/ { oops = NR } /netconsole: network logging started/ { started = NR }
			END { exit !(oops && started && oops < started) }' "$transcript"; then
			echo "early: the oops does not come before netconsole started"
		fi
		;;
	esac
	case $crash in
	irq-nic-locked) out=$(nc_check_text "$transcript" "EIP: crash_irq_nic_locked+" "EIP") || echo "$out" ;;
	irq-nic) out=$(nc_check_text "$transcript" "EIP: crash_irq_nic+" "EIP") || echo "$out" ;;
	flood-then-oops)
		out=$(nc_check_text "$transcript" "EIP: crash_flood_then_oops+" "EIP") || echo "$out"
		# At least the flood's first hundred records arrived, and the oops
		# right after the last (check-oops.sh checks the transmit path).
		if ! awk '/\] flood: record / { last = NR; n++ } /BUG: kernel NULL/ { bug = NR }
			END { exit !(n >= 100 && bug == last + 1) }' "$transcript"; then
			echo "flood-then-oops: the oops does not follow a flood of at least 100 records"
		fi
		;;
	esac
}

cases_run
