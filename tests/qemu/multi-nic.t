#!/usr/bin/env bash
# Two NICs at once (TAP): the guest gets an e1000 and an rtl8139, in both
# orders, each on its own tap in one namespace (qemu/run-crash.sh
# --second-nic). netconsole on eth1, by Linux's syntax and by the 2001
# parameters, must reach eth1's listener byte for byte what the serial
# console saw while the idle eth0's tap carries no netconsole packet; two
# netconsole= targets, one per NIC, must each get every record; and an
# irq-nic crash must happen in eth1's own interrupt handler. With two
# targets both NICs raise the shared IRQ line; the crash hits eth0's handler,
# which runs first, and the oops still leaves through both NICs.
#
# Environment: NC_TIMEOUT is one run's limit in seconds (default 60);
# NC_JOBS the number of runs at once (default 2 x CPUs). Failing cases keep
# their logs in build/test-logs/<case>/.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib-netcheck.sh
. "$here/lib-netcheck.sh"
# shellcheck source=qemu/netns.sh
. "$root/qemu/netns.sh"

timeout_s=${NC_TIMEOUT:-60}
jobs=${NC_JOBS:-$((2 * $(nproc)))}
logs_root="$root/build/test-logs"

# A case is "first-nic second-nic config crash".
cases=()
for order in "e1000 rtl8139" "rtl8139 e1000"; do
	cases+=("$order eth1-linux init-null" "$order eth1-2001 init-null"
		"$order two-targets init-null" "$order eth1-linux irq-nic"
		"$order two-targets irq-nic")
done
echo "1..${#cases[@]}"

case_name() {
	local nic0 nic1 config crash
	read -r nic0 nic1 config crash <<<"$1"
	echo "$nic0+$nic1-$config-$crash"
}

skip_reason=""
if ! ncns_check; then
	skip_reason=$NCNS_SKIP_REASON
elif ! ncns_create; then
	skip_reason=$NCNS_SKIP_REASON
fi
ncns_cleanup
if [ -n "$skip_reason" ]; then
	n=0
	for c in "${cases[@]}"; do
		n=$((n + 1))
		echo "ok $n - $(case_name "$c") # skip $skip_reason"
	done
	exit 0
fi

results=$(mktemp -d "${TMPDIR:-/tmp}/nc-multi-nic.XXXXXX")
declare -A running=()

stop_cases() {
	local pid
	for pid in "${!running[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${!running[@]}"; do
		wait "$pid" 2>/dev/null
	done
	rm -rf "$results"
}
trap stop_cases EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

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
	local where=$1 dir=$2 port=$3 out transcript=transcript.log
	[ -n "$where" ] && transcript=transcript1.log
	out=$(nc_check_text "$dir/$transcript" "$NC_END_LINE_PREFIX" "panic end line") || echo "$out"
	out=$($where nc_check_same_transcript "$dir") || echo "$out"
	out=$($where nc_check_checksums "$dir") || echo "$out"
	out=$($where nc_check_ports "$dir" "$port" 6666) || echo "$out"
	out=$($where nc_check_dest_mac "$dir") || echo "$out"
}

# check_case NIC0 NIC1 CONFIG CRASH DIR: prints one line per failed
# assertion.
check_case() {
	local nic0=$1 nic1=$2 config=$3 crash=$4 dir=$5 out
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
	two-targets)
		out=$(nc_check_text "$serial" "netconsole: eth0 10.0.7.5:" "target on eth0") || echo "$out"
		out=$(nc_check_text "$serial" "netconsole: eth1 10.0.8.5:" "target on eth1") || echo "$out"
		check_target "" "$dir" 6665
		check_target on_eth1 "$dir" 6665
		;;
	esac
	if [ "$crash" = irq-nic ]; then
		out=$(nc_check_text "$serial" "EIP: crash_irq_nic+" "faulting function") || echo "$out"
		out=$(nc_check_text "$serial" " <IRQ>" "interrupt context") || echo "$out"
		if [ "$config" = two-targets ]; then
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

# run_case CASE: runs and checks one case, leaving RESULT/NAME.{result,diag,
# seconds}; result is ok, fail or "skip REASON".
run_case() {
	local nic0 nic1 config crash name dir start rc reason problems child
	read -r nic0 nic1 config crash <<<"$1"
	name=$(case_name "$1")
	dir="$logs_root/$name"
	start=${EPOCHREALTIME/./}
	rm -rf "$dir"
	mkdir -p "$dir"
	timeout -k 10 $((timeout_s + 60)) bash "$root/qemu/run-crash.sh" --nic "$nic0" \
		--second-nic "$nic1" --config "$config" --crash "$crash" --logdir "$dir" \
		--timeout "$timeout_s" >"$dir/run-crash.log" 2>&1 &
	child=$!
	trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 143' TERM
	wait "$child"
	rc=$?
	reason=$(tail -n 1 "$dir/run-crash.log" | sed 's/^run-crash: //')
	if [ "$rc" = "$NCNS_SKIP" ]; then
		echo "skip ${reason#skip: }" >"$results/$name.result"
		rm -rf "$dir"
	else
		problems=$(
			if [ "$rc" != 0 ]; then
				echo "run did not complete (exit $rc): $reason"
				if [ -s "$dir/serial.log" ]; then
					echo "serial.log ends with:"
					tail -n 3 "$dir/serial.log" | sed 's/^/  /'
				fi
			fi
			check_case "$nic0" "$nic1" "$config" "$crash" "$dir"
		)
		if [ -z "$problems" ]; then
			echo ok >"$results/$name.result"
			rm -rf "$dir"
		else
			{
				printf '%s\n' "$problems"
				echo "logs: $dir"
			} >"$results/$name.diag"
			echo fail >"$results/$name.result"
		fi
	fi
	us_to_seconds $((${EPOCHREALTIME/./} - start)) >"$results/$name.seconds"
}

us_to_seconds() {
	printf '%d.%01d\n' $(($1 / 1000000)) $(($1 % 1000000 / 100000))
}

# Reports a finished case as the next TAP line.
report() {
	local name=$1 result
	result=$(cat "$results/$name.result" 2>/dev/null)
	reported=$((reported + 1))
	case $result in
	ok) echo "ok $reported - $name" ;;
	skip*) echo "ok $reported - $name # $result" ;;
	*)
		echo "not ok $reported - $name"
		[ -n "$result" ] || echo "#   the case ended without a result"
		sed 's/^/#   /' "$results/$name.diag" 2>/dev/null
		failed=$((failed + 1))
		;;
	esac
	summary+=("$(printf '%-38s | %-4s | %s' "$name" "${result%% *}" \
		"$(cat "$results/$name.seconds" 2>/dev/null || echo '?')")")
}

reported=0 failed=0 next=0
summary=()
while [ "$next" -lt "${#cases[@]}" ] || [ "${#running[@]}" -gt 0 ]; do
	while [ "$next" -lt "${#cases[@]}" ] && [ "${#running[@]}" -lt "$jobs" ]; do
		run_case "${cases[$next]}" &
		running[$!]=$(case_name "${cases[$next]}")
		next=$((next + 1))
	done
	wait -n
	for pid in "${!running[@]}"; do
		kill -0 "$pid" 2>/dev/null && continue
		wait "$pid" 2>/dev/null
		report "${running[$pid]}"
		unset "running[$pid]"
	done
done

echo "# $(printf '%-38s | %-4s | %s' case result seconds)"
for line in "${summary[@]}"; do
	echo "# $line"
done
rmdir "$logs_root" 2>/dev/null
[ "$failed" -eq 0 ]
