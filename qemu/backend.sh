# shellcheck shell=bash
# shellcheck disable=SC2034 # the NB_ variables are read by the callers
# The network backends a run can use, sourced (after qemu/netns.sh) by
# qemu/run-crash.sh and the test libraries. Normal context only.
#   netns   root: a named network namespace (ip netns) with a tap; tcpdump
#           captures the tap (qemu/netns.sh).
#   userns  no root: an unprivileged user + network namespace made for the
#           run (unshare), with the same tap and the same host addresses;
#           QEMU records the guest's frames (filter-dump), as tcpdump cannot
#           drop to its own user inside a user namespace.
#   user    no privilege at all: QEMU's user-mode network (slirp) inside an
#           unprivileged user + network namespace that holds loopback only.
#           The guest still sends to 10.0.7.1 (slirp's host address); slirp
#           hands the datagrams to sockets in that namespace, so they reach
#           a listener on 127.0.0.1, and the replies (ncrx, netdump acks)
#           come back as from 10.0.7.1. QEMU records the frames.
# Why user needs the namespace: slirp's restrict=on drops every UDP
# datagram from the guest (libslirp's udp_input), so it cannot keep the
# guest off the outside world here; a namespace with no interface but
# loopback can, and nb_user_create checks that it has no other.
# NET=netns|userns|user forces one; without it nb_choose takes the first that
# works, in that order, and says why each other one was not taken.

NB_BACKENDS="netns userns user"
# Where the listeners bind, and the target port per NIC: with slirp every
# NIC's host address becomes 127.0.0.1, so eth1's listener needs a port of
# its own.
NB_NETCONSOLE_PORT=6666
NB_USER_PORT1=6676

# tc, ip and tcpdump live in /usr/sbin on Debian, which an ordinary user's
# PATH lacks.
case ":$PATH:" in
*:/usr/sbin:*) ;;
*) PATH=$PATH:/usr/sbin:/sbin ;;
esac

NB_BACKEND=""
# "name: reason" for each backend not chosen, joined by "; ".
NB_NOT_CHOSEN=${NB_NOT_CHOSEN:-}
NB_REASON=""

# nb_tun_reason: why this user cannot open /dev/net/tun, or nothing.
nb_tun_reason() {
	if [ ! -c /dev/net/tun ]; then
		echo "/dev/net/tun is missing (no tun/tap support)"
	elif [ ! -r /dev/net/tun ] || [ ! -w /dev/net/tun ]; then
		echo "/dev/net/tun is mode 0$(stat -c %a /dev/net/tun) ($(stat -c %U:%G /dev/net/tun))"
	fi
}

# nb_userns_reason: why no user + network namespace can be made, or nothing.
nb_userns_reason() {
	local err
	command -v unshare >/dev/null 2>&1 || {
		echo "unshare (util-linux) not installed (run 'make deps')"
		return
	}
	err=$(unshare --user --map-root-user --net true 2>&1) && return
	if [ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null)" = 0 ]; then
		echo "unprivileged user namespaces are disabled (user.max_user_namespaces = 0)"
	elif [ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null)" = 0 ]; then
		echo "unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone = 0)"
	elif [ "$(cat /proc/sys/kernel/apparmor_restrict_unprivileged_userns 2>/dev/null)" = 1 ]; then
		echo "unprivileged user namespaces are restricted by AppArmor (kernel.apparmor_restrict_unprivileged_userns = 1)"
	else
		echo "cannot create a user namespace: ${err##*: }"
	fi
}

# nb_probe BACKEND: 0 when BACKEND can run here, else NB_REASON says why.
nb_probe() {
	local tool err
	NB_REASON=""
	for tool in ip qemu-system-i386 setpriv setsid tcpdump; do
		command -v "$tool" >/dev/null 2>&1 || {
			NB_REASON="$tool not installed (run 'make deps')"
			return 1
		}
	done
	case $1 in
	netns) ncns_check || NB_REASON=$NCNS_SKIP_REASON ;;
	userns)
		NB_REASON=$(nb_userns_reason)
		[ -z "$NB_REASON" ] && NB_REASON=$(nb_tun_reason)
		if [ -z "$NB_REASON" ] &&
			! err=$(unshare --user --map-root-user --net ip tuntap add dev ncprobe0 mode tap 2>&1); then
			NB_REASON="cannot create a tap in a user namespace: $err"
		fi
		;;
	user)
		if ! qemu-system-i386 -netdev help 2>/dev/null | grep -qx user; then
			NB_REASON="this QEMU has no user-mode network (-netdev user)"
		else
			err=$(nb_userns_reason)
			[ -n "$err" ] && NB_REASON="$err (the user backend runs inside one: QEMU's restrict=on drops the guest's UDP, so only a namespace with nothing but loopback keeps the guest off the outside world)"
		fi
		;;
	*)
		NB_REASON="unknown network backend '$1' (known: $NB_BACKENDS)"
		;;
	esac
	[ -z "$NB_REASON" ]
}

# nb_choose: sets NB_BACKEND to NET or, without it, to the first backend
# that works, and NB_NOT_CHOSEN to why each other one was not taken. When
# none works (or NET's does not) sets NCNS_SKIP_REASON and returns NCNS_SKIP.
nb_choose() {
	local backend reasons=()
	if [ -n "${NB_INSIDE:-}" ]; then
		# nb_enter ran this script again inside the backend's namespace.
		NB_BACKEND=$NB_INSIDE
		return 0
	fi
	NB_BACKEND=""
	if [ -n "${NET:-}" ]; then
		if ! nb_probe "$NET"; then
			NCNS_SKIP_REASON="NET=$NET: $NB_REASON"
			return "$NCNS_SKIP"
		fi
		NB_BACKEND=$NET
		# A suite that chose the backend passes on why it did.
		NB_NOT_CHOSEN=${NB_NOT_CHOSEN:-NET=$NET given}
		return 0
	fi
	for backend in $NB_BACKENDS; do
		if [ -n "$NB_BACKEND" ]; then
			reasons+=("$backend: not needed, $NB_BACKEND works")
		elif nb_probe "$backend"; then
			NB_BACKEND=$backend
		else
			reasons+=("$backend: $NB_REASON")
		fi
	done
	NB_NOT_CHOSEN=$(printf '%s; ' "${reasons[@]}")
	NB_NOT_CHOSEN=${NB_NOT_CHOSEN%; }
	[ -n "$NB_BACKEND" ] && return 0
	NCNS_SKIP_REASON="no network backend works here ($NB_NOT_CHOSEN); $(nb_advice)"
	return "$NCNS_SKIP"
}

# What to change when no backend works.
nb_advice() {
	echo "to run the network cases: run as root (netns), or allow unprivileged user namespaces (sysctl user.max_user_namespaces=N > 0, kernel.apparmor_restrict_unprivileged_userns=0) for the user backend, and give /dev/net/tun mode 0666 for userns"
}

# nb_describe: the backend and why the others were not chosen, for result
# lines and summaries.
nb_describe() {
	echo "network backend: $NB_BACKEND ($NB_NOT_CHOSEN)"
}

# nb_enter ARGS...: for userns and user, runs this script again as itself
# inside a new user + network namespace (same PID: unshare execs it), with
# NB_INSIDE set there; returns for netns and once inside.
nb_enter() {
	case $NB_BACKEND in userns | user) ;; *) return 0 ;; esac
	[ "${NB_INSIDE:-}" = "$NB_BACKEND" ] && return 0
	exec env NB_INSIDE="$NB_BACKEND" NB_NOT_CHOSEN="$NB_NOT_CHOSEN" \
		unshare --user --map-root-user --net bash "$0" "$@"
}

# nb_create: the network for one run. netns: a named namespace with a tap
# (ncns_create); userns: the tap in the namespace nb_enter made; user:
# loopback only. On failure sets NCNS_SKIP_REASON and returns NCNS_SKIP.
nb_create() {
	case $NB_BACKEND in
	netns) ncns_create ;;
	userns) ncns_create_here ;;
	user) nb_user_create ;;
	esac
}

# Brings up loopback in the namespace nb_enter made and checks it holds no
# other interface, so slirp's sockets reach nothing but loopback.
nb_user_create() {
	local err others
	if ! err=$(ip link set lo up 2>&1); then
		NCNS_SKIP_REASON="cannot bring up loopback in the run's namespace: $err"
		return "$NCNS_SKIP"
	fi
	others=$(ip -o link show | awk -F': ' '$2 != "lo" { print $2 }')
	if [ -n "$others" ]; then
		NCNS_SKIP_REASON="the user backend's namespace has interfaces besides lo ($others); refusing to run"
		return "$NCNS_SKIP"
	fi
	return 0
}

# nb_add_second: the network for eth1 (a second tap; nothing for user).
nb_add_second() {
	case $NB_BACKEND in
	netns | userns) ncns_add_second_tap ;;
	user) return 0 ;;
	esac
}

# nb_host_mac N: the MAC the guest's NIC N sends to: the tap's, or slirp's
# (52:55 and the host address, as libslirp answers ARP with; over IPv6 52:56
# and the last 32 bits of the IPv6 host address, as its neighbour
# advertisements say (seen in QEMU 7.2's capture), here 00:00 and the group
# after "::").
nb_host_mac() {
	local tap=NCNS_TAP$1 ip=NCNS_HOST_IP$1
	case $NB_BACKEND in
	netns | userns) ncns_tap_mac "${!tap}" ;;
	user)
		if [ "$NCNS_IPV6" = 1 ]; then
			ip=NCNS_HOST_IP6${1:+_$1}
			ip=$((0x${!ip##*:}))
			printf '52:56:00:00:%02x:%02x\n' $((ip >> 8)) $((ip & 255))
			return
		fi
		# shellcheck disable=SC2086 # one printf argument per octet
		printf '52:55:%02x:%02x:%02x:%02x\n' ${!ip//./ }
		;;
	esac
}

# nb_listen_ip N: the address NIC N's listener binds: its tap's host address
# (IPv6 with NCNS_IPV6=1), or loopback on the user backend.
nb_listen_ip() {
	local ip=NCNS_HOST_IP$1
	[ "$NCNS_IPV6" = 1 ] && ip=NCNS_HOST_IP6${1:+_$1}
	case $NB_BACKEND in
	user) if [ "$NCNS_IPV6" = 1 ]; then echo ::1; else echo 127.0.0.1; fi ;;
	*) echo "${!ip}" ;;
	esac
}

# nb_target_port N: the UDP port netconsole sends to through NIC N (its
# listener's port).
nb_target_port() {
	if [ "$NB_BACKEND" = user ] && [ "$1" = 1 ]; then
		echo "$NB_USER_PORT1"
	else
		echo "$NB_NETCONSOLE_PORT"
	fi
}

# nb_captures_itself: true when QEMU records the frames (filter-dump), false
# when tcpdump captures the tap.
nb_captures_itself() {
	[ "$NB_BACKEND" != netns ]
}

# nb_user_ipv6 N: slirp's IPv6 options for NIC N: off, or with NCNS_IPV6=1 the
# tap's /64 with the same host address (fd00:7::1), which slirp maps to ::1
# in the namespace as it maps the IPv4 host address to 127.0.0.1.
nb_user_ipv6() {
	local ip=NCNS_HOST_IP6${1:+_$1}
	if [ "$NCNS_IPV6" = 1 ]; then
		echo "ipv4=on,ipv6=on,ipv6-net=${!ip%::*}::/64,ipv6-host=${!ip}"
	else
		echo ipv6=off
	fi
}

# nb_qemu_netdev N NIC MAC PCAP: prints QEMU's options for NIC N, one per
# line: the netdev, the device and, when QEMU records the frames, a
# filter-dump into PCAP.
nb_qemu_netdev() {
	local nic=$2 mac=$3 pcap=$4 tap=NCNS_TAP$1 ip=NCNS_HOST_IP$1 id=${1:-0}
	case $NB_BACKEND in
	netns | userns) printf '%s\n' -netdev "tap,id=n$id,ifname=${!tap},script=no,downscript=no" ;;
	user) printf '%s\n' -netdev "user,id=n$id,net=${!ip%.*}.0/24,host=${!ip},$(nb_user_ipv6 "$1")" ;;
	esac
	printf '%s\n' -device "$nic,netdev=n$id,mac=$mac,romfile="
	nb_captures_itself && printf '%s\n' -object "filter-dump,id=d$id,netdev=n$id,file=$pcap"
	return 0
}

# nb_no_tap_reason WHAT: why WHAT (which needs the run's tap or the host's
# own stack facing the guest) cannot run on this backend, or nothing.
nb_no_tap_reason() {
	[ "$NB_BACKEND" = user ] || return 0
	echo "$1 needs a tap; the user backend (QEMU user-mode network) has none"
}

# nb_no_tcpdump_reason WHAT: why WHAT (which runs tcpdump on the run's tap)
# cannot run on this backend, or nothing.
nb_no_tcpdump_reason() {
	[ "$NB_BACKEND" = netns ] && return 0
	echo "$1 needs tcpdump on the run's tap, which only the netns backend runs (in a user namespace tcpdump cannot drop to its own user); $(nb_describe)"
}

# nb_sysrq_listener_args GUEST: the listener options (one per line) that aim
# its --sysrq at the kernel at GUEST. On the user backend the listener sees
# the guest as loopback (127.0.0.1, ::1 for an IPv6 GUEST), and slirp carries
# to the guest only what answers its own datagrams: the key goes back to
# where the records come from (--sysrq-to-sender), as the ncrx replies do.
nb_sysrq_listener_args() {
	if [ "$NB_BACKEND" != user ]; then
		printf '%s\n' -server "$1"
	elif [ "${1#*:}" != "$1" ]; then
		printf '%s\n' -server ::1 --sysrq-to-sender
	else
		printf '%s\n' -server 127.0.0.1 --sysrq-to-sender
	fi
}
