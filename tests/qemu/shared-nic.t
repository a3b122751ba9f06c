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
# shellcheck source=tests/qemu/lib-cases.sh
. "$here/lib-cases.sh"

echo_check="$root/build/host/udp-echo-check"
# Bounds of the host's traffic, per case: pings, datagrams, seconds. The
# flood fits well inside the 5 s of chatter before the irq-timer crash; the
# crash case's traffic outlasts the 1 s of chatter before irq-nic arms.
FLOOD_PINGS=1000 FLOOD_DATAGRAMS=300 FLOOD_CHATTER=10:500
CRASH_PINGS=5000 CRASH_DATAGRAMS=3000 CRASH_CHATTER=10:100
TRAFFIC_SECONDS=20

# A case is "nic kind".
cases=("e1000 flood" "rtl8139 flood" "e1000 crash" "rtl8139 crash")

case_name() {
	local nic kind
	read -r nic kind <<<"$1"
	echo "shared-nic-$nic-$kind"
}

if ! command -v ping >/dev/null; then
	cases_skip_reason="ping (iputils-ping) is not installed"
elif [ ! -x "$echo_check" ]; then
	cases_skip_reason="$echo_check is missing (run make)"
fi

case_group() {
	echo "${1%% *}"
}

case_args() {
	local nic kind dir crash chatter pings datagrams
	read -r nic kind <<<"$1"
	dir="$cases_logs_root/$(case_name "$1")"
	if [ "$kind" = flood ]; then
		crash=irq-timer chatter=$FLOOD_CHATTER pings=$FLOOD_PINGS datagrams=$FLOOD_DATAGRAMS
	else
		crash=irq-nic chatter=$CRASH_CHATTER pings=$CRASH_PINGS datagrams=$CRASH_DATAGRAMS
	fi
	run_args=(--nic "$nic" --crash "$crash" --append "echo=eth0 chatter=$chatter"
		--traffic-after "echo: eth0 answers"
		--traffic "bash '$here/shared-nic-traffic.sh' '$dir' $pings $datagrams $TRAFFIC_SECONDS")
}

case_note() {
	local nic kind pings dir=$2
	read -r nic kind <<<"$1"
	pings=$FLOOD_PINGS
	[ "$kind" = crash ] && pings=$CRASH_PINGS
	printf 'ping %s/%s, %s, traffic %s-%s s\n' "$(ping_received "$dir")" "$pings" \
		"$(grep -m1 '^udp-echo: sent' "$dir/udp-echo.log" 2>/dev/null | sed 's/^udp-echo: //')" \
		"$(sed -n 's/^qemu_start_to_traffic_start_s=//p' "$dir/timing" 2>/dev/null)" \
		"$(sed -n 's/^qemu_start_to_traffic_end_s=//p' "$dir/timing" 2>/dev/null)"
}

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

# check_case CASE DIR: prints one line per failed assertion.
check_case() {
	local nic kind dir=$2 out serial=$2/serial.log received echoed replies
	read -r nic kind <<<"$1"
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
		# tcpdump may lose packets under load and says how many; the capture
		# must account for every reply but those.
		local missed
		missed=$(sed -n 's/^\([0-9]*\) packets dropped by kernel$/\1/p' "$dir/tcpdump.stderr" 2>/dev/null)
		[ $((${replies:-0} + ${missed:-0})) -ge "$FLOOD_PINGS" ] && [ "${replies:-0}" -le "$FLOOD_PINGS" ] ||
			echo "the capture holds ${replies:-no} ICMP echo replies (tcpdump dropped ${missed:-0}), not $FLOOD_PINGS"
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

cases_run
