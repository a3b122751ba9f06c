#!/usr/bin/env bash
# Magic SysRq with netconsole, on both NICs (TAP, through qemu/run-crash.sh
# like network.t): a BREAK and a key on the serial line, and a key from the
# listener (--sysrq) to the kernel's netconsole port with the secret of
# netconsole_sysrq=. Each case checks that the network transcript equals
# the serial one byte for byte and the kernel's answer in Linux's words; a
# wrong secret, or a kernel configured with none, changes nothing but one
# log line for the rejection. On the user backend (QEMU user-mode network)
# the listener cannot address the guest (slirp routes nothing to it), so
# it sends the key back to where the records come from
# (--sysrq-to-sender), the way slirp carries the ncrx replies. Over IPv6
# (netconsole= to [fd00:7::1]) the listener's key reaches the kernel as an
# IPv6 datagram, seen in the capture.
# Failing cases keep their logs in build/test-logs/<case>/.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# The chatter= cases take seconds of guest time; on a loaded host TCG
# stretches them. Only a bound on waiting.
: "${NC_TIMEOUT:=120}"
# shellcheck source=tests/qemu/lib-cases.sh
. "$here/lib-cases.sh"

# shellcheck disable=SC2034 # cases_select_filters fills all three
nics=() boots=() crashes=()
cases_select_filters
GUEST=10.0.7.5
SECRET=s3cret
REJECTED="netconsole: sysrq: ignored a datagram with a wrong or missing secret (1 so far)"
# The cases whose key comes from the listener give netconsole= no MAC for
# the host (linux-arp): the kernel asks for it, and the host (or slirp)
# learns the guest's from that request. With a given MAC, slirp (user
# backend) has to ask for the guest's itself, and QEMU's e1000 holds what it
# receives for a second after its receiver is enabled (its flush-queue
# timer), past the second slirp waits for the answer before it drops the
# datagram: an early key was lost.

# A case is "nic kind".
cases=()
for nic in "${nics[@]}"; do
	for kind in serial-c net-c net-c-ipv6 net-loglevel wrong-secret no-secret; do
		cases+=("$nic $kind")
	done
done

case_name() {
	local nic kind
	read -r nic kind <<<"$1"
	echo "sysrq-$nic-$kind"
}

case_group() {
	echo "${1%% *}"
}

case_title() {
	local nic kind
	read -r nic kind <<<"$1"
	case $kind in
	serial-c) echo "$nic: serial BREAK c panics; the network has it all, equal to serial" ;;
	net-c) echo "$nic: --sysrq c with the secret panics from the NIC's interrupt, equal to serial" ;;
	net-c-ipv6) echo "$nic: --sysrq c over IPv6 panics from the NIC's interrupt, equal to serial" ;;
	net-loglevel) echo "$nic: --sysrq 9 lets filtered records through, on both consoles" ;;
	wrong-secret) echo "$nic: a wrong secret is logged once and changes nothing" ;;
	no-secret) echo "$nic: without netconsole_sysrq= a SysRq datagram changes nothing" ;;
	esac
}

listener_sysrq() { # KEY SECRET AFTER [GUEST]
	local arg
	while read -r arg; do
		run_args+=(--listener-arg "$arg")
	done < <(nb_sysrq_listener_args "${4:-$GUEST}")
	run_args+=(--listener-arg --sysrq --listener-arg "$1"
		--listener-arg --sysrq-secret --listener-arg "$2" --listener-arg --sysrq-after --listener-arg "$3")
}

case_args() {
	local nic kind
	read -r nic kind <<<"$1"
	run_args=(--nic "$nic" --boot kernel --config linux-arp)
	case $kind in
	serial-c) run_args=(--nic "$nic" --boot kernel --config linux --crash none --serial-sysrq c
		--serial-sysrq-after "Kernel ready") ;;
	net-c)
		run_args+=(--crash none --append "netconsole_sysrq=$SECRET")
		listener_sysrq c "$SECRET" "Kernel ready"
		;;
	net-c-ipv6)
		run_args+=(--ipv6 --crash none --append "netconsole_sysrq=$SECRET")
		listener_sysrq c "$SECRET" "Kernel ready" "$NCNS_GUEST_IP6"
		;;
	net-loglevel)
		run_args+=(--crash init-null --append "netconsole_sysrq=$SECRET loglevel=6 chatter=100:15")
		listener_sysrq 9 "$SECRET" "Kernel command line"
		;;
	wrong-secret)
		run_args+=(--crash init-null --append "netconsole_sysrq=$SECRET chatter=100:10")
		listener_sysrq c wrong "chatter: line 1 of 10"
		;;
	no-secret)
		run_args+=(--crash init-null --append "chatter=100:10")
		listener_sysrq c "$SECRET" "chatter: line 1 of 10"
		;;
	esac
}

# The transcript's lines without timestamps.
plain() {
	sed 's/^\[ *[0-9]*\.[0-9]*\] //' "$1"
}

# The panic's frames inside <IRQ> must hold these functions in order.
check_irq_frames() { # TRANSCRIPT FRAMES
	plain "$1" | awk -v want="$2" '
		/^ <IRQ>$/ { irq = 1; next }
		/^ <\/IRQ>$/ { irq = 0; next }
		irq && /^ [a-z_]/ { split(substr($0, 2), p, "+"); seen = seen " " p[1] }
		END {
			n = split(want, w, " "); m = split(seen, s, " "); j = 1
			for (i = 1; i <= m && j <= n; i++) if (s[i] == w[j]) j++
			if (j <= n) { print "no " w[j] " frame inside <IRQ> (want in order: " want "; got:" seen ")"; exit 1 }
		}'
}

need() { # TRANSCRIPT TEXT WHAT
	grep -qF -- "$2" "$1" || echo "no $3 line (\"$2\")"
}

# check_case CASE DIR: prints one line per failed assertion.
check_case() {
	local nic kind dir=$2 out t
	read -r nic kind <<<"$1"
	t=$dir/transcript.log
	# The IPv6 case's checks look at the IPv6 addresses.
	[ "$kind" = net-c-ipv6 ] && local NC_GUEST_IP=$NCNS_GUEST_IP6 NC_HOST_IP=$NCNS_HOST_IP6
	out=$(nc_check_text "$t" "$NC_END_LINE_PREFIX" "panic end line") || echo "$out"
	out=$(nc_check_same_transcript "$dir") || echo "$out"
	out=$(nc_check_checksums "$dir") || echo "$out"
	case $kind in
	serial-c | net-c | net-c-ipv6)
		need "$t" "sysrq: Trigger a crash" "header"
		need "$t" "Kernel panic - not syncing: sysrq triggered crash" "panic"
		if [ "$kind" = serial-c ]; then
			check_irq_frames "$t" "panic sysrq_crash handle_sysrq serial_interrupt irq_dispatch"
		else
			check_irq_frames "$t" "panic sysrq_crash handle_sysrq run_queued_key irq_dispatch"
		fi
		if [ "$kind" = net-c-ipv6 ]; then
			tcpdump -r "$dir/capture.pcap" -n -A "ip6 and udp and src host $NCNS_HOST_IP6 and dst host $NCNS_GUEST_IP6 and dst port 6665" 2>/dev/null |
				grep -q "SYSRQ $SECRET c" || echo "no SYSRQ datagram from $NCNS_HOST_IP6 to the guest's port 6665 in capture.pcap"
		fi
		;;
	net-loglevel)
		need "$t" "sysrq: Changing Loglevel" "header"
		need "$t" "sysrq: Loglevel set to 9" "loglevel"
		plain "$t" | grep -q '^Paging on, page 0 unmapped' &&
			echo "the INFO line \"Paging on\" came through before the level was raised"
		plain "$t" | awk '/^sysrq: Loglevel set to 9$/ { on = 1 } on && /^chatter: line 15 of 15$/ { ok = 1 }
			END { exit !ok }' || echo "no \"chatter: line 15 of 15\" after the level was raised"
		out=$(bash "$here/check-oops.sh" "$dir/serial.log" "${NC_KERNEL:-$root/build/kernel.elf}" init-null 2>&1) ||
			printf '%s\n' "$out" | sed 's/^/check-oops.sh: /'
		;;
	wrong-secret | no-secret)
		if [ "$kind" = wrong-secret ]; then
			need "$t" "$REJECTED" "rejection"
			[ "$(grep -c 'netconsole: sysrq: ignored' "$t")" = 1 ] || echo "want one rejection line"
		else
			grep -q 'sysrq' "$t" && echo "a kernel without netconsole_sysrq= answered: $(grep -m1 sysrq "$t")"
		fi
		grep -qF 'sysrq: Trigger a crash' "$t" && echo "the key ran"
		# Changing nothing proves something only if the key got there.
		tcpdump -r "$dir/capture.pcap" -n -A "udp and dst host $GUEST and dst port 6665" 2>/dev/null |
			grep -q "SYSRQ " || echo "no SYSRQ datagram to the guest's port 6665 in capture.pcap"
		need "$t" "chatter: line 10 of 10" "last chatter"
		out=$(bash "$here/check-oops.sh" "$dir/serial.log" "${NC_KERNEL:-$root/build/kernel.elf}" init-null 2>&1) ||
			printf '%s\n' "$out" | sed 's/^/check-oops.sh: /'
		;;
	esac
}

cases_run
