#!/usr/bin/env bash
# The host side of shared-nic.t, run by qemu/run-crash.sh --traffic inside
# the run's namespace: ping floods the guest while udp-echo-check sends
# datagrams to its echo port, both bounded in count and time. Leaves
# DIR/ping.log and DIR/udp-echo.log; exits 0 when both tools did.
#
# usage: shared-nic-traffic.sh DIR PINGS DATAGRAMS SECONDS
set -u
[ $# = 4 ] || {
	echo "usage: shared-nic-traffic.sh DIR PINGS DATAGRAMS SECONDS" >&2
	exit 2
}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=$1 pings=$2 datagrams=$3 seconds=$4
guest=10.0.7.5

ping -n -q -c "$pings" -i 0.002 -W 1 -w "$seconds" "$guest" >"$dir/ping.log" 2>&1 &
ping_pid=$!
"$root/build/host/udp-echo-check" --count "$datagrams" --deadline "$seconds" "$guest" \
	>"$dir/udp-echo.log" 2>&1 &
udp_pid=$!
# run-crash.sh ends us with TERM when the run is over first (a crash);
# ping prints its statistics on SIGINT, udp-echo-check its counts on TERM.
trap 'kill -INT "$ping_pid"; kill -TERM "$udp_pid"; wait; exit 143' TERM
wait "$ping_pid"
ping_rc=$?
wait "$udp_pid"
udp_rc=$?
echo "ping exit $ping_rc, udp-echo-check exit $udp_rc"
[ "$ping_rc" = 0 ] && [ "$udp_rc" = 0 ]
