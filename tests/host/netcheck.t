#!/usr/bin/env bash
# TAP tests of the capture checks in tests/qemu/lib-netcheck.sh, on pcap
# files written here: one well-formed netconsole frame from the guest must
# pass every check about the guest's UDP packets, and an empty capture (a
# pcap header and no packet) or a missing one must fail every one of them.
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

good=$(run_dir good) empty=$(run_dir empty) missing=$(run_dir missing)
write_pcap "$good/capture.pcap" "$(udp_frame 6665 6666)"
write_pcap "$empty/capture.pcap"

checks=("nc_check_checksums" "nc_check_ports 6665 6666" "nc_check_dest_mac")
echo "1..$((3 * ${#checks[@]}))"
n=0
for check in "${checks[@]}"; do
	read -r fn args <<<"$check"
	# shellcheck disable=SC2086 # the ports are words on purpose
	out=$($fn "$good" $args)
	rc=$?
	n=$((n + 1))
	if [ "$rc" = 0 ]; then
		echo "ok $n - $fn passes on one good netconsole frame"
	else
		echo "not ok $n - $fn passes on one good netconsole frame"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
	for kind in empty missing; do
		dir=$empty
		[ "$kind" = missing ] && dir=$missing
		# shellcheck disable=SC2086
		out=$($fn "$dir" $args)
		rc=$?
		n=$((n + 1))
		if [ "$rc" != 0 ] && [ -n "$out" ]; then
			echo "ok $n - $fn fails on a capture that is $kind: $out"
		else
			echo "not ok $n - $fn fails on a capture that is $kind (status $rc, said '$out')"
		fi
	done
done
