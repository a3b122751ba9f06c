#!/bin/bash
# Serial-console QEMU scenarios, no network and no root: every crash site that
# needs no NIC booted with -kernel (and two from the GRUB ISO) must print an oops
# that check-oops.sh accepts and then end QEMU through the panic reboot; crash=
# and panic= behave as on Linux; and check-oops.sh must reject logs derived
# from a real oops by single deliberate breakages, and accept a few changes
# the oops contract allows.
set -u
cd "$(dirname "$0")/../.." || exit 1

KERNEL=build/kernel.elf
CHECK=tests/qemu/check-oops.sh
LOGROOT=build/test-logs
QEMU=${QEMU:-qemu-system-i386}
BOOT_TIMEOUT=60
SITES="init-null init-divzero init-bug init-panic irq-timer nested stack-overflow early flood-then-oops"
ISO_SITES="init-null irq-timer"
VALID_SITES="none init-null init-divzero init-bug init-panic irq-timer irq-nic irq-nic-locked nested
	stack-overflow early flood-then-oops"

if [ ! -f "$KERNEL" ]; then
	echo "1..0 # SKIP $KERNEL missing (run make kernel)"
	exit 0
fi
if ! command -v "$QEMU" >/dev/null; then
	echo "1..0 # SKIP $QEMU not installed"
	exit 0
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/serial-oops.XXXXXX") || exit 1
mkdir -p "$scratch/results" "$LOGROOT"
trap 'kill $(jobs -p) 2>/dev/null; wait; rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM
# Every boot and every check uses one copy, so a rebuild by someone else
# during the run cannot pair a log with a different ELF.
cp "$KERNEL" "$scratch/kernel.elf" || exit 1
KERNEL=$scratch/kernel.elf

# The machine every case boots, logging serial output to LOG.
qemu_args() { # LOG
	machine=(-accel tcg -m 64 -display none -no-reboot -nic none -serial "file:$1" -monitor none)
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
	qemu_args "$dir/serial.log"
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

check_log() { # DIR SITE
	local out
	out=$(bash "$CHECK" "$1/serial.log" "$KERNEL" "$2") && return 0
	echo "check-oops.sh $2:"
	printf '%s\n' "$out" | head -20
	return 1
}

case_site() { # DIR SITE
	boot_until_exit "$1" -kernel "$KERNEL" -append "crash=$2 panic=-1" || return 1
	check_log "$1" "$2" || return 1
	cp "$1/serial.log" "$scratch/good-$2.log"
}

case_iso() { # DIR SITE
	if ! command -v grub-mkrescue >/dev/null; then
		echo "SKIP grub-mkrescue not installed"
		return 2
	fi
	if ! sh boot/mkiso.sh "$KERNEL" "crash=$2 panic=-1" "$1/kernel.iso" >"$1/mkiso.log" 2>&1; then
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
	qemu_args "$1/serial.log"
	"$QEMU" "${machine[@]}" -kernel "$KERNEL" -append "$2" 2>"$1/qemu.stderr" &
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
	boot_until_exit "$1" -kernel "$KERNEL" -append "crash=init-null panic=1" || status=1
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

cases=()
descs=()
add_case() { # NAME DESCRIPTION FUNCTION ARGS...
	cases+=("$1|${*:3}")
	descs+=("$2")
}
for site in $ISO_SITES; do
	add_case "iso-$site" "$site from the GRUB ISO: oops checked, QEMU exits by itself" case_iso "$site"
done
for site in $SITES; do
	add_case "$site" "$site (-kernel): oops checked, QEMU exits by itself" case_site "$site"
done
add_case crash-none "crash=none boots to the ready line and keeps running" case_none
add_case crash-bogus "crash=bogus names the bad site, lists the valid ones, boots on" case_bogus
add_case panic-0 "panic=0 halts after the oops without ending QEMU" case_panic0
add_case panic-1 "panic=1 ends QEMU about 1 s after the panic line" case_panic1

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
	'stack-overflow|stack-overflow|a 33rd frame|/ crash_stack_overflow/h;/ ---\[ end trace/{x;p;x}'
	'stack-overflow|stack-overflow|a double fault title|s/stack guard page: 0000 \[#1\]/double fault: 0000 [#1]/'
	'early|early|EIP elsewhere|s/EIP: crash_early+/EIP: crash_init_null+/'
	'early|early|a trace without crash_run_early_site|/ crash_run_early_site+/d'
	'early|early|another line between end trace and panic|/ ---\[ end trace/a\
hello'
	'early|init-null|checked as init-null|'
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

echo "1..$((${#cases[@]} + ${#mutations[@]} + ${#variants[@]}))"
testno=0
tap() { # STATUS(0 ok, 1 not ok, 2 skip) DESCRIPTION DIAG-FILE
	testno=$((testno + 1))
	case $1 in
	0) echo "ok $testno - $2" ;;
	1) echo "not ok $testno - $2" ;;
	2) echo "ok $testno - $2 # skip $(sed -n 's/^SKIP //p' "$3" | head -1)" ;;
	esac
	[ "$1" = 2 ] || sed 's/^/# /' "$3"
}

run_case() { # INDEX
	local index=$1 name=${cases[$1]%%|*} call=${cases[$1]#*|} dir status res
	dir=$LOGROOT/serial-$name
	rm -rf "$dir"
	mkdir -p "$dir"
	# The TERM trap ends whatever QEMU or poller this case started.
	trap 'kill $qpid $tpid $poller 2>/dev/null; exit 143' TERM
	res=$scratch/results/$index
	# shellcheck disable=SC2086 # call is "function arg..."
	set -- $call
	"$1" "$dir" "${@:2}" >"$res.diag" 2>&1
	status=$?
	if [ $status -eq 1 ]; then
		cp "$KERNEL" "$dir/kernel.elf"
		echo "serial log kept: $dir/serial.log (with the kernel.elf it ran)" >>"$res.diag"
	else
		rm -rf "$dir"
	fi
	echo "$status" >"$res.tmp"
	mv "$res.tmp" "$res.status"
}

declare -A reported
finished=0
report_finished() {
	local f i
	for f in "$scratch"/results/*.status; do
		[ -e "$f" ] || continue
		i=${f##*/}
		i=${i%.status}
		[ -z "${reported[$i]:-}" ] || continue
		reported[$i]=1
		finished=$((finished + 1))
		tap "$(cat "$f")" "${descs[$i]}" "$scratch/results/$i.diag"
	done
}

# Polling the result files rather than wait -n keeps the count of running
# cases exact however closely they finish.
maxjobs=$((2 * $(nproc)))
launched=0
# A case bounds each of its waits; this only catches a case that died.
deadline=$((SECONDS + 600))
while [ $finished -lt ${#cases[@]} ] && [ $SECONDS -lt $deadline ]; do
	if [ $launched -lt ${#cases[@]} ] && [ $((launched - finished)) -lt $maxjobs ]; then
		run_case "$launched" &
		launched=$((launched + 1))
		continue
	fi
	sleep 0.2
	report_finished
done
for i in "${!cases[@]}"; do
	if [ -z "${reported[$i]:-}" ]; then
		echo "did not finish within 600 s" >"$scratch/results/$i.diag"
		tap 1 "${descs[$i]}" "$scratch/results/$i.diag"
	fi
done

# check_derived WANT ENTRY: feeds check-oops.sh an accepted log edited by the
# entry's sed script ("from|as|what|script") and reports whether it was
# judged as WANT says (reject or accept). A script that changes nothing
# proves nothing and fails, unless the log is checked as another site.
check_derived() {
	local want=$1 entry=$2 from as what script verb desc diag good derived out
	IFS='|' read -r from as what script <<<"$entry"
	script=${entry#*|*|*|}
	verb=rejects
	[ "$want" = accept ] && verb=accepts
	desc="check-oops.sh $verb the $from log with $what"
	diag=$scratch/derived.diag derived=$scratch/derived.log out=$scratch/derived.out
	: >"$diag"
	good=$scratch/good-$from.log
	if [ ! -f "$good" ]; then
		echo "SKIP no accepted $from log to derive from" >"$diag"
		tap 2 "$desc" "$diag"
		return
	fi
	sed "$script" "$good" >"$derived"
	if { [ "$want" = accept ] || [ "$from" = "$as" ]; } && cmp -s "$good" "$derived"; then
		echo "the sed script changed nothing: $script" >"$diag"
		tap 1 "$desc" "$diag"
	elif bash "$CHECK" "$derived" "$KERNEL" "$as" >"$out" 2>&1; then
		if [ "$want" = accept ]; then
			tap 0 "$desc" "$diag"
		else
			echo "accepted; derived log:" >"$diag"
			tail -25 "$derived" >>"$diag"
			tap 1 "$desc" "$diag"
		fi
	else
		sed 's/^/rejected: /' "$out" | head -5 >"$diag"
		[ "$want" = reject ]
		tap $? "$desc" "$diag"
	fi
}

for m in "${mutations[@]}"; do
	check_derived reject "$m"
done
for v in "${variants[@]}"; do
	check_derived accept "$v"
done
