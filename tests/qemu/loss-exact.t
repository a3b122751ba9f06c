#!/usr/bin/env bash
# Extended netconsole recovery from chosen losses (TAP), on both NICs: the
# listener's --drop test aid loses exactly the packets a case names (and
# logs each one), the run's capture (tcpdump on the tap; QEMU's own on the
# userns and user backends) sees every packet the guest sent, and
# tests/qemu/ncrx-check.awk checks the recovery from that capture. It runs
# on every network backend.
#   first   record 0's first copy: it comes back, unmarked, after the first
#           ncrx reply that names it missing reaches the guest
#   middle  records 5 to 8: likewise, each of them
#   middle-ipv6  the same over IPv6 (run-crash.sh --ipv6): the dual-stack
#           listener drops and answers an IPv6 sender alike
#   frag    the second fragment of the long command line (record 1): the
#           whole record comes back, every fragment, unmarked
#   tail    the panic's last two records, and every reply after them: the
#           kernel cannot be asked for what the listener never saw, so it
#           resends everything unacknowledged marked ncemg=1, 200, 600,
#           1400, 3000 and 4600 ms after acknowledgements stopped moving,
#           until netconsole_linger= (5 s) after the end line
#   ack     every reply after the end line arrived: the same schedule, and
#           exactly the records no reply acknowledged come again
#   random  30% of the records and of the replies, drawn from a seed
#           (LOSS_SEED, else a fresh one per case; printed), and the panic's
#           last two records: every record arrives before the default
#           linger ends
# In every case the transcript equals serial with no gap.
# Environment: NIC filters the NICs, LOSS the kinds; NC_TIMEOUT one run's
# limit (default 60). Failing cases keep their logs in
# build/test-logs/loss-<nic>-<kind>/.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib-cases.sh
. "$here/lib-cases.sh"

# An unknown parameter that makes "Kernel command line:" (record 1, about
# 1010 bytes) longer than one packet but not than one log record (1024).
frag_pad=$(printf 'x%.0s' {1..880})
panic_text="Kernel panic - not syncing"
oops_text="BUG: kernel NULL pointer dereference"
all_kinds="first middle middle-ipv6 frag tail ack random"
nics=() kinds=()
select_from nics "$CASES_ALL_NICS" "${NIC:-$CASES_ALL_NICS}" NIC
select_from kinds "$all_kinds" "${LOSS:-$all_kinds}" LOSS
cases=()
for nic in "${nics[@]}"; do
	for kind in "${kinds[@]}"; do
		seed=${LOSS_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
		cases+=("$nic $kind $seed")
	done
done

case_name() {
	local nic kind seed
	read -r nic kind seed <<<"$1"
	echo "loss-$nic-$kind"
}

case_group() {
	echo "${1%% *}"
}

case_args() {
	local nic kind seed drops=()
	read -r nic kind seed <<<"$1"
	case $kind in
	first) drops=(seq:0) ;;
	middle | middle-ipv6) drops=(seq:5-8) ;;
	frag) drops=(frag:1:2) ;;
	tail) drops=("text:$panic_text" "replies-after:$panic_text:60000") ;;
	ack) drops=("replies-after:$NC_END_LINE_PREFIX:60000") ;;
	random) drops=("random:30:$seed" "text:$panic_text") ;;
	esac
	run_args=(--nic "$nic" --crash init-null --ext --listener-arg --ack)
	[ "$kind" = frag ] && run_args+=(--append "ncpad=$frag_pad")
	[ "$kind" = middle-ipv6 ] && run_args+=(--ipv6)
	# The listener takes a burst of records in one read and answers
	# after it: a second of chatter first, so that replies have reached
	# the kernel before the records whose replies are dropped.
	case $kind in tail | ack) run_args+=(--append "chatter=100:10") ;; esac
	local d
	for d in "${drops[@]}"; do
		run_args+=(--listener-arg --drop --listener-arg "$d")
	done
}

# What the listener dropped, and for random the seed to replay it with.
case_note() {
	local nic kind seed
	read -r nic kind seed <<<"$1"
	[ "$kind" = random ] && printf 'LOSS_SEED=%s ' "$seed"
	sed -n 's/^netconsole-client: --drop lost \([0-9]*\) record packet(s) and \([0-9]*\).*/dropped \1 records, \2 replies; /p' \
		"$2/listener.stderr" 2>/dev/null | tr -d '\n'
	case $kind in
	tail | ack) ncrx_check "$2" -v check=emergency -v note=1 | sed -n "s/^note: .*linger rounds at/rounds/p" ;;
	*) echo ;;
	esac
}

# The kernel times its resends by the TSC as it calibrated it, which a
# loaded host can disturb (it says so); the host's own TSC rate converts
# its milliseconds into the capture's (under TCG the TSC is the host's).
host_mhz=$("$root/build/host/tsc-rate" 2>/dev/null) || host_mhz=""

ncrx_check() {
	local dir=$1 guest_mhz
	shift
	guest_mhz=$(sed -n 's/.*tsc: Detected \([0-9.]*\) MHz processor.*/\1/p' "$dir/serial.log" 2>/dev/null | head -n 1)
	tcpdump -tt -n -x -r "$dir/capture.pcap" udp 2>/dev/null |
		awk -f "$here/udp-payloads.awk" |
		awk -f "$here/ncrx-check.awk" -v guest="$NC_GUEST_IP" -v end_text="$NC_END_LINE_PREFIX" \
			-v oops_text="$oops_text" -v host_mhz="$host_mhz" -v guest_mhz="$guest_mhz" "$@"
}

# The sequence numbers of the records the listener dropped.
dropped_seqs() {
	sed -n 's/^netconsole-client: drop ([^)]*) record packet: [0-9]*,\([0-9]*\),.*/\1/p' \
		"$1/listener.stderr" | sort -un | paste -sd ' ' -
}

# The listener dropped exactly the records WANT (sequence numbers).
check_dropped() {
	local got
	got=$(dropped_seqs "$1")
	[ "$got" = "$2" ] || echo "the listener dropped records '$got', the case wants '$2'"
}

check_case() {
	local nic kind seed dir=$2 out
	read -r nic kind seed <<<"$1"
	# The IPv6 case's records come from the guest's IPv6 address.
	[ "$kind" = middle-ipv6 ] && local NC_GUEST_IP=$NCNS_GUEST_IP6 NC_HOST_IP=$NCNS_HOST_IP6
	grep -q "; no gap$" "$dir/listener.stderr" ||
		echo "listener reports gaps: $(grep 'never came' "$dir/listener.stderr")"
	out=$(nc_check_same_transcript "$dir") || echo "$out"
	case $kind in
	first | middle | middle-ipv6)
		local want=0
		[ "$kind" = first ] || want="5 6 7 8"
		check_dropped "$dir" "$want"
		ncrx_check "$dir" -v check=missing -v seqs="$want"
		;;
	frag)
		grep -q "drop (frag:1:2) record packet: [0-9]*,1,[0-9]*,-,ncfrag=[1-9]" "$dir/listener.stderr" ||
			echo "the listener did not drop a later fragment of record 1: $(grep 'drop (' "$dir/listener.stderr")"
		ncrx_check "$dir" -v check=missing -v seqs=1
		;;
	tail | ack)
		if [ "$kind" = tail ]; then
			local last
			last=$(grep -c . "$dir/serial.transcript")
			check_dropped "$dir" "$((last - 2)) $((last - 1))"
		fi
		ncrx_check "$dir" -v check=emergency
		;;
	random)
		# The listener saw the end line (the run completed) before QEMU
		# exited, so within the linger; the drop log is the replay.
		grep -q "^netconsole-client: drop (random:30:$seed)" "$dir/listener.stderr" ||
			echo "random:30:$seed dropped nothing"
		awk -F= '/^qemu_start_to_listener_done_s=/ { done = $2 }
			 /^qemu_start_to_qemu_exit_s=/ { exit_s = $2 }
			 END { if (done == "" || exit_s == "" || done + 0 > exit_s + 0)
				print "the listener had not everything (" done " s) when QEMU exited (" exit_s " s)" }' \
			"$dir/timing"
		;;
	esac
}

cases_run
