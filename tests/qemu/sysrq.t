#!/bin/bash
# Magic SysRq from the serial line, no network and no root: QEMU's serial
# port is a telnet-mode socket (QEMU waits for the client before it starts
# the guest), and build/host/serial-sysrq sends a telnet BREAK, which QEMU
# turns into a break condition on the UART, then the key, and records the
# serial output in DIR/serial.log. Each case checks the kernel's answer in
# Linux's words, and that the kernel goes on where it should; the cases run
# side by side on the common runner (lib-cases.sh) and a failing one keeps
# its logs in build/test-logs/sysrq-<case>/.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1

QEMU=${QEMU:-qemu-system-i386}
TOOL=$root/build/host/serial-sysrq
# Only a bound on waiting: a loaded host slows TCG down a lot.
BOOT_TIMEOUT=120

if [ ! -f build/kernel.elf ] || [ ! -x "$TOOL" ]; then
	echo "1..0 # SKIP build/kernel.elf or $TOOL missing (run make all and the host tools)"
	exit 0
fi
if ! command -v "$QEMU" >/dev/null; then
	echo "1..0 # SKIP $QEMU not installed"
	exit 0
fi
# shellcheck source=tests/qemu/lib-cases.sh
. "$here/lib-cases.sh"
cases_local=1
eval "$(make -s --no-print-directory -C "$root" print-binutils)"

HELP_LINE='sysrq: HELP : loglevel(0-9) reboot(b) crash(c) show-backtrace-all-active-cpus(l) show-memory-usage(m) poweroff(o) show-registers(p) show-task-states(t) '

qpid='' tpid=''
# One CPU, as before; case_smp boots two.
cpu_args=(-accel tcg)

# sysrq_boot DIR CMDLINE STEP...: boots the kernel with its serial port on
# DIR/serial.sock and starts serial-sysrq on it with the steps (see
# host/serial-sysrq.c); QEMU's PID goes to qpid, the tool's to tpid.
sysrq_boot() {
	local dir=$1 cmdline=$2
	shift 2
	rm -f "$dir/serial.sock"
	timeout "$BOOT_TIMEOUT" "$QEMU" "${cpu_args[@]}" -m 64 -display none -no-reboot -nic none \
		-chardev "socket,id=ser0,path=$dir/serial.sock,server=on,wait=on,telnet=on" \
		-serial chardev:ser0 -monitor none -kernel "$NC_KERNEL" -append "$cmdline" \
		2>"$dir/qemu.stderr" &
	qpid=$!
	timeout "$BOOT_TIMEOUT" "$TOOL" --output "$dir/serial.log" "$dir/serial.sock" "$@" \
		2>"$dir/tool.stderr" &
	tpid=$!
}

# Waits for QEMU to end by itself; fails when it had to be stopped.
qemu_ends() { # WHAT
	wait "$qpid"
	local rc=$?
	wait "$tpid"
	local tool_rc=$?
	if [ $rc -eq 124 ]; then
		echo "QEMU still running after ${BOOT_TIMEOUT}s ($1 did not end it)"
		return 1
	fi
	if [ $rc -ne 0 ]; then
		echo "QEMU exited with status $rc: $(head -c 300 "$DIR/qemu.stderr")"
		return 1
	fi
	if [ $tool_rc -ne 0 ]; then
		echo "serial-sysrq failed (status $tool_rc): $(tail -n 1 "$DIR/tool.stderr")"
		return 1
	fi
}

# The log's lines without their timestamps.
lines() {
	sed 's/^\[ *[0-9]*\.[0-9]*\] //; s/\r$//' "$DIR/serial.log"
}

# has_after LINE_ERE PREV_ERE: a line matching the first comes after one
# matching the second (both must exist).
has_after() {
	lines | awk -v a="$1" -v b="$2" '$0 ~ b && !pb { pb = NR } $0 ~ a && pb && NR > pb { ok = 1 }
		END { exit !ok }'
}

need() { # ERE WHAT
	lines | grep -Eq -- "$1" && return 0
	echo "no $2 line (want /$1/)"
	return 1
}

# The frames of the panic's trace name functions of the ELF with their
# sizes, and those in order, between <IRQ> and </IRQ>.
check_crash_trace() { # FRAMES-IN-ORDER
	lines | awk -v want="$1" -v nmcmd="$NM -S $NC_KERNEL" '
		BEGIN {
			while ((nmcmd | getline l) > 0)
				if (split(l, f, " ") == 4 && f[3] ~ /^[Tt]$/) {
					sub(/^0+/, "", f[2])
					sz[f[4]] = "0x" f[2]
				}
		}
		/^Kernel panic - not syncing: sysrq triggered crash$/ { on = 1; next }
		on && /^ <IRQ>$/ { irq = 1; next }
		on && /^ <\/IRQ>$/ { irq = 0; closed = 1; next }
		on && /^ [a-z_]/ {
			split(substr($0, 2), p, /[+\/]/)
			if (!(p[1] in sz)) { print "frame " $0 " names no text symbol"; bad = 1 }
			else if (sz[p[1]] != p[3]) { print "frame " $0 ": size " p[3] " but nm -S says " sz[p[1]]; bad = 1 }
			if (irq) seen = seen " " p[1]
		}
		END {
			n = split(want, w, " "); j = 1
			m = split(seen, s, " ")
			for (i = 1; i <= m && j <= n; i++) if (s[i] == w[j]) j++
			if (j <= n) { print "no " w[j] " frame inside <IRQ> (want in order: " want "; got:" seen ")"; bad = 1 }
			if (!closed) { print "the trace has no </IRQ>"; bad = 1 }
			exit bad
		}'
}

# loglevel=6 hides KERN_INFO records (the memmap: lines printed right after
# the command line, before interrupts are on and so before any key can
# come); the key 9 raises the level and the INFO lines still to come (the
# chatter lines) appear, as in the 2001 announcement; then BREAK c crashes
# the kernel from the serial interrupt.
case_loglevel() {
	local status=0
	sysrq_boot "$DIR" "loglevel=6 chatter=200:20 crash=none panic=-1" \
		--after "Kernel command line" --delay 1500 9 --after "chatter: line 20 of 20" c
	qemu_ends "BREAK c" || status=1
	need '^sysrq: Changing Loglevel$' "\"sysrq: Changing Loglevel\"" || status=1
	has_after '^sysrq: Loglevel set to 9$' '^sysrq: Changing Loglevel$' ||
		{ echo "no \"sysrq: Loglevel set to 9\" after the header"; status=1; }
	if lines | grep -q '^memmap: '; then
		echo "the INFO memmap: lines came through before the level was raised"
		status=1
	fi
	has_after '^chatter: line [0-9]+ of 20$' '^sysrq: Loglevel set to 9$' ||
		{ echo "no chatter line came through after the level was raised"; status=1; }
	lines | sed -n '/^sysrq: Loglevel set to 9$/q;p' | grep -q '^chatter:' &&
		{ echo "a chatter line came through before the level was raised"; status=1; }
	need '^chatter: line 20 of 20$' "last chatter" || status=1
	has_after '^Kernel panic - not syncing: sysrq triggered crash$' '^sysrq: Trigger a crash$' ||
		{ echo "no \"Kernel panic - not syncing: sysrq triggered crash\" after \"sysrq: Trigger a crash\""; status=1; }
	check_crash_trace "panic sysrq_crash handle_sysrq serial_interrupt irq_dispatch trap_dispatch trap_common" || status=1
	lines | tail -n 1 | grep -qx -- '---\[ end Kernel panic - not syncing: sysrq triggered crash \]---' ||
		{ echo "the log does not end with the panic's end line: $(lines | tail -n 1)"; status=1; }
	return $status
}

# Every other key, each once the answer to the one before is out; o ends
# the run by powering the machine off.
case_keys() {
	local status=0
	# Each key once the answer to the one before is out and a little
	# more, so that no BREAK lands while the kernel still prints.
	sysrq_boot "$DIR" "crash=none panic=0" --after "Kernel ready" x \
		--after "show-task-states(t) " --delay 300 h --after "show-task-states(t) " --delay 300 p \
		--after "Call Trace:" --delay 500 l --after "CPU0:" --delay 500 m \
		--after "pages RAM" --delay 300 t --after "task:swapper/0" --delay 500 o
	qemu_ends "BREAK o" || status=1
	[ "$(lines | grep -cxF -- "$HELP_LINE")" = 2 ] ||
		{ echo "want the help line twice (keys x and h): $HELP_LINE"; status=1; }
	need '^sysrq: Show Regs$' "\"sysrq: Show Regs\"" || status=1
	has_after '^EIP: kernel_main\+0x[0-9a-f]+/0x[0-9a-f]+$' '^sysrq: Show Regs$' ||
		{ echo "sysrq p: no EIP in the idle loop (kernel_main) after its header"; status=1; }
	has_after '^CPU0:$' '^sysrq: Show backtrace of all active CPUs$' ||
		{ echo "sysrq l: no \"CPU0:\" after its header"; status=1; }
	has_after '^Mem-Info:$' '^sysrq: Show Memory$' || { echo "sysrq m: no \"Mem-Info:\""; status=1; }
	has_after '^[0-9]+ pages RAM$' '^Mem-Info:$' || { echo "sysrq m: no page count"; status=1; }
	has_after '^task:swapper/0 +state:R  running task' '^sysrq: Show State$' ||
		{ echo "sysrq t: no task line after its header"; status=1; }
	need '^sysrq: Power Off$' "\"sysrq: Power Off\"" || status=1
	! lines | grep -q 'Kernel panic' || { echo "a panic: $(lines | grep -m1 'Kernel panic')"; status=1; }
	return $status
}

# Two CPUs (multi-threaded TCG): BREAK l shows this CPU's registers as on
# one CPU, then CPU 1's backtrace in Linux's NMI-backtrace form, from its
# idle loop (ap_main), with its own CPU: line.
case_smp() {
	local status=0
	# shellcheck disable=SC2054 # "tcg,thread=multi" is one QEMU argument
	local cpu_args=(-accel tcg,thread=multi -smp 2)
	sysrq_boot "$DIR" "crash=none panic=0" --after "Kernel ready" l \
		--after "NMI backtrace for cpu 1" --delay 1000 o
	qemu_ends "BREAK o" || status=1
	need '^smp: Brought up 1 node, 2 CPUs$' "bring-up summary" || status=1
	has_after '^CPU0:$' '^sysrq: Show backtrace of all active CPUs$' ||
		{ echo "sysrq l: no \"CPU0:\" after its header"; status=1; }
	has_after '^NMI backtrace for cpu 1$' '^CPU0:$' ||
		{ echo "sysrq l: no \"NMI backtrace for cpu 1\" after \"CPU0:\""; status=1; }
	has_after '^CPU: 1 PID: 0 Comm: swapper/1 ' '^NMI backtrace for cpu 1$' ||
		{ echo "sysrq l: CPU 1's block has no \"CPU: 1 ... swapper/1\" line"; status=1; }
	has_after '^EIP: ap_main\+0x[0-9a-f]+/0x[0-9a-f]+$' '^NMI backtrace for cpu 1$' ||
		{ echo "sysrq l: CPU 1's EIP is not in its idle loop (ap_main)"; status=1; }
	! lines | grep -q 'did not answer' || { echo "$(lines | grep -m1 'did not answer')"; status=1; }
	! lines | grep -q 'Kernel panic' || { echo "a panic: $(lines | grep -m1 'Kernel panic')"; status=1; }
	return $status
}

case_reboot() {
	local status=0
	sysrq_boot "$DIR" "crash=none panic=0" --after "Kernel ready" b
	qemu_ends "BREAK b" || status=1
	lines | tail -n 1 | grep -qx 'sysrq: Resetting' ||
		{ echo "the last line is not \"sysrq: Resetting\": $(lines | tail -n 1)"; status=1; }
	return $status
}

# A key without a BREAK is no SysRq: the kernel must still be up to take
# the BREAK c two seconds later (serial-sysrq fails when the port closed
# first).
case_nobreak() {
	local status=0
	sysrq_boot "$DIR" "crash=none panic=-1" --after "Kernel ready" --no-break c --delay 2000 c
	qemu_ends "BREAK c" || status=1
	[ "$(lines | grep -c '^sysrq: Trigger a crash$')" = 1 ] ||
		{ echo "want one \"sysrq: Trigger a crash\""; status=1; }
	return $status
}

# sysrq=0: BREAK c does nothing; QEMU still runs 3 s later.
case_off() {
	local status=0
	sysrq_boot "$DIR" "sysrq=0 crash=none panic=-1" --after "Kernel ready" c
	wait "$tpid" 2>/dev/null &
	sleep 1
	local deadline=$((SECONDS + 20))
	until lines 2>/dev/null | grep -q 'Kernel ready'; do
		[ $SECONDS -lt $deadline ] || break
		sleep 0.2
	done
	sleep 3
	if ! kill -0 "$qpid" 2>/dev/null; then
		echo "QEMU ended after BREAK c with sysrq=0"
		status=1
	fi
	kill "$qpid" "$tpid" 2>/dev/null
	wait "$qpid" "$tpid" 2>/dev/null
	need 'Kernel ready' "ready" || status=1
	! lines | grep -q '^sysrq:' || { echo "sysrq=0 answered: $(lines | grep -m1 '^sysrq:')"; status=1; }
	return $status
}

cases=("loglevel" "keys" "smp" "reboot" "nobreak" "off")

case_name() {
	echo "sysrq-$1"
}

case_title() {
	case $1 in
	loglevel) echo "serial BREAK 9 lets filtered records through, BREAK c panics from the serial interrupt" ;;
	keys) echo "serial BREAK x h p l m t o: help, registers, CPUs, memory, tasks, power off" ;;
	smp) echo "two CPUs: serial BREAK l shows CPU 0's registers, then CPU 1's NMI backtrace" ;;
	reboot) echo "serial BREAK b resets the machine" ;;
	nobreak) echo "a key without a BREAK is no SysRq" ;;
	off) echo "sysrq=0: BREAK c does nothing" ;;
	esac
}

case_run() { # CASE DIR
	trap 'kill $qpid $tpid 2>/dev/null; exit 143' TERM
	DIR=$2
	"case_$1"
}

check_case() { :; }

cases_run
