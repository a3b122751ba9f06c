#!/usr/bin/env bash
# A second user of the NIC (TAP): the guest runs the echo service (echo=eth0:
# ICMP echo and UDP port 7, answered from the NIC's interrupt handler) on
# the device netconsole sends through, and logs a numbered line every 10 ms
# (chatter=) while the host, inside the run's namespace, floods it with ping
# and UDP echo (tests/qemu/shared-nic-traffic.sh). On each NIC:
#   flood: every ping answered, every datagram echoed byte for byte, every
#          reply with valid checksums, and the netconsole transcript still
#          equal to the serial one; then an irq-timer oops ends the run;
#   crash: crash=irq-nic arms while the flood goes on, so the NIC's
#          interrupt handler faults in the middle of it; the oops arrives
#          whole and equal to serial, and the replies sent before it were
#          all correct.
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
echo_check="$root/build/host/udp-echo-check"
# Bounds of the host's traffic, per case: pings, datagrams, seconds. The
# flood fits well inside the 5 s of chatter before the irq-timer crash; the
# crash case's traffic outlasts the 1 s of chatter before irq-nic arms.
FLOOD_PINGS=1000 FLOOD_DATAGRAMS=300 FLOOD_CHATTER=10:500
CRASH_PINGS=5000 CRASH_DATAGRAMS=3000 CRASH_CHATTER=10:100
TRAFFIC_SECONDS=20

# A case is "nic kind".
cases=("e1000 flood" "rtl8139 flood" "e1000 crash" "rtl8139 crash")
echo "1..${#cases[@]}"

case_name() {
	local nic kind
	read -r nic kind <<<"$1"
	echo "shared-nic-$nic-$kind"
}

skip_reason=""
if ! command -v ping >/dev/null; then
	skip_reason="ping (iputils-ping) is not installed"
elif ! ncns_check; then
	skip_reason=$NCNS_SKIP_REASON
elif ! ncns_create; then
	skip_reason=$NCNS_SKIP_REASON
fi
ncns_cleanup
if [ -z "$skip_reason" ] && { [ ! -x "$echo_check" ] || [ "$echo_check" -ot "$root/host/udp-echo-check.c" ]; }; then
	mkdir -p "$(dirname "$echo_check")"
	cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror \
		-o "$echo_check" "$root/host/udp-echo-check.c" || skip_reason="cannot build udp-echo-check"
fi
if [ -n "$skip_reason" ]; then
	n=0
	for c in "${cases[@]}"; do
		n=$((n + 1))
		echo "ok $n - $(case_name "$c") # skip $skip_reason"
	done
	exit 0
fi

results=$(mktemp -d "${TMPDIR:-/tmp}/nc-shared-nic.XXXXXX")
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

# ping_received DIR: the "received" count of ping's statistics, or nothing.
ping_received() {
	sed -n 's/.* transmitted, \([0-9]*\) received.*/\1/p' "$1/ping.log" 2>/dev/null
}

# check_replies DIR: every ICMP echo reply the guest sent has valid IPv4
# and ICMP checksums (tcpdump verifies them), and at least one was sent.
# Prints the number of replies.
check_replies() {
	local packets total bad
	packets=$(tcpdump -r "$1/$NC_CAPTURE" -n -vv "icmp and src host $NC_GUEST_IP" 2>/dev/null |
		awk '/^[0-9]/ { if (p != "") print p; p = $0; next } { p = p " |" $0 } END { if (p != "") print p }')
	total=$(grep -c 'ICMP echo reply' <<<"$packets")
	bad=$(grep -c 'bad cksum\|wrong icmp cksum' <<<"$packets")
	if [ "$total" -eq 0 ]; then
		echo "the capture holds no ICMP echo reply from $NC_GUEST_IP"
	elif [ "$bad" -ne 0 ]; then
		echo "$bad of $total ICMP echo replies with a bad checksum"
	fi
	echo "replies=$total" >"$1/icmp-replies"
}

# check_case NIC KIND DIR: prints one line per failed assertion.
check_case() {
	local nic=$1 kind=$2 dir=$3 out serial=$3/serial.log received echoed replies
	out=$(nc_check_text "$serial" "echo: eth0 answers ICMP echo and UDP port 7 for 10.0.7.5" \
		"echo service") || echo "$out"
	out=$(nc_check_text "$dir/transcript.log" "$NC_END_LINE_PREFIX" "panic end line") || echo "$out"
	out=$(nc_check_same_transcript "$dir") || echo "$out"
	out=$(nc_check_checksums "$dir") || echo "$out"
	check_replies "$dir"
	replies=$(sed -n 's/^replies=//p' "$dir/icmp-replies" 2>/dev/null)
	received=$(ping_received "$dir")
	echoed=$(grep -m1 '^udp-echo: sent' "$dir/udp-echo.log" 2>/dev/null)
	if grep -q '^udp-echo: datagram' "$dir/udp-echo.log" 2>/dev/null; then
		echo "udp-echo-check saw wrong echoes:"
		grep -m 3 '^udp-echo: datagram' "$dir/udp-echo.log"
	fi
	if [ "$kind" = flood ]; then
		local chatter=${FLOOD_CHATTER#*:}
		out=$(nc_check_text "$serial" "chatter: line $chatter of $chatter" "last chatter line") ||
			echo "$out"
		[ "$(cat "$dir/traffic.rc" 2>/dev/null)" = 0 ] ||
			echo "the traffic did not finish cleanly before the crash (traffic.rc: $(cat "$dir/traffic.rc" 2>/dev/null || echo none)): $(tail -n 1 "$dir/traffic.log" 2>/dev/null)"
		[ "$received" = "$FLOOD_PINGS" ] ||
			echo "ping: ${received:-no} replies of $FLOOD_PINGS: $(grep transmitted "$dir/ping.log" 2>/dev/null)"
		[ "$echoed" = "udp-echo: sent $FLOOD_DATAGRAMS matched $FLOOD_DATAGRAMS mismatched 0 lost 0" ] ||
			echo "UDP echo: ${echoed:-no result}"
		[ "$replies" = "$FLOOD_PINGS" ] ||
			echo "the capture holds ${replies:-no} ICMP echo replies, not $FLOOD_PINGS"
	else
		local chatter=${CRASH_CHATTER#*:}
		out=$(nc_check_text "$serial" "chatter: line $chatter of $chatter" "last chatter line") ||
			echo "$out"
		[ -e "$dir/traffic.rc" ] &&
			echo "the traffic finished before the crash (traffic.rc $(cat "$dir/traffic.rc")): no crash in the middle of it"
		out=$(nc_check_text "$serial" "EIP: crash_irq_nic+" "faulting function") || echo "$out"
		out=$(nc_check_text "$serial" " <IRQ>" "interrupt context") || echo "$out"
		out=$(nc_check_text "$serial" " ${nic}_interrupt+" "the NIC's interrupt handler in the trace") ||
			echo "$out"
		[ "${received:-0}" -gt 0 ] || echo "ping: no reply before the crash: $(tail -n 2 "$dir/ping.log" 2>/dev/null)"
		case $echoed in
		"udp-echo: sent "*" matched 0 "*) echo "UDP echo: nothing echoed before the crash: $echoed" ;;
		"udp-echo: sent "*" mismatched 0 "*) ;;
		*) echo "UDP echo: ${echoed:-no result}" ;;
		esac
	fi
}

# run_case CASE: runs and checks one case, leaving RESULT/NAME.{result,diag,
# seconds,summary}; result is ok, fail or "skip REASON".
run_case() {
	local nic kind name dir start rc reason problems child crash chatter pings datagrams
	read -r nic kind <<<"$1"
	name=$(case_name "$1")
	dir="$logs_root/$name"
	start=${EPOCHREALTIME/./}
	rm -rf "$dir"
	mkdir -p "$dir"
	if [ "$kind" = flood ]; then
		crash=irq-timer chatter=$FLOOD_CHATTER pings=$FLOOD_PINGS datagrams=$FLOOD_DATAGRAMS
	else
		crash=irq-nic chatter=$CRASH_CHATTER pings=$CRASH_PINGS datagrams=$CRASH_DATAGRAMS
	fi
	timeout -k 10 $((timeout_s + 60)) bash "$root/qemu/run-crash.sh" --nic "$nic" \
		--crash "$crash" --append "echo=eth0 chatter=$chatter" --logdir "$dir" \
		--timeout "$timeout_s" --traffic-after "echo: eth0 answers" \
		--traffic "bash '$here/shared-nic-traffic.sh' '$dir' $pings $datagrams $TRAFFIC_SECONDS" \
		>"$dir/run-crash.log" 2>&1 &
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
			check_case "$nic" "$kind" "$dir"
		)
		printf 'ping %s/%s, %s, traffic %s-%s s' "$(ping_received "$dir")" "$pings" \
			"$(grep -m1 '^udp-echo: sent' "$dir/udp-echo.log" 2>/dev/null | sed 's/^udp-echo: //')" \
			"$(sed -n 's/^qemu_start_to_traffic_start_s=//p' "$dir/timing" 2>/dev/null)" \
			"$(sed -n 's/^qemu_start_to_traffic_end_s=//p' "$dir/timing" 2>/dev/null)" \
			>"$results/$name.summary"
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
	summary+=("$(printf '%-26s | %-4s | %-7s | %s' "$name" "${result%% *}" \
		"$(cat "$results/$name.seconds" 2>/dev/null || echo '?')" \
		"$(cat "$results/$name.summary" 2>/dev/null)")")
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

echo "# $(printf '%-26s | %-4s | %-7s | %s' case result seconds traffic)"
for line in "${summary[@]}"; do
	echo "# $line"
done
rmdir "$logs_root" 2>/dev/null
[ "$failed" -eq 0 ]
