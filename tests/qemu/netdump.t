#!/usr/bin/env bash
# Crash dumps over the network (TAP): on each NIC, a crash with netdump=
# must leave a complete, checksum-verified ELF core that gdb opens at the
# faulting function (init-null, irq-timer), with a known text read back from
# a .bss symbol, and with the emergency path's own record (oops_audit) in
# line with QEMU's interrupt log of the run (check_audit); the dump must also
# complete with 10% packet loss, and with nobody listening the panic must
# still end within the stated bound; over IPv6 (1424-byte chunks,
# checksummed) the core is as complete. With several CPUs (smp-2: init-null on
# CPU 1 of 2; smp-4: on CPU 3 of 4; smp-4-tx-held: CPU 0 faults while CPU 1
# floods netconsole) the core holds one thread per CPU (check_threads): the
# faulting CPU's first and current, its PC inside the crash function by the
# ELF's symbol table, and every other CPU's PC inside the function the
# serial log's NMI backtrace for that CPU names (by the ELF: a planted note
# with another CPU's registers lands elsewhere). A one-CPU core holds one
# thread.
#
# Environment: NIC filters the NICs, NETDUMP the kinds of case (init-null,
# irq-timer, loss, no-host, ipv6, smp-2, smp-4, smp-4-tx-held); NC_TIMEOUT is
# one run's limit in seconds (default 240); NC_JOBS the runs at once (default
# the CPU count). Failing
# cases keep their logs in build/test-logs/netdump-<case>/.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib-cases.sh
. "$here/lib-cases.sh"

KINDS="init-null irq-timer loss no-host ipv6 smp-2 smp-4 smp-4-tx-held"
# A dump moves all of guest RAM: fewer runs at once, each given longer (a
# bound on waiting only: 64 MiB at the 0.8 MB/s the user backend managed
# on 2 CPUs under a load average of 18 is 80 s, after a boot as slowed).
cases_timeout_s=${NC_TIMEOUT:-240}
cases_jobs=${NC_JOBS:-$(nproc)}
# The herald's tries times their wait (NETDUMP_CONTROL_TRIES and
# NETDUMP_CONTROL_WAIT_MS in netconsole/netdump.h), plus 10% slack, on the
# guest's own clock (serial timestamps): the wall clock of a loaded test
# machine says more about QEMU than about the kernel.
NO_HOST_BOUND_MS=$((8 * 250 * 11 / 10))
CANARY="netdump canary: read back from the crash dump"

nics=() kinds=()
select_from nics "$CASES_ALL_NICS" "${NIC:-$CASES_ALL_NICS}" NIC
select_from kinds "$KINDS" "${NETDUMP:-$KINDS}" NETDUMP
# A case is "nic kind".
cases=()
for nic in "${nics[@]}"; do
	for kind in "${kinds[@]}"; do
		cases+=("$nic $kind")
	done
done
command -v gdb >/dev/null 2>&1 || cases_skip_reason="gdb not installed (run 'make deps')"
if [ -z "${NM:-}" ]; then
	eval "$(make -s --no-print-directory -C "$root" print-binutils)" || exit 1
fi

case_name() {
	echo "netdump-${1/ /-}"
}

case_group() {
	echo "${1%% *}"
}

case_args() {
	local nic kind crash=init-null args=(--netdump host --cpu-log)
	read -r nic kind <<<"$1"
	case $kind in
	irq-timer) crash=irq-timer ;;
	loss) args+=(--dump-loss 10) ;;
	no-host) args=(--netdump no-host) ;;
	ipv6) args+=(--ipv6) ;;
	smp-2) args+=(--smp 2 --append crash_cpu=1) ;;
	smp-4) args+=(--smp 4 --append crash_cpu=3) ;;
	smp-4-tx-held)
		crash=smp-tx-held
		args+=(--smp 4)
		;;
	esac
	run_args=(--nic "$nic" --crash "$crash" "${args[@]}")
}

case_note() {
	local info
	info=$(ls "$2"/dumps/info.* 2>/dev/null | head -n 1)
	if [ -s "$2/bound" ]; then
		cat "$2/bound"
	elif [ -n "$info" ]; then
		echo "$(info_value "$info" seconds) s, $(info_value "$info" mb_per_s) MB/s"
	fi
}

# stamp_us FILE TEXT: the printk timestamp of the first line holding TEXT,
# in microseconds.
stamp_us() {
	grep -F -m 1 -- "$2" "$1" 2>/dev/null |
		sed -n 's/^\[ *\([0-9]*\)\.\([0-9]\{6\}\)\].*/\1\2/p' | sed 's/^0*\(.\)/\1/'
}

# info_value FILE KEY: the value of the one KEY line; nothing when the key
# is missing or appears twice (the listener escapes wire strings, so a
# second line means the file is not the listener's).
info_value() {
	awk -v key="$2: " 'index($0, key) == 1 { n++; value = substr($0, length(key) + 1) }
		END { if (n == 1) print value }' "$1" 2>/dev/null
}

# check_core DIR FUNCTION CALLER [CPUS FAULT_CPU]: the dump is complete and
# verified, gdb shows FUNCTION as frame #0 with CALLER among the frames above
# it, and the core holds a thread per CPU (check_threads; by default one
# CPU, CPU 0).
check_core() {
	local dir=$1 function=$2 caller=$3 cpus=${4:-1} fault_cpu=${5:-0} info core bt
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
	gdb -batch -ex bt -ex "x/s &netdump_canary" -ex "set print repeats unlimited" -ex "p oops_audit" "${NC_KERNEL:-$root/build/kernel.elf}" "$core" >"$dir/gdb.log" 2>&1
	bt=$(grep '^#' "$dir/gdb.log")
	grep -q "^#0 .* in $function () " <<<"$bt" ||
		echo "gdb frame #0 is not $function: $(grep '^#0' <<<"$bt")"
	grep -q "^#[1-9].* in $caller " <<<"$bt" ||
		echo "gdb shows no caller $caller above frame #0"
	grep -qF "<netdump_canary>:	\"$CANARY\"" "$dir/gdb.log" ||
		echo "x/s &netdump_canary did not read the canary text from the core"
	grep -q "^Program terminated with signal SIGSEGV" "$dir/gdb.log" ||
		echo "gdb does not report SIGSEGV from NT_PRSTATUS"
	check_threads "$dir" "$core" "$cpus" "$fault_cpu" "$function"
	check_audit "$dir" "$cpus"
}

# function_at PC: the function whose bounds in the kernel ELF's symbol table
# (nm -S) hold PC (hex, no 0x), or nothing.
function_at() {
	"$NM" -S --defined-only "${NC_KERNEL:-$root/build/kernel.elf}" | awk -v pc="$1" '
		function hex(s,   n, i) {
			n = 0
			for (i = 1; i <= length(s); i++)
				n = n * 16 + index("0123456789abcdef", substr(tolower(s), i, 1)) - 1
			return n
		}
		BEGIN { want = hex(pc) }
		NF == 4 && $3 ~ /^[tT]$/ && hex($1) <= want && want < hex($1) + hex($2) { print $4; exit }'
}

# nmi_function SERIAL CPU: the function the EIP line of the serial log's
# "NMI backtrace for cpu CPU" names.
nmi_function() {
	sed 's/\r$//' "$1" | awk -v cpu="$2" '
		$0 ~ "\\] NMI backtrace for cpu " cpu "$" { on = 1; next }
		on && /\] EIP: / { sub(/.*\] EIP: /, ""); sub(/\+0x.*/, ""); print; exit }'
}

# check_threads DIR CORE CPUS FAULT_CPU FUNCTION: gdb finds one thread per
# CPU in the core (LWP = CPU + 1), the faulting CPU's the current one, its
# PC inside FUNCTION, and every other CPU's PC inside the function that
# CPU's NMI backtrace on the serial console names, both by the ELF's symbol
# table.
check_threads() {
	local dir=$1 core=$2 cpus=$3 fault_cpu=$4 function=$5 current pcs lwps want lwp pc got
	gdb -batch -ex "info threads" -ex "thread apply all bt" -ex 'echo @@ pcs\n' \
		-ex 'thread apply all p/x $pc' "${NC_KERNEL:-$root/build/kernel.elf}" "$core" \
		>"$dir/gdb-threads.log" 2>&1
	# info threads marks the current one, thread 1: "* 1    LWP 4    <frame>".
	current=$(sed -n 's/^\* 1 \{1,\}LWP \([0-9]*\) .*/\1/p' "$dir/gdb-threads.log")
	[ "$current" = $((fault_cpu + 1)) ] ||
		echo "gdb's current thread is LWP ${current:-none}, want the faulting CPU $fault_cpu's (LWP $((fault_cpu + 1)))"
	pcs=$(awk '$0 == "@@ pcs" { on = 1; next }
		on && /^Thread [0-9]+ \(LWP [0-9]+\):$/ { lwp = $4; sub(/\):$/, "", lwp); next }
		on && lwp != "" && /^\$[0-9]+ = 0x[0-9a-f]+$/ { print lwp, $3; lwp = "" }' "$dir/gdb-threads.log")
	lwps=$(cut -d' ' -f1 <<<"$pcs" | sort -n | paste -sd ' ')
	want=$(seq -s ' ' 1 "$cpus")
	[ "$lwps" = "$want" ] ||
		echo "gdb finds threads LWP ${lwps:-none} in the core, want one per CPU: LWP $want"
	while read -r lwp pc; do
		[ -n "$lwp" ] || continue
		got=$(function_at "${pc#0x}")
		if [ "$lwp" = $((fault_cpu + 1)) ]; then
			[ "$got" = "$function" ] ||
				echo "thread LWP $lwp (faulting CPU $fault_cpu): PC $pc lies in ${got:-no function} by the ELF, not $function"
			continue
		fi
		want=$(nmi_function "$dir/serial.log" $((lwp - 1)))
		if [ -z "$want" ]; then
			echo "thread LWP $lwp: the serial log shows no NMI backtrace with an EIP line for cpu $((lwp - 1))"
		elif [ "$got" != "$want" ]; then
			echo "thread LWP $lwp (CPU $((lwp - 1))): PC $pc lies in ${got:-no function} by the ELF; its NMI backtrace on serial has EIP in $want"
		fi
	done <<<"$pcs"
}

# check_audit DIR [CPUS]: what the kernel recorded about its emergency path
# (oops_audit, kernel/oops_audit.h), as gdb read it from the core, against
# QEMU's interrupt log of the run: every exception vector the CPU took, as
# many times as the kernel's trap entry counted it; hardware interrupts
# stayed off after the first exception (QEMU's log), and so did EFLAGS.IF at
# every console delivery and device claim of the oops (the kernel's record,
# the only witness when the PIC holds the crashed IRQ in service); and, on
# one CPU, the oops waited on no lock (with several it may wait, by design
# and within SMP_TAKE_OVER_BOUND_MS, for a lock another CPU that still runs
# holds: smp-4-tx-held's device lock, held mid-transmit).
check_audit() {
	local dir=$1 cpus=${2:-1} audit name value cpu kernel stacks=""
	audit=$(sed -n 's/^\$[0-9]* = {exception_entries = {\(.*\)}, \(oops_sends = .*\)}$/\1 \2/p' "$dir/gdb.log")
	if [ -z "$audit" ]; then
		echo "gdb printed no oops_audit from the core: $(grep -m1 oops_audit "$dir/gdb.log")"
		return
	fi
	# With several CPUs the rule is per CPU, each log entry given to the CPU
	# whose stack holds its SP: the others take the panic's stop IPI after
	# the fault by design.
	if [ "$cpus" -gt 1 ] && ! stacks=$(sh "$here/cpu-stacks.sh" "${NC_KERNEL:-$root/build/kernel.elf}" "$cpus" 2>&1); then
		echo "$stacks"
		return
	fi
	cpu=$(awk -v counts=1 -v stacks="$stacks" -f "$here/check-cpu-log.awk" "$dir/cpu.log") ||
		printf '%s\n' "$cpu" | grep -v '^vector '
	cpu=$(grep '^vector ' <<<"$cpu" | tr '\n' ' ')
	kernel=$(awk '{ n = split($0, c, /, */); for (v = 1; v <= n; v++) if (c[v] + 0) printf "vector %d %d ", v - 1, c[v] }' <<<"${audit%% oops_sends*}")
	[ -n "$cpu" ] || echo "QEMU's interrupt log holds no exception"
	[ "$kernel" = "$cpu" ] ||
		echo "exception entries the kernel counted (${kernel:-none}) differ from QEMU's log (${cpu:-none})"
	for name in oops_sends oops_sends_irqs_on oops_lock_waits; do
		value=$(grep -o "$name = [0-9]*" <<<"$audit" | head -n 1)
		value=${value##* }
		case $name in
		oops_sends) [ "${value:-0}" -gt 0 ] || echo "the core records no send during the oops" ;;
		oops_lock_waits) [ "$cpus" -gt 1 ] || [ "${value:-x}" = 0 ] || echo "the core records $name = ${value:-nothing}" ;;
		*) [ "${value:-x}" = 0 ] || echo "the core records $name = ${value:-nothing}" ;;
		esac
	done
}

# check_case CASE DIR: prints one line per failed assertion.
check_case() {
	local nic kind dir=$2 info resent end gave_up took sender
	read -r nic kind <<<"$1"
	case $kind in
	init-null) check_core "$dir" crash_init_null crash_run_init_site ;;
	smp-2) check_core "$dir" crash_init_null run_init_site 2 1 ;;
	smp-4) check_core "$dir" crash_init_null run_init_site 4 3 ;;
	smp-4-tx-held) check_core "$dir" crash_smp_tx_held run_smp_site 4 0 ;;
	irq-timer) check_core "$dir" crash_irq_timer timer_interrupt ;;
	ipv6)
		check_core "$dir" crash_init_null crash_run_init_site
		# On the user backend the dump reaches the listener from slirp's own
		# socket on ::1, not from the guest's address.
		sender=$NCNS_GUEST_IP6
		[ "$NB_BACKEND" = user ] && sender=::1
		ls "$dir"/dumps/vmcore."$sender".[0-9]* >/dev/null 2>&1 ||
			echo "no core named after the IPv6 sender $sender: $(ls "$dir"/dumps 2>/dev/null | paste -sd " ")"
		grep -q "netdump: armed, dumps go to \[fd00:7::1\]:6667" "$dir/serial.log" ||
			echo "the kernel did not arm netdump for [fd00:7::1]:6667"
		;;
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
				>"$dir/bound"
			[ "$took" -le "$NO_HOST_BOUND_MS" ] ||
				echo "netdump gave up ${took} ms after the panic (bound ${NO_HOST_BOUND_MS} ms)"
		fi
		;;
	esac
}

cases_run
