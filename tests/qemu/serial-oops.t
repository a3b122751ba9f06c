#!/bin/bash
# Serial-console QEMU scenarios, no network and no root: every crash site of
# the kernel's table that needs no NIC, booted with -kernel (and two from the
# GRUB ISO), must print an oops that check-oops.sh accepts and then end QEMU
# through the panic reboot; crash= and panic= behave as on Linux; and
# check-oops.sh must reject logs derived from a real oops by single deliberate
# breakages, and accept a few changes the oops contract allows. The cases run
# side by side on the common runner (lib-cases.sh); a failing one keeps its
# logs in build/test-logs/serial-<case>/.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1

CHECK=$here/check-oops.sh
if [ -z "${NM:-}" ] || [ -z "${ADDR2LINE:-}" ]; then
	eval "$(make -s --no-print-directory -C "$root" print-binutils)" || exit 1
fi
QEMU=${QEMU:-qemu-system-i386}
BOOT_TIMEOUT=60
# The sites that fault only where a NIC interrupts (network.t boots them).
NIC_SITES="irq-nic irq-nic-locked"
# The sites that need several CPUs (smp.t boots them).
SMP_SITES="smp-tx-held smp-irq-nic smp-log-held smp-both"
ISO_SITES="init-null irq-timer"

if [ ! -f build/kernel.elf ]; then
	echo "1..0 # SKIP build/kernel.elf missing (run make kernel)"
	exit 0
fi
if ! command -v "$QEMU" >/dev/null; then
	echo "1..0 # SKIP $QEMU not installed"
	exit 0
fi
# shellcheck source=tests/qemu/lib-cases.sh
. "$here/lib-cases.sh"
cases_local=1
VALID_SITES=$(paste -sd ' ' build/crash-sites.txt)
for site in $NIC_SITES $SMP_SITES $ISO_SITES; do
	case " $VALID_SITES " in
	*" $site "*) ;;
	*)
		echo "Bail out! $site is not in the kernel's crash-site table ($VALID_SITES)"
		exit 1
		;;
	esac
done
SITES=""
for site in $CASES_ALL_CRASHES; do
	case " $NIC_SITES $SMP_SITES " in
	*" $site "*) ;;
	*) SITES="$SITES $site" ;;
	esac
done

# The machine every case boots, logging serial output to DIR/serial.log and
# every interrupt and exception the emulated CPU takes to DIR/cpu.log: the
# witness that the oops reports a real fault, and that no interrupt reaches
# the CPU after it (check-cpu-log.awk). Its SMBIOS tables name it as
# set here, the witness for the oops's "Hardware name:" line.
SMBIOS_MANUFACTURER="NC Harness"
SMBIOS_PRODUCT="Serial Test PC"
SMBIOS_BIOS_VERSION=nc-bios-0.1
SMBIOS_BIOS_DATE=12/04/2026
export NC_HARDWARE_NAME="$SMBIOS_MANUFACTURER $SMBIOS_PRODUCT, BIOS $SMBIOS_BIOS_VERSION $SMBIOS_BIOS_DATE"
qemu_args() { # DIR
	machine=(-accel tcg -m 64 -display none -no-reboot -nic none -serial "file:$1/serial.log"
		-monitor none -d int -D "$1/cpu.log"
		-smbios "type=0,version=$SMBIOS_BIOS_VERSION,date=$SMBIOS_BIOS_DATE"
		-smbios "type=1,manufacturer=$SMBIOS_MANUFACTURER,product=$SMBIOS_PRODUCT")
}

# Seconds between two $EPOCHREALTIME stamps.
elapsed() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'
}

# Polls LOG until a line matches the ERE, while PID runs; gives up after SECONDS.
wait_for_line() { # LOG ERE PID SECONDS
	local deadline=$((SECONDS + $4))
	while [ $SECONDS -lt "$deadline" ]; do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		kill -0 "$3" 2>/dev/null || {
			grep -Eq -- "$2" "$1" 2>/dev/null
			return
		}
		sleep 0.05
	done
	return 1
}

# Boots DIR's machine to completion; the panic reboot must end QEMU in time.
boot_until_exit() { # DIR QEMU-ARGS...
	local dir=$1 rc
	shift
	# In the background so that the case's TERM trap runs at once.
	qemu_args "$dir"
	timeout "$BOOT_TIMEOUT" "$QEMU" "${machine[@]}" "$@" 2>"$dir/qemu.stderr" &
	tpid=$!
	wait "$tpid"
	rc=$?
	if [ $rc -eq 124 ]; then
		echo "QEMU still running after ${BOOT_TIMEOUT}s (no panic reboot)"
		return 1
	fi
	if [ $rc -ne 0 ]; then
		echo "QEMU exited with status $rc: $(head -c 300 "$dir/qemu.stderr")"
		return 1
	fi
}

check_log() { # DIR SITE [RESUMES]: RESUMES, the vector of an exception the kernel
	# returns from (check-cpu-log.awk)
	local out status=0
	out=$(awk -v resumes="${3:-}" -f "$here/check-cpu-log.awk" "$1/cpu.log") || {
		echo "$out"
		status=1
	}
	out=$(sh "$CHECK" "$1/serial.log" "$NC_KERNEL" "$2" "$1/cpu.log") && return $status
	echo "check-oops.sh $2:"
	printf '%s\n' "$out" | head -20
	cp "$NC_KERNEL" "$1/kernel.elf"
	echo "serial log kept with the kernel.elf it ran"
	return 1
}

# A site's accepted serial log and the CPU's interrupt log of that run, which
# the derived cases edit.
good_log() { # SITE
	echo "$cases_results/good-$1.log"
}
good_cpu_log() { # SITE
	echo "$cases_results/good-$1.cpu.log"
}

# The README's decode_stacktrace.sh command, done by our own
# decode-trace.sh: the EIP and every frame resolve to a file of the tree
# (the base path stripped) and a line in it; a BUG's EIP to the line the
# report names.
check_decode() { # DIR SITE
	local out status=0 bug
	out=$(NM=$NM ADDR2LINE=$ADDR2LINE sh "$here/decode-trace.sh" "$NC_KERNEL" "$root" <"$1/serial.log")
	# A report through panic() alone (init-panic, corrupt-stack) has no
	# registers; check-oops.awk knows which sites print them.
	if grep -q '] EIP: ' "$1/serial.log" && ! grep -q '^EIP: ' <<<"$out"; then
		echo "decode-trace.sh decoded no EIP: line"
		status=1
	fi
	if ! grep -q '^ ' <<<"$out"; then
		echo "decode-trace.sh decoded no trace frame"
		status=1
	fi
	while IFS= read -r line; do
		local loc=${line##* => } file
		file=${loc%:*}
		if [ ! -f "$root/$file" ] || ! [[ ${loc##*:} =~ ^[1-9][0-9]*$ ]] ||
			[ "${loc##*:}" -gt "$(wc -l <"$root/$file")" ]; then
			echo "decode-trace.sh: no line of the tree: $line"
			status=1
		fi
	done <<<"$out"
	if [ "$2" = init-bug ]; then
		bug=$(sed -n 's/.*kernel BUG at \(.*\)!$/\1/p' "$1/serial.log")
		if ! grep -qxF "$(grep '^EIP: ' <<<"$out" | sed 's/.* => //')" <<<"$bug"; then
			echo "decode-trace.sh puts the BUG's EIP at $(grep '^EIP: ' <<<"$out"), the report says $bug"
			status=1
		fi
	fi
	return $status
}

case_site() { # DIR SITE
	if [ "$2" = warn ]; then
		case_warn "$1"
		return
	fi
	local extra=""
	# A soft lockup ends the run only when it panics.
	[ "$2" = softlockup ] && extra=" softlockup_panic=1"
	boot_until_exit "$1" -kernel "$NC_KERNEL" -append "crash=$2 panic=-1$extra" || return 1
	check_log "$1" "$2" || return 1
	check_decode "$1" "$2" || return 1
	if [ "$2" = hardlockup ]; then
		awk -f "$here/hardlockup-bound.awk" "$1/serial.log" >"$1/bound" || {
			cat "$1/bound"
			return 1
		}
	fi
	cp "$1/cpu.log" "$(good_cpu_log "$2")"
	cp "$1/serial.log" "$(good_log "$2")"
}

case_iso() { # DIR SITE
	if ! command -v grub-mkrescue >/dev/null; then
		echo "skip: grub-mkrescue not installed"
		return "$NCNS_SKIP"
	fi
	if ! sh boot/mkiso.sh "$NC_KERNEL" "crash=$2 panic=-1" "$1/kernel.iso" >"$1/mkiso.log" 2>&1; then
		echo "mkiso.sh failed: $(tail -3 "$1/mkiso.log")"
		return 1
	fi
	boot_until_exit "$1" -cdrom "$1/kernel.iso"
	local rc=$?
	rm -f "$1/kernel.iso"
	[ $rc -eq 0 ] && check_log "$1" "$2"
}

# Starts QEMU in the background; its PID goes to the global qpid.
start_qemu() { # DIR CMDLINE
	qemu_args "$1"
	"$QEMU" "${machine[@]}" -kernel "$NC_KERNEL" -append "$2" 2>"$1/qemu.stderr" &
	qpid=$!
}

stop_qemu() {
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
}

qpid='' tpid='' poller=''
ready_re='Kernel ready \(crash=none\), idling$'

# still_up DIR CMDLINE REGEX WHAT: boots CMDLINE, waits for the line REGEX
# matches (WHAT names it) and checks that QEMU still runs 2 s later; QEMU is
# stopped either way.
still_up() {
	local status=0
	start_qemu "$1" "$2"
	if ! wait_for_line "$1/serial.log" "$3" "$qpid" 30; then
		echo "no $4 line (QEMU ended or 30 s passed)"
		stop_qemu
		return 1
	fi
	sleep 2
	if ! kill -0 "$qpid" 2>/dev/null; then
		echo "QEMU ended within 2 s of the $4 line"
		status=1
	fi
	stop_qemu
	return $status
}

# A WARN is no crash: the kernel goes on to its ready line and keeps running.
case_warn() { # DIR
	still_up "$1" "crash=warn panic=-1" 'Kernel ready \(crash=warn\), idling$' \
		"ready line after the warning" || return 1
	check_log "$1" warn 6 || return 1
	cp "$1/cpu.log" "$(good_cpu_log warn)"
	cp "$1/serial.log" "$(good_log warn)"
}

# panic_on_warn=1 turns the WARN into a panic, which ends QEMU.
case_warnpanic() { # DIR
	boot_until_exit "$1" -kernel "$NC_KERNEL" -append "crash=warn panic_on_warn=1 panic=-1" || return 1
	check_log "$1" warn
}

# Without softlockup_panic=1 the soft lockup is reported and the kernel
# spins on: QEMU still runs 2 s after the first report's trace.
case_softlockup_on() { # DIR
	still_up "$1" "crash=softlockup panic=-1" '^\[ *[0-9.]+\]  crash_run_init_site\+' \
		"soft lockup trace" || return 1
	check_log "$1" softlockup
}

# watchdog_thresh=0 turns the NMI watchdog off, as in Linux: the CPU spins
# with interrupts off and nothing reports it, 4 s after the site began
# (the detector's bound with the default watchdog_thresh=1 is 2 s).
case_nothresh() { # DIR
	local log=$1/serial.log status=0
	start_qemu "$1" "crash=hardlockup watchdog_thresh=0 panic=-1"
	if ! wait_for_line "$log" 'crash: hardlockup: spinning with interrupts off' "$qpid" 30; then
		echo "no hardlockup site line (QEMU ended or 30 s passed)"
		stop_qemu
		return 1
	fi
	sleep 4
	kill -0 "$qpid" 2>/dev/null || { echo "QEMU ended within 4 s of the lockup"; status=1; }
	stop_qemu
	if grep -q 'hard LOCKUP\|NMI watchdog: Enabled' "$log"; then
		echo "watchdog_thresh=0 did not turn the NMI watchdog off: $(grep -m1 'hard LOCKUP\|NMI watchdog: Enabled' "$log")"
		status=1
	fi
	return $status
}

# watchdog_thresh=abc is refused with a line that names it; the kernel
# boots on with the default and does not mistake idling for a lockup.
case_badthresh() { # DIR
	local log=$1/serial.log status=0
	still_up "$1" "crash=none watchdog_thresh=abc panic=-1" "$ready_re" "ready" || status=1
	grep -q 'watchdog: bad value "abc" in watchdog_thresh=: expected whole seconds 0\.\.60; keeping watchdog_thresh=1$' "$log" ||
		{ echo "no error line naming watchdog_thresh=abc"; status=1; }
	! grep -q 'soft lockup' "$log" || { echo "idle taken for a soft lockup: $(grep -m1 'soft lockup' "$log")"; status=1; }
	return $status
}

case_none() { # DIR
	local log=$1/serial.log status=0
	still_up "$1" "crash=none panic=-1" "$ready_re" "\"Kernel ready (crash=none), idling\"" ||
		status=1
	if grep -q 'Kernel panic' "$log"; then
		echo "crash=none panicked: $(grep -m1 'Kernel panic' "$log")"
		status=1
	fi
	return $status
}

case_bogus() { # DIR
	local log=$1/serial.log status=0 err site
	start_qemu "$1" "crash=bogus panic=-1"
	if ! wait_for_line "$log" "$ready_re" "$qpid" 30; then
		echo "crash=bogus did not boot on to the ready line (QEMU ended or 30 s passed)"
		status=1
	fi
	stop_qemu
	# The error and the list of sites may span a few lines; the command line
	# echo also names "bogus" but carries "panic=".
	err=$(grep -n 'bogus' "$log" | grep -v 'panic=' | head -1 | cut -d: -f1)
	if [ -z "$err" ]; then
		echo "no error line naming \"bogus\""
		return 1
	fi
	for site in $VALID_SITES; do
		if ! sed -n "$err,$((err + 3))p" "$log" | grep -Eq "(^|[^a-z-])$site([^a-z-]|$)"; then
			echo "the error does not list the valid site $site: $(sed -n "${err}p" "$log")"
			status=1
		fi
	done
	if grep -q 'Kernel panic' "$log"; then
		echo "crash=bogus panicked: $(grep -m1 'Kernel panic' "$log")"
		status=1
	fi
	return $status
}

case_panic0() { # DIR
	local status=0
	# panic=0 halts: QEMU must outlive the end line.
	still_up "$1" "crash=init-null panic=0" '---\[ end Kernel panic' "end-of-panic" || status=1
	check_log "$1" init-null || status=1
	return $status
}

case_panic1() { # DIR
	local log=$1/serial.log status=0 t_exit t_panic delay
	(
		deadline=$((SECONDS + BOOT_TIMEOUT))
		until grep -q 'Kernel panic - not syncing' "$log" 2>/dev/null; do
			[ $SECONDS -lt $deadline ] || exit 1
			sleep 0.02
		done
		echo "$EPOCHREALTIME" >"$1/panic-time"
	) &
	poller=$!
	boot_until_exit "$1" -kernel "$NC_KERNEL" -append "crash=init-null panic=1" || status=1
	t_exit=$EPOCHREALTIME
	sleep 0.1
	kill "$poller" 2>/dev/null
	wait "$poller" 2>/dev/null
	[ $status -eq 0 ] || return 1
	if [ ! -s "$1/panic-time" ]; then
		echo "no \"Kernel panic - not syncing\" line before QEMU ended"
		return 1
	fi
	t_panic=$(cat "$1/panic-time")
	delay=$(elapsed "$t_panic" "$t_exit")
	# One second of guest time; TCG and a loaded host stretch it a little.
	if ! awk -v d="$delay" 'BEGIN { exit !(d >= 0.6 && d <= 4.0) }'; then
		echo "QEMU ended ${delay}s after the panic line, want about 1 s (0.6..4.0)"
		status=1
	else
		echo "QEMU ended ${delay}s after the panic line"
	fi
	check_log "$1" init-null || status=1
	return $status
}

# add_one_to_offset adds one to the last hex digit of a frame's offset
# (f wraps to 0) by looking the digit up in a table appended to the line.
# shellcheck disable=SC2016 # the sed script is meant to stay literal
add_one_to_offset='s/$/ 0123456789abcdef0/;s/\([0-9a-f]\)\(\/0x[0-9a-f]*\) .*\1\([0-9a-f]\).*$/\3\2/'
# Each mutation breaks one thing in a real, accepted log; the checker must
# notice. Fields: source site|site to check as|description|sed script.
# shellcheck disable=SC2016 # the sed scripts are meant to stay literal
mutations=(
	'init-null|init-null|EIP names the wrong function|s/EIP: crash_init_null+/EIP: crash_init_divzero+/'
	'init-null|init-null|wrong size of kernel_main in a frame|s/\( kernel_main+0x[0-9a-f]*\/0x[0-9a-f]*\)$/\10/'
	'init-null|init-null|frame offset beyond the size|s/ kernel_main+0x[0-9a-f]*\/0x\([0-9a-f]*\)$/ kernel_main+0x\10\/0x\1/'
	'init-null|init-null|frame offset at the end of a function not ending in a call|s/ kernel_main+0x[0-9a-f]*\/0x\([0-9a-f]*\)$/ kernel_main+0x\1\/0x\1/'
	'init-null|init-null|frame names no symbol|s/ kernel_main+/ kernel_mian+/'
	'init-null|init-null|trace without kernel_main|/ kernel_main+/d'
	'init-null|init-null|EIP and Code: lines reordered|/ EIP: /{h;d};/ Code: /G'
	'init-null|init-null|panic and end-trace lines reordered|/ ---\[ end trace /{h;d};/ Kernel panic - not syncing/G'
	'init-null|init-null|marked Code: byte moved off EIP|s/<\([0-9a-f][0-9a-f]\)> \([0-9a-f][0-9a-f]\)/\1 <\2>/'
	'init-null|init-null|CR2 not zero|s/ CR2: 00000000 / CR2: 00000004 /'
	'init-null|init-null|EDX value cut to 7 digits|s/ EDX: [0-9a-f]\([0-9a-f]*\)$/ EDX: \1/'
	'init-null|init-null|end line missing|$d'
	'init-null|init-null|a line after the end line|$a\
hello'
	'init-null|init-null|"in interrupt" on an init site|s/Fatal exception$/Fatal exception in interrupt/'
	'init-null|init-null|<IRQ> markers in an init trace|/Call Trace:$/a\
 <IRQ>'
	'init-null|init-null|second oops|$a\
Oops: 0002 [#2]'
	'init-null|init-null|double fault text|/Call Trace:$/i\
double fault'
	'init-null|init-divzero|checked as the wrong site|'
	'irq-timer|irq-timer|</IRQ> missing|/ <\/IRQ>$/d'
	'irq-timer|irq-timer|<IRQ> and </IRQ> swapped|s/ <IRQ>$/ <X>/;s/ <\/IRQ>$/ <IRQ>/;s/ <X>$/ <\/IRQ>/'
	'irq-timer|irq-timer|panic line without "in interrupt"|/ Kernel panic - not syncing/s/ in interrupt$//'
	'irq-timer|irq-timer|end line without "in interrupt"|/---\[ end Kernel panic/s/ in interrupt \]---$/ ]---/'
	'irq-timer|irq-timer|EIP in the init-null function|s/EIP: crash_irq_timer+/EIP: crash_init_null+/'
	'init-null|init-null|a frame repeated without a recursion|/ kernel_main+/p'
	'nested|nested|the [#2] report missing|0,/ _start+/b;/ ---\[ end trace/,$b;d'
	'nested|nested|the second report counted [#1]|s/Oops: 0002 \[#2\]/Oops: 0002 [#1]/'
	'nested|nested|an end trace line between the two reports|0,/ _start+/{/ _start+/a\
---[ end trace 0000000000000000 ]---
}'
	'nested|nested|a [#2] trace that does not cross into the first fault|/ trap_common+/{n;d}'
	'nested|nested|the [#2] EIP outside crash_oops_nested|s/EIP: crash_oops_nested+/EIP: crash_init_null+/'
	'nested|init-null|checked as init-null|'
	'stack-overflow|stack-overflow|a guard address outside the guard page|s/hit at [0-9a-f]* (stack is \([0-9a-f]*\)/hit at \1 (stack is \1/'
	'stack-overflow|stack-overflow|a stack range other than the boot stack|s/(stack is \([0-9a-f]*\)\.\.[0-9a-f]*)/(stack is \1..\1)/'
	'stack-overflow|stack-overflow|ESP outside the guard page|s/ EBP: \([0-9a-f]*\) ESP: [0-9a-f]*$/ EBP: \1 ESP: \1/'
	'stack-overflow|stack-overflow|CR2 other than the guard address|s/ CR2: [0-9a-f]* / CR2: 00000000 /'
	'stack-overflow|stack-overflow|a 33rd frame|/ crash_stack_overflow/h;/(more frames beyond 32 not shown)/{x;p;x}'
	'stack-overflow|stack-overflow|a double fault title|s/stack guard page: 0000 \[#1\]/double fault: 0000 [#1]/'
	'early|early|EIP elsewhere|s/EIP: crash_early+/EIP: crash_init_null+/'
	'early|early|a trace without crash_run_early_site|/ crash_run_early_site+/d'
	'early|early|another line between end trace and panic|/ ---\[ end trace/a\
hello'
	'early|init-null|checked as init-null|'
	# The sites of issue 14.
	'warn|warn|no ready line: the kernel did not go on after the warning|/Kernel ready (crash=warn), idling$/d'
	'warn|warn|a WARNING line naming another source line|s/\(WARNING: .* at kernel\/harness\/crash.c:\)[0-9]*/\11/'
	'warn|warn|a panic after the warning|$a\
Kernel panic - not syncing: Fatal exception'
	'warn|warn|EIP elsewhere than the WARNING line says|s/EIP: crash_warn+0x[0-9a-f]*\//EIP: crash_warn+0x0\//'
	'warn|init-bug|checked as init-bug|'
	'gpf|gpf|a selector register that is not the null selector|s/ EAX: 00000000 / EAX: 00000018 /'
	'gpf|int3|checked as int3|'
	'int3|int3|EIP on the int3 itself, not after it|s/EIP: crash_int3+0x1\//EIP: crash_int3+0x0\//'
	'irq-bug|irq-bug|</IRQ> missing|/ <\/IRQ>$/d'
	'irq-bug|init-bug|checked as init-bug|'
	'write-ro|write-ro|a fault address outside the read-only image|s/\(page fault for address: \)[0-9a-f]*/\100200000/;s/ CR2: [0-9a-f]* / CR2: 00200000 /'
	'write-ro|write-ro|a not-present error code|s/error_code(0x0003) - permissions violation/error_code(0x0002) - not-present page/'
	'write-ro|init-null|checked as init-null|'
	'corrupt-stack|corrupt-stack|a place no call to __stack_chk_fail returns to|s/\(corrupted in: crash_corrupt_stack+0x\)[0-9a-f]*/\11/'
	'corrupt-stack|corrupt-stack|a trace without __stack_chk_fail|/ __stack_chk_fail+/d'
	'corrupt-stack|init-panic|checked as init-panic|'
	'softlockup|softlockup|stuck for less than twice watchdog_thresh|s/stuck for [0-9]*s!/stuck for 1s!/'
	'softlockup|softlockup|a panic trace that does not cross into the stuck loop|/ <\/IRQ>$/{n;d}'
	'softlockup|init-null|checked as init-null|'
	'hardlockup|hardlockup|the report naming another CPU than its CPU: line|s/hard LOCKUP on cpu 0$/hard LOCKUP on cpu 1/'
	'hardlockup|hardlockup|EFLAGS with IF set in the stuck loop|s/ EFLAGS: 00000002$/ EFLAGS: 00000202/'
	'hardlockup|hardlockup|a panic other than Hard LOCKUP|s/not syncing: Hard LOCKUP/not syncing: Fatal exception/'
	'hardlockup|softlockup|checked as softlockup|'
	# The instruction at EIP, decoded from the ELF, faults as reported.
	'init-null|init-null|an address register that disagrees with CR2|s/ EAX: 00000000 / EAX: 00000004 /'
	'init-divzero|init-divzero|a divisor register that is not zero|s/ ECX: 00000000 / ECX: 00000001 /'
	'stack-overflow|stack-overflow|a frame pointer that puts the faulting write outside the guard page|s/ EBP: \([0-9a-f]\{3\}\)[0-9a-f]/ EBP: \1f/'
	'stack-overflow|stack-overflow|CR2 and the guard address moved within the guard page|s/\(hit at [0-9a-f]\{6\}\)[0-9a-f][0-9a-f]/\100/;s/\( CR2: [0-9a-f]\{6\}\)[0-9a-f][0-9a-f]/\100/'
	# The lines Linux prints around the report, against QEMU's -smbios.
	'init-null|init-null|no Hardware name: line|/ Hardware name: /d'
	'init-null|init-null|a Hardware name QEMU was not given|s/Hardware name: NC Harness/Hardware name: QEMU/'
	'init-panic|init-panic|no Hardware name: line in the panic stack dump|/ Hardware name: /d'
	'init-null|init-null|Comm: swapper without its CPU|s/Comm: swapper\/0 /Comm: swapper /'
	'init-null|init-null|no Modules linked in: line|/ Modules linked in:$/d'
	'stack-overflow|stack-overflow|a trace cut without saying so|/(more frames beyond 32 not shown)/d'
	'init-null|init-null|a cut marker on a whole trace|/ _start+/a\
 ... (more frames beyond 32 not shown)'
	# Every frame is a return address, or the EIP a trap interrupted.
	"init-null|init-null|a return address one byte off|/ crash_run_init_site+/{$add_one_to_offset}"
	"irq-timer|irq-timer|an interrupted EIP one byte off, inside an instruction|/ <\/IRQ>\$/{n;$add_one_to_offset}"
)

# Each CPU mutation edits QEMU's interrupt log of a real run so that the CPU
# did not take the fault the (unchanged) oops reports: a fake oops built by
# hand, with no CPU fault, looks like the first. Fields as for the mutations.
# shellcheck disable=SC2016 # the sed scripts are meant to stay literal
cpu_mutations=(
	'init-null|init-null|no page fault (a trap frame built by hand)|/ v=0e /d'
	'init-null|init-null|the page fault at another instruction|s/\( v=0e .* pc=\)[0-9a-f]*/\100000000/'
	'init-null|init-null|the page fault with another CR2|s/\( v=0e .*CR2=\)[0-9a-f]*/\1deadbeef/'
	'irq-timer|irq-timer|another EAX at the page fault|/ v=0e /{n;s/^EAX=[0-9a-f]*/EAX=12345678/}'
	'init-divzero|init-divzero|a page fault instead of the divide error|s/ v=00 / v=0e /'
	'init-bug|init-bug|no invalid-opcode exception|/ v=06 /d'
	'stack-overflow|stack-overflow|no double fault after the page fault|/ v=08 /d'
	'warn|warn|no invalid-opcode exception at the WARN|/ v=06 /d'
	'gpf|gpf|a #GP with a selector in its error code|s/ v=0d e=0000 / v=0d e=0018 /'
	'int3|int3|no breakpoint exception|/ v=03 /d'
	'write-ro|write-ro|a not-present page fault|s/ v=0e e=0003 / v=0e e=0002 /'
	'softlockup|softlockup|no timer interrupt at the stuck EIP with its registers|/ v=20 /{n;s/^EAX=[0-9a-f]*/EAX=12345678/}'
	'hardlockup|hardlockup|no NMI at the stuck EIP|/ v=02 /d'
	'hardlockup|hardlockup|the NMI taken with interrupts on|/ v=02 /{n;n;n;s/ EFL=00000002 / EFL=00000202 /}'
	'hardlockup|hardlockup|timer interrupts instead of NMIs in the loop|s/ v=02 / v=20 /'
	'init-panic|init-panic|an exception in a plain panic|$a\
    99: v=0d e=0000 i=0 cpl=0 IP=0008:00100000 pc=00100000 SP=0010:00100000 env->regs[R_EAX]=00000000'
)

# A real log changed in a way the oops contract allows must still pass.
# Fields as for the mutations.
# shellcheck disable=SC2016 # the sed scripts are meant to stay literal
variants=(
	'early|early|NIC and netconsole bring-up lines between end trace and panic|/ ---\[ end trace/a\
eth0: e1000 at 00:03.0, mac 52:54:00:12:34:56, irq 11\
netconsole: eth0 10.0.7.5:6665 -> 10.0.7.1:6666 (52:54:00:12:34:57, given)\
netconsole: network logging started'
)


# case_derived DIR KIND INDEX: feeds check-oops.sh the accepted serial and
# CPU logs of a site case, one of them edited by a sed script ("from|as|what|
# script": the serial log for a mutation or variant, the CPU log for a CPU
# mutation), and fails unless it is judged as KIND (reject, reject-cpu or
# accept) says. A script that changes nothing proves nothing and fails,
# unless the log is checked as another site. Waits for the site case that
# supplies the logs.
case_derived() {
	local dir=$1 kind=$2 entry from as what script good edited deadline=$((SECONDS + 600))
	entry=$(derived_entry "$kind" "$3")
	IFS='|' read -r from as what script <<<"$entry"
	script=${entry#*|*|*|}
	until [ -e "$(good_log "$from")" ] || [ -e "$cases_results/serial-$from.result" ]; do
		if [ $SECONDS -ge "$deadline" ]; then
			echo "the $from case did not finish within 600 s"
			return 1
		fi
		sleep 0.1
	done
	if [ ! -e "$(good_log "$from")" ]; then
		echo "skip: no accepted $from log to derive from"
		return "$NCNS_SKIP"
	fi
	cp "$(good_log "$from")" "$dir/serial.log"
	cp "$(good_cpu_log "$from")" "$dir/cpu.log"
	edited=$dir/serial.log good=$(good_log "$from")
	if [ "$kind" = reject-cpu ]; then
		edited=$dir/cpu.log good=$(good_cpu_log "$from")
	fi
	sed "$script" "$good" >"$edited"
	if { [ "$kind" = accept ] || [ "$from" = "$as" ]; } && cmp -s "$good" "$edited"; then
		echo "the sed script changed nothing: $script"
		return 1
	fi
	if sh "$CHECK" "$dir/serial.log" "$NC_KERNEL" "$as" "$dir/cpu.log" >"$dir/check-oops.out" 2>&1; then
		[ "$kind" = accept ] && return 0
		echo "accepted; derived ${edited##*/}:"
		tail -25 "$edited"
		return 1
	fi
	sed 's/^/rejected: /' "$dir/check-oops.out" | head -5
	[ "$kind" != accept ]
}

derived_entry() { # KIND INDEX
	case $1 in
	reject) echo "${mutations[$2]}" ;;
	reject-cpu) echo "${cpu_mutations[$2]}" ;;
	accept) echo "${variants[$2]}" ;;
	esac
}

# A case is "KIND ARG": site SITE, iso SITE, none, bogus, panic0, panic1,
# reject INDEX (a mutation), reject-cpu INDEX (a CPU mutation), accept INDEX
# (a variant). The derived cases come
# last: they wait for the site cases whose logs they edit.
cases=()
for site in $ISO_SITES; do
	cases+=("iso $site")
done
for site in $SITES; do
	cases+=("site $site")
done
cases+=("none -" "bogus -" "panic0 -" "panic1 -" "warnpanic -" "softlockupon -" "badthresh -" "nothresh -")
for i in "${!mutations[@]}"; do
	cases+=("reject $i")
done
for i in "${!cpu_mutations[@]}"; do
	cases+=("reject-cpu $i")
done
for i in "${!variants[@]}"; do
	cases+=("accept $i")
done

# shellcheck disable=SC2086 # a case is words on purpose
case_name() {
	set -- $1
	case $1 in
	site) echo "serial-$2" ;;
	iso) echo "serial-iso-$2" ;;
	none | bogus | panic0 | panic1 | warnpanic | softlockupon | badthresh | nothresh) echo "serial-$1" ;;
	*) echo "serial-$1-$2" ;;
	esac
}

# shellcheck disable=SC2086 # a case is words on purpose
case_title() {
	local what
	set -- $1
	case $1 in
	site) echo "$2 (-kernel): oops checked, QEMU exits by itself" ;;
	iso) echo "$2 from the GRUB ISO: oops checked, QEMU exits by itself" ;;
	none) echo "crash=none boots to the ready line and keeps running" ;;
	bogus) echo "crash=bogus names the bad site, lists the valid ones, boots on" ;;
	panic0) echo "panic=0 halts after the oops without ending QEMU" ;;
	panic1) echo "panic=1 ends QEMU about 1 s after the panic line" ;;
	warnpanic) echo "warn with panic_on_warn=1: the WARN, then panic()'s report; QEMU exits" ;;
	softlockupon) echo "softlockup without softlockup_panic: reported, the kernel spins on" ;;
	badthresh) echo "watchdog_thresh=abc names the bad value, boots on, idles without a lockup" ;;
	nothresh) echo "hardlockup with watchdog_thresh=0: the NMI watchdog is off, nothing reports the lockup" ;;
	*)
		IFS='|' read -r from _ what _ <<<"$(derived_entry "$1" "$2")"
		case $1 in
		reject) echo "check-oops.sh rejects the $from log with $what" ;;
		reject-cpu) echo "check-oops.sh rejects the $from log when the CPU's log has $what" ;;
		accept) echo "check-oops.sh accepts the $from log with $what" ;;
		esac
		;;
	esac
}

# shellcheck disable=SC2086 # a case is words on purpose
case_run() { # CASE DIR
	# The TERM trap ends whatever QEMU or poller this case started.
	trap 'kill $qpid $tpid $poller 2>/dev/null; exit 143' TERM
	set -- $1 "$2"
	case $1 in
	site) case_site "$3" "$2" ;;
	iso) case_iso "$3" "$2" ;;
	none) case_none "$3" ;;
	bogus) case_bogus "$3" ;;
	panic0) case_panic0 "$3" ;;
	panic1) case_panic1 "$3" ;;
	warnpanic) case_warnpanic "$3" ;;
	softlockupon) case_softlockup_on "$3" ;;
	badthresh) case_badthresh "$3" ;;
	nothresh) case_nothresh "$3" ;;
	reject | reject-cpu | accept) case_derived "$3" "$1" "$2" ;;
	esac
}

check_case() { :; }

# The summary row of a passing case: what it measured or why the log was
# rejected.
case_note() { # CASE DIR
	if [ -s "$2/bound" ]; then
		cat "$2/bound"
		return
	fi
	head -1 "$2/run-crash.log"
}

cases_run
