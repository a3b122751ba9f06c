#!/usr/bin/env bash
# Two NICs at once (TAP): the guest gets an e1000 and an rtl8139, in both
# orders, each on its own tap in one namespace (qemu/run-crash.sh
# --second-nic). netconsole on eth1, by Linux's syntax and by the 2001
# parameters, must reach eth1's listener byte for byte what the serial
# console saw while the idle eth0's tap carries no netconsole packet; two
# netconsole= targets, one per NIC, must each get every record, with the
# first netconsole= on eth0 (two-targets) and on eth1
# (two-targets-eth1-first): over both NIC orders each NIC type is then the
# first and the second target, on eth0 and on eth1, so a fault that hits
# only the second target (the e1000, whose frames wait for a doorbell,
# shows it; the rtl8139, which sends on queueing, hides it) fails in either
# order. An irq-nic crash must happen in eth1's own interrupt handler. With
# two targets both NICs raise the shared IRQ line; the crash hits eth0's
# handler, which runs first, and the oops still leaves through both NICs.
# Every case boots both by -kernel and from the GRUB ISO.
#
# Environment: NIC, CRASH, BOOT filter the cases as in network.t (comma or
# space separated): a case runs when both its NICs are in NIC, its crash in
# CRASH and its boot in BOOT, so NIC=rtl8139 alone selects none. NC_TIMEOUT
# is one run's limit in seconds (default 60); NC_JOBS the number of runs at
# once (default 2 x CPUs). Failing cases keep their logs in
# build/test-logs/<case>/.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib-cases.sh
. "$here/lib-cases.sh"

# The filters know every word network.t knows, so that one NIC, CRASH or
# BOOT given to make qemu-test suits every script.
nics=() boots=() crashes=()
cases_select_filters

# in_list WORD WORDS...: true when WORD is one of WORDS.
in_list() {
	local word=$1
	shift
	case " $* " in *" $word "*) return 0 ;; esac
	return 1
}

# A case is "first-nic second-nic boot config crash".
cases=()
for boot in "${boots[@]}"; do
	for order in "e1000 rtl8139" "rtl8139 e1000"; do
		read -r nic0 nic1 <<<"$order"
		if ! in_list "$nic0" "${nics[@]}" || ! in_list "$nic1" "${nics[@]}"; then
			continue
		fi
		for run in "eth1-linux init-null" "eth1-2001 init-null" "two-targets init-null" \
			"two-targets-eth1-first init-null" "eth1-linux irq-nic" "two-targets irq-nic" \
			"two-targets-eth1-first irq-nic"; do
			in_list "${run#* }" "${crashes[@]}" && cases+=("$order $boot $run")
		done
	done
done
if [ "${#cases[@]}" -eq 0 ]; then
	echo "1..0 # skip the NIC, BOOT and CRASH filters select no case (a case needs both its NICs in NIC)"
	exit 0
fi

case_name() {
	local nic0 nic1 boot config crash
	read -r nic0 nic1 boot config crash <<<"$1"
	echo "$nic0+$nic1-$boot-$config-$crash"
}

case_group() {
	local boot
	read -r _ _ boot _ <<<"$1"
	echo "$boot"
}

case_args() {
	local nic0 nic1 boot config crash
	read -r nic0 nic1 boot config crash <<<"$1"
	run_args=(--nic "$nic0" --second-nic "$nic1" --boot "$boot" --config "$config" --crash "$crash")
}

# on_eth1 CHECK ARGS...: runs a lib-netcheck check on eth1's files and
# addresses instead of eth0's.
on_eth1() {
	NC_CAPTURE=capture1.pcap NC_TRANSCRIPT=transcript1.log NC_TAP_MAC_FILE=tap1-mac \
		NC_GUEST_IP=10.0.8.5 NC_GUEST_MAC=52:54:00:12:34:57 NC_HOST_IP=10.0.8.1 "$@"
}

# check_target WHERE DIR SOURCE_PORT: the whole oops reached one target's
# listener, equal to serial, in packets with valid checksums, the right
# ports and MACs. WHERE is on_eth1 for eth1's target, "" for eth0's.
check_target() {
	local where=$1 dir=$2 port=$3 out transcript=transcript.log target_port
	target_port=$(nb_target_port "")
	[ -n "$where" ] && transcript=transcript1.log target_port=$(nb_target_port 1)
	out=$(nc_check_text "$dir/$transcript" "$NC_END_LINE_PREFIX" "panic end line") || echo "$out"
	out=$($where nc_check_same_transcript "$dir") || echo "$out"
	out=$($where nc_check_checksums "$dir") || echo "$out"
	out=$($where nc_check_ports "$dir" "$port" "$target_port") || echo "$out"
	out=$($where nc_check_dest_mac "$dir") || echo "$out"
}

# check_target_order SERIAL CONFIG: the kernel set the targets up in the
# order the command line gave them (the first netconsole= on eth1 for
# two-targets-eth1-first, on eth0 otherwise), so the case tests the order
# it is named for. Prints what is wrong.
check_target_order() {
	local first want=eth0
	[ "$2" = two-targets-eth1-first ] && want=eth1
	first=$(grep -o "netconsole: eth[01] " "$1" | head -n 1)
	first=${first#netconsole: }
	first=${first% }
	[ "$first" = "$want" ] ||
		echo "the first netconsole target is on '${first:-none}', not on $want"
}

# check_case CASE DIR: prints one line per failed assertion.
check_case() {
	local nic0 nic1 boot config crash dir=$2 out
	read -r nic0 nic1 boot config crash <<<"$1"
	local serial=$dir/serial.log
	out=$(nc_check_text "$serial" "eth0: $nic0 at" "first NIC") || echo "$out"
	out=$(nc_check_text "$serial" "eth1: $nic1 at" "second NIC") || echo "$out"
	case $config in
	eth1-*)
		out=$(nc_check_text "$serial" "netconsole: eth1 10.0.8.5:" "target on eth1") || echo "$out"
		if [ "$config" = eth1-2001 ]; then
			check_target on_eth1 "$dir" 6666
		else
			check_target on_eth1 "$dir" 6665
		fi
		out=$(nc_check_no_netconsole "$dir") || echo "$out"
		;;
	two-targets*)
		out=$(nc_check_text "$serial" "netconsole: eth0 10.0.7.5:" "target on eth0") || echo "$out"
		out=$(nc_check_text "$serial" "netconsole: eth1 10.0.8.5:" "target on eth1") || echo "$out"
		out=$(check_target_order "$serial" "$config") || echo "$out"
		check_target "" "$dir" 6665
		check_target on_eth1 "$dir" 6665
		;;
	esac
	if [ "$crash" = irq-nic ]; then
		out=$(nc_check_text "$serial" "EIP: crash_irq_nic+" "faulting function") || echo "$out"
		out=$(nc_check_text "$serial" " <IRQ>" "interrupt context") || echo "$out"
		if [ "${config#two-targets}" != "$config" ]; then
			out=$(nc_check_text "$serial" " ${nic0}_interrupt+" "eth0's interrupt handler in the trace") ||
				echo "$out"
		else
			out=$(nc_check_text "$serial" " ${nic1}_interrupt+" "eth1's interrupt handler in the trace") ||
				echo "$out"
			if grep -qF " ${nic0}_interrupt+" "$serial"; then
				echo "the trace names ${nic0}_interrupt, the idle eth0's handler"
			fi
		fi
	fi
}

cases_run
