#!/usr/bin/env bash
# One crash run: boots the kernel under QEMU (TCG) on a tap inside a fresh
# network namespace, captures the tap with tcpdump and receives netconsole
# with the host listener until the panic's end line arrives.
#
# usage: run-crash.sh [--nic e1000|rtl8139] [--crash SITE] [--boot kernel|iso]
#                     [--config linux|linux-arp|2001] [--append "ARGS"]
#                     [--logdir DIR] [--timeout SECONDS] [--live]
#                     [--second-nic e1000|rtl8139
#                      [--config eth1-linux|eth1-2001|two-targets]]
#                     [--netdump host|no-host] [--dump-loss PERCENT] [--mem MIB]
#                     [--ext] [--loss PERCENT] [--duplicate PERCENT]
#                     [--reorder PERCENT] [--listener-arg ARG]...
#                     [--link-script "off@MS on@MS ..."] [--link-after TEXT]
#                     [--traffic "CMD" [--traffic-after TEXT]]
#
# Leaves in DIR: serial.log, transcript.log, capture.pcap, qemu.stderr,
# listener.stderr, tcpdump.stderr, cmdline, tap-mac (the host side), timing.
# --second-nic adds eth1 (10.0.8.5) on a second tap (10.0.8.1) with its own
# capture1.pcap, transcript1.log, listener1.stderr, tcpdump1.stderr and
# tap1-mac; eth1-* configs send through eth1 only, two-targets through both.
# --netdump adds netdump=6667@10.0.7.1; with "host" the listener also takes
# the crash dump into DIR/dumps (and waits for it), with "no-host" nothing
# listens on the dump port. The capture then leaves out the dump's data.
# --dump-loss drops PERCENT of the dump's packets in each direction: with tc
# netem on the tap (acknowledgements) and a random gact drop on its ingress
# (data) where the kernel has them, else in the listener (--dump-drop);
# DIR/loss-method says which.
# --duplicate delivers a second copy of PERCENT of the guest's UDP packets
# beside the first; --reorder holds back PERCENT of them behind a slow
# queue (160 kbit/s, one packet at a time) so they arrive after some of
# their successors. Both act on guest->host packets only, inside the
# namespace, beside --loss.
# --link-script cuts and restores the guest's link (every NIC) through the
# QEMU monitor (set_link) at the given milliseconds after QEMU starts
# (or after the serial log first shows TEXT, with --link-after), and
# logs each action to DIR/link.log; the monitor's replies go to
# DIR/monitor.log. When the script leaves the link off, the run ends when
# QEMU exits: the listener cannot see the end line and is not asked to.
# --traffic runs CMD with bash inside the namespace once the serial log
# shows TEXT (default: netconsole's "network logging started"), its output
# in DIR/traffic.log and its exit status in DIR/traffic.rc; when the run ends
# first, CMD gets TERM (and must end its children) and traffic.rc is absent.
# Exit: 0 the run completed (listener saw the end line, QEMU exited),
# 1 it did not (one-line reason on stderr), 2 usage, 77 cannot run here.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=qemu/netns.sh
. "$here/netns.sh"

GUEST_IP1=10.0.8.5
GUEST_MAC1=52:54:00:12:34:57
NETCONSOLE_PORT=6666
LINUX_SOURCE_PORT=6665
END_LINE_PREFIX="---[ end Kernel panic"
# How long QEMU may take to exit after the end line arrived (panic=-1 makes
# it reboot, which -no-reboot turns into an exit), and how long the
# listener may take to finish after QEMU is gone. The listener's own
# timeout is longer than the run's, so the run's deadline decides.
QEMU_EXIT_GRACE_S=10
LISTENER_GRACE_S=2

nic=e1000
second_nic=""
crash=init-null
boot=kernel
config=linux
extra_append=""
logdir=""
timeout_s=60
live=0
netdump=""
dump_loss=""
mem_mib=64
# --ext: the netconsole= target in the extended format ('+'); --loss: drop
# PERCENT of the UDP packets in each direction on the tap.
ext=0
loss=""
duplicate=""
reorder=""
listener_extra=()
link_script=""
link_after=""
traffic=""
traffic_after="netconsole: network logging started"
NETDUMP_PORT=6667
kernel_elf=${NC_KERNEL:-$root/build/kernel.elf}
listener=${NC_LISTENER:-$root/build/host/netconsole-client}

usage() {
	sed -n '/^# usage:/,/^#$/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

die() {
	echo "run-crash: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case $1 in
	--nic | --second-nic | --crash | --boot | --config | --append | --logdir | --timeout | \
		--netdump | --dump-loss | --mem | --loss | --duplicate | --reorder | --listener-arg | --link-script | \
		--link-after | --traffic | --traffic-after)
		[ $# -ge 2 ] || usage
		case $1 in
		--nic) nic=$2 ;;
		--second-nic) second_nic=$2 ;;
		--crash) crash=$2 ;;
		--boot) boot=$2 ;;
		--config) config=$2 ;;
		--append) extra_append=$2 ;;
		--logdir) logdir=$2 ;;
		--timeout) timeout_s=$2 ;;
		--netdump) netdump=$2 ;;
		--dump-loss) dump_loss=$2 ;;
		--mem) mem_mib=$2 ;;
		--loss) loss=$2 ;;
		--duplicate) duplicate=$2 ;;
		--reorder) reorder=$2 ;;
		--listener-arg) listener_extra+=("$2") ;;
		--link-script) link_script=$2 ;;
		--link-after) link_after=$2 ;;
		--traffic) traffic=$2 ;;
		--traffic-after) traffic_after=$2 ;;
		esac
		shift 2
		;;
	--live)
		live=1
		shift
		;;
	--ext)
		ext=1
		shift
		;;
	-h | --help) usage ;;
	*)
		echo "run-crash: unknown option '$1'" >&2
		usage
		;;
	esac
done

case $nic in e1000 | rtl8139) ;; *) echo "run-crash: --nic must be e1000 or rtl8139" >&2 && usage ;; esac
case $boot in kernel | iso) ;; *) echo "run-crash: --boot must be kernel or iso" >&2 && usage ;; esac
case $config in linux | linux-arp | 2001 | eth1-linux | eth1-2001 | two-targets) ;; *) echo "run-crash: bad --config '$config'" >&2 && usage ;; esac
case $second_nic in '' | e1000 | rtl8139) ;; *) echo "run-crash: --second-nic must be e1000 or rtl8139" >&2 && usage ;; esac
case $config in eth1-* | two-targets) [ -n "$second_nic" ] || { echo "run-crash: --config $config needs --second-nic" >&2 && usage; } ;; esac
case $crash in '' | *[!a-z0-9-]*) echo "run-crash: bad --crash '$crash'" >&2 && usage ;; esac
case $timeout_s in '' | *[!0-9]* | 0) echo "run-crash: --timeout wants whole seconds > 0" >&2 && usage ;; esac
case $mem_mib in '' | *[!0-9]* | 0*) echo "run-crash: --mem wants MiB, e.g. 64" >&2 && usage ;; esac
case $netdump in '' | host | no-host) ;; *) echo "run-crash: --netdump must be host or no-host" >&2 && usage ;; esac
case $loss in '' | [0-9] | [1-9][0-9]) ;; *) echo "run-crash: --loss wants a percentage 0..99" >&2 && usage ;; esac
case $duplicate in '' | [0-9] | [1-9][0-9]) ;; *) echo "run-crash: --duplicate wants a percentage 0..99" >&2 && usage ;; esac
case $reorder in '' | [0-9] | [1-9][0-9]) ;; *) echo "run-crash: --reorder wants a percentage 0..99" >&2 && usage ;; esac
case $dump_loss in '' | [0-9] | [1-9][0-9]) ;; *) echo "run-crash: --dump-loss wants a percentage 0..99" >&2 && usage ;; esac
link_ends_down=0
for action in $link_script; do
	case $action in
	off@[0-9]* | on@[0-9]*) case ${action#*@} in *[!0-9]*) echo "run-crash: bad --link-script action '$action'" >&2 && usage ;; esac ;;
	*) echo "run-crash: bad --link-script action '$action' (want off@MS or on@MS)" >&2 && usage ;;
	esac
	link_ends_down=0
	[ "${action%@*}" = off ] && link_ends_down=1
done

# Live runs without a crash idle until Ctrl-C; everything else is bounded.
bounded=1
[ "$live" = 1 ] && [ "$crash" = none ] && bounded=0

[ -n "$logdir" ] || logdir="$root/build/runs/$nic-$crash"
mkdir -p "$logdir" || die "cannot create log directory $logdir"
logdir=$(cd "$logdir" && pwd)
rm -f "$logdir"/{serial.log,transcript.log,capture.pcap,qemu.stderr,listener.stderr} \
	"$logdir"/{tcpdump.stderr,listener.ready,loss-method,cmdline,tap-mac,timing,kernel.iso,mkiso.log} \
	"$logdir"/{capture1.pcap,transcript1.log,listener1.stderr,tcpdump1.stderr,listener1.ready,tap1-mac} \
	"$logdir"/{link.log,monitor.log,monitor.in,monitor.out,traffic.log,traffic.rc}

[ -f "$kernel_elf" ] || die "$kernel_elf is missing (run make)"
[ -x "$listener" ] || die "$listener is missing (run make)"

if ! ncns_check; then
	echo "run-crash: skip: $NCNS_SKIP_REASON" >&2
	exit "$NCNS_SKIP"
fi
ncns_install_traps
if ! ncns_create; then
	echo "run-crash: skip: $NCNS_SKIP_REASON" >&2
	exit "$NCNS_SKIP"
fi

tap_mac=$(ncns_tap_mac)
loss_in_listener=0
if [ -n "$dump_loss" ]; then
	if ip netns exec "$NCNS_NAME" tc qdisc add dev "$NCNS_TAP" root netem loss "$dump_loss%" \
		2>/dev/null &&
		ip netns exec "$NCNS_NAME" tc qdisc add dev "$NCNS_TAP" ingress 2>/dev/null &&
		ip netns exec "$NCNS_NAME" tc filter add dev "$NCNS_TAP" parent ffff: protocol ip \
			u32 match ip protocol 17 0xff match ip dport "$NETDUMP_PORT" 0xffff \
			action gact ok random netrand drop "$dump_loss" 2>/dev/null; then
		echo "tc netem + gact" >"$logdir/loss-method"
	else
		ip netns exec "$NCNS_NAME" tc qdisc del dev "$NCNS_TAP" root 2>/dev/null
		ip netns exec "$NCNS_NAME" tc qdisc del dev "$NCNS_TAP" ingress 2>/dev/null
		loss_in_listener=1
		echo "listener --dump-drop (no tc netem/gact in this kernel)" >"$logdir/loss-method"
	fi
fi
# netem is the tool for this, but kernels without sch_netem are common in
# containers; a classic BPF filter drawing a random number per UDP packet,
# redirecting the unlucky ones to an ifb device that stays down (which drops
# them), needs only cls_bpf, act_mirred and ifb. Both directions, inside the
# namespace; ARP is spared so addresses resolve as usual.
nsx() { ip netns exec "$NCNS_NAME" "$@"; }
# udp_draw PERCENT: the filter's bytecode, true for PERCENT of IPv4 UDP.
udp_draw() {
	echo "8,40 0 0 12,21 0 5 2048,48 0 0 23,21 0 3 17,32 0 0 4294963256,53 1 0 $(($1 * 4294967296 / 100)),6 0 0 4294967295,6 0 0 0"
}
if [ -n "$loss$duplicate$reorder" ]; then
	nsx tc qdisc add dev "$NCNS_TAP" clsact || die "cannot add clsact to $NCNS_TAP with tc"
fi
if [ -n "$loss" ]; then
	nsx ip link add ncsink type ifb &&
		nsx tc filter add dev "$NCNS_TAP" ingress bpf bytecode "$(udp_draw "$loss")" \
			action mirred egress redirect dev ncsink &&
		nsx tc filter add dev "$NCNS_TAP" egress bpf bytecode "$(udp_draw "$loss")" \
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
	nsx ip link add ncdup type ifb && nsx ip link set ncdup up &&
		nsx sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.ncdup.rp_filter=0 &&
		nsx tc filter add dev "$NCNS_TAP" ingress pref 1 bpf bytecode "$(udp_draw "$duplicate")" \
			action mirred ingress mirror dev ncdup continue ||
		die "cannot set up --duplicate with tc (cls_bpf, mirred, ifb)"
fi
# Every shaper lets the first packet after a pause straight through, so a
# packet is late only behind another: htb with a 10-byte bucket passes one
# packet at a time at 160 kbit/s (5 ms for a 100-byte record, 50 ms for a
# 1000-byte fragment), long beside the guest's bursts of lines (boot, the
# oops) and short beside the listener's 1 s wait for a gap.
if [ -n "$reorder" ]; then
	nsx ip link add ncslow type ifb && nsx ip link set ncslow up &&
		nsx tc qdisc add dev ncslow root handle 1: htb default 1 &&
		nsx tc class add dev ncslow parent 1: classid 1:1 htb rate 160kbit ceil 160kbit \
			burst 10 cburst 10 &&
		nsx tc qdisc add dev ncslow parent 1:1 pfifo limit 1000 &&
		nsx tc filter add dev "$NCNS_TAP" ingress pref 60000 bpf bytecode "$(udp_draw "$reorder")" \
			action mirred egress redirect dev ncslow ||
		die "cannot set up --reorder with tc (cls_bpf, mirred, ifb, htb)"
fi
[ -n "$tap_mac" ] || die "cannot read the MAC of $NCNS_TAP in $NCNS_NAME"
printf '%s\n' "$tap_mac" >"$logdir/tap-mac"
if [ -n "$second_nic" ]; then
	if ! ncns_add_second_tap; then
		echo "run-crash: skip: $NCNS_SKIP_REASON" >&2
		exit "$NCNS_SKIP"
	fi
	tap1_mac=$(ncns_tap_mac "$NCNS_TAP1")
	[ -n "$tap1_mac" ] || die "cannot read the MAC of $NCNS_TAP1 in $NCNS_NAME"
	printf '%s\n' "$tap1_mac" >"$logdir/tap1-mac"
fi

# linux_target DEV GUEST_IP HOST_IP HOST_MAC: one Linux netconsole= target.
linux_target() {
	echo "netconsole=$LINUX_SOURCE_PORT@$2/$1,$NETCONSOLE_PORT@$3/$4"
}

# params_2001 DEV GUEST_IP HOST_IP HOST_MAC: the 2001 module parameters;
# the kernel takes the source address from ip=.
params_2001() {
	local params byte i=0
	# shellcheck disable=SC2086 # one printf argument per octet
	params="dev=$1 target_ip=$(printf '0x%02x%02x%02x%02x' ${3//./ })"
	params+=" source_port=$NETCONSOLE_PORT target_port=$NETCONSOLE_PORT"
	for byte in ${4//:/ }; do
		params+=" target_eth_byte$i=0x$byte"
		i=$((i + 1))
	done
	echo "$params ip=$2"
}

case $config in
linux)
	netcfg="netconsole=$LINUX_SOURCE_PORT@$NCNS_GUEST_IP/eth0,$NETCONSOLE_PORT@$NCNS_HOST_IP/$tap_mac"
	;;
linux-arp)
	netcfg="netconsole=$LINUX_SOURCE_PORT@$NCNS_GUEST_IP/eth0,$NETCONSOLE_PORT@$NCNS_HOST_IP/"
	;;
2001)
	netcfg=$(params_2001 eth0 "$NCNS_GUEST_IP" "$NCNS_HOST_IP" "$tap_mac")
	;;
eth1-linux)
	netcfg=$(linux_target eth1 "$GUEST_IP1" "$NCNS_HOST_IP1" "$tap1_mac")
	;;
eth1-2001)
	netcfg=$(params_2001 eth1 "$GUEST_IP1" "$NCNS_HOST_IP1" "$tap1_mac")
	;;
two-targets)
	netcfg="$(linux_target eth0 "$NCNS_GUEST_IP" "$NCNS_HOST_IP" "$tap_mac")"
	netcfg+=" $(linux_target eth1 "$GUEST_IP1" "$NCNS_HOST_IP1" "$tap1_mac")"
	;;
esac
[ -n "$netdump" ] && netcfg+=" netdump=$NETDUMP_PORT@$NCNS_HOST_IP"
[ "$ext" = 1 ] && netcfg=${netcfg/netconsole=/netconsole=+}
cmdline="$netcfg crash=$crash panic=-1${extra_append:+ $extra_append}"
printf '%s\n' "$cmdline" >"$logdir/cmdline"

if [ "$boot" = iso ]; then
	sh "$root/boot/mkiso.sh" "$kernel_elf" "$cmdline" "$logdir/kernel.iso" \
		>"$logdir/mkiso.log" 2>&1 || die "building the ISO failed (see $logdir/mkiso.log)"
	boot_args=(-cdrom "$logdir/kernel.iso")
else
	boot_args=(-kernel "$kernel_elf" -append "$cmdline")
fi

now_us() {
	echo "${EPOCHREALTIME/./}"
}

# Microseconds as seconds with three decimals.
us_to_seconds() {
	printf "%d.%03d" $(($1 / 1000000)) $(($1 % 1000000 / 1000))
}

# wait_for_file_text FILE TEXT PID SECONDS: waits until FILE contains TEXT
# (empty TEXT: until FILE exists) while PID lives.
wait_for_file_text() {
	local file=$1 text=$2 pid=$3 deadline=$(($(now_us) + $4 * 1000000))
	while [ "$(now_us)" -lt "$deadline" ]; do
		if [ -z "$text" ]; then
			[ -e "$file" ] && return 0
		else
			grep -qF -- "$text" "$file" 2>/dev/null && return 0
		fi
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.02
	done
	return 1
}

tcpdump_pid="" listener_pid="" qemu_pid=""
# Immediate mode hands each packet to tcpdump as it arrives instead of once
# per filled ring block, so the capture is complete when the run ends.
capture_filter=()
[ -n "$netdump" ] && capture_filter=(not udp port "$NETDUMP_PORT")
ncns_spawn tcpdump_pid tcpdump -i "$NCNS_TAP" -U --immediate-mode -B 32768 -n \
	-w "$logdir/capture.pcap" "${capture_filter[@]}" 2>"$logdir/tcpdump.stderr" >/dev/null
wait_for_file_text "$logdir/tcpdump.stderr" "listening on" "$tcpdump_pid" 10 ||
	die "tcpdump did not start capturing: $(tail -n 1 "$logdir/tcpdump.stderr")"

listener_args=(-client "$NCNS_HOST_IP" -port "$NETCONSOLE_PORT"
	--output "$logdir/transcript.log" --ready-file "$logdir/listener.ready")
[ "$live" = 1 ] || listener_args+=(--quiet)
if [ "$netdump" = host ]; then
	rm -rf "$logdir/dumps"
	mkdir -p "$logdir/dumps" || die "cannot create $logdir/dumps"
	listener_args+=(--dump-dir "$logdir/dumps" --dump-port "$NETDUMP_PORT")
	[ "$loss_in_listener" = 1 ] && listener_args+=(--dump-drop "$dump_loss")
fi
listener_args+=("${listener_extra[@]}")
[ "$bounded" = 1 ] && [ "$link_ends_down" = 0 ] && listener_args+=(--expect "$END_LINE_PREFIX" --timeout "$((timeout_s + LISTENER_GRACE_S))")
ncns_spawn listener_pid "$listener" "${listener_args[@]}" 2>"$logdir/listener.stderr"
wait_for_file_text "$logdir/listener.ready" "" "$listener_pid" 10 ||
	die "listener did not become ready: $(tail -n 1 "$logdir/listener.stderr")"

# The second NIC's tap has its own capture and listener. The loop below
# waits for the listener on the tap netconsole uses: the second one for the
# eth1-* configs (the first listener then only shows that nothing came).
tcpdump1_pid="" second_listener_pid="" second_nic_args=()
if [ -n "$second_nic" ]; then
	second_nic_args=(-netdev "tap,id=n1,ifname=$NCNS_TAP1,script=no,downscript=no"
		-device "$second_nic,netdev=n1,mac=$GUEST_MAC1,romfile=")
	ncns_spawn tcpdump1_pid tcpdump -i "$NCNS_TAP1" -U --immediate-mode -B 32768 -n \
		-w "$logdir/capture1.pcap" 2>"$logdir/tcpdump1.stderr" >/dev/null
	wait_for_file_text "$logdir/tcpdump1.stderr" "listening on" "$tcpdump1_pid" 10 ||
		die "tcpdump on $NCNS_TAP1 did not start capturing: $(tail -n 1 "$logdir/tcpdump1.stderr")"
	listener1_args=(-client "$NCNS_HOST_IP1" -port "$NETCONSOLE_PORT"
		--output "$logdir/transcript1.log" --ready-file "$logdir/listener1.ready")
	[ "$live" = 1 ] && [ "$config" != two-targets ] || listener1_args+=(--quiet)
	[ "$bounded" = 1 ] && [ "$link_ends_down" = 0 ] && listener1_args+=(--expect "$END_LINE_PREFIX" --timeout "$((timeout_s + LISTENER_GRACE_S))")
	ncns_spawn second_listener_pid "$listener" "${listener1_args[@]}" 2>"$logdir/listener1.stderr"
	wait_for_file_text "$logdir/listener1.ready" "" "$second_listener_pid" 10 ||
		die "the listener on $NCNS_TAP1 did not become ready: $(tail -n 1 "$logdir/listener1.stderr")"
	case $config in
	eth1-*)
		listener_pid=$second_listener_pid
		second_listener_pid=""
		;;
	esac
fi

if [ "$live" = 1 ]; then
	echo "run-crash: $nic, crash=$crash, boot=$boot; logs in $logdir" >&2
	[ "$bounded" = 1 ] || echo "run-crash: crash=none idles; Ctrl-C ends the run" >&2
fi

# The monitor listens on a pair of FIFOs (QEMU opens both read-write, so
# nothing blocks); the link script writes set_link commands into one.
monitor_args=(-monitor none)
if [ -n "$link_script" ]; then
	mkfifo "$logdir/monitor.in" "$logdir/monitor.out" || die "cannot create the monitor FIFOs"
	monitor_args=(-monitor "pipe:$logdir/monitor")
fi

start_us=$(now_us)
ncns_spawn qemu_pid qemu-system-i386 -accel tcg -m "$mem_mib" -display none -no-reboot \
	-serial "file:$logdir/serial.log" "${monitor_args[@]}" \
	-netdev "tap,id=n0,ifname=$NCNS_TAP,script=no,downscript=no" \
	-device "$nic,netdev=n0,mac=$NCNS_GUEST_MAC,romfile=" \
	"${second_nic_args[@]}" \
	"${boot_args[@]}" >"$logdir/qemu.stderr" 2>&1

# run_link_script: each action at its time, on n0 (and n1), logged with the
# time it was sent.
run_link_script() {
	local action ms state wait_us netdevs=(n0) fd n base_us=$start_us
	[ -n "$second_nic" ] && netdevs+=(n1)
	if [ -n "$link_after" ]; then
		until grep -qF -- "$link_after" "$logdir/serial.log" 2>/dev/null; do
			kill -0 "$qemu_pid" 2>/dev/null || return
			sleep 0.01
		done
		base_us=$(now_us)
	fi
	exec {fd}<>"$logdir/monitor.in"
	for action in $link_script; do
		ms=${action#*@} state=${action%@*}
		wait_us=$((base_us + ms * 1000 - $(now_us)))
		[ "$wait_us" -gt 0 ] && sleep "$(us_to_seconds "$wait_us")"
		for n in "${netdevs[@]}"; do
			printf 'set_link %s %s\n' "$n" "$state" >&"$fd"
		done
		echo "$((($(now_us) - base_us) / 1000)) ms: set_link ${netdevs[*]} $state" >>"$logdir/link.log"
	done
	exec {fd}>&-
}
if [ -n "$link_script" ]; then
	cat "$logdir/monitor.out" >"$logdir/monitor.log" &
	NCNS_PIDS+=("$!")
	run_link_script &
	NCNS_PIDS+=("$!")
fi

qemu_rc="" listener_rc="" qemu_end_us="" listener_end_us=""
traffic_pid="" traffic_rc="" traffic_start_us="" traffic_end_us=""
deadline_us=$((start_us + timeout_s * 1000000))
while :; do
	now=$(now_us)
	if [ -z "$qemu_rc" ] && ! kill -0 "$qemu_pid" 2>/dev/null; then
		wait "$qemu_pid"
		qemu_rc=$?
		qemu_end_us=$now
		# Whatever the guest sent is already queued on the listener's
		# socket; give it a moment to drain rather than the full timeout.
		limit=$((now + LISTENER_GRACE_S * 1000000))
		[ "$limit" -lt "$deadline_us" ] && deadline_us=$limit
	fi
	if [ -z "$listener_rc" ] && ! kill -0 "$listener_pid" 2>/dev/null; then
		wait "$listener_pid"
		listener_rc=$?
		listener_end_us=$now
		limit=$((now + QEMU_EXIT_GRACE_S * 1000000))
		[ "$limit" -lt "$deadline_us" ] && deadline_us=$limit
	fi
	if [ -n "$traffic" ] && [ -z "$traffic_pid" ] && [ -z "$qemu_rc" ] &&
		grep -qF -- "$traffic_after" "$logdir/serial.log" 2>/dev/null; then
		ncns_spawn traffic_pid bash -c "$traffic" >"$logdir/traffic.log" 2>&1
		traffic_start_us=$now
	fi
	if [ -n "$traffic_pid" ] && [ -z "$traffic_rc" ] && ! kill -0 "$traffic_pid" 2>/dev/null; then
		wait "$traffic_pid"
		traffic_rc=$?
		traffic_end_us=$now
		echo "$traffic_rc" >"$logdir/traffic.rc"
	fi
	[ -n "$qemu_rc" ] && [ -n "$listener_rc" ] && break
	[ "$bounded" = 0 ] && [ -n "$qemu_rc" ] && break
	[ "$link_ends_down" = 1 ] && [ -n "$qemu_rc" ] && break
	[ "$bounded" = 1 ] && [ "$now" -ge "$deadline_us" ] && break
	sleep 0.05
done

# With two targets, the second listener must see the end line too; the
# guest sent it right after the first listener's copy.
second_listener_rc=""
if [ -n "$second_listener_pid" ]; then
	limit=$(($(now_us) + LISTENER_GRACE_S * 1000000))
	while kill -0 "$second_listener_pid" 2>/dev/null && [ "$(now_us)" -lt "$limit" ]; do
		sleep 0.05
	done
	if ! kill -0 "$second_listener_pid" 2>/dev/null; then
		wait "$second_listener_pid"
		second_listener_rc=$?
	fi
fi

# The last packets reach tcpdump's socket no later than the listener's;
# wait until the capture file stops growing before ending tcpdump.
last_size=-1
for _ in 1 2 3 4 5 6 7 8 9 10; do
	size=$(stat -c %s "$logdir"/capture*.pcap 2>/dev/null || echo 0)
	[ "$size" = "$last_size" ] && break
	last_size=$size
	sleep 0.1
done
ncns_cleanup

{
	if [ -n "$listener_end_us" ]; then
		echo "qemu_start_to_listener_done_s=$(us_to_seconds $((listener_end_us - start_us)))"
	fi
	if [ -n "$qemu_end_us" ]; then
		echo "qemu_start_to_qemu_exit_s=$(us_to_seconds $((qemu_end_us - start_us)))"
		# Wall-clock time of the exit, for tests that time events they watch.
		echo "qemu_exit_epoch_us=$qemu_end_us"
	fi
	if [ -n "$traffic_start_us" ]; then
		echo "qemu_start_to_traffic_start_s=$(us_to_seconds $((traffic_start_us - start_us)))"
	fi
	if [ -n "$traffic_end_us" ]; then
		echo "qemu_start_to_traffic_end_s=$(us_to_seconds $((traffic_end_us - start_us)))"
	fi
} >"$logdir/timing"

if [ "$link_ends_down" = 1 ]; then
	[ -n "$qemu_rc" ] || die "timeout after ${timeout_s}s: QEMU still running with the link down"
	[ "$qemu_rc" = 0 ] || die "QEMU exited with status $qemu_rc: $(tail -n 1 "$logdir/qemu.stderr")"
	exit 0
fi
if [ -z "$qemu_rc" ] && [ -z "$listener_rc" ]; then
	die "timeout after ${timeout_s}s: QEMU still running, listener saw no end line"
fi
if [ -z "$listener_rc" ]; then
	die "QEMU exited (status $qemu_rc) but the listener never saw '$END_LINE_PREFIX'"
fi
if [ "$listener_rc" != 0 ]; then
	die "listener failed (status $listener_rc): $(tail -n 1 "$logdir/listener.stderr")"
fi
if [ -z "$qemu_rc" ]; then
	die "listener saw the end line but QEMU did not exit within ${QEMU_EXIT_GRACE_S}s (panic=-1 ignored?)"
fi
if [ "$qemu_rc" != 0 ]; then
	die "QEMU exited with status $qemu_rc: $(tail -n 1 "$logdir/qemu.stderr")"
fi
if [ -n "$second_listener_pid" ] && [ -z "$second_listener_rc" ]; then
	die "the listener on $NCNS_TAP1 never saw '$END_LINE_PREFIX'"
fi
if [ -n "$second_listener_pid" ] && [ "$second_listener_rc" != 0 ]; then
	die "the listener on $NCNS_TAP1 failed (status $second_listener_rc): $(tail -n 1 "$logdir/listener1.stderr")"
fi
[ "$live" = 1 ] && echo "run-crash: done in $(sed -n 's/^qemu_start_to_listener_done_s=//p' "$logdir/timing") s" >&2
exit 0
