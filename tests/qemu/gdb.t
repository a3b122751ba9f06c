#!/usr/bin/env bash
# Study mode (TAP): make gdb's batch form (run-crash.sh --gdb-batch) and the
# helpers of qemu/netconsole.gdb, each against a witness of its own run.
# live cases, on each NIC and a few crash sites:
#   - the first stop is the breakpoint in oops_begin, and the registers the
#     fault trapped with (nc-fault frame) put EIP inside the crash site's
#     function as the ELF symbol table (nm -S) bounds it; gdb's backtrace
#     runs through the trap frame into that function;
#   - nc-log's records are the serial console's lines of the same sequence
#     numbers (serial line N is record N), and the next serial line opens
#     the oops;
#   - each frame nc-frame decodes at the transmit breakpoint is the packet
#     of that IPv4 id in the run's pcap, field by field (MACs, addresses,
#     id, TTL, ports, lengths, both checksums as sent, payload), both
#     checksums verified, and the first one carries the oops's first line;
#   - nc-tx shows the ring as the pcap and the driver's indexes say: every
#     occupied descriptor's frame is a packet of the pcap with its length,
#     the frame queued before the stop sits just behind the fill index,
#     owned by the NIC or done, and the occupied count is what the indexes
#     span;
#   - after the stops the run still completes and the network transcript
#     equals the serial one byte for byte, checksums valid.
# core cases: a netdump core of the same kind of run, opened with the same
# file: nc-fault, nc-log, nc-targets (against the tap's MAC), nc-consoles,
# nc-tx (the frames netconsole sent; netdump's are not captured) and
# nc-frame on the last frame netconsole built in the oops (oops_frame[0],
# its first target's buffer there; outside an oops frames are built in the
# NIC's ring, which netdump's overwrite), checked the same way.
# core-ipv6: the same over IPv6 (--ipv6): nc-targets shows both netpolls'
# addresses in brackets as RFC 5952 writes them, and nc-frame's IPv6 decode
# of oops_frame[0] is the captured packet with the same payload, field by field
# (addresses as tcpdump prints them), its UDP checksum verified.
#
# Environment: NIC and CRASH filter the cases; NC_TIMEOUT one run's limit
# (default 90); NC_JOBS the runs at once (default the CPU count). Failing
# cases keep their logs in build/test-logs/gdb-<case>/.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib-cases.sh
. "$here/lib-cases.sh"

cases_timeout_s=${NC_TIMEOUT:-90}
cases_jobs=${NC_JOBS:-$(nproc)}
if [ -z "${NM:-}" ]; then
	eval "$(make -s --no-print-directory -C "$root" print-binutils)" || exit 1
fi

# Sites whose fault lies in crash_<site> (dashes as underscores).
LIVE_SITES="init-null irq-timer irq-nic init-bug"
BATCH="echo @@ bt\n; bt; echo @@ fault\n; nc-fault frame; echo @@ log\n; nc-log 8"
BATCH+="; echo @@ frame1\n; nc-continue; nc-frame; echo @@ frame2\n; nc-continue; nc-frame"
BATCH+="; echo @@ tx\n; nc-tx; echo @@ consoles\n; nc-consoles; echo @@ targets\n; nc-targets"
CORE_COMMANDS=(-ex "echo @@ fault\n" -ex nc-fault -ex "echo @@ log\n" -ex "nc-log 6"
	-ex "echo @@ targets\n" -ex nc-targets -ex "echo @@ consoles\n" -ex nc-consoles
	-ex "echo @@ tx\n" -ex nc-tx -ex "echo @@ frame1\n" -ex "nc-frame &oops_frame[0]")

nics=() crashes=()
select_from nics "$CASES_ALL_NICS" "${NIC:-$CASES_ALL_NICS}" NIC
select_from crashes "$LIVE_SITES" "${CRASH:-$LIVE_SITES}" CRASH
# A case is "nic kind site", kind live or core; each NIC gets its own pair
# of sites, the irq-nic one on rtl8139 and the BUG() one on e1000.
cases=()
for nic in "${nics[@]}"; do
	for crash in "${crashes[@]}"; do
		case $nic-$crash in e1000-irq-nic | rtl8139-irq-timer | rtl8139-init-bug) continue ;; esac
		cases+=("$nic live $crash")
	done
	case " ${crashes[*]} " in *" init-null "*) cases+=("$nic core init-null" "$nic core-ipv6 init-null") ;; esac
done
command -v gdb >/dev/null 2>&1 || cases_skip_reason="gdb not installed (run 'make deps')"

case_name() {
	local nic kind crash
	read -r nic kind crash <<<"$1"
	echo "gdb-$nic-$kind-$crash"
}

case_group() {
	echo "${1#* }" | cut -d' ' -f1
}

case_args() {
	local nic kind crash
	read -r nic kind crash <<<"$1"
	if [ "$kind" = live ]; then
		run_args=(--nic "$nic" --crash "$crash" --gdb-batch "$BATCH")
	else
		run_args=(--nic "$nic" --crash "$crash" --netdump host)
	fi
	[ "$kind" = core-ipv6 ] && run_args+=(--ipv6)
}

# section FILE NAME: the lines after "@@ NAME" up to the next marker.
section() {
	awk -v start="@@ $2" '$0 == start { on = 1; next } /^@@ / { on = 0 } on' "$1"
}

# serial_record DIR SEQ: the serial console's line of record SEQ (the
# records after the panic's end line too: netdump logs there).
serial_record() {
	sed 's/\r$//' "$1/serial.log" | awk -v n="$2" '/^\[/ { started = 1 } started && n-- == 0 { print; exit }'
}

# function_bounds FUNCTION: "start end" of FUNCTION in the kernel ELF, hex.
function_bounds() {
	"$NM" -S --defined-only "${NC_KERNEL:-$root/build/kernel.elf}" |
		awk -v f="$1" '$4 == f && NF == 4 { print $1, $2; exit }'
}

# check_fault_eip FILE FUNCTION: the "vector ..., EIP X" line in FILE names an
# EIP inside FUNCTION per the ELF's symbol table.
check_fault_eip() {
	local eip bounds start size
	eip=$(sed -n 's/.*, EIP \([0-9a-f]\{8\}\),.*/\1/p' "$1" | head -n 1)
	bounds=$(function_bounds "$2")
	if [ -z "$eip" ]; then
		echo "nc-fault printed no EIP"
		return
	fi
	if [ -z "$bounds" ]; then
		echo "no symbol $2 in the kernel ELF"
		return
	fi
	read -r start size <<<"$bounds"
	if ((16#$eip < 16#$start || 16#$eip >= 16#$start + 16#$size)); then
		echo "nc-fault: EIP $eip is outside $2 ($start, size $size, per nm -S)"
	fi
}

# check_log FILE DIR: every nc-log record in FILE is the serial line of its
# sequence number.
check_log() {
	local line seq text want n=0
	while IFS= read -r line; do
		[[ $line =~ ^\ *([0-9]+)\ \<[0-7]\>\ (\[.*)$ ]] || continue
		seq=${BASH_REMATCH[1]} text=${BASH_REMATCH[2]}
		n=$((n + 1))
		want=$(serial_record "$2" "$seq")
		[ "$text" = "$want" ] || echo "nc-log record $seq: '$text', serial line $seq: '$want'"
	done <"$1"
	[ "$n" -gt 0 ] || echo "nc-log printed no record"
	last_seq=${seq:-}
}

# pcap_frame DIR ID: the bytes (hex) of the guest's UDP packet with IPv4 id
# ID, link layer included, or nothing.
pcap_frame() {
	tcpdump -r "$1/capture.pcap" -n -xx "udp and src host $NC_GUEST_IP and ip[4:2] = $2" 2>/dev/null |
		awk '/^[0-9]/ { n++ } n == 1 && /^[ \t]+0x[0-9a-f]+:/ { for (i = 2; i <= NF; i++) printf "%s", $i }
		     END { print "" }'
}

# hex_text HEX: the bytes HEX spells out.
hex_text() {
	printf '%b' "$(sed 's/../\\x&/g' <<<"$1")"
}

# hex_fields HEX: the frame's fields as "key=value" lines, formatted as
# nc-frame prints them.
hex_fields() {
	local h=$1 i
	byte() { echo $((16#${h:$(($1 * 2)):2})); }
	word() { echo $((16#${h:$(($1 * 2)):4})); }
	mac() { echo "${h:$(($1 * 2)):12}" | sed 's/../&:/g; s/:$//'; }
	ip() { echo "$(byte "$1").$(byte $(($1 + 1))).$(byte $(($1 + 2))).$(byte $(($1 + 3)))"; }
	echo "len=$((${#h} / 2))"
	echo "src_mac=$(mac 6)"
	echo "dst_mac=$(mac 0)"
	echo "type=0x${h:24:4}"
	echo "src_ip=$(ip 26)"
	echo "dst_ip=$(ip 30)"
	echo "id=$(word 18)"
	echo "ttl=$(byte 22)"
	echo "protocol=$(byte 23)"
	echo "ip_total=$(word 16)"
	echo "ip_checksum=0x${h:48:4}"
	echo "src_port=$(word 34)"
	echo "dst_port=$(word 36)"
	echo "udp_length=$(word 38)"
	echo "udp_checksum=0x${h:80:4}"
	i=$(($(word 38) - 8))
	echo "payload=${h:84:$((i * 2))}"
}

# gdb_fields FILE: the same keys from nc-frame's decode in FILE, plus the
# two checksum verdicts.
gdb_fields() {
	local line payload
	while IFS= read -r line; do
		if [[ $line =~ ^frame\ at\ 0x[0-9a-f]+,\ ([0-9]+)\ bytes$ ]]; then
			echo "len=${BASH_REMATCH[1]}"
		elif [[ $line =~ ^\ +ethernet\ +([0-9a-f:]+)\ \>\ ([0-9a-f:]+),\ type\ (0x[0-9a-f]+) ]]; then
			echo "src_mac=${BASH_REMATCH[1]}"
			echo "dst_mac=${BASH_REMATCH[2]}"
			echo "type=${BASH_REMATCH[3]}"
		elif [[ $line =~ ^\ +ipv4\ +([0-9.]+)\ \>\ ([0-9.]+),\ id\ ([0-9]+),\ ttl\ ([0-9]+),\ protocol\ ([0-9]+).*,\ total\ length\ ([0-9]+),\ header\ checksum\ (0x[0-9a-f]+)\ \((.*)\)$ ]]; then
			echo "src_ip=${BASH_REMATCH[1]}"
			echo "dst_ip=${BASH_REMATCH[2]}"
			echo "id=${BASH_REMATCH[3]}"
			echo "ttl=${BASH_REMATCH[4]}"
			echo "protocol=${BASH_REMATCH[5]}"
			echo "ip_total=${BASH_REMATCH[6]}"
			echo "ip_checksum=${BASH_REMATCH[7]}"
			echo "ip_verdict=${BASH_REMATCH[8]}"
		elif [[ $line =~ ^\ +ipv6\ +([0-9a-f:]+)\ \>\ ([0-9a-f:]+),\ hop\ limit\ ([0-9]+),\ next\ header\ ([0-9]+).*,\ payload\ length\ ([0-9]+)$ ]]; then
			echo "src_ip=${BASH_REMATCH[1]}"
			echo "dst_ip=${BASH_REMATCH[2]}"
			echo "ttl=${BASH_REMATCH[3]}"
			echo "protocol=${BASH_REMATCH[4]}"
			echo "ip_total=${BASH_REMATCH[5]}"
		elif [[ $line =~ ^\ +udp\ +port\ ([0-9]+)\ \>\ ([0-9]+),\ length\ ([0-9]+),\ checksum\ (0x[0-9a-f]+)\ \((.*)\)$ ]]; then
			echo "src_port=${BASH_REMATCH[1]}"
			echo "dst_port=${BASH_REMATCH[2]}"
			echo "udp_length=${BASH_REMATCH[3]}"
			echo "udp_checksum=${BASH_REMATCH[4]}"
			echo "udp_verdict=${BASH_REMATCH[5]}"
		elif [[ $line =~ ^\ +payload\ +[0-9]+\ bytes:\ \"(.*)\"$ ]]; then
			payload=${BASH_REMATCH[1]}
			if [ "${payload: -2}" = '\n' ]; then
				payload=$(printf '%s\n' "${payload%??}" | od -An -tx1 | tr -d ' \n')
			else
				payload=$(printf '%s' "$payload" | od -An -tx1 | tr -d ' \n')
			fi
			echo "payload=$payload"
		fi
	done <"$1"
}

# check_frame FILE DIR WHAT: nc-frame's decode in FILE against the packet of
# the same IPv4 id in the pcap. Sets frame_id and frame_text (the payload).
check_frame() {
	local -A got=() want=()
	local key value hex
	frame_id="" frame_text=""
	while IFS='=' read -r key value; do got[$key]=$value; done < <(gdb_fields "$1")
	if [ -z "${got[id]:-}" ] || [ -z "${got[payload]:-}" ]; then
		echo "$3: nc-frame printed no IPv4/UDP decode"
		return
	fi
	frame_id=${got[id]}
	frame_text=$(hex_text "${got[payload]}" | tr -d '\n')
	hex=$(pcap_frame "$2" "$frame_id")
	if [ -z "$hex" ]; then
		echo "$3: the pcap holds no packet from the guest with IPv4 id $frame_id"
		return
	fi
	while IFS='=' read -r key value; do want[$key]=$value; done < <(hex_fields "$hex")
	for key in len src_mac dst_mac type src_ip dst_ip id ttl protocol ip_total ip_checksum \
		src_port dst_port udp_length udp_checksum payload; do
		[ "${got[$key]:-}" = "${want[$key]}" ] ||
			echo "$3 (IPv4 id $frame_id): $key is '${got[$key]:-}' in nc-frame, '${want[$key]}' in the pcap"
	done
	[ "${got[ip_verdict]:-}" = valid ] || echo "$3: nc-frame's IPv4 header checksum verdict is '${got[ip_verdict]:-}'"
	[ "${got[udp_verdict]:-}" = valid ] || echo "$3: nc-frame's UDP checksum verdict is '${got[udp_verdict]:-}'"
}

# pcap_frame_ipv6 DIR PAYLOAD_HEX: "SOURCE DESTINATION HEX" of the guest's
# first UDP packet over IPv6 whose payload is PAYLOAD_HEX (IPv6 has no id to
# find it by): the addresses as tcpdump prints them, the bytes link layer
# included; nothing when there is none.
pcap_frame_ipv6() {
	tcpdump -r "$1/capture.pcap" -n -xx "ip6 and udp and src host $NCNS_GUEST_IP6" 2>/dev/null |
		awk -v want="$2" '
			function check() { if (hex != "" && substr(hex, 125) == want) { print src, dst, hex; found = 1; exit } }
			/^[0-9]/ { check(); src = $3; dst = $5; sub(/\.[0-9]+$/, "", src); sub(/\.[0-9]+:$/, "", dst); hex = ""; next }
			/^[ \t]+0x[0-9a-f]+:/ { for (i = 2; i <= NF; i++) hex = hex $i }
			END { if (!found) check() }'
}

# hex_fields_ipv6 HEX: as hex_fields for a UDP frame over IPv6 (the 40-byte
# header, no extension), ttl being the hop limit, protocol the next header
# and ip_total the payload length; the addresses come from tcpdump.
hex_fields_ipv6() {
	local h=$1
	byte() { echo $((16#${h:$(($1 * 2)):2})); }
	word() { echo $((16#${h:$(($1 * 2)):4})); }
	mac() { echo "${h:$(($1 * 2)):12}" | sed 's/../&:/g; s/:$//'; }
	echo "len=$((${#h} / 2))"
	echo "src_mac=$(mac 6)"
	echo "dst_mac=$(mac 0)"
	echo "type=0x${h:24:4}"
	echo "ttl=$(byte 21)"
	echo "protocol=$(byte 20)"
	echo "ip_total=$(word 18)"
	echo "src_port=$(word 54)"
	echo "dst_port=$(word 56)"
	echo "udp_length=$(word 58)"
	echo "udp_checksum=0x${h:120:4}"
	echo "payload=${h:124:$((($(word 58) - 8) * 2))}"
}

# check_frame_ipv6 FILE DIR WHAT: nc-frame's IPv6 decode in FILE against the
# captured packet with the same payload. Sets frame_text (the payload).
check_frame_ipv6() {
	local -A got=() want=()
	local key value found src dst hex
	frame_text=""
	while IFS='=' read -r key value; do got[$key]=$value; done < <(gdb_fields "$1")
	if [ "${got[type]:-}" != 0x86dd ] || [ -z "${got[src_ip]:-}" ] || [ -z "${got[payload]:-}" ]; then
		echo "$3: nc-frame printed no IPv6/UDP decode"
		return
	fi
	frame_text=$(hex_text "${got[payload]}" | tr -d '\n')
	found=$(pcap_frame_ipv6 "$2" "${got[payload]}")
	if [ -z "$found" ]; then
		echo "$3: the pcap holds no UDP packet over IPv6 from the guest with nc-frame's payload '$frame_text'"
		return
	fi
	read -r src dst hex <<<"$found"
	while IFS='=' read -r key value; do want[$key]=$value; done < <(hex_fields_ipv6 "$hex")
	want[src_ip]=$src want[dst_ip]=$dst
	for key in len src_mac dst_mac type src_ip dst_ip ttl protocol ip_total src_port dst_port \
		udp_length udp_checksum payload; do
		[ "${got[$key]:-}" = "${want[$key]}" ] ||
			echo "$3 (IPv6): $key is '${got[$key]:-}' in nc-frame, '${want[$key]}' in the pcap"
	done
	[ "${got[udp_verdict]:-}" = valid ] || echo "$3: nc-frame's UDP checksum verdict is '${got[udp_verdict]:-}'"
}

# check_tx FILE DIR NIC QUEUED_ID: nc-tx's listing against the pcap and the
# driver's indexes; QUEUED_ID is the IPv4 id of the frame queued before the
# stop (none for a core).
check_tx() {
	local file=$1 dir=$2 nic=$3 queued=$4 line idx state len id prefix hex want_len
	local head="" tail="" next="" busy="" size occupied=0 lines=0 behind="" found=""
	line=$(grep -m 1 'transmit' "$file")
	case $nic in
	e1000)
		[[ $line =~ ,\ ([0-9]+)\ descriptors:\ head\ ([0-9]+).*kicked\ ([0-9]+).*tail\ ([0-9]+) ]] || {
			echo "nc-tx: no e1000 ring header: '$line'"
			return
		}
		size=${BASH_REMATCH[1]} head=${BASH_REMATCH[2]} tail=${BASH_REMATCH[4]}
		behind=$(((tail + size - 1) % size))
		;;
	rtl8139)
		[[ $line =~ ,\ ([0-9]+)\ used\ round\ robin:\ next\ ([0-9]+),\ busy\ 0x([0-9a-f]+) ]] || {
			echo "nc-tx: no rtl8139 descriptor header: '$line'"
			return
		}
		size=${BASH_REMATCH[1]} next=${BASH_REMATCH[2]} busy=$((16#${BASH_REMATCH[3]}))
		behind=$(((next + size - 1) % size))
		;;
	esac
	while IFS= read -r line; do
		[[ $line =~ ^\ +\[\ *([0-9]+)\]\ ([a-zA-Z]+)\ +len\ +([0-9]+) ]] || continue
		idx=${BASH_REMATCH[1]} state=${BASH_REMATCH[2]} len=${BASH_REMATCH[3]}
		lines=$((lines + 1))
		[ "$state" = free ] || occupied=$((occupied + 1))
		[[ $line =~ \ id\ ([0-9]+)\ \"(.*)\" ]] || continue
		id=${BASH_REMATCH[1]} prefix=${BASH_REMATCH[2]}
		[ "$idx" = "$behind" ] && found="$id $state"
		# Frames to the netdump port never reach the capture.
		[[ $line =~ :6667\ id ]] && continue
		hex=$(pcap_frame "$dir" "$id")
		if [ -z "$hex" ]; then
			echo "nc-tx [$idx]: frame with IPv4 id $id is not in the pcap"
			continue
		fi
		want_len=$((${#hex} / 2))
		[ "$len" = "$want_len" ] || echo "nc-tx [$idx]: length $len, the pcap's packet with id $id has $want_len"
		case $(hex_text "${hex:84:$((${#prefix} * 2))}") in
		"$prefix") ;;
		*) echo "nc-tx [$idx]: payload '$prefix' differs from the pcap's packet with id $id" ;;
		esac
	done <"$file"
	[ "$lines" = "$size" ] || echo "nc-tx listed $lines descriptors of $size"
	if [ "$nic" = e1000 ]; then
		[ "$occupied" = $(((tail + size - head) % size)) ] ||
			echo "nc-tx: $occupied descriptors not free, the indexes (head $head, tail $tail) span $(((tail + size - head) % size))"
	else
		for ((idx = 0, len = 0; idx < size; idx++)); do len=$((len + (busy >> idx & 1))); done
		[ "$occupied" = "$len" ] ||
			echo "nc-tx: $occupied descriptors owned by the NIC, busy mask $busy says otherwise"
	fi
	[ -n "$queued" ] || return
	case $found in
	"$queued NIC" | "$queued done") ;;
	*) echo "nc-tx: descriptor $behind (behind the fill index) holds '${found:-nothing}', not the frame just queued (id $queued) owned by the NIC or done" ;;
	esac
}

check_live() {
	local nic=$1 crash=$2 dir=$3 log=$3/gdb.log out function=crash_${2//-/_} first next
	[ -s "$log" ] || {
		echo "no gdb.log"
		return
	}
	grep -q "^Breakpoint 1, oops_begin (" "$log" || echo "gdb did not stop at breakpoint 1 in oops_begin"
	section "$log" fault >"$dir/gdb.fault"
	check_fault_eip "$dir/gdb.fault" "$function"
	grep -q "^#[0-9]* *<signal handler called>" "$log" && grep -Eq "^#[0-9]+ +(0x[0-9a-f]+ in )?$function \\(" "$log" ||
		echo "gdb's backtrace does not run through the trap frame into $function"
	section "$log" log >"$dir/gdb.log-records"
	check_log "$dir/gdb.log-records" "$dir"
	if [ -n "$last_seq" ]; then
		next=$(serial_record "$dir" $((last_seq + 1)))
		[[ $next =~ BUG:|cut\ here|\[#1\] ]] ||
			echo "the serial line after nc-log's last record does not open the oops: '$next'"
	fi
	section "$log" frame1 >"$dir/gdb.frame1"
	grep -q "^Breakpoint 2, " "$dir/gdb.frame1" || echo "the first continue did not stop at the transmit breakpoint"
	check_frame "$dir/gdb.frame1" "$dir" "first oops frame"
	first=$frame_id
	[ "$frame_text" = "$(serial_record "$dir" $((last_seq + 1)))" ] ||
		echo "the first oops frame carries '$frame_text', not the oops's first serial line"
	section "$log" frame2 >"$dir/gdb.frame2"
	check_frame "$dir/gdb.frame2" "$dir" "second oops frame"
	section "$log" tx >"$dir/gdb.tx"
	check_tx "$dir/gdb.tx" "$dir" "$nic" "$first"
	out=$(nc_check_same_transcript "$dir") || echo "$out"
	out=$(nc_check_checksums "$dir") || echo "$out"
}

# check_core NIC DIR [ipv6]: the core's helpers against the run's witnesses.
check_core() {
	local nic=$1 dir=$2 ipv6=${3:-} core log=$2/gdb.log out mac
	core=$(ls "$dir"/dumps/vmcore.* 2>/dev/null | head -n 1)
	case $core in
	*/vmcore.*.[0-9]*) ;;
	*)
		echo "no complete core in $dir/dumps (found '${core##*/}')"
		return
		;;
	esac
	gdb -nx -batch -x "$root/qemu/netconsole.gdb" "${CORE_COMMANDS[@]}" \
		"${NC_KERNEL:-$root/build/kernel.elf}" "$core" >"$log" 2>&1
	section "$log" fault >"$dir/gdb.fault"
	check_fault_eip "$dir/gdb.fault" crash_init_null
	section "$log" log >"$dir/gdb.log-records"
	check_log "$dir/gdb.log-records" "$dir"
	section "$log" targets >"$dir/gdb.targets"
	mac=$(cat "$dir/tap-mac")
	if [ -n "$ipv6" ]; then
		grep -qF "(netconsole target 0) on eth0: [$NCNS_GUEST_IP6]:6665 -> [$NCNS_HOST_IP6]:6666, next hop MAC $mac" \
			"$dir/gdb.targets" || echo "nc-targets does not show netconsole's IPv6 target: $(head -n 2 "$dir/gdb.targets" | tr '\n' '|')"
		grep -q "(netdump) on eth0: \[$NCNS_GUEST_IP6\]:[0-9]* -> \[$NCNS_HOST_IP6\]:6667, next hop MAC $mac" "$dir/gdb.targets" ||
			echo "nc-targets does not show netdump's IPv6 netpoll"
	else
		grep -qF "(netconsole target 0) on eth0: $NC_GUEST_IP:6665 -> $NC_HOST_IP:6666, next hop MAC $mac," \
			"$dir/gdb.targets" || echo "nc-targets does not show netconsole's target: $(head -n 2 "$dir/gdb.targets" | tr '\n' '|')"
		grep -q "(netdump) on eth0: $NC_GUEST_IP:[0-9]* -> $NC_HOST_IP:6667, next hop MAC $mac," "$dir/gdb.targets" ||
			echo "nc-targets does not show netdump's netpoll"
	fi
	section "$log" consoles >"$dir/gdb.consoles"
	grep -q "^console ttyS0 " "$dir/gdb.consoles" && grep -q "^console netcon " "$dir/gdb.consoles" ||
		echo "nc-consoles does not list ttyS0 and netcon"
	section "$log" tx >"$dir/gdb.tx"
	check_tx "$dir/gdb.tx" "$dir" "$nic" ""
	section "$log" frame1 >"$dir/gdb.frame1"
	if [ -n "$ipv6" ]; then
		check_frame_ipv6 "$dir/gdb.frame1" "$dir" "oops_frame[0]"
	else
		check_frame "$dir/gdb.frame1" "$dir" "oops_frame[0]"
	fi
	# The oops's last record may come after the panic's end line (netdump's
	# own lines): any line of the serial log will do.
	sed 's/\r$//' "$dir/serial.log" | grep -qxF -- "$frame_text" ||
		echo "oops_frame[0] carries '$frame_text', which is no serial line"
}

check_case() {
	local nic kind crash
	read -r nic kind crash <<<"$1"
	case $kind in
	live) check_live "$nic" "$crash" "$2" ;;
	core) check_core "$nic" "$2" ;;
	core-ipv6) check_core "$nic" "$2" ipv6 ;;
	esac
}

cases_run
