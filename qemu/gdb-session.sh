# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # run-crash.sh sets what this reads and reads what it sets
# Study mode for run-crash.sh (--gdb, --gdb-batch), sourced by it: QEMU
# holds the guest at its first instruction with its gdb stub listening on
# the loopback of the run's own namespace, and gdb, started inside that
# namespace, attaches with the kernel's symbols, the helpers of
# qemu/netconsole.gdb and their two breakpoints (nc-break: where every fault
# enters the oops path, and the driver's transmit during an oops). Beside
# gdb: the listener's output and one line per packet on the tap, in tmux
# panes when run inside tmux, else as prefixed lines between gdb's own.
# Everything it starts is the run's and goes with it: processes by PID
# (NCNS_PIDS), tmux panes by id.
#
# Reads run-crash.sh's globals (logdir, nic, timeout_s, kernel_elf, here,
# gdb_mode, gdb_batch, qemu_pid, NCNS_*); sets gdb_port, gdb_qemu_args,
# gdb_rc and gdb_ended_us.

GDB_STUB_WAIT_S=10

# The stub's port. In the run's own namespace any port is free; one per run
# keeps runs apart should the stub ever listen in a shared namespace.
gdb_prepare() {
	gdb_port=$((20000 + $$ % 40000))
	gdb_qemu_args=(-S -gdb "tcp:127.0.0.1:$gdb_port")
	gdb_panes=()
}

# The commands gdb starts with: helpers, attach, breakpoints.
gdb_write_init() {
	{
		echo "set confirm off"
		# The helpers print long lines; gdb would break them at its width.
		echo "set width 0"
		[ "$gdb_mode" = batch ] && echo "set pagination off"
		echo "source $here/netconsole.gdb"
		echo "target remote 127.0.0.1:$gdb_port"
		# A failed attach ends this file here, so the line is missing.
		printf '%s\n' 'echo study mode: attached to QEMU\n'
		echo "nc-break $nic"
		if [ "$gdb_mode" = interactive ]; then
			printf '%s\n' "echo \\nstudy mode: the guest is held at its first instruction. 'continue' runs it to\\n" \
				"echo the fault (breakpoint 1, oops_begin), then to each frame the oops hands to\\n" \
				"echo $nic (breakpoint 2). 'help user-defined' lists the nc- helpers; 'quit' lets\\n" \
				"echo the guest run on to the end of its panic, 'kill' first stops it for good.\\n\\n"
		fi
	} >"$logdir/gdb.init"
}

# Waits until QEMU's stub accepts connections (it listens before the guest
# runs a single instruction).
gdb_wait_stub() {
	local tries
	for ((tries = 0; tries < GDB_STUB_WAIT_S * 20; tries++)); do
		nsx ss -Hltn "sport = :$gdb_port" 2>/dev/null | grep -q . && return 0
		kill -0 "$qemu_pid" 2>/dev/null || die "QEMU exited before its gdb stub listened: $(tail -n 1 "$logdir/qemu.stderr")"
		sleep 0.05
	done
	die "QEMU's gdb stub was not listening on 127.0.0.1:$gdb_port ${GDB_STUB_WAIT_S}s after QEMU started"
}

# gdb_show_file PREFIX FILE: FILE's lines as they come, each after PREFIX,
# on stderr, until this script ends.
gdb_show_file() {
	tail --pid=$$ -n +1 -F "$2" 2>/dev/null | while IFS= read -r line; do
		printf '%s%s\n' "$1" "$line" >&2
	done
}

# The views beside gdb: the listener writes to listener.out (watch_tap),
# a second tcpdump one line per packet to packets.log.
gdb_start_views() {
	local pid pane
	ncns_spawn pid tcpdump -i "$NCNS_TAP" -l -n -U 2>"$logdir/packets.stderr" >"$logdir/packets.log"
	wait_for_file_text "$logdir/packets.stderr" "listening on" "$pid" 10 ||
		die "the packet view's tcpdump had not started 10s after it was started: $(tail -n 1 "$logdir/packets.stderr")"
	if [ -n "${TMUX:-}" ] && command -v tmux >/dev/null 2>&1; then
		pane=$(tmux split-window -h -d -P -F '#{pane_id}' \
			"exec tail --pid=$$ -n +1 -F '$logdir/listener.out'") &&
			gdb_panes+=("$pane")
		[ -n "$pane" ] && pane=$(tmux split-window -v -d -t "$pane" -P -F '#{pane_id}' \
			"exec tail --pid=$$ -n +1 -F '$logdir/packets.log'") &&
			gdb_panes+=("$pane")
	fi
	if [ ${#gdb_panes[@]} -eq 0 ]; then
		gdb_show_file "listener| " "$logdir/listener.out" &
		NCNS_PIDS+=("$!")
		gdb_show_file "wire| " "$logdir/packets.log" &
		NCNS_PIDS+=("$!")
	fi
}

gdb_close_views() {
	local pane
	for pane in "${gdb_panes[@]}"; do
		tmux kill-pane -t "$pane" 2>/dev/null
	done
	gdb_panes=()
}

# Runs gdb inside the namespace and waits for it. Interactive: in the
# foreground with job control on, so gdb alone has the terminal and Ctrl-C
# interrupts the guest, not the run. Batch: continue to the first
# breakpoint, the commands of --gdb-batch (separated by ';'), then without
# breakpoints on to the end; bounded by the run's timeout; output to
# stdout and DIR/gdb.log.
gdb_run() {
	local args=(-q) cmd pid
	gdb_write_init
	gdb_wait_stub
	if [ "$gdb_mode" = interactive ]; then
		gdb_start_views
		echo "run-crash: gdb on 127.0.0.1:$gdb_port in namespace $NCNS_NAME; logs in $logdir" >&2
		set -m
		nsx setpriv --pdeathsig KILL gdb "${args[@]}" -x "$logdir/gdb.init" "$kernel_elf"
		gdb_rc=$?
		set +m
		gdb_close_views
	else
		args+=(-nx -batch -x "$logdir/gdb.init" -ex continue)
		IFS=';' read -ra cmds <<<"$gdb_batch"
		for cmd in "${cmds[@]}"; do
			cmd=${cmd#"${cmd%%[! ]*}"}
			[ -n "$cmd" ] && args+=(-ex "$cmd")
		done
		args+=(-ex delete -ex continue)
		ncns_spawn pid timeout -k 5 "$timeout_s" setpriv --pdeathsig KILL gdb "${args[@]}" "$kernel_elf" \
			>"$logdir/gdb.log" 2>&1
		wait "$pid"
		gdb_rc=$?
		cat "$logdir/gdb.log"
		grep -qx "study mode: attached to QEMU" "$logdir/gdb.log" ||
			die "gdb did not attach to QEMU's stub: $(tail -n 1 "$logdir/gdb.log")"
		[ "$gdb_rc" = 124 ] && die "gdb still running ${timeout_s}s after it started (--timeout); stopped"
	fi
	gdb_ended_us=$(now_us)
}
