#!/usr/bin/env bash
# One crash run: boots the kernel under QEMU (TCG) on the network of a
# fresh namespace (a tap, or QEMU's user-mode network: the backend
# qemu/backend.sh chooses, NET=netns|userns|user forces one), captures the
# guest's frames and receives netconsole with the host listener until the
# panic's end line arrives. DIR/backend names the backend and why the
# others were not taken; --loss, --duplicate, --reorder and --traffic need
# a tap, and on the user backend the run exits 77 saying so.
#
# usage: run-crash.sh [--nic e1000|rtl8139] [--crash SITE] [--boot kernel|iso]
#                     [--config linux|linux-arp|2001|none|mixed] [--append "ARGS"]
#                     [--logdir DIR] [--timeout SECONDS] [--live]
#                     [--second-nic e1000|rtl8139
#                      [--config eth1-linux|eth1-2001|two-targets|two-targets-eth1-first]]
#                     [--netdump host|no-host] [--dump-loss PERCENT] [--mem MIB]
#                     [--smp N] [--ext] [--cpu-log] [--loss PERCENT] [--duplicate PERCENT]
#                     [--reorder PERCENT] [--listener-arg ARG]...
#                     [--link-script "off@MS on@MS ..."] [--link-after TEXT]
#                     [--traffic "CMD" [--traffic-after TEXT]] [--until TEXT] [--end TEXT]
#                     [--gdb | --gdb-batch "CMD; CMD..."]
#                     [--serial-sysrq KEY [--serial-sysrq-after TEXT]] [--ipv6]
#
# --config none gives no netconsole parameters (--append may): nothing is
# expected at the listener, and the run ends when QEMU exits.
# Leaves in DIR: serial.log, transcript.log, capture.pcap, qemu.stderr,
# listener.stderr, tcpdump.stderr, cmdline, tap-mac (the host side), timing.
# --second-nic adds eth1 (10.0.8.5) on a second tap (10.0.8.1) with its own
# capture1.pcap, transcript1.log, listener1.stderr, tcpdump1.stderr and
# tap1-mac; eth1-* configs send through eth1 only, two-targets through both
# (the first netconsole= on eth0), two-targets-eth1-first through both with
# the first netconsole= on eth1.
# --netdump adds netdump=6667@10.0.7.1; with "host" the listener also takes
# the crash dump into DIR/dumps (and waits for it), with "no-host" nothing
# listens on the dump port. The capture then leaves out the dump's data (on
# the netns backend; QEMU records it on the others, and the checks of
# tests/qemu/lib-netcheck.sh leave it out).
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
# --ipv6: the taps carry IPv6 as well (qemu/netns.sh, duplicate address
# detection off) and the Linux-syntax configurations use IPv6 addresses
# (fd00:7::5 -> fd00:7::1, fd00:8::5 -> fd00:8::1; linux with bracketed
# addresses and the tap's MAC, linux-arp bare and resolved by neighbour
# discovery); the listeners bind the tap's IPv6 address. --config mixed
# (with --ipv6) gives eth0 two targets, IPv4 and IPv6 (resolved by ARP and
# NDP), to one listener bound to every address, which keeps a transcript
# per sender and runs until both hold the end line.
# --traffic runs CMD with bash inside the namespace once the serial log
# shows TEXT (default: netconsole's "network logging started"), its output
# in DIR/traffic.log and its exit status in DIR/traffic.rc; when the run ends
# first, CMD gets TERM (and must end its children) and traffic.rc is absent.
# --gdb (study mode, qemu/gdb-session.sh) holds the guest at its first
# instruction under gdb, with the listener's output (DIR/listener.out) and one
# line per packet (DIR/packets.log) beside it; the run's deadline starts when
# gdb exits. --gdb-batch runs the commands in gdb from the first breakpoint,
# then lets the guest run to the end; its output is also in DIR/gdb.log.
# --until ends the run when the listener and the serial log have TEXT
# instead of the panic's end line, for a kernel that goes on (crash=warn):
# QEMU must still be running then, and is stopped. --end TEXT takes TEXT as
# the run's end line instead of the panic's, for a kernel that then ends
# QEMU by itself (bench= powers off): the run is over, as after a panic,
# once QEMU has exited (status 0) and the listener has seen TEXT.
# --live shows the listener's output, and puts the guest's serial port on
# this terminal with QEMU's monitor (-serial mon:stdio, also logged to
# serial.log): Ctrl-a b sends a BREAK, the key after it is magic SysRq,
# Ctrl-a x ends QEMU.
# --serial-sysrq makes the serial port a telnet-mode socket (QEMU waits for
# its client) and build/host/serial-sysrq sends a BREAK and KEY once the
# serial output shows TEXT (at once without it); serial.log is then that
# client's copy of the output (see README, Magic SysRq).
# --smp N boots N CPUs (1 to 8; default $SMP, else 1) under multi-threaded
# TCG (-smp N -accel tcg,thread=multi); 1 runs exactly the single-CPU setup.
# Exit: 0 the run completed (listener saw the end line, QEMU exited),
# 1 it did not (one-line reason on stderr), 2 usage, 77 cannot run here.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=qemu/netns.sh
. "$here/netns.sh"
# shellcheck source=qemu/backend.sh
. "$here/backend.sh"
# shellcheck source=qemu/gdb-session.sh
. "$here/gdb-session.sh"

GUEST_IP1=10.0.8.5
GUEST_MAC1=52:54:00:12:34:57
GUEST_IP6_1=fd00:8::5
LINUX_SOURCE_PORT=6665
NETDUMP_PORT=6667
END_LINE_PREFIX="---[ end Kernel panic"
# How long QEMU may take to exit after the listener saw the end line
# (panic=-1 makes it reboot, which -no-reboot turns into an exit), and how
# long the listener may take to finish after QEMU is gone. The listener's
# own timeout is longer than the run's, so the run's deadline decides.
# The exit can come long after the end line: an extended target lingers
# (netconsole_linger=, 5 s) by the kernel's clock, and a loaded host can
# throw the kernel's TSC calibration off by a factor of several (it says
# so: "every PIT calibration window was disturbed"; loss-e1000-tail waited
# over 10 s for a linger calibrated at 4855 MHz).
QEMU_EXIT_GRACE_S=30
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
smp_cpus=${SMP:-1}
# --ext: the netconsole= target in the extended format ('+'); --loss,
# --duplicate, --reorder: qemu/shape-udp.sh's options.
ext=0
# --cpu-log: QEMU logs every interrupt and exception the CPUs take (-d int;
# with --smp each line names its CPU) to DIR/cpu.log, the witness tests/qemu/check-cpu-log.awk reads.
cpu_log=0
ipv6=0
loss=""
duplicate=""
reorder=""
listener_extra=()
link_script=""
link_after=""
traffic=""
traffic_after="netconsole: network logging started"
# --gdb: interactive; --gdb-batch: batch, with its commands in gdb_batch.
gdb_mode=""
gdb_batch=""
gdb_qemu_args=()
until_text=""
serial_sysrq_key=""
serial_sysrq_after=""
serial_sysrq=${NC_SERIAL_SYSRQ:-$root/build/host/serial-sysrq}
# Set as the run goes: the PIDs of QEMU and of the listener watch_tap started.
qemu_pid="" watched_listener_pid="" serial_tool_pid=""
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

# bad_usage MESSAGE: the message, then the usage.
bad_usage() {
	echo "run-crash: $*" >&2
	usage
}

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--nic | --second-nic | --crash | --boot | --config | --append | --logdir | --timeout | \
			--netdump | --dump-loss | --mem | --smp | --loss | --duplicate | --reorder | --listener-arg | --link-script | \
			--link-after | --traffic | --traffic-after | --gdb-batch | --until | --end | --serial-sysrq | --serial-sysrq-after)
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
			--smp) smp_cpus=$2 ;;
			--loss) loss=$2 ;;
			--duplicate) duplicate=$2 ;;
			--reorder) reorder=$2 ;;
			--listener-arg) listener_extra+=("$2") ;;
			--link-script) link_script=$2 ;;
			--link-after) link_after=$2 ;;
			--traffic) traffic=$2 ;;
			--traffic-after) traffic_after=$2 ;;
			--gdb-batch) gdb_mode=batch gdb_batch=$2 ;;
			--until) until_text=$2 ;;
			--end) END_LINE_PREFIX=$2 ;;
			--serial-sysrq) serial_sysrq_key=$2 ;;
			--serial-sysrq-after) serial_sysrq_after=$2 ;;
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
		--gdb)
			gdb_mode=interactive
			shift
			;;
		--cpu-log)
			cpu_log=1
			shift
			;;
		--ipv6)
			ipv6=1
			shift
			;;
		-h | --help) usage ;;
		*) bad_usage "unknown option '$1'" ;;
		esac
	done
}

# check_percent OPTION VALUE: VALUE is empty or a percentage 0..99.
check_percent() {
	case $2 in '' | [0-9] | [1-9][0-9]) ;; *) bad_usage "$1 wants a percentage 0..99" ;; esac
}

# Sets link_ends_down (1 when the link script leaves the link off, or with
# --config none, when nothing reaches the listener either) and
# bounded (0 for a live run without a crash, which idles until Ctrl-C).
check_args() {
	local action
	case $nic in e1000 | rtl8139) ;; *) bad_usage "--nic must be e1000 or rtl8139" ;; esac
	case $boot in kernel | iso) ;; *) bad_usage "--boot must be kernel or iso" ;; esac
	case $config in none | linux | linux-arp | 2001 | eth1-linux | eth1-2001 | two-targets | two-targets-eth1-first | mixed) ;; *) bad_usage "bad --config '$config'" ;; esac
	case $second_nic in '' | e1000 | rtl8139) ;; *) bad_usage "--second-nic must be e1000 or rtl8139" ;; esac
	case $config in eth1-* | two-targets*) [ -n "$second_nic" ] || bad_usage "--config $config needs --second-nic" ;; esac
	case $config in *2001) [ "$ipv6" = 0 ] || bad_usage "the 2001 parameters are IPv4 only (--config $config with --ipv6)" ;; esac
	[ "$config" = mixed ] && [ "$ipv6" = 0 ] && bad_usage "--config mixed needs --ipv6"
	case $crash in '' | *[!a-z0-9-]*) bad_usage "bad --crash '$crash'" ;; esac
	case $timeout_s in '' | *[!0-9]* | 0) bad_usage "--timeout wants whole seconds > 0" ;; esac
	case $mem_mib in '' | *[!0-9]* | 0*) bad_usage "--mem wants MiB, e.g. 64" ;; esac
	case $smp_cpus in [1-8]) ;; *) bad_usage "--smp (or SMP=) wants a CPU count 1..8, not '$smp_cpus'" ;; esac
	case $netdump in '' | host | no-host) ;; *) bad_usage "--netdump must be host or no-host" ;; esac
	check_percent --loss "$loss"
	check_percent --duplicate "$duplicate"
	check_percent --reorder "$reorder"
	check_percent --dump-loss "$dump_loss"
	link_ends_down=0
	for action in $link_script; do
		case $action in
		off@[0-9]* | on@[0-9]*) case ${action#*@} in *[!0-9]*) bad_usage "bad --link-script action '$action'" ;; esac ;;
		*) bad_usage "bad --link-script action '$action' (want off@MS or on@MS)" ;;
		esac
		link_ends_down=0
		[ "${action%@*}" = off ] && link_ends_down=1
	done
	[ "$config" = none ] && link_ends_down=1
	# Two senders to one listener: the first end line must not end it, so it
	# runs until QEMU has exited and both transcripts hold the end line.
	[ "$config" = mixed ] && link_ends_down=1
	bounded=1
	[ "$live" = 1 ] || [ -n "$gdb_mode" ] && [ "$crash" = none ] && bounded=0
	if [ -n "$gdb_mode" ] && ! command -v gdb >/dev/null 2>&1; then
		echo "run-crash: skip: gdb not installed (run 'make deps')" >&2
		exit "$NCNS_SKIP"
	fi
}

# Creates the log directory (absolute from then on) and removes what an
# earlier run left in it.
prepare_logdir() {
	[ -n "$logdir" ] || logdir="$root/build/runs/$nic-$crash"
	mkdir -p "$logdir" || die "cannot create log directory $logdir"
	logdir=$(cd "$logdir" && pwd)
	rm -f "$logdir"/{serial.log,transcript.log,capture.pcap,qemu.stderr,listener.stderr} \
		"$logdir"/{tcpdump.stderr,listener.ready,loss-method,cmdline,tap-mac,timing,kernel.iso,mkiso.log} \
		"$logdir"/{capture1.pcap,transcript1.log,listener1.stderr,tcpdump1.stderr,listener1.ready,tap1-mac} \
		"$logdir"/{link.log,monitor.log,monitor.in,monitor.out,traffic.log,traffic.rc,cpu.log} \
		"$logdir"/{gdb.init,gdb.log,listener.out,listener1.out,packets.log,packets.stderr} \
		"$logdir"/backend
}

# skip_unless STATUS: exits with "cannot run here" and the reason when a
# netns.sh step failed.
skip_unless() {
	[ "$1" = 0 ] && return 0
	echo "run-crash: skip: $NCNS_SKIP_REASON" >&2
	exit "$NCNS_SKIP"
}

nsx() { ncns_in "$@"; }

# --dump-loss: tc netem on the tap drops acknowledgements, a random gact
# drop on its ingress the dump's data; a kernel without them leaves the
# dropping to the listener (loss_in_listener=1). DIR/loss-method says which.
setup_dump_loss() {
	loss_in_listener=0
	[ -n "$dump_loss" ] || return 0
	if [ -n "$(nb_no_tap_reason tc)" ]; then
		loss_in_listener=1
		echo "listener --dump-drop ($(nb_no_tap_reason tc))" >"$logdir/loss-method"
		return 0
	fi
	if nsx tc qdisc add dev "$NCNS_TAP" root netem loss "$dump_loss%" 2>/dev/null &&
		nsx tc qdisc add dev "$NCNS_TAP" ingress 2>/dev/null &&
		nsx tc filter add dev "$NCNS_TAP" parent ffff: protocol ip \
			u32 match ip protocol 17 0xff match ip dport "$NETDUMP_PORT" 0xffff \
			action gact ok random netrand drop "$dump_loss" 2>/dev/null; then
		echo "tc netem + gact" >"$logdir/loss-method"
	else
		nsx tc qdisc del dev "$NCNS_TAP" root 2>/dev/null
		nsx tc qdisc del dev "$NCNS_TAP" ingress 2>/dev/null
		loss_in_listener=1
		echo "listener --dump-drop (no tc netem/gact in this kernel)" >"$logdir/loss-method"
	fi
}

# Makes the backend's network (for netns and userns a namespace with its
# tap, and the second tap), shapes its traffic as asked and records the
# MACs the guest sends to in tap_mac, tap1_mac and DIR/tap-mac,
# DIR/tap1-mac. What needs the run's tap cannot run on the user backend:
# that is a skip, with the reason.
setup_network() {
	local shape_args=() option reason
	for option in ${loss:+--loss} ${duplicate:+--duplicate} ${reorder:+--reorder} ${traffic:+--traffic}; do
		reason=$(nb_no_tap_reason "$option")
		[ -z "$reason" ] || NCNS_SKIP_REASON="$reason" skip_unless "$NCNS_SKIP"
	done
	# Only the interactive form shows tcpdump on the tap beside gdb;
	# --gdb-batch reads QEMU's capture like any run.
	if [ "$gdb_mode" = interactive ]; then
		reason=$(nb_no_tcpdump_reason --gdb)
		[ -z "$reason" ] || NCNS_SKIP_REASON="$reason" skip_unless "$NCNS_SKIP"
	fi
	NCNS_IPV6=$ipv6
	ncns_install_traps
	nb_create
	skip_unless $?
	tap_mac=$(nb_host_mac "")
	setup_dump_loss
	[ -n "$loss" ] && shape_args+=(--loss "$loss")
	[ -n "$duplicate" ] && shape_args+=(--duplicate "$duplicate")
	[ -n "$reorder" ] && shape_args+=(--reorder "$reorder")
	[ ${#shape_args[@]} -eq 0 ] || nsx bash "$here/shape-udp.sh" "$NCNS_TAP" "${shape_args[@]}" || exit 1
	[ -n "$tap_mac" ] || die "cannot read the MAC of $NCNS_TAP in $NCNS_NAME"
	printf '%s\n' "$tap_mac" >"$logdir/tap-mac"
	tap1_mac=""
	[ -n "$second_nic" ] || return 0
	nb_add_second
	skip_unless $?
	tap1_mac=$(nb_host_mac 1)
	[ -n "$tap1_mac" ] || die "cannot read the MAC of $NCNS_TAP1 in $NCNS_NAME"
	printf '%s\n' "$tap1_mac" >"$logdir/tap1-mac"
}

# linux_target DEV GUEST_IP HOST_IP HOST_MAC PORT: one Linux netconsole= target.
linux_target() {
	echo "netconsole=$LINUX_SOURCE_PORT@$2/$1,$5@$3/$4"
}

# params_2001 DEV GUEST_IP HOST_IP HOST_MAC PORT: the 2001 module parameters,
# from port 6666 to PORT; the kernel takes the source address from ip=.
params_2001() {
	local params byte i=0
	# shellcheck disable=SC2086 # one printf argument per octet
	params="dev=$1 target_ip=$(printf '0x%02x%02x%02x%02x' ${3//./ })"
	params+=" source_port=$NB_NETCONSOLE_PORT target_port=$5"
	for byte in ${4//:/ }; do
		params+=" target_eth_byte$i=0x$byte"
		i=$((i + 1))
	done
	echo "$params ip=$2"
}

# Sets cmdline, the kernel's command line, and writes it to DIR/cmdline.
build_cmdline() {
	local netcfg port=$NB_NETCONSOLE_PORT port1
	port1=$(nb_target_port 1)
	local guest=$NCNS_GUEST_IP host=$NCNS_HOST_IP guest1=$GUEST_IP1 host1=$NCNS_HOST_IP1
	if [ "$ipv6" = 1 ]; then
		guest=[$NCNS_GUEST_IP6] host=[$NCNS_HOST_IP6] guest1=[$GUEST_IP6_1] host1=[$NCNS_HOST_IP6_1]
	fi
	case $config in
	none)
		netcfg=""
		;;
	linux)
		netcfg=$(linux_target eth0 "$guest" "$host" "$tap_mac" "$port")
		;;
	linux-arp)
		netcfg=$(linux_target eth0 "${guest//[][]/}" "${host//[][]/}" "" "$port")
		;;
	2001)
		netcfg=$(params_2001 eth0 "$NCNS_GUEST_IP" "$NCNS_HOST_IP" "$tap_mac" "$port")
		;;
	eth1-linux)
		netcfg=$(linux_target eth1 "$guest1" "$host1" "$tap1_mac" "$port1")
		;;
	eth1-2001)
		netcfg=$(params_2001 eth1 "$GUEST_IP1" "$NCNS_HOST_IP1" "$tap1_mac" "$port1")
		;;
	two-targets)
		netcfg="$(linux_target eth0 "$guest" "$host" "$tap_mac" "$port")"
		netcfg+=" $(linux_target eth1 "$guest1" "$host1" "$tap1_mac" "$port1")"
		;;
	mixed)
		# Both MACs by resolution: ARP for the one, NDP for the other.
		netcfg="$(linux_target eth0 "$NCNS_GUEST_IP" "$NCNS_HOST_IP" "" "$port")"
		netcfg+=" $(linux_target eth0 "$NCNS_GUEST_IP6" "$NCNS_HOST_IP6" "" "$port")"
		;;
	two-targets-eth1-first)
		netcfg="$(linux_target eth1 "$guest1" "$host1" "$tap1_mac" "$port1")"
		netcfg+=" $(linux_target eth0 "$guest" "$host" "$tap_mac" "$port")"
		;;
	esac
	# netdump goes to eth0's host, in the targets' family (IPv4 for mixed).
	[ -n "$netdump" ] && [ "$config" != mixed ] && netcfg+=" netdump=$NETDUMP_PORT@$host"
	[ -n "$netdump" ] && [ "$config" = mixed ] && netcfg+=" netdump=$NETDUMP_PORT@$NCNS_HOST_IP"
	[ "$ext" = 1 ] && netcfg=${netcfg/netconsole=/netconsole=+}
	cmdline="${netcfg:+$netcfg }crash=$crash panic=-1${extra_append:+ $extra_append}"
	printf '%s\n' "$cmdline" >"$logdir/cmdline"
}

# Sets boot_args, QEMU's options for booting the kernel with cmdline, by
# -kernel or from an ISO built for this run, and qemu_dir, the directory
# QEMU runs in. QEMU's multiboot loader puts the -kernel path, as given, in
# front of the command line; run from the kernel's directory, the kernel
# sees "kernel.elf ..." wherever the kernel lives, so a long TMPDIR or
# checkout cannot push a long command line past the kernel's limit.
prepare_boot() {
	if [ "$boot" = iso ]; then
		sh "$root/boot/mkiso.sh" "$kernel_elf" "$cmdline" "$logdir/kernel.iso" \
			>"$logdir/mkiso.log" 2>&1 || die "building the ISO failed (see $logdir/mkiso.log)"
		boot_args=(-cdrom "$logdir/kernel.iso")
		qemu_dir=$logdir
	else
		boot_args=(-kernel "$(basename "$kernel_elf")" -append "$cmdline")
		qemu_dir=$(dirname "$kernel_elf")
	fi
}

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

# watch_tap N LISTENER_ARG...: starts the capture of NIC N's frames (N empty
# for the first NIC, 1 for the second) and, once it captures, a listener on
# that NIC's host address (127.0.0.1 on the user backend) and target port
# with the given extra options; waits until the listener is ready and
# leaves its PID in watched_listener_pid. Files: captureN.pcap,
# tcpdumpN.stderr, transcriptN.log, listenerN.stderr. On the netns backend
# tcpdump captures the tap: immediate mode hands each packet to it as it
# arrives instead of once per filled ring block, so the capture is complete
# when the run ends; the dump's data stays out of the capture. On the
# others QEMU records the frames, the dump's data too (tcpdump cannot write
# a file inside a user namespace): the checks leave it out.
watch_tap() {
	local n=$1 tap listen_ip tcpdump_pid capture_filter=() args
	shift
	tap=NCNS_TAP$n
	tap=${!tap}
	listen_ip=$(nb_listen_ip "$n")
	[ "$config" = mixed ] && listen_ip=::
	[ -n "$netdump" ] && capture_filter=(not udp port "$NETDUMP_PORT")
	if ! nb_captures_itself; then
		ncns_spawn tcpdump_pid tcpdump -i "$tap" -U --immediate-mode -B 32768 -n \
			-w "$logdir/capture$n.pcap" "${capture_filter[@]}" 2>"$logdir/tcpdump$n.stderr" >/dev/null
		wait_for_file_text "$logdir/tcpdump$n.stderr" "listening on" "$tcpdump_pid" 10 ||
			die "tcpdump on $tap had not started capturing 10s after it was started: $(tail -n 1 "$logdir/tcpdump$n.stderr")"
	fi
	args=(-client "$listen_ip" -port "$(nb_target_port "$n")"
		--output "$logdir/transcript$n.log" --ready-file "$logdir/listener$n.ready" "$@")
	# Under gdb the guest may be stopped for as long as someone studies it:
	# the run's deadline, which starts when gdb exits, decides alone.
	if [ "$bounded" = 1 ] && [ "$link_ends_down" = 0 ]; then
		args+=(--expect "${until_text:-$END_LINE_PREFIX}")
		[ -n "$gdb_mode" ] || args+=(--timeout "$((timeout_s + LISTENER_GRACE_S))")
	fi
	if [ -n "$gdb_mode" ]; then
		ncns_spawn watched_listener_pid "$listener" "${args[@]}" 2>"$logdir/listener$n.stderr" \
			>"$logdir/listener$n.out"
	else
		ncns_spawn watched_listener_pid "$listener" "${args[@]}" 2>"$logdir/listener$n.stderr"
	fi
	wait_for_file_text "$logdir/listener$n.ready" "" "$watched_listener_pid" 10 ||
		die "the listener for NIC ${n:-0} was not ready 10s after it was started: $(tail -n 1 "$logdir/listener$n.stderr")"
}

# Watches each tap the guest has. Sets listener_pid, the listener on the
# tap netconsole uses (the second for the eth1-* configs, where the first
# only shows that nothing came), and second_listener_pid, the other one
# that must see the end line too (two-targets*), or empty.
start_watchers() {
	local args=()
	[ "$live" = 1 ] || [ "$gdb_mode" = interactive ] || args+=(--quiet)
	if [ "$netdump" = host ]; then
		rm -rf "$logdir/dumps"
		mkdir -p "$logdir/dumps" || die "cannot create $logdir/dumps"
		args+=(--dump-dir "$logdir/dumps" --dump-port "$NETDUMP_PORT")
		[ "$loss_in_listener" = 1 ] && args+=(--dump-drop "$dump_loss")
	fi
	watch_tap "" "${args[@]}" "${listener_extra[@]}"
	listener_pid=$watched_listener_pid
	second_listener_pid=""
	[ -n "$second_nic" ] || return 0
	args=()
	[ "$live" = 1 ] && [ "${config#two-targets}" = "$config" ] || args+=(--quiet)
	watch_tap 1 "${args[@]}"
	case $config in
	eth1-*) listener_pid=$watched_listener_pid ;;
	*) second_listener_pid=$watched_listener_pid ;;
	esac
}

# Starts QEMU (qemu_pid), the clock (start_us) and the link script.
# The monitor listens on a pair of FIFOs (QEMU opens both read-write, so
# nothing blocks); the link script writes set_link commands into one.
start_qemu() {
	local monitor_args=(-monitor none) nic_args serial_args=(-serial "file:$logdir/serial.log")
	local steps=() cpu_args=(-accel tcg)
	# shellcheck disable=SC2054 # "tcg,thread=multi" is one QEMU argument
	[ "$smp_cpus" -gt 1 ] && cpu_args=(-accel tcg,thread=multi -smp "$smp_cpus")
	[ "$cpu_log" = 1 ] && cpu_args+=(-d int -D "$logdir/cpu.log")
	mapfile -t nic_args < <(nb_qemu_netdev "" "$nic" "$NCNS_GUEST_MAC" "$logdir/capture.pcap")
	[ -n "$second_nic" ] &&
		mapfile -t -O "${#nic_args[@]}" nic_args < <(nb_qemu_netdev 1 "$second_nic" "$GUEST_MAC1" "$logdir/capture1.pcap")
	if [ -n "$link_script" ]; then
		mkfifo "$logdir/monitor.in" "$logdir/monitor.out" || die "cannot create the monitor FIFOs"
		monitor_args=(-monitor "pipe:$logdir/monitor")
	fi
	local qemu_stdin=()
	if [ "$live" = 1 ] && [ -t 0 ]; then
		# The terminal reaches QEMU through fd 3: a background job's
		# stdin is /dev/null.
		# shellcheck disable=SC2054 # each comma list is one QEMU argument
		serial_args=(-chardev "stdio,id=ser0,mux=on,logfile=$logdir/serial.log" -serial chardev:ser0
			-mon chardev=ser0,mode=readline)
		[ -n "$link_script" ] || monitor_args=()
		# And the terminal is its stdout, stderr stays in qemu.stderr.
		qemu_stdin=(sh -c 'exec "$@" <&3 >&4' sh)
	elif [ -n "$serial_sysrq_key" ]; then
		rm -f "$logdir/serial.sock"
		serial_args=(-chardev "socket,id=ser0,path=$logdir/serial.sock,server=on,wait=on,telnet=on"
			-serial chardev:ser0)
		[ -n "$serial_sysrq_after" ] && steps=(--after "$serial_sysrq_after")
		setpriv --pdeathsig KILL "$serial_sysrq" --output "$logdir/serial.log" "$logdir/serial.sock" \
			"${steps[@]}" "$serial_sysrq_key" 2>"$logdir/serial-sysrq.stderr" &
		serial_tool_pid=$!
		NCNS_PIDS+=("$serial_tool_pid")
	fi
	start_us=$(now_us)
	ncns_spawn qemu_pid "${qemu_stdin[@]}" env -C "$qemu_dir" qemu-system-i386 "${cpu_args[@]}" -m "$mem_mib" -display none -no-reboot \
		"${serial_args[@]}" "${monitor_args[@]}" "${nic_args[@]}" \
		"${gdb_qemu_args[@]}" "${boot_args[@]}" >"$logdir/qemu.stderr" 2>&1
	if [ -n "$link_script" ]; then
		setpriv --pdeathsig KILL cat "$logdir/monitor.out" >"$logdir/monitor.log" &
		NCNS_PIDS+=("$!")
		run_link_script &
		NCNS_PIDS+=("$!")
	fi
}

# run_link_script: each action at its time, on n0 (and n1), logged with the
# time it was sent; ends early once QEMU is gone (it dies with this script).
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
		kill -0 "$qemu_pid" 2>/dev/null || break
		for n in "${netdevs[@]}"; do
			printf 'set_link %s %s\n' "$n" "$state" >&"$fd"
		done
		echo "$((($(now_us) - base_us) / 1000)) ms: set_link ${netdevs[*]} $state" >>"$logdir/link.log"
	done
	exec {fd}>&-
}

# Waits until the run is over: QEMU exited and the listener saw the end
# line, or the deadline passed; starts --traffic on its cue meanwhile.
# Sets qemu_rc, listener_rc, traffic_rc (empty: still running), the
# matching *_end_us / traffic_start_us times and watch_end_us, when it
# stopped watching.
watch_run() {
	local now limit traffic_pid="" deadline_us=$((${gdb_ended_us:-$start_us} + timeout_s * 1000000))
	qemu_rc="" listener_rc="" qemu_end_us="" listener_end_us=""
	traffic_rc="" traffic_start_us="" traffic_end_us=""
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
		[ -n "$until_text" ] && [ -n "$listener_rc" ] &&
			grep -qF -- "$until_text" "$logdir/serial.log" 2>/dev/null && break
		[ "$bounded" = 0 ] && [ -n "$qemu_rc" ] && break
		# Study mode on a guest that never ends: gdb's exit ends the run.
		[ "$bounded" = 0 ] && [ -n "$gdb_mode" ] && break
		if [ "$config" = mixed ] && [ -n "$qemu_rc" ] && [ "$now" -lt "$deadline_us" ] &&
			! { grep -qF -- "$END_LINE_PREFIX" "$logdir/transcript.log" &&
				grep -qF -- "$END_LINE_PREFIX" "$logdir/transcript.log.$NCNS_GUEST_IP6-$LINUX_SOURCE_PORT"; } 2>/dev/null; then
			sleep 0.05
			continue
		fi
		[ "$link_ends_down" = 1 ] && [ -n "$qemu_rc" ] && break
		[ "$bounded" = 1 ] && [ "$now" -ge "$deadline_us" ] && break
		sleep 0.05
	done
	watch_end_us=$now
}

# serial-sysrq writes serial.log: once QEMU is gone it has read the rest
# and ends by itself (at most a second).
wait_serial_tool() {
	[ -n "$serial_tool_pid" ] && [ -n "$qemu_rc" ] || return 0
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$serial_tool_pid" 2>/dev/null || return 0
		sleep 0.1
	done
}

# With two targets, the second listener must see the end line too; the
# guest sent it right after the first listener's copy. Sets
# second_listener_rc (empty: it did not finish).
wait_second_listener() {
	local limit
	second_listener_rc=""
	[ -n "$second_listener_pid" ] || return 0
	limit=$((watch_end_us + LISTENER_GRACE_S * 1000000))
	while kill -0 "$second_listener_pid" 2>/dev/null && [ "$(now_us)" -lt "$limit" ]; do
		sleep 0.05
	done
	if ! kill -0 "$second_listener_pid" 2>/dev/null; then
		wait "$second_listener_pid"
		second_listener_rc=$?
	fi
}

# The last packets reach tcpdump's socket no later than the listener's;
# waits until the capture files stop growing (at most a second).
wait_capture_settled() {
	local size last_size=-1
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		size=$(stat -c %s "$logdir"/capture*.pcap 2>/dev/null || echo 0)
		[ "$size" = "$last_size" ] && break
		last_size=$size
		sleep 0.1
	done
}

write_timing() {
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
}

# since US: the seconds from the time US to when watching stopped.
since() {
	us_to_seconds $((watch_end_us - $1))
}

# Exits 0 when the run completed, else dies with the first reason it did
# not; a bound that was exceeded is named with what it measures.
verdict() {
	# A guest that idles forever (crash=none) ends with the gdb session.
	[ -n "$gdb_mode" ] && [ "$bounded" = 0 ] && exit 0
	if [ "$link_ends_down" = 1 ]; then
		[ -n "$qemu_rc" ] ||
			die "QEMU still running $(since "$start_us")s after it started, with no netconsole or the link down (--timeout ${timeout_s}s)"
		[ "$qemu_rc" = 0 ] || die "QEMU exited with status $qemu_rc: $(tail -n 1 "$logdir/qemu.stderr")"
		exit 0
	fi
	if [ -n "$until_text" ]; then
		[ -n "$listener_rc" ] ||
			die "the listener had not seen '$until_text' $(since "$start_us")s after QEMU started (--timeout ${timeout_s}s)"
		[ "$listener_rc" = 0 ] || die "listener failed (status $listener_rc): $(tail -n 1 "$logdir/listener.stderr")"
		[ -z "$qemu_rc" ] || die "QEMU exited (status $qemu_rc), but the kernel was to go on after '$until_text'"
		grep -qF -- "$until_text" "$logdir/serial.log" ||
			die "the serial log lacks '$until_text', which the listener saw"
		exit 0
	fi
	if [ -z "$qemu_rc" ] && [ -z "$listener_rc" ]; then
		die "QEMU still running and no end line at the listener $(since "$start_us")s after QEMU started (--timeout ${timeout_s}s)"
	fi
	if [ -z "$listener_rc" ] && grep -qF "Terminated via GDBstub" "$logdir/qemu.stderr" 2>/dev/null; then
		die "gdb ended QEMU (kill) before the listener saw '$END_LINE_PREFIX'"
	fi
	if [ -z "$listener_rc" ]; then
		die "QEMU exited (status $qemu_rc) but the listener had not seen '$END_LINE_PREFIX' $(since "$qemu_end_us")s later (it may take ${LISTENER_GRACE_S}s)"
	fi
	if [ "$listener_rc" != 0 ]; then
		die "listener failed (status $listener_rc): $(tail -n 1 "$logdir/listener.stderr")"
	fi
	if [ -z "$qemu_rc" ]; then
		die "QEMU still running $(since "$listener_end_us")s after the listener saw the end line (it may take ${QEMU_EXIT_GRACE_S}s, within --timeout ${timeout_s}s of its start; panic=-1 ignored?)"
	fi
	if [ "$qemu_rc" != 0 ]; then
		die "QEMU exited with status $qemu_rc: $(tail -n 1 "$logdir/qemu.stderr")"
	fi
	if [ -n "$second_listener_pid" ] && [ -z "$second_listener_rc" ]; then
		die "the listener on $NCNS_TAP1 had not seen '$END_LINE_PREFIX' ${LISTENER_GRACE_S}s after QEMU's exit and the first listener's end line"
	fi
	if [ -n "$second_listener_pid" ] && [ "$second_listener_rc" != 0 ]; then
		die "the listener on $NCNS_TAP1 failed (status $second_listener_rc): $(tail -n 1 "$logdir/listener1.stderr")"
	fi
	[ "$live" = 1 ] && echo "run-crash: done in $(sed -n 's/^qemu_start_to_listener_done_s=//p' "$logdir/timing") s" >&2
	exit 0
}

main() {
	parse_args "$@"
	check_args
	nb_choose
	skip_unless $?
	nb_enter "$@"
	prepare_logdir
	nb_describe >"$logdir/backend"
	[ -f "$kernel_elf" ] || die "$kernel_elf is missing (run make)"
	[ -z "$serial_sysrq_key" ] || [ -x "$serial_sysrq" ] || die "$serial_sysrq is missing (run make)"
	[ -x "$listener" ] || die "$listener is missing (run make)"
	setup_network
	build_cmdline
	prepare_boot
	start_watchers
	if [ "$live" = 1 ]; then
		exec 3<&0 4>&1
		echo "run-crash: $nic, crash=$crash, boot=$boot, $(nb_describe); logs in $logdir" >&2
		[ -t 0 ] && echo "run-crash: serial console here: Ctrl-a b then a key for magic SysRq, Ctrl-a x quits" >&2
		[ "$bounded" = 1 ] || echo "run-crash: crash=none idles; Ctrl-C ends the run" >&2
	fi
	[ -n "$gdb_mode" ] && gdb_prepare
	start_qemu
	[ -n "$gdb_mode" ] && gdb_run
	watch_run
	wait_serial_tool
	wait_second_listener
	wait_capture_settled
	ncns_cleanup
	write_timing >"$logdir/timing"
	verdict
}

main "$@"
