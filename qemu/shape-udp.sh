#!/usr/bin/env bash
# Loss, duplication and reordering of the UDP packets on one tap, for
# qemu/run-crash.sh. Run inside the run's network namespace (ip netns exec);
# everything it adds (a clsact qdisc and filters on the tap, ifb devices)
# lives in that namespace and goes away with it.
#
# usage: shape-udp.sh TAP [--loss PERCENT] [--duplicate PERCENT]
#                         [--reorder PERCENT]
#
# --loss drops PERCENT of the UDP packets in each direction; --duplicate
# delivers a second copy of PERCENT of the guest's UDP packets beside the
# first; --reorder holds back PERCENT of them behind a slow queue (160
# kbit/s, one packet at a time) so they arrive after some of their
# successors. ARP and every other protocol pass untouched.
#
# netem is the tool for this, but kernels without sch_netem are common in
# containers; a classic BPF filter that draws a random number per UDP packet
# needs only cls_bpf, act_mirred and ifb. Exit: 0 done, 1 the kernel lacks a
# piece (one line on stderr naming it), 2 usage.
set -u

usage() {
	sed -n '/^# usage:/,/^#$/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

die() {
	echo "shape-udp: $*" >&2
	exit 1
}

# Classic BPF (linux/filter.h, Documentation/networking/filter.rst): each
# instruction is "opcode jt jf k", jt and jf counted from the next one.
BPF_LD_H_ABS=$((0x00 | 0x08 | 0x20)) # A = the 16 bits at offset k
BPF_LD_B_ABS=$((0x00 | 0x10 | 0x20)) # A = the byte at offset k
BPF_LD_W_ABS=$((0x00 | 0x00 | 0x20)) # A = the 32 bits at offset k
BPF_JMP_JEQ_K=$((0x05 | 0x10))       # A == k ? jt : jf
BPF_JMP_JGE_K=$((0x05 | 0x30))       # A >= k ? jt : jf
BPF_RET_K=$((0x06))                  # return k: non-zero matches
# The ancillary "offset" a load reads a fresh random number from
# (SKF_AD_OFF + SKF_AD_RANDOM).
SKF_AD_RANDOM=$((0xfffff000 + 56))
ETH_TYPE_OFFSET=12
ETH_P_IP=0x0800
ETH_P_IPV6=0x86dd
IP_PROTO_OFFSET=$((14 + 9))
# IPv6's next header (a UDP datagram without extension headers).
IPV6_NEXT_HEADER_OFFSET=$((14 + 6))
IPPROTO_UDP=17

# udp_draw PERCENT: tc's "bpf bytecode" for a program that matches PERCENT
# of the UDP frames, IPv4 or IPv6, each drawn independently, and nothing
# else.
udp_draw() {
	local program
	program=(
		"$BPF_LD_H_ABS 0 0 $ETH_TYPE_OFFSET"
		"$BPF_JMP_JEQ_K 1 0 $((ETH_P_IP))"     # IPv4: its protocol
		"$BPF_JMP_JEQ_K 2 7 $((ETH_P_IPV6))"   # IPv6: its next header; else no match
		"$BPF_LD_B_ABS 0 0 $IP_PROTO_OFFSET"
		"$BPF_JMP_JEQ_K 2 5 $IPPROTO_UDP"      # UDP: draw; else no match
		"$BPF_LD_B_ABS 0 0 $IPV6_NEXT_HEADER_OFFSET"
		"$BPF_JMP_JEQ_K 0 3 $IPPROTO_UDP"      # not UDP: no match
		"$BPF_LD_W_ABS 0 0 $SKF_AD_RANDOM"     # A = uniform in 0 .. 2^32-1
		"$BPF_JMP_JGE_K 1 0 $(($1 * 4294967296 / 100))" # not drawn: no match
		"$BPF_RET_K 0 0 4294967295"            # match
		"$BPF_RET_K 0 0 0"                     # no match
	)
	local IFS=,
	echo "${#program[@]},${program[*]}"
}

tap="" loss="" duplicate="" reorder=""
[ $# -ge 1 ] || usage
tap=$1
shift
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case $2 in [0-9] | [1-9][0-9]) ;; *) echo "shape-udp: $1 wants a percentage 0..99" >&2 && usage ;; esac
	case $1 in
	--loss) loss=$2 ;;
	--duplicate) duplicate=$2 ;;
	--reorder) reorder=$2 ;;
	*) usage ;;
	esac
	shift 2
done

[ -n "$loss$duplicate$reorder" ] || exit 0
tc qdisc add dev "$tap" clsact || die "cannot add clsact to $tap with tc"

# The unlucky packets go to an ifb device that stays down, which drops them.
if [ -n "$loss" ]; then
	ip link add ncsink type ifb &&
		tc filter add dev "$tap" ingress bpf bytecode "$(udp_draw "$loss")" \
			action mirred egress redirect dev ncsink &&
		tc filter add dev "$tap" egress bpf bytecode "$(udp_draw "$loss")" \
			action mirred egress redirect dev ncsink ||
		die "cannot set up --loss with tc (cls_bpf, mirred, ifb)"
fi
# The guest's packets come in on the tap's ingress. A copy taken there and
# received on an ifb device reaches the listener too (the address is the
# host's, any device will do once reverse-path checks are off). A packet
# redirected to an ifb device that is up goes back to the tap's receive
# path, past tc, once it leaves the ifb's queue. "continue" lets the
# original of a copy meet the other filters; the copy runs first (pref 1),
# the slow queue last.
if [ -n "$duplicate" ]; then
	ip link add ncdup type ifb && ip link set ncdup up &&
		sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.ncdup.rp_filter=0 &&
		tc filter add dev "$tap" ingress pref 1 bpf bytecode "$(udp_draw "$duplicate")" \
			action mirred ingress mirror dev ncdup continue ||
		die "cannot set up --duplicate with tc (cls_bpf, mirred, ifb)"
fi
# Every shaper lets the first packet after a pause straight through, so a
# packet is late only behind another: htb with a 10-byte bucket passes one
# packet at a time at 160 kbit/s (5 ms for a 100-byte record, 50 ms for a
# 1000-byte fragment), long beside the guest's bursts of lines (boot, the
# oops) and short beside the listener's 1 s wait for a gap.
if [ -n "$reorder" ]; then
	ip link add ncslow type ifb && ip link set ncslow up &&
		tc qdisc add dev ncslow root handle 1: htb default 1 &&
		tc class add dev ncslow parent 1: classid 1:1 htb rate 160kbit ceil 160kbit \
			burst 10 cburst 10 &&
		tc qdisc add dev ncslow parent 1:1 pfifo limit 1000 &&
		tc filter add dev "$tap" ingress pref 60000 bpf bytecode "$(udp_draw "$reorder")" \
			action mirred egress redirect dev ncslow ||
		die "cannot set up --reorder with tc (cls_bpf, mirred, ifb, htb)"
fi
exit 0
