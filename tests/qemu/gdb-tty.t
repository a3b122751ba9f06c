#!/usr/bin/env bash
# Study mode at a terminal (TAP): run-crash.sh --gdb (make gdb) on a pseudo
# terminal made by script(1), outside tmux, typed into as a person would.
#   crash: "continue" stops in oops_begin, "nc-continue"
#     (qemu/netconsole.gdb) in the driver's transmit; "quit" lets the
#     guest finish its panic: the run completes, the network transcript
#     equals the serial one, and the listener's and the tap's lines
#     ("listener| ", "wire| ") appeared between gdb's.
#   idle: crash=none runs on after "continue" until Ctrl-C, which must
#     reach gdb (the guest stops: SIGINT) and not the run (QEMU lives on);
#     nc-log then shows the serial console's records; "quit" ends the run.
#   kill: SIGKILL of run-crash.sh at gdb's first prompt.
# In each, once the run is over, its namespace is gone and no process runs
# with its log directory on the command line (QEMU, tcpdump, listener, gdb,
# the views).
#
# Environment: NIC filters the NICs; NC_TIMEOUT bounds each wait (default
# 90 s). Failing cases keep their logs in build/test-logs/gdb-tty-<case>/.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib-cases.sh
. "$here/lib-cases.sh"

cases_timeout_s=${NC_TIMEOUT:-90}
cases_jobs=${NC_JOBS:-$(nproc)}
# How long what a killed run leaves may take to go (the guard polls every
# 0.2 s, a view's tail every second).
KILL_SETTLE_S=15

nics=()
select_from nics "$CASES_ALL_NICS" "${NIC:-$CASES_ALL_NICS}" NIC
# A case is "nic crash": the crash on the first NIC selected, the idle run
# on the last; "kill" is the crash run with run-crash.sh killed (SIGKILL) at
# gdb's first prompt.
cases=("${nics[0]} init-null" "${nics[-1]} none" "${nics[0]} kill")
command -v gdb >/dev/null 2>&1 || cases_skip_reason="gdb not installed (run 'make deps')"
command -v script >/dev/null 2>&1 || cases_skip_reason="script(1) not installed (bsdutils)"
# The terminal shows the packet view's tcpdump on the tap and the run's
# namespace: the netns backend's.
if [ -z "${cases_skip_reason:-}" ] && nb_choose && [ "$NB_BACKEND" != netns ]; then
	cases_skip_reason=$(nb_no_tcpdump_reason "make gdb")
fi

case_name() {
	echo "gdb-tty-${1/ /-}"
}

# plain FILE: the text of FILE without terminal escapes (gdb colours its
# output on a terminal) and carriage returns.
plain() {
	sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\r//g' "$1" 2>/dev/null
}

# count FILE TEXT: how often TEXT occurs in FILE's plain text.
count() {
	plain "$1" | grep -oF -- "$2" | wc -l
}

# wait_text FILE TEXT [N]: waits until TEXT occurs N times (default 1) in
# FILE while script(1) runs, at most the case's timeout; says what it
# waited for when it gives up.
wait_text() {
	local deadline=$((SECONDS + cases_timeout_s))
	while [ "$(count "$1" "$2")" -lt "${3:-1}" ]; do
		if ! kill -0 "$terminal_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
			echo "waited in vain for '$2' (x${3:-1}) on the terminal"
			return 1
		fi
		sleep 0.1
	done
}

# type_line TEXT: types TEXT and Enter, then waits for gdb's next prompt.
type_line() {
	local prompts
	prompts=$(count "$typescript" "(gdb) ")
	printf '%s\n' "$1" >&"$keys"
	wait_text "$typescript" "(gdb) " $((prompts + 1))
}

# stop_terminal: ends script(1) (it passes TERM on to run-crash.sh, which
# cleans up) and waits for it.
stop_terminal() {
	kill -TERM "$terminal_pid" 2>/dev/null
	wait "$terminal_pid" 2>/dev/null
}

# or_stop COMMAND...: runs COMMAND; when it fails, ends the terminal too.
or_stop() {
	"$@" && return 0
	stop_terminal
	return 1
}

# leftovers DIR NETNS: what of the run still exists: its namespace, and any
# process with DIR on its command line.
leftovers() {
	local pids
	[ -n "$2" ] && ip netns list 2>/dev/null | grep -qw -- "$2" && echo "namespace $2 still exists"
	pids=$(pgrep -d, -f -- "$1(/| |$)")
	[ -z "$pids" ] || echo "still running with $1 on their command line: $(ps -o pid=,args= -p "$pids" | cut -c1-120 | tr '\n' ';')"
}

drive_terminal() {
	local nic crash dir=$2 rc netns deadline transmit mode run_pid
	read -r nic mode <<<"$1"
	crash=$mode
	[ "$mode" = kill ] && crash=init-null
	typescript=$dir/typescript
	mkfifo "$dir/keys" || return 1
	# script(1) makes the terminal; outside tmux the views are lines
	# between gdb's. Its exit status is run-crash.sh's (-e).
	env -u TMUX setpriv --pdeathsig TERM script -qfec \
		"bash '$root/qemu/run-crash.sh' --nic $nic --crash $crash --logdir '$dir' --timeout $cases_timeout_s --gdb" \
		"$typescript" <"$dir/keys" >/dev/null 2>&1 &
	terminal_pid=$!
	exec {keys}>"$dir/keys"
	if ! wait_text "$typescript" "(gdb) " >/dev/null; then
		if grep -q "^run-crash: skip: " "$typescript"; then
			sed -n 's/^run-crash: skip: //p' "$typescript" | tr -d '\r'
			return "$NCNS_SKIP"
		fi
		echo "no gdb prompt on the terminal: $(tail -n 1 "$typescript" | tr -d '\r')"
		stop_terminal
		return 1
	fi
	netns=$(sed -n 's/.* in namespace \(ncns-[0-9-]*\);.*/\1/p' "$typescript" | head -n 1)
	if [ "$mode" = kill ]; then
		# Nothing may outlive run-crash.sh, however it ends (qemu/guard.sh
		# removes the namespace; the rest dies with it).
		run_pid=$(pgrep -f -- "run-crash.sh .*--logdir $dir " | head -n 1)
		if [ -z "$run_pid" ]; then
			echo "no run-crash.sh process for $dir"
			stop_terminal
			return 1
		fi
		kill -KILL "$run_pid"
		deadline=$((SECONDS + KILL_SETTLE_S))
		while [ "$SECONDS" -lt "$deadline" ] && [ -n "$(leftovers "$dir" "$netns")" ]; do
			sleep 0.2
		done
		leftovers "$dir" "$netns"
		stop_terminal
		return 0
	fi
	if [ "$crash" = none ]; then
		printf 'continue\n' >&"$keys"
		or_stop wait_text "$dir/serial.log" "Kernel ready (crash=none), idling" || return 1
		printf '\003' >&"$keys"
		or_stop wait_text "$typescript" "received signal SIGINT" || return 1
		or_stop wait_text "$typescript" "(gdb) " 2 || return 1
		pgrep -f -- "$dir/serial.log" >/dev/null || echo "Ctrl-C in gdb ended QEMU"
		or_stop type_line "nc-log 4" || return 1
	else
		or_stop type_line continue || return 1
		[ "$(count "$typescript" "Breakpoint 1, oops_begin (")" -gt 0 ] || echo "the first continue did not stop in oops_begin"
		or_stop type_line nc-continue || return 1
		case $nic in e1000) transmit=e1000_queue ;; rtl8139) transmit=rtl8139_transmit ;; esac
		[ "$(count "$typescript" "Breakpoint 2, $transmit (")" -gt 0 ] ||
			echo "the second continue did not stop in the driver's transmit"
	fi
	printf 'quit\n' >&"$keys"
	deadline=$((SECONDS + cases_timeout_s))
	while kill -0 "$terminal_pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
		sleep 0.1
	done
	exec {keys}>&-
	if kill -0 "$terminal_pid" 2>/dev/null; then
		echo "run-crash.sh still running ${cases_timeout_s}s after quit"
		kill -TERM "$terminal_pid"
	fi
	wait "$terminal_pid"
	rc=$?
	[ "$rc" = 0 ] || echo "run-crash.sh exited $rc: $(grep '^run-crash: ' "$typescript" | tail -n 1 | tr -d '\r')"
	leftovers "$dir" "$netns"
	[ -n "$netns" ] || echo "the terminal shows no namespace line"
	return 0
}

# Prints one line per failed assertion; fails when there is any.
case_run() {
	local problems rc
	problems=$(drive_terminal "$@")
	rc=$?
	[ -z "$problems" ] || printf '%s\n' "$problems"
	[ "$rc" = "$NCNS_SKIP" ] && return "$rc"
	[ -z "$problems" ] && [ "$rc" = 0 ]
}

check_case() {
	local nic crash dir=$2 out line seq text want n=0
	read -r nic crash <<<"$1"
	[ -s "$dir/typescript" ] || return
	# A killed run has nothing to compare; drive_terminal checked what it left.
	[ "$crash" = kill ] && return
	if [ "$crash" = none ]; then
		# nc-log's lines are serial lines of the same sequence numbers.
		while IFS= read -r line; do
			line=${line%$'\r'}
			[[ $line =~ ^\ *([0-9]+)\ \<[0-7]\>\ (\[.*)$ ]] || continue
			seq=${BASH_REMATCH[1]} text=${BASH_REMATCH[2]}
			n=$((n + 1))
			want=$(sed 's/\r$//' "$dir/serial.log" | awk -v n="$seq" '/^\[/ { s = 1 } s && n-- == 0 { print; exit }')
			[ "$text" = "$want" ] || echo "nc-log record $seq: '$text', serial line $seq: '$want'"
		done < <(plain "$dir/typescript" | grep -a -v '^wire| \|^listener| ')
		[ "$n" = 4 ] || echo "nc-log 4 printed $n records"
		return
	fi
	out=$(nc_check_same_transcript "$dir") || echo "$out"
	awk -v end="$NC_END_LINE_PREFIX" 'index($0, "listener| ") && index($0, end) { found = 1 } END { exit !found }' \
		<(plain "$dir/typescript") ||
		echo "no 'listener| ' line with the panic's end line on the terminal"
	plain "$dir/typescript" | grep -aq "wire| .* IP $NC_GUEST_IP.6665 > $NC_HOST_IP.6666: UDP" ||
		echo "no 'wire| ' line with a netconsole packet on the terminal"
}

cases_run
