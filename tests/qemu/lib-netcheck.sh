# shellcheck shell=bash
# Checks on the logs one qemu/run-crash.sh run leaves (serial.log,
# transcript.log, capture.pcap, tap-mac), sourced by the QEMU TAP tests.
# Each check prints what is wrong (one or more lines, no "# " prefix) and
# returns non-zero on failure; it prints nothing when the check holds.

NC_GUEST_IP=10.0.7.5
NC_GUEST_MAC=52:54:00:12:34:56
NC_HOST_IP=10.0.7.1
# The crash dump's port: its data frames carry no UDP checksum (as IPv4
# allows), and only QEMU's own capture (the userns and user backends) holds
# them; the checks leave them out.
NC_NETDUMP_PORT=6667
NC_END_LINE_PREFIX="---[ end Kernel panic"
# Which of a run's files the checks read. A run with a second NIC leaves
# capture1.pcap, transcript1.log and tap1-mac for eth1 (10.0.8.5, MAC
# 52:54:00:12:34:57 towards 10.0.8.1); check those by overriding these and
# the NC_ addresses above for the call, e.g. NC_CAPTURE=capture1.pcap check.
NC_CAPTURE=capture.pcap
NC_TRANSCRIPT=transcript.log
NC_TAP_MAC_FILE=tap-mac

# nc_split_list TEXT: prints the comma or space separated words of TEXT,
# one per line.
nc_split_list() {
	local word
	for word in ${1//,/ }; do
		printf '%s\n' "$word"
	done
}

# nc_serial_transcript SERIAL_LOG: prints what the kernel logged on the
# serial console, from its first record ("[" at line start; firmware or GRUB
# may write before it) through the panic's end line. The carriage returns a
# serial console may add before each newline belong to the line discipline,
# not to the message, so they are dropped.
nc_serial_transcript() {
	sed 's/\r$//' "$1" | awk -v end="$NC_END_LINE_PREFIX" '
		!started && /^\[/ { started = 1 }
		started { print }
		started && index($0, end) { exit }'
}

# nc_check_text FILE TEXT WHAT: FILE contains the fixed string TEXT.
nc_check_text() {
	grep -qF -- "$2" "$1" 2>/dev/null && return 0
	echo "$3: '$2' not found in $(basename "$1")"
	return 1
}

# nc_check_same_transcript DIR: the network transcript equals the serial
# transcript byte for byte; on a mismatch prints the first differing lines.
nc_check_same_transcript() {
	local dir=$1 serial_part="$1/serial.transcript"
	if [ ! -f "$dir/serial.log" ]; then
		echo "serial.log missing"
		return 1
	fi
	nc_serial_transcript "$dir/serial.log" >"$serial_part"
	if [ ! -s "$serial_part" ]; then
		echo "serial.log holds no kernel record"
		return 1
	fi
	cmp -s "$serial_part" "$dir/$NC_TRANSCRIPT" && return 0
	echo "network transcript differs from serial: $(cmp "$serial_part" "$dir/$NC_TRANSCRIPT" 2>&1 | head -n 1)"
	diff -u --label serial --label network "$serial_part" "$dir/$NC_TRANSCRIPT" |
		sed -n '3,$p' | grep -m 8 '^[-+]' | cat -A | sed 's/\$$//'
	return 1
}

# nc_guest_udp DIR VAR [TCPDUMP_FLAG...]: stores in VAR what tcpdump prints
# (with the flags) for the UDP packets the guest sent, one packet per line
# (-v's continuation lines joined by " | "). Every check about those packets
# reads them here, so none can pass on a capture that is missing, unreadable
# or empty: that prints what is wrong and fails. The crash dump's packets
# (NC_NETDUMP_PORT) are not netconsole's and are left out.
nc_guest_udp() {
	local dir=$1 text
	local -n nc_guest_udp_out=$2
	shift 2
	if ! text=$(tcpdump -r "$dir/$NC_CAPTURE" -n "$@" "udp and src host $NC_GUEST_IP and not port $NC_NETDUMP_PORT" 2>&1 >/dev/null); then
		echo "tcpdump cannot read $NC_CAPTURE: ${text##*tcpdump: }"
		return 1
	fi
	nc_guest_udp_out=$(tcpdump -r "$dir/$NC_CAPTURE" -n "$@" "udp and src host $NC_GUEST_IP and not port $NC_NETDUMP_PORT" 2>/dev/null |
		awk '/^[0-9]/ { if (packet != "") print packet; packet = $0; next }
		     { packet = packet " |" $0 }
		     END { if (packet != "") print packet }')
	[ -n "$nc_guest_udp_out" ] && return 0
	echo "$NC_CAPTURE holds no UDP packet from $NC_GUEST_IP"
	return 1
}

# nc_check_checksums DIR: tcpdump finds every IPv4 header and UDP checksum of
# the guest's packets valid (UDP over IPv6 when NC_GUEST_IP is IPv6).
nc_check_checksums() {
	local packets total udp_ok bad
	nc_guest_udp "$1" packets -vv || return 1
	total=$(grep -c . <<<"$packets")
	udp_ok=$(grep -c 'udp sum ok' <<<"$packets")
	bad=$(grep -c 'bad cksum\|bad udp cksum' <<<"$packets")
	[ "$bad" -eq 0 ] && [ "$udp_ok" -eq "$total" ] && return 0
	echo "$total UDP packets from the guest, $udp_ok with 'udp sum ok', $bad with a bad checksum; first offender:"
	awk '/bad cksum|bad udp cksum/ || !/udp sum ok/ { print; exit }' <<<"$packets"
	return 1
}

# nc_check_ports DIR SOURCE_PORT TARGET_PORT: every UDP packet from the
# guest uses these ports.
nc_check_ports() {
	local packets total matching
	nc_guest_udp "$1" packets || return 1
	total=$(grep -c . <<<"$packets")
	matching=$(grep -cF "$NC_GUEST_IP.$2 > $NC_HOST_IP.$3:" <<<"$packets")
	[ "$matching" -eq "$total" ] && return 0
	echo "$matching of $total UDP packets go $NC_GUEST_IP.$2 > $NC_HOST_IP.$3; first other:"
	grep -vF "$NC_GUEST_IP.$2 > $NC_HOST_IP.$3:" <<<"$packets" | head -n 1
	return 1
}

# nc_check_dest_mac DIR: every UDP packet from the guest went from the
# guest's MAC to the tap's MAC (so never broadcast).
nc_check_dest_mac() {
	local tap_mac frames total matching
	tap_mac=$(cat "$1/$NC_TAP_MAC_FILE" 2>/dev/null)
	if [ -z "$tap_mac" ]; then
		echo "$NC_TAP_MAC_FILE missing from the run's logs"
		return 1
	fi
	nc_guest_udp "$1" frames -e || return 1
	total=$(grep -c . <<<"$frames")
	matching=$(grep -c "^[^ ]* $NC_GUEST_MAC > $tap_mac," <<<"$frames")
	[ "$matching" -eq "$total" ] && return 0
	echo "$matching of $total UDP frames go $NC_GUEST_MAC > $tap_mac (the tap); first other:"
	grep -v "^[^ ]* $NC_GUEST_MAC > $tap_mac," <<<"$frames" | head -n 1
	return 1
}

# nc_check_arp DIR: the guest asked for the target's MAC with an ARP
# request before it could send.
nc_check_arp() {
	tcpdump -r "$1/$NC_CAPTURE" -n -e arp 2>/dev/null |
		grep -q "^[^ ]* $NC_GUEST_MAC > ff:ff:ff:ff:ff:ff, .*Request who-has $NC_HOST_IP tell $NC_GUEST_IP" &&
		return 0
	echo "no ARP request from $NC_GUEST_MAC for $NC_HOST_IP in $NC_CAPTURE; ARP seen:"
	tcpdump -r "$1/$NC_CAPTURE" -n -e arp 2>/dev/null | head -n 3
	return 1
}

# nc_check_no_netconsole DIR: the capture (NC_CAPTURE) holds no UDP packet
# to or from a netconsole port, whoever sent it: the tap of an idle NIC.
nc_check_no_netconsole() {
	local packets
	if [ ! -s "$1/$NC_CAPTURE" ]; then
		echo "$NC_CAPTURE missing or empty"
		return 1
	fi
	if ! packets=$(tcpdump -r "$1/$NC_CAPTURE" -n 'udp and (port 6665 or port 6666)' 2>/dev/null); then
		echo "tcpdump cannot read $NC_CAPTURE"
		return 1
	fi
	[ -z "$packets" ] && return 0
	echo "$(grep -c . <<<"$packets") netconsole UDP packets in $NC_CAPTURE, the idle NIC's tap; first:"
	head -n 1 <<<"$packets"
	return 1
}

# nc_check_ndp DIR: the guest asked for the target's MAC by neighbour
# solicitation (RFC 4861 7.2.2: to the target's solicited-node group and its
# MAC 33:33:ff:xx:xx:xx, hop limit 255) and the host's advertisement came
# back, both with an ICMPv6 checksum tcpdump calls valid. QEMU's user-mode
# network answers as a router (Flags [router, solicited, ...]), a tap's
# host does not. NC_HOST_IP ends in ::1 here, so its group is
# ff02::1:ff00:1.
nc_check_ndp() {
	local icmp6 out=0
	icmp6=$(tcpdump -r "$1/$NC_CAPTURE" -n -e -vv icmp6 2>/dev/null)
	if ! grep -q "^[^ ]* $NC_GUEST_MAC > 33:33:ff:00:00:01, .*(hlim 255, .*) $NC_GUEST_IP > ff02::1:ff00:1: \[icmp6 sum ok\] ICMP6, neighbor solicitation, length 32, who has $NC_HOST_IP\$" <<<"$icmp6"; then
		echo "no neighbour solicitation from $NC_GUEST_MAC for $NC_HOST_IP to 33:33:ff:00:00:01 (hop limit 255, checksum ok) in $NC_CAPTURE; from the guest:"
		grep "^[^ ]* $NC_GUEST_MAC " <<<"$icmp6" | head -n 3
		out=1
	fi
	if ! grep -q "> $NC_GUEST_MAC, .*(hlim 255, .*) $NC_HOST_IP > $NC_GUEST_IP: \[icmp6 sum ok\] ICMP6, neighbor advertisement, length 32, tgt is $NC_HOST_IP, Flags \[\(router, \)\{0,1\}solicited" <<<"$icmp6"; then
		echo "no neighbour advertisement for $NC_HOST_IP to the guest in $NC_CAPTURE"
		out=1
	fi
	return "$out"
}

# nc_check_ns_answered DIR TAP_MAC: the host asked for the guest's MAC by
# neighbour solicitation and the guest answered with a solicited
# advertisement to the host's MAC, hop limit 255, checksum valid per tcpdump.
nc_check_ns_answered() {
	local icmp6
	icmp6=$(tcpdump -r "$1/$NC_CAPTURE" -n -e -vv icmp6 2>/dev/null)
	if ! grep -q "neighbor solicitation, length 32, who has $NC_GUEST_IP\$" <<<"$icmp6"; then
		echo "the host never asked for $NC_GUEST_IP in $NC_CAPTURE"
		return 1
	fi
	grep -q "^[^ ]* $NC_GUEST_MAC > $2, .*(hlim 255, .*) $NC_GUEST_IP > $NC_HOST_IP: \[icmp6 sum ok\] ICMP6, neighbor advertisement, length 32, tgt is $NC_GUEST_IP, Flags \[solicited, override\]" <<<"$icmp6" && return 0
	echo "no solicited advertisement for $NC_GUEST_IP from the guest to $2 in $NC_CAPTURE; from the guest:"
	grep "^[^ ]* $NC_GUEST_MAC " <<<"$icmp6" | head -n 3
	return 1
}

# Seconds from the first captured guest packet holding TEXT to the last one
# (tcpdump's timestamps on the tap); empty when none holds TEXT.
nc_first_to_last_packet_s() { # PCAP TEXT
	tcpdump -r "$1" -tt -nn -A 'udp and src host '"$NC_GUEST_IP" 2>/dev/null | awk -v text="$2" '
		/^[0-9]+\.[0-9]+ / { t = $1 }
		!t0 && index($0, text) { t0 = t }
		{ last = t }
		END { if (t0) printf "%.3f", last - t0 }'
}
