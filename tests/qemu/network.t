#!/usr/bin/env bash
# Network crash matrix (TAP): every NIC x boot x crash site runs through
# qemu/run-crash.sh in its own namespace, side by side. A case passes when
# the run completed, the network transcript equals the serial one byte for
# byte, every captured UDP packet from the guest has valid checksums and
# the right ports and MACs, and the oops says what the case expects.
#
# Environment: NIC, CRASH, BOOT filter the matrix (comma or space separated,
# e.g. NIC=rtl8139 CRASH=irq-nic BOOT=iso); NC_TIMEOUT is one run's limit in
# seconds (default 60); NC_JOBS the number of runs at once (default 2 x CPUs).
# Failing cases keep their logs in build/test-logs/<case>/.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib-netcheck.sh
. "$here/lib-netcheck.sh"
# shellcheck source=qemu/netns.sh
. "$root/qemu/netns.sh"

ALL_NICS="e1000 rtl8139"
ALL_BOOTS="kernel iso"
ALL_CRASHES="init-null init-divzero init-bug init-panic irq-timer irq-nic irq-nic-locked nested stack-overflow early"
timeout_s=${NC_TIMEOUT:-60}
jobs=${NC_JOBS:-$((2 * $(nproc)))}
logs_root="$root/build/test-logs"

# select_from ARRAY ALL REQUESTED WHAT: fills ARRAY with the requested
# words in the order given; a word not in ALL bails out.
select_from() {
	local -n selected=$1
	local word
	selected=()
	for word in $(nc_split_list "$3"); do
		case " $2 " in
		*" $word "*) selected+=("$word") ;;
		*)
			echo "Bail out! unknown $4 '$word' (known: $2)"
			exit 1
			;;
		esac
	done
}

nics=() boots=() crashes=()
select_from nics "$ALL_NICS" "${NIC:-e1000 rtl8139}" NIC
select_from boots "$ALL_BOOTS" "${BOOT:-kernel iso}" BOOT
select_from crashes "$ALL_CRASHES" "${CRASH:-$ALL_CRASHES}" CRASH
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
			cases+=("$nic $boot linux $crash")
		done
		cases+=("$nic $boot 2001 ${crashes[0]}" "$nic $boot linux-arp ${crashes[0]}")
	done
done
echo "1..${#cases[@]}"

case_name() {
	local nic boot config crash
	read -r nic boot config crash <<<"$1"
	echo "$nic-$boot-$config-$crash"
}

# Without root, tun or namespace support every case is skipped, with the
# reason, rather than passed.
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

results=$(mktemp -d "${TMPDIR:-/tmp}/nc-network.XXXXXX")
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

# check_case NIC CONFIG CRASH DIR: prints one line per failed assertion.
check_case() {
	local nic=$1 config=$2 crash=$3 dir=$4 out
	local transcript="$dir/transcript.log"
	out=$(nc_check_text "$transcript" "$NC_END_LINE_PREFIX" "panic end line") || echo "$out"
	out=$(nc_check_text "$transcript" "eth0: $nic at" "NIC") || echo "$out"
	out=$(nc_check_same_transcript "$dir") || echo "$out"
	out=$(nc_check_checksums "$dir") || echo "$out"
	case $config in
	2001) out=$(nc_check_ports "$dir" 6666 6666) || echo "$out" ;;
	*) out=$(nc_check_ports "$dir" 6665 6666) || echo "$out" ;;
	esac
	out=$(nc_check_dest_mac "$dir") || echo "$out"
	if [ "$config" = linux-arp ]; then
		out=$(nc_check_arp "$dir") || echo "$out"
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
	esac
}

# run_case CASE: runs and checks one case, leaving RESULT/NAME.{result,diag,
# seconds}; result is ok, fail or "skip REASON".
run_case() {
	local nic boot config crash name dir start rc reason problems child
	read -r nic boot config crash <<<"$1"
	name=$(case_name "$1")
	dir="$logs_root/$name"
	start=${EPOCHREALTIME/./}
	rm -rf "$dir"
	mkdir -p "$dir"
	# The run has its own deadline; timeout only guards against a hang in
	# the harness itself, and forwards TERM to run-crash.sh.
	timeout -k 10 $((timeout_s + 60)) bash "$root/qemu/run-crash.sh" --nic "$nic" \
		--boot "$boot" --config "$config" --crash "$crash" --logdir "$dir" \
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
			check_case "$nic" "$config" "$crash" "$dir"
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
	summary+=("$(printf '%-36s | %-4s | %s' "$name" "${result%% *}" \
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

echo "# $(printf '%-36s | %-4s | %s' case result seconds)"
for line in "${summary[@]}"; do
	echo "# $line"
done
rmdir "$logs_root" 2>/dev/null
[ "$failed" -eq 0 ]
