#!/usr/bin/env bash
# Hard kills leave nothing behind (TAP). Each case starts a harness script
# with TMPDIR pointing at an empty directory of its own, interrupts it
# mid-flight and then waits (up to KILL_SETTLE_S) for everything it had
# started to be gone:
#   run-crash   SIGKILL of qemu/run-crash.sh while the guest idles: its QEMU,
#               tcpdump and listener (the PIDs in its namespace), the
#               namespace itself;
#   suite       SIGKILL of a case file on tests/qemu/lib-cases.sh while its
#               run idles: every process below it, its runs' namespaces,
#               its nc-cases.* directory, the interrupted case's logs;
#   iso-ctrl-c  SIGINT to the process group of boot/mkiso.sh (a Ctrl-C)
#               while grub-mkrescue works: its temporary directories
#               (nciso.*, grub-mkrescue's grub.*) and a half-written ISO;
#   iso-kill    the same after SIGKILL of mkiso.sh alone;
#   reaper      a namespace named for a dead owner, with a process still in
#               it and no guard (as a guard killed too would leave it): the
#               next ncns_create's reaper kills the process and removes it.
# Whatever a failing case leaves is then removed here, by PID and by name.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib-shard.sh
. "$root/tests/qemu/lib-shard.sh"
shard_whole_file hard-kill.t
# shellcheck source=qemu/netns.sh
. "$root/qemu/netns.sh"
# shellcheck source=qemu/backend.sh
. "$root/qemu/backend.sh"

KILL_SETTLE_S=15
kernel=${NC_KERNEL:-$root/build/kernel.elf}
cases=(run-crash suite iso-ctrl-c iso-kill reaper)

echo "1..${#cases[@]}"
skip_net=""
# The cases look for named namespaces (ip netns) and their reaper, which only
# the netns backend has: a user namespace goes with its last process.
if ! nb_choose; then
	skip_net=$NCNS_SKIP_REASON
elif [ "$NB_BACKEND" != netns ]; then
	skip_net="checks the netns backend's named namespaces; $(nb_describe)"
elif ! ncns_create; then
	skip_net=$NCNS_SKIP_REASON
fi
ncns_cleanup
skip_iso=""
command -v grub-mkrescue >/dev/null 2>&1 || skip_iso="grub-mkrescue not installed (run 'make deps')"

T=$(mktemp -d "${TMPDIR:-/tmp}/hard-kill.XXXXXX") || exit 1
# What each case started (PIDs, namespaces), for remains and for cleanup.
left_pids=() left_netns=() all_pids=() all_netns=()
# Removes what a failing case left: the PIDs the cases recorded (processes
# they started, directly or not) and the namespaces named after them.
cleanup() {
	local pid name
	for pid in "${all_pids[@]}"; do
		kill -KILL "$pid" 2>/dev/null
	done
	for name in "${all_netns[@]}"; do
		for pid in $(ip netns pids "$name" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		sleep 0.2
		ip -n "$name" link del "$NCNS_TAP" 2>/dev/null
		ip -n "$name" link del "$NCNS_TAP1" 2>/dev/null
		ip netns del "$name" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT

# descendants PID: PID's descendant processes, one per line.
descendants() {
	ps -e -o pid=,ppid= | awk -v top="$1" '
		{ parent[$1] = $2 }
		END { for (p in parent) { q = p; while (q in parent && q != top && q > 1) q = parent[q]; if (q == top && p != top) print p } }'
}

# netns_of PID...: the harness namespaces whose owner is one of the PIDs.
netns_of() {
	local name pid
	while read -r name _; do
		for pid in "$@"; do
			case $name in "$NCNS_PREFIX-$pid-"*) echo "$name" ;; esac
		done
	done < <(ip netns list 2>/dev/null)
}

# wait_file_text FILE TEXT SECONDS: until FILE holds TEXT.
wait_file_text() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# remains: what of the recorded PIDs and namespaces and of the case's TMPDIR
# ($tmp) still exists, one line each; waits up to KILL_SETTLE_S for it to go
# and says in settled how long it took.
remains() {
	local i pid name out
	for ((i = 0; i <= KILL_SETTLE_S * 10; i++)); do
		out=$(
			for pid in "${left_pids[@]}"; do
				[ -e "/proc/$pid" ] && [ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" != Z ] &&
					echo "process $pid ($(cat "/proc/$pid/comm" 2>/dev/null)) still runs"
			done
			for name in "${left_netns[@]}"; do
				ip netns list 2>/dev/null | grep -q "^$name\b" && echo "namespace $name still exists"
			done
			find "$tmp" -mindepth 1 -maxdepth 1 -printf 'left in TMPDIR: %f\n' 2>/dev/null
			find "$T" -maxdepth 1 -name "$c.iso*" -printf 'left beside the ISO: %f\n'
		)
		if [ -z "$out" ]; then
			settled="all gone within $((i / 10)).$((i % 10))s"
			return 0
		fi
		sleep 0.1
	done
	echo "${KILL_SETTLE_S}s after the signal:"
	printf '%s\n' "$out"
}

case_run_crash() {
	local pid netns pids name
	bash "$root/qemu/run-crash.sh" --crash none --timeout 120 --logdir "$T/run" >"$T/run.log" 2>&1 &
	pid=$!
	left_pids=("$pid")
	if ! wait_file_text "$T/run/serial.log" "netconsole: network logging started" 60; then
		echo "the run did not get going: $(tail -n 1 "$T/run.log")"
		return
	fi
	netns=$(netns_of "$pid")
	pids=$(ip netns pids "$netns" 2>/dev/null)
	left_netns=("$netns")
	# shellcheck disable=SC2206 # PIDs are words
	left_pids+=($pids)
	for name in qemu-system-i38 tcpdump netconsole-clie; do
		grep -qx "$name" < <(for p in $pids; do cat "/proc/$p/comm"; done) ||
			echo "no $name among the PIDs in $netns (the test cannot see the run)"
	done
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	remains
}

case_suite() {
	local pid under
	cat >"$T/idle.t" <<EOF
root=$root
. "\$root/tests/qemu/lib-cases.sh"
cases=(idle)
case_name() { echo hard-kill-idle; }
case_args() { run_args=(--crash none); }
check_case() { :; }
cases_run
EOF
	NC_TIMEOUT=120 bash "$T/idle.t" >"$T/suite.log" 2>&1 &
	pid=$!
	left_pids=("$pid")
	if ! wait_file_text "$root/build/test-logs/hard-kill-idle/serial.log" \
		"netconsole: network logging started" 60; then
		echo "the suite's run did not get going: $(tail -n 1 "$T/suite.log")"
		return
	fi
	under=$(descendants "$pid")
	# shellcheck disable=SC2206 # PIDs are words
	left_pids+=($under)
	# shellcheck disable=SC2086
	mapfile -t left_netns < <(netns_of $under)
	[ "${#left_netns[@]}" -gt 0 ] || echo "no namespace of the suite's run (the test cannot see it)"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	remains
	[ -d "$root/build/test-logs/hard-kill-idle" ] &&
		echo "the interrupted case's logs remain in build/test-logs/hard-kill-idle"
	rm -rf "$root/build/test-logs/hard-kill-idle"
	rmdir "$root/build/test-logs" 2>/dev/null
}

# iso_case SIGNAL TARGET: builds an ISO and sends SIGNAL to TARGET (group:
# mkiso.sh's process group, script: mkiso.sh alone) once grub-mkrescue has
# made its temporary directory. Job control gives mkiso.sh a process group
# of its own and leaves SIGINT as a terminal's Ctrl-C finds it (a
# background job without job control ignores it).
iso_case() {
	local pid i
	set -m
	sh "$root/boot/mkiso.sh" "$kernel" "crash=none" "$T/$c.iso" >"$T/mkiso.log" 2>&1 &
	pid=$!
	set +m
	left_pids=("$pid")
	for ((i = 0; i < 600; i++)); do
		[ -n "$(find "$tmp" -name 'grub.*' -print -quit 2>/dev/null)" ] && break
		sleep 0.05
	done
	if [ "$i" -ge 600 ]; then
		echo "grub-mkrescue made no grub.* directory within 30s: $(tail -n 1 "$T/mkiso.log")"
		return
	fi
	# shellcheck disable=SC2207 # PIDs are words
	left_pids+=($(descendants "$pid"))
	if [ "$2" = group ]; then
		kill "-$1" -- "-$pid"
	else
		kill "-$1" "$pid"
	fi
	wait "$pid" 2>/dev/null
	remains
}

case_reaper() {
	local dead pid name
	sleep 0 &
	dead=$!
	wait "$dead"
	name=$NCNS_PREFIX-$dead-1
	left_netns=("$name")
	if ! ip netns add "$name"; then
		echo "cannot add namespace $name"
		return
	fi
	ip netns exec "$name" sleep 300 &
	pid=$!
	left_pids=("$pid")
	# Its end is the reaper's doing and the case's to check, not bash's to report.
	disown "$pid"
	# The reaper runs as the first step of making a namespace.
	ncns_create || echo "ncns_create failed: $NCNS_SKIP_REASON"
	ncns_cleanup
	KILL_SETTLE_S=2 remains
}

n=0
for c in "${cases[@]}"; do
	n=$((n + 1))
	case $c in
	run-crash | suite | reaper) skip=$skip_net ;;
	*) skip=$skip_iso ;;
	esac
	if [ -n "$skip" ]; then
		echo "ok $n - $c # skip $skip"
		continue
	fi
	tmp=$T/tmp-$c
	mkdir -p "$tmp"
	left_pids=() left_netns=() settled=""
	case $c in
	run-crash) TMPDIR=$tmp case_run_crash >"$T/$c.problems" 2>&1 ;;
	suite) TMPDIR=$tmp case_suite >"$T/$c.problems" 2>&1 ;;
	iso-ctrl-c) TMPDIR=$tmp iso_case INT group >"$T/$c.problems" 2>&1 ;;
	iso-kill) TMPDIR=$tmp iso_case KILL script >"$T/$c.problems" 2>&1 ;;
	reaper) TMPDIR=$tmp case_reaper >"$T/$c.problems" 2>&1 ;;
	esac
	all_pids+=("${left_pids[@]}") all_netns+=("${left_netns[@]}")
	if [ ! -s "$T/$c.problems" ]; then
		echo "ok $n - $c leaves nothing behind ($settled)"
	else
		echo "not ok $n - $c leaves nothing behind"
		sed 's/^/#   /' "$T/$c.problems"
	fi
done
