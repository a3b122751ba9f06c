#!/usr/bin/env bash
# Crash dumps over the network (TAP): on each NIC, a crash with netdump=
# must leave a complete, checksum-verified ELF core that gdb opens at the
# faulting function (init-null, irq-timer), with a known text read back from
# a .bss symbol; the dump must also complete with 10% packet loss, and with
# nobody listening the panic must still end within the stated bound.
#
# Environment: NIC filters the NICs; NC_TIMEOUT is one run's limit in seconds
# (default 120); NC_JOBS the runs at once (default the CPU count). Failing
# cases keep their logs in build/test-logs/netdump-<case>/.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=qemu/netns.sh
. "$root/qemu/netns.sh"

ALL_NICS="e1000 rtl8139"
KINDS="init-null irq-timer loss no-host"
timeout_s=${NC_TIMEOUT:-120}
jobs=${NC_JOBS:-$(nproc)}
logs_root="$root/build/test-logs"
kernel_elf="$root/build/kernel.elf"
# The herald's tries times their wait (NETDUMP_CONTROL_TRIES and
# NETDUMP_CONTROL_WAIT_MS in netconsole/netdump.h), plus 10% slack, on the
# guest's own clock (serial timestamps): the wall clock of a loaded test
# machine says more about QEMU than about the kernel.
NO_HOST_BOUND_MS=$((8 * 250 * 11 / 10))
CANARY="netdump canary: read back from the crash dump"

nics=()
for nic in ${NIC:-$ALL_NICS}; do
	case " $ALL_NICS " in
	*" $nic "*) nics+=("$nic") ;;
	*)
		echo "Bail out! unknown NIC '$nic' (known: $ALL_NICS)"
		exit 1
		;;
	esac
done
cases=()
for nic in "${nics[@]}"; do
	for kind in $KINDS; do
		cases+=("$nic-$kind")
	done
done
echo "1..${#cases[@]}"

skip_reason=""
if ! command -v gdb >/dev/null 2>&1; then
	skip_reason="gdb not installed (run 'make deps')"
elif ! ncns_check; then
	skip_reason=$NCNS_SKIP_REASON
elif ! ncns_create; then
	skip_reason=$NCNS_SKIP_REASON
fi
ncns_cleanup
if [ -n "$skip_reason" ]; then
	n=0
	for c in "${cases[@]}"; do
		n=$((n + 1))
		echo "ok $n - $c # skip $skip_reason"
	done
	exit 0
fi

results=$(mktemp -d "${TMPDIR:-/tmp}/nc-netdump.XXXXXX")
declare -A running=()
stop_cases() {
	local pid
	for pid in "${!running[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${!running[@]}"; do
		wait "$pid" 2>/dev/null
	done
	rm -rf "$results"
}
trap stop_cases EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# stamp_us FILE TEXT: the printk timestamp of the first line holding TEXT,
# in microseconds.
stamp_us() {
	grep -F -m 1 -- "$2" "$1" 2>/dev/null |
		sed -n 's/^\[ *\([0-9]*\)\.\([0-9]\{6\}\)\].*/\1\2/p' | sed 's/^0*\(.\)/\1/'
}

info_value() {
	sed -n "s/^$2: //p" "$1" 2>/dev/null | head -n 1
}

# check_core DIR FUNCTION CALLER: the dump is complete and verified, and gdb
# shows FUNCTION as frame #0 with CALLER among the frames above it.
check_core() {
	local dir=$1 function=$2 caller=$3 info core bt
	info=$(ls "$dir"/dumps/info.* 2>/dev/null | head -n 1)
	core=$(ls "$dir"/dumps/vmcore.* 2>/dev/null | head -n 1)
	if [ -z "$info" ]; then
		echo "no info file in $dir/dumps"
		return
	fi
	[ "$(info_value "$info" complete)" = yes ] ||
		echo "dump not complete: $(info_value "$info" verdict)"
	[ "$(info_value "$info" verdict)" = "all range checksums verified" ] ||
		echo "checksums not verified: $(info_value "$info" verdict)"
	case $core in
	*/vmcore.*.[0-9]*) ;;
	*)
		echo "no complete core (found '${core##*/}')"
		return
		;;
	esac
	gdb -batch -ex bt -ex "x/s &netdump_canary" "$kernel_elf" "$core" >"$dir/gdb.log" 2>&1
	bt=$(grep '^#' "$dir/gdb.log")
	grep -q "^#0 .* in $function () " <<<"$bt" ||
		echo "gdb frame #0 is not $function: $(grep '^#0' <<<"$bt")"
	grep -q "^#[1-9].* in $caller " <<<"$bt" ||
		echo "gdb shows no caller $caller above frame #0"
	grep -qF "<netdump_canary>:	\"$CANARY\"" "$dir/gdb.log" ||
		echo "x/s &netdump_canary did not read the canary text from the core"
	grep -q "^Program terminated with signal SIGSEGV" "$dir/gdb.log" ||
		echo "gdb does not report SIGSEGV from NT_PRSTATUS"
}

run_case() {
	local name=$1 nic=${1%%-*} kind=${1#*-} dir rc problems crash args
	dir="$logs_root/netdump-$name"
	rm -rf "$dir"
	mkdir -p "$dir"
	crash=init-null
	args=(--netdump host)
	case $kind in
	irq-timer) crash=irq-timer ;;
	loss) args+=(--dump-loss 10) ;;
	no-host) args=(--netdump no-host) ;;
	esac
	timeout -k 10 $((timeout_s + 60)) bash "$root/qemu/run-crash.sh" --nic "$nic" \
		--crash "$crash" --logdir "$dir" --timeout "$timeout_s" "${args[@]}" \
		>"$dir/run-crash.log" 2>&1 &
	local child=$!
	trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 143' TERM
	wait "$child"
	rc=$?
	if [ "$rc" = "$NCNS_SKIP" ]; then
		echo "skip $(tail -n 1 "$dir/run-crash.log")" >"$results/$name.result"
		rm -rf "$dir"
		return
	fi
	problems=$(
		[ "$rc" = 0 ] || echo "run did not complete (exit $rc): $(tail -n 1 "$dir/run-crash.log")"
		case $kind in
		init-null) check_core "$dir" crash_init_null crash_run_init_site ;;
		irq-timer) check_core "$dir" crash_irq_timer timer_interrupt ;;
		loss)
			check_core "$dir" crash_init_null crash_run_init_site
			info=$(ls "$dir"/dumps/info.* 2>/dev/null | head -n 1)
			resent=$(info_value "$info" kernel_resends)
			[ "${resent:-0}" -gt 0 ] || echo "no chunk was resent: the loss did not happen"
			;;
		no-host)
			grep -q "netdump: no reply from the host" "$dir/serial.log" ||
				echo "the kernel did not report the missing host"
			end=$(stamp_us "$dir/serial.log" "---[ end Kernel panic")
			gave_up=$(stamp_us "$dir/serial.log" "netdump: no reply from the host")
			if [ -z "$end" ] || [ -z "$gave_up" ]; then
				echo "no serial timestamps for the panic end and netdump giving up"
			else
				took=$(((gave_up - end) / 1000))
				echo "netdump gave up ${took} ms after the panic (bound ${NO_HOST_BOUND_MS} ms)" \
					>"$results/$name.extra"
				[ "$took" -le "$NO_HOST_BOUND_MS" ] ||
					echo "netdump gave up ${took} ms after the panic (bound ${NO_HOST_BOUND_MS} ms)"
			fi
			;;
		esac
	)
	if [ -z "$problems" ]; then
		echo ok >"$results/$name.result"
		info=$(ls "$dir"/dumps/info.* 2>/dev/null | head -n 1)
		[ -n "$info" ] && echo "$(info_value "$info" seconds) s, $(info_value "$info" mb_per_s) MB/s" >"$results/$name.extra"
		rm -rf "$dir"
	else
		{
			printf '%s\n' "$problems"
			echo "logs: $dir"
		} >"$results/$name.diag"
		echo fail >"$results/$name.result"
	fi
}

report() {
	local name=$1 result extra
	result=$(cat "$results/$name.result" 2>/dev/null)
	extra=$(cat "$results/$name.extra" 2>/dev/null)
	reported=$((reported + 1))
	case $result in
	ok) echo "ok $reported - $name${extra:+ ($extra)}" ;;
	skip*) echo "ok $reported - $name # $result" ;;
	*)
		echo "not ok $reported - $name"
		[ -n "$result" ] || echo "#   the case ended without a result"
		sed 's/^/#   /' "$results/$name.diag" 2>/dev/null
		failed=$((failed + 1))
		;;
	esac
}

reported=0 failed=0 next=0
while [ "$next" -lt "${#cases[@]}" ] || [ "${#running[@]}" -gt 0 ]; do
	while [ "$next" -lt "${#cases[@]}" ] && [ "${#running[@]}" -lt "$jobs" ]; do
		run_case "${cases[$next]}" &
		running[$!]=${cases[$next]}
		next=$((next + 1))
	done
	wait -n
	for pid in "${!running[@]}"; do
		kill -0 "$pid" 2>/dev/null && continue
		wait "$pid" 2>/dev/null
		report "${running[$pid]}"
		unset "running[$pid]"
	done
done
rmdir "$logs_root" 2>/dev/null
[ "$failed" -eq 0 ]
