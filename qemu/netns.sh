# shellcheck shell=bash
# shellcheck disable=SC2034 # the NCNS_ variables are read by the callers
# Network namespace lifecycle for one harness run, sourced by bash scripts.
# Each run gets its own namespace holding a tap (nctap0, 10.0.7.1/24) that
# QEMU, the listener and tcpdump use from inside; nothing in the root
# namespace is touched. Everything is removed on every exit path once
# ncns_install_traps has run: the processes started with ncns_spawn are
# killed by PID, the tap is deleted, then the namespace. A script killed
# without a chance to clean up (SIGKILL) takes its processes with it (each
# gets KILL when the script dies), and the guard ncns_create starts
# (qemu/guard.sh) deletes the namespace.

NCNS_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

NCNS_TAP=nctap0
NCNS_HOST_IP=10.0.7.1
# The guest on the other side of that tap.
NCNS_GUEST_IP=10.0.7.5
NCNS_GUEST_MAC=52:54:00:12:34:56
# The second tap, for runs with two NICs (ncns_add_second_tap).
NCNS_TAP1=nctap1
NCNS_HOST_IP1=10.0.8.1
# With NCNS_IPV6=1 (set before ncns_create) the taps carry IPv6 as well:
# fd00:7::1/64 and fd00:8::1/64, the guest fd00:7::5 and fd00:8::5.
NCNS_IPV6=0
NCNS_HOST_IP6=fd00:7::1
NCNS_GUEST_IP6=fd00:7::5
NCNS_HOST_IP6_1=fd00:8::1
NCNS_PREFIX=ncns
# Exit status meaning "cannot run here", which the TAP tests turn into skips.
NCNS_SKIP=77

NCNS_NAME=""
NCNS_PIDS=()
# Why the environment cannot run namespaces, set when ncns_check fails.
NCNS_SKIP_REASON=""

# Returns 0 when this process may build namespaces with taps, else sets
# NCNS_SKIP_REASON and returns NCNS_SKIP. Creating a namespace is the only
# reliable probe (containers may be root without CAP_SYS_ADMIN), so that
# part is left to ncns_create.
ncns_check() {
	local tool
	for tool in ip tcpdump qemu-system-i386 setpriv setsid; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			NCNS_SKIP_REASON="$tool not installed (run 'make deps')"
			return "$NCNS_SKIP"
		fi
	done
	if [ "$(id -u)" != 0 ]; then
		NCNS_SKIP_REASON="not root: network namespaces and taps need root"
		return "$NCNS_SKIP"
	fi
	if [ ! -c /dev/net/tun ]; then
		NCNS_SKIP_REASON="/dev/net/tun is missing (no tun/tap support)"
		return "$NCNS_SKIP"
	fi
	return 0
}

# ncns_remove NAME: kills the processes left in namespace NAME by PID (they
# are a run's, by the namespace's name), waits up to two seconds for them to
# go, then deletes the taps and the namespace. Deleting the taps first makes
# sure they can never be moved back into the root namespace.
ncns_remove() {
	local name=$1 pid tries
	for pid in $(ip netns pids "$name" 2>/dev/null); do
		kill -KILL "$pid" 2>/dev/null
	done
	for ((tries = 0; tries < 40; tries++)); do
		ip netns pids "$name" 2>/dev/null | grep -q . || break
		sleep 0.05
	done
	ip -n "$name" link del "$NCNS_TAP" 2>/dev/null
	ip -n "$name" link del "$NCNS_TAP1" 2>/dev/null
	ip netns del "$name" 2>/dev/null
	return 0
}

# Deletes namespaces a killed run left behind, with whatever still runs in
# them (normally the guard has done it already): ours are named
# PREFIX-PID-RANDOM, and a dead PID means the owner is gone. A live PID is
# never touched, even if the PID was reused.
ncns_reap_stale() {
	local name owner
	while read -r name _; do
		case $name in
		"$NCNS_PREFIX"-*-*) ;;
		*) continue ;;
		esac
		owner=${name#"$NCNS_PREFIX"-}
		owner=${owner%%-*}
		case $owner in
		'' | *[!0-9]*) continue ;;
		esac
		kill -0 "$owner" 2>/dev/null && continue
		[ -d "/proc/$owner" ] && continue
		ncns_remove "$name"
	done < <(ip netns list 2>/dev/null)
}

# ncns_guard [--netns NAME] [--remove PATH]...: starts qemu/guard.sh for
# this script (PID $$) in a session of its own, so that it outlives a
# SIGKILL of the script or of its process group and then removes NAME and
# each PATH.
ncns_guard() {
	setsid -f bash "$NCNS_HERE/guard.sh" "$$" "$@" </dev/null >/dev/null 2>&1
}

# IPv6 would have the host send router and multicast listener chatter to
# the guest, so it is off unless NCNS_IPV6=1. Then duplicate address
# detection is off instead (accept_dad=0, inherited by the taps made after
# this): no address is tentative when the guest's first packets come. The
# host sends no router solicitations either. A kernel without IPv6 needs
# nothing (and has no IPv6 runs).
ncns_configure_ipv6() {
	if [ "$NCNS_IPV6" = 1 ]; then
		ncns_in sh -c \
			'echo 0 >/proc/sys/net/ipv6/conf/default/accept_dad &&
			 echo 0 >/proc/sys/net/ipv6/conf/all/accept_dad &&
			 echo 0 >/proc/sys/net/ipv6/conf/default/router_solicitations'
		return
	fi
	[ -d /proc/sys/net/ipv6 ] || return 0
	ncns_in sh -c \
		'echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6 &&
		 echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6'
}

# ncns_add_host_ip6 TAP ADDRESS: with NCNS_IPV6=1, gives TAP the host's IPv6
# ADDRESS/64, usable at once (nodad); nothing otherwise.
ncns_add_host_ip6() {
	[ "$NCNS_IPV6" = 1 ] || return 0
	ncns_ip addr add "$2/64" dev "$1" nodad
}

# ncns_ip ARGS...: ip for the run's namespace: the named one (netns), or the
# one this process is in (a user namespace made for the run).
ncns_ip() {
	ip ${NCNS_NAME:+-n "$NCNS_NAME"} "$@"
}

# ncns_in COMMAND [ARG...]: runs COMMAND in the run's namespace.
ncns_in() {
	if [ -n "$NCNS_NAME" ]; then
		ip netns exec "$NCNS_NAME" "$@"
	else
		"$@"
	fi
}

# Creates the namespace and its tap. On failure sets NCNS_SKIP_REASON,
# removes what was made and returns NCNS_SKIP.
ncns_create() {
	local err
	ncns_reap_stale
	NCNS_NAME="$NCNS_PREFIX-$$-$RANDOM$RANDOM"
	if ! err=$(ip netns add "$NCNS_NAME" 2>&1); then
		NCNS_SKIP_REASON="cannot create a network namespace: ${err:-ip netns add failed}"
		NCNS_NAME=""
		return "$NCNS_SKIP"
	fi
	ncns_guard --netns "$NCNS_NAME"
	if ! err=$({
		ip -n "$NCNS_NAME" link set lo up &&
			ncns_configure_ipv6 &&
			ip -n "$NCNS_NAME" tuntap add dev "$NCNS_TAP" mode tap &&
			ip -n "$NCNS_NAME" addr add "$NCNS_HOST_IP/24" dev "$NCNS_TAP" &&
			ncns_add_host_ip6 "$NCNS_TAP" "$NCNS_HOST_IP6" &&
			ip -n "$NCNS_NAME" link set "$NCNS_TAP" up
	} 2>&1); then
		NCNS_SKIP_REASON="cannot create tap $NCNS_TAP in $NCNS_NAME: ${err:-ip failed}"
		ncns_cleanup
		return "$NCNS_SKIP"
	fi
	return 0
}

# The tap, as ncns_create makes it, in the user + network namespace this
# process runs in (the userns backend): it goes away with the namespace,
# when the run's last process ends. On failure sets NCNS_SKIP_REASON and
# returns NCNS_SKIP.
ncns_create_here() {
	local err
	NCNS_NAME=""
	if ! err=$({
		ip link set lo up &&
			ncns_configure_ipv6 &&
			ip tuntap add dev "$NCNS_TAP" mode tap &&
			ip addr add "$NCNS_HOST_IP/24" dev "$NCNS_TAP" &&
			ncns_add_host_ip6 "$NCNS_TAP" "$NCNS_HOST_IP6" &&
			ip link set "$NCNS_TAP" up
	} 2>&1); then
		NCNS_SKIP_REASON="cannot create tap $NCNS_TAP in the run's user namespace: ${err:-ip failed}"
		return "$NCNS_SKIP"
	fi
	return 0
}

# Adds the second tap (NCNS_TAP1, NCNS_HOST_IP1/24) to the namespace
# ncns_create made. On failure sets NCNS_SKIP_REASON and returns NCNS_SKIP;
# ncns_cleanup removes the namespace either way.
ncns_add_second_tap() {
	local err
	if ! err=$({
		ncns_ip tuntap add dev "$NCNS_TAP1" mode tap &&
			ncns_ip addr add "$NCNS_HOST_IP1/24" dev "$NCNS_TAP1" &&
			ncns_add_host_ip6 "$NCNS_TAP1" "$NCNS_HOST_IP6_1" &&
			ncns_ip link set "$NCNS_TAP1" up
	} 2>&1); then
		NCNS_SKIP_REASON="cannot create tap $NCNS_TAP1 in the run's namespace${NCNS_NAME:+ $NCNS_NAME}: ${err:-ip failed}"
		return "$NCNS_SKIP"
	fi
	return 0
}

# ncns_tap_mac [TAP]: prints the MAC address of TAP (default the first
# tap), lower case, colon separated.
ncns_tap_mac() {
	ncns_ip -o link show dev "${1:-$NCNS_TAP}" |
		sed -n 's/.*link\/ether \([0-9a-f:]\{17\}\).*/\1/p'
}

# ncns_spawn VAR COMMAND [ARG...]: starts COMMAND inside the namespace in the
# background, stores its PID in VAR and remembers it for cleanup.
# Redirections written on the ncns_spawn call apply to COMMAND. `ip netns
# exec` (netns only) and setpriv exec what follows them, so the PID is
# COMMAND's own (never a subshell's: a signal to the PID reaches COMMAND),
# and COMMAND gets KILL when this script dies, however it dies.
ncns_spawn() {
	local var=$1 enter=()
	shift
	[ -n "$NCNS_NAME" ] && enter=(ip netns exec "$NCNS_NAME")
	"${enter[@]}" setpriv --pdeathsig KILL "$@" &
	NCNS_PIDS+=("$!")
	printf -v "$var" '%s' "$!"
}

# ncns_stop PID...: asks the processes to end (TERM), gives them two
# seconds, then KILLs what is left, and reaps them all.
ncns_stop() {
	local pid alive tries=0
	for pid in "$@"; do
		kill -TERM "$pid" 2>/dev/null
	done
	while :; do
		alive=0
		for pid in "$@"; do
			kill -0 "$pid" 2>/dev/null && alive=1
		done
		[ "$alive" = 0 ] && break
		if [ "$tries" -ge 40 ]; then
			for pid in "$@"; do
				kill -KILL "$pid" 2>/dev/null
			done
			break
		fi
		tries=$((tries + 1))
		sleep 0.05
	done
	for pid in "$@"; do
		wait "$pid" 2>/dev/null
	done
	return 0
}

# Idempotent: safe from the EXIT trap after a signal trap already ran it.
ncns_cleanup() {
	if [ "${#NCNS_PIDS[@]}" -gt 0 ]; then
		ncns_stop "${NCNS_PIDS[@]}"
		NCNS_PIDS=()
	fi
	if [ -n "$NCNS_NAME" ]; then
		ncns_remove "$NCNS_NAME"
		NCNS_NAME=""
	fi
	return 0
}

# Cleans up on exit and on INT/TERM/HUP; a signal exits with the usual
# 128+signal status.
ncns_install_traps() {
	trap ncns_cleanup EXIT
	trap "ncns_cleanup; exit 129" HUP
	trap "ncns_cleanup; exit 130" INT
	trap "ncns_cleanup; exit 143" TERM
}
