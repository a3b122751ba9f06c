#!/usr/bin/env bash
# Extended netconsole and ncrx delivery (TAP), on both NICs, side by side:
# without loss every record arrives once and in order; with 30% of the UDP
# packets dropped each way the listener with --ack still gets the whole oops
# (its transcript equals serial, no gap); without --ack it names exactly the
# records that were lost, checked against the serial log. A command line
# past 1000 bytes makes "Kernel command line:" a record sent in ncfrag
# fragments; the listener reassembles it into the serial console's line.
# With 30% of the guest's packets delivered twice, or held back behind a
# slow queue, the transcript still equals serial with no gap; the listener
# counts the copies, and its raw log shows records that came late. With
# loglevel=6 and 30% loss with --ack, the records the console leaves out
# never go on the wire (not even when asked for) and the listener, told by
# ncskip=, counts them as left out, not as gaps.
# With --ack and no loss (ack), the capture shows the listener's ncrx
# acknowledgements reaching the guest, on every network backend.
# The loss case with --ack over IPv6 as well: the acknowledgements reach the
# guest because it answers the host's neighbour solicitation.
# Environment: NIC filters the NICs, RELIABLE the kinds of case (clean, ack,
# loss-ack, loss-noack, frag, duplicate, reorder, loglevel, ipv6-loss-ack);
# NC_TIMEOUT one run's limit (default 60).
# Failing cases keep their logs in build/test-logs/reliable-<case>/. The
# summary lists, for the random filters, the guest packets they dropped or
# copied (read back from the capture and the listener's raw log: the
# kernel's random numbers replay nothing).
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib-cases.sh
. "$here/lib-cases.sh"

# An unknown parameter the kernel ignores but prints in its command line.
frag_pad=$(printf 'x%.0s' {1..850})
all_kinds="clean ack loss-ack loss-noack frag duplicate reorder loglevel ipv6-loss-ack"
nics=() kinds=()
select_from nics "$CASES_ALL_NICS" "${NIC:-$CASES_ALL_NICS}" NIC
select_from kinds "$all_kinds" "${RELIABLE:-$all_kinds}" RELIABLE
cases=()
for nic in "${nics[@]}"; do
	for kind in "${kinds[@]}"; do
		cases+=("$nic $kind")
	done
done

case_name() {
	echo "reliable-${1/ /-}"
}

case_group() {
	echo "${1%% *}"
}

# A listener without --ack never answers, so the kernel lingers its whole
# netconsole_linger=; keep that short.
# The chatter gives a hundred more packets to copy or hold back. Without
# --ack the kernel resends nothing, so every copy and every late record is
# the harness's doing.
case_args() {
	local nic kind args=()
	read -r nic kind <<<"$1"
	case $kind in
	clean) args=(--append netconsole_linger=2) ;;
	ack) args=(--listener-arg --ack) ;;
	loss-ack) args=(--loss 30 --listener-arg --ack) ;;
	ipv6-loss-ack) args=(--ipv6 --loss 30 --listener-arg --ack) ;;
	loss-noack) args=(--loss 30 --append netconsole_linger=2) ;;
	frag) args=(--append "netconsole_linger=2 ncpad=$frag_pad") ;;
	duplicate) args=(--duplicate 30 --append "netconsole_linger=2 chatter=2:100") ;;
	reorder) args=(--reorder 30 --append "netconsole_linger=2 chatter=2:100") ;;
	loglevel) args=(--loss 30 --listener-arg --ack --append loglevel=6) ;;
	esac
	run_args=(--nic "$nic" --crash init-null --ext "${args[@]}"
		--listener-arg --raw --listener-arg "$cases_logs_root/$(case_name "$1")/raw.log")
}

# The random filters draw from the kernel's generator, which no seed
# replays; what they did is read back instead. Record packets as keys
# "SEQ[/OFFSET][!]" (a fragment's offset, ! for ncemg=1), one per line,
# sorted: those the guest sent (the capture sees a packet before the tap's
# filters) and those that reached the listener (its raw log).
header_keys() {
	sed -n 's/^[0-9]*,\([0-9]*\),[0-9]*,-\([^;]*\);.*/\1 \2/p' |
		awk '{ k = $1
		       if (match($2, /ncfrag=[0-9]+/)) k = k "/" substr($2, RSTART + 7, RLENGTH - 7)
		       if (index($2, "ncemg=1")) k = k "!"
		       print k }' | sort
}
wire_keys() {
	tcpdump -tt -n -x -r "$1/capture.pcap" "udp and src host $NC_GUEST_IP" 2>/dev/null |
		awk -f "$here/udp-payloads.awk" | sed 's/^[^ ]* [^ ]* [^ ]* //' | header_keys
}
listener_keys() {
	grep -ao '[0-9]\+,[0-9]\+,[0-9]\+,-[^;]*;' "$1/raw.log" 2>/dev/null | sed 's/$/x/' | header_keys
}

# What the filters did to the guest's packets: "dropped: KEYS" (sent, never
# received), "extra: KEYS" (received more often than sent: copies). The
# replies the filter dropped on the way back are not seen by the capture.
filter_effect() {
	local dir=$1 wire=$1/wire.keys got=$1/listener.keys
	wire_keys "$dir" >"$wire"
	listener_keys "$dir" >"$got"
	echo "dropped: $(comm -23 "$wire" "$got" | sort -n | paste -sd ' ' -)"
	echo "extra: $(comm -13 "$wire" "$got" | sort -n | paste -sd ' ' -)"
}

# Without --ack the end line itself may be lost.
case_may_fail_run() {
	[ "${1#* }" = loss-noack ]
}

# The summary names what the random filters did, so a failure can be
# replayed by hand (the listener's --drop seq: rules lose chosen records).
case_note() {
	local kind=${1#* } effect
	# The IPv6 case's guest packets come from its IPv6 address.
	[ "$kind" = ipv6-loss-ack ] && local NC_GUEST_IP=$NCNS_GUEST_IP6
	sed -n 's/^qemu_start_to_qemu_exit_s=/panic done at /p' "$2/timing" 2>/dev/null | tr '\n' ' '
	case $kind in
	loss-* | ipv6-loss-ack) effect=$(filter_effect "$2" | sed -n 's/^dropped: //p') &&
		echo "s; tc dropped $(wc -w <<<"$effect") guest packets: $effect" ;;
	duplicate) echo "s; copied: $(filter_effect "$2" | sed -n 's/^extra: //p')" ;;
	*) echo s ;;
	esac
}

# The sequence numbers the listener reported as never come.
reported_gaps() {
	sed -n 's/.*never came: *//p' "$1/listener.stderr" | tr ' ' '\n' | grep . | sort -n
}

# Serial line N is record N (every record reaches the console): the records
# missing from the network transcript, up to the last one that arrived.
lost_by_serial() {
	local dir=$1
	nc_serial_transcript "$dir/serial.log" >"$dir/serial.transcript"
	awk 'NR == FNR { got[$0] = 1; next }
	     { line[FNR - 1] = $0; if ($0 in got) last = FNR - 1 }
	     END { for (i = 0; i <= last; i++) if (!(line[i] in got)) print i }' \
		"$dir/transcript.log" "$dir/serial.transcript"
}

# host_replies DIR: the UDP payloads the capture shows going from the host
# to the guest, as tcpdump -A prints them.
host_replies() {
	tcpdump -r "$1/capture.pcap" -n -A "udp and src host $NC_HOST_IP and dst host $NC_GUEST_IP" 2>/dev/null
}

# late_records RAW: how many packets in the listener's raw log carry a
# sequence number below one that came before them.
late_records() {
	awk -F '[,;]' '/^[0-9]+,[0-9]+,/ { if ($2 + 0 < highest) late++; if ($2 + 0 > highest) highest = $2 + 0 }
	     END { print late + 0 }' "$1"
}

check_case() {
	local nic kind dir=$2 out
	read -r nic kind <<<"$1"
	case $kind in
	clean | ack | loss-ack | frag | duplicate | reorder | loglevel | ipv6-loss-ack)
		grep -q "; no gap$" "$dir/listener.stderr" ||
			echo "listener reports gaps: $(grep 'never came' "$dir/listener.stderr")"
		out=$(nc_check_same_transcript "$dir") || echo "$out"
		if [ "$kind" = frag ]; then
			grep -q "^\[.*\] Kernel command line: .*ncpad=$frag_pad\([^x]\|$\)" "$dir/serial.log" ||
				echo "serial log lacks the whole long command line"
			tcpdump -A -r "$dir/capture.pcap" 2>/dev/null | grep -q 'ncfrag=[1-9][0-9]*/' ||
				echo "no second ncfrag fragment was captured"
		fi
		if [ "$kind" = loglevel ]; then
			grep -q " [1-9][0-9]* below its log level; no gap$" "$dir/listener.stderr" ||
				echo "the listener counted no record left out below loglevel=6: $(tail -n 2 "$dir/listener.stderr")"
			out=$(tcpdump -tt -n -x -r "$dir/capture.pcap" "udp and src host $NC_GUEST_IP" 2>/dev/null |
				awk -f "$here/udp-payloads.awk" | sed 's/^[^ ]* [^ ]* [^ ]* //' | grep -m 3 '^[67],')
			[ -z "$out" ] || echo "records at or below loglevel=6 went on the wire: $out"
		fi
		if [ "$kind" = ipv6-loss-ack ]; then
			out=$(NC_GUEST_IP=$NCNS_GUEST_IP6 NC_HOST_IP=$NCNS_HOST_IP6 nc_check_ns_answered "$dir" "$(cat "$dir/tap-mac" 2>/dev/null)") ||
				echo "$out"
			tcpdump -r "$dir/capture.pcap" -n "udp and src host $NCNS_HOST_IP6 and dst host $NCNS_GUEST_IP6" 2>/dev/null |
				grep -q . || echo "no acknowledgement from $NCNS_HOST_IP6 to the guest in capture.pcap"
		fi
		if [ "$kind" = clean ]; then
			grep -q " 0 duplicates," "$dir/listener.stderr" ||
				echo "duplicates without loss: $(cat "$dir/listener.stderr")"
		fi
		if [ "$kind" = ack ]; then
			out=$(host_replies "$dir")
			grep -q "ncrx" <<<"$out" ||
				echo "the capture shows no ncrx acknowledgement from $NC_HOST_IP to $NC_GUEST_IP"
		fi
		if [ "$kind" = duplicate ]; then
			grep -q " [1-9][0-9]* duplicates," "$dir/listener.stderr" ||
				echo "no duplicate counted at 30% duplication: $(cat "$dir/listener.stderr")"
		fi
		if [ "$kind" = reorder ]; then
			out=$(late_records "$dir/raw.log")
			[ "$out" -gt 0 ] ||
				echo "no record came after a later one at 30% reordering (raw.log)"
		fi
		;;
	loss-noack)
		[ -s "$dir/serial.log" ] || echo "no serial log"
		local want got
		want=$(lost_by_serial "$dir")
		got=$(reported_gaps "$dir")
		[ -n "$want" ] || echo "no record was lost at 30% loss (filter not working?)"
		[ "$want" = "$got" ] ||
			echo "lost by serial: $(echo $want); reported: $(echo $got)"
		;;
	esac
}

cases_run
