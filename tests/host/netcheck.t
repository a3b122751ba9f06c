#!/usr/bin/env bash
# TAP tests of the capture checks in tests/qemu/lib-netcheck.sh, on pcap
# files written here: the guest's ARP request and one well-formed
# netconsole frame must pass every check about what the guest sent, and an
# empty capture (a pcap header and no packet) or a missing one must fail
# every one of them.
# Needs tcpdump (which reads the files); nothing is sent anywhere.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/qemu/lib-netcheck.sh
. "$root/tests/qemu/lib-netcheck.sh"

if ! command -v tcpdump >/dev/null 2>&1; then
	echo "1..0 # SKIP tcpdump not installed (run 'make deps')"
	exit 0
fi

TAP_MAC=aa:bb:cc:dd:ee:01
T=$(mktemp -d "${TMPDIR:-/tmp}/netcheck.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

# hex_bytes HEX: writes the bytes HEX spells.
hex_bytes() {
	# shellcheck disable=SC2059,SC2001 # the format is the data, escaped on purpose
	printf "$(sed 's/../\\x&/g' <<<"$1")"
}

# le32 N: N as 8 hex digits, little-endian.
le32() {
	printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255))
}

# ones_sum HEX: the 16-bit one's complement sum of HEX (an even length).
ones_sum() {
	local hex=$1 sum=0 i
	for ((i = 0; i < ${#hex}; i += 4)); do
		sum=$((sum + 16#${hex:i:4}))
	done
	while [ $((sum >> 16)) -ne 0 ]; do
		sum=$(((sum & 0xffff) + (sum >> 16)))
	done
	printf '%04x' $((~sum & 0xffff))
}

# ip_hex A.B.C.D: the address as 8 hex digits.
ip_hex() {
	# shellcheck disable=SC2086 # one printf argument per octet
	printf '%02x%02x%02x%02x' ${1//./ }
}

# udp_frame SRC_PORT DST_PORT: one Ethernet frame from the guest to the
# tap carrying "hello\n" by UDP, with valid IPv4 and UDP checksums, as hex.
udp_frame() {
	local payload=68656c6c6f0a src dst udp_len ip_len ip_head udp_head
	src=$(ip_hex "$NC_GUEST_IP") dst=$(ip_hex "$NC_HOST_IP")
	udp_len=$((8 + ${#payload} / 2)) ip_len=$((20 + 8 + ${#payload} / 2))
	ip_head=$(printf '4500%04x00014000401100%s%s' "$ip_len" "$src$dst" '')
	ip_head="${ip_head:0:20}$(ones_sum "${ip_head:0:20}0000$src$dst")$src$dst"
	udp_head=$(printf '%04x%04x%04x' "$1" "$2" "$udp_len")
	udp_head+=$(ones_sum "$src${dst}0011$(printf '%04x' "$udp_len")${udp_head}0000$payload")
	echo "${TAP_MAC//:/}${NC_GUEST_MAC//:/}0800$ip_head$udp_head$payload"
}

# write_pcap FILE FRAME_HEX...: a pcap file (v2.4, Ethernet) with the frames.
write_pcap() {
	local file=$1 frame
	shift
	{
		hex_bytes d4c3b2a1020004000000000000000000ffff000001000000
		for frame in "$@"; do
			hex_bytes "$(le32 1)$(le32 0)$(le32 $((${#frame} / 2)))$(le32 $((${#frame} / 2)))$frame"
		done
	} >"$file"
}

# run_dir NAME: a run's log directory holding tap-mac.
run_dir() {
	mkdir -p "$T/$1"
	echo "$TAP_MAC" >"$T/$1/tap-mac"
	echo "$T/$1"
}

# arp_request: the guest's ARP request for the host's address, as hex.
arp_request() {
	echo "ffffffffffff${NC_GUEST_MAC//:/}08060001080006040001${NC_GUEST_MAC//:/}$(ip_hex "$NC_GUEST_IP")000000000000$(ip_hex "$NC_HOST_IP")"
}

run_dir good >/dev/null
run_dir empty >/dev/null
run_dir missing >/dev/null
good=$T/good empty=$T/empty
write_pcap "$good/capture.pcap" "$(arp_request)" "$(udp_frame 6665 6666)"
write_pcap "$empty/capture.pcap"

# CAPTURE EXPECTATION CHECK [ARG...]: good holds the guest's ARP request and
# one netconsole frame, empty a pcap header only, missing no file at all.
# nc_check_no_netconsole is the one check an empty capture passes: it is
# for the idle NIC's tap, which carries nothing.
expectations=(
	"good pass nc_check_checksums"
	"good pass nc_check_ports 6665 6666"
	"good pass nc_check_dest_mac"
	"good pass nc_check_arp"
	"good fail nc_check_no_netconsole"
	"empty fail nc_check_checksums"
	"empty fail nc_check_ports 6665 6666"
	"empty fail nc_check_dest_mac"
	"empty fail nc_check_arp"
	"empty pass nc_check_no_netconsole"
	"missing fail nc_check_checksums"
	"missing fail nc_check_ports 6665 6666"
	"missing fail nc_check_dest_mac"
	"missing fail nc_check_arp"
	"missing fail nc_check_no_netconsole"
)
echo "1..${#expectations[@]}"
n=0
for row in "${expectations[@]}"; do
	read -r kind want fn args <<<"$row"
	dir=$T/$kind
	# shellcheck disable=SC2086 # the ports are words on purpose
	out=$($fn "$dir" $args)
	rc=$?
	n=$((n + 1))
	if [ "$want" = pass ] && [ "$rc" = 0 ] && [ -z "$out" ]; then
		echo "ok $n - $fn passes on the $kind capture"
	elif [ "$want" = fail ] && [ "$rc" != 0 ] && [ -n "$out" ]; then
		echo "ok $n - $fn fails on the $kind capture: $(head -n 1 <<<"$out")"
	else
		echo "not ok $n - $fn should $want on the $kind capture (status $rc)"
		printf '%s\n' "$out" | sed 's/^/#   /'
	fi
done
