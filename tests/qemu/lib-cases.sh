# Runs QEMU scenario cases side by side through qemu/run-crash.sh and reports
# them as TAP: the plan first, then one line per case as it finishes, then a
# summary table (case | result | seconds) and the median seconds per group.
# A failing case keeps its logs in build/test-logs/<case>/ and says so; a
# passing one removes them. Without root, tun or namespaces every case is
# reported as skipped with the reason, never passed.
#
# The test script sets `here` and `root`, sources this (which brings
# lib-netcheck.sh and qemu/netns.sh along), fills the array `cases` and
# defines:
#   case_name CASE        the case's name (a word)
#   case_args CASE        fills the array `run_args` with run-crash.sh options
#   check_case CASE DIR   prints one line per failed assertion on DIR's logs
#   case_group CASE       (optional) the group a case's time counts towards
#   case_note CASE DIR    (optional) a few words for the summary row
#   case_may_fail_run CASE (optional) true when the run itself may end without
#                         the panic's end line at the listener (lossy runs)
#   case_watch CASE DIR PID (optional) runs while the case's run-crash.sh
#                         (PID) runs, e.g. to time what the serial log shows
#   case_run CASE DIR     (optional) runs the case instead of run-crash.sh,
#                         printing one line per failed assertion; exit 0 ok,
#                         1 failed, NCNS_SKIP skipped (last line the reason)
#   case_title CASE       (optional) the TAP description (default: the name)
#   case_backend_skip CASE (optional) why CASE cannot run on the chosen network
#                         backend (NB_BACKEND), naming it; nothing when it can.
#                         Such a case is reported as skipped with that reason.
# then calls cases_run, where LIST and SHARD (lib-shard.sh) select the
# cases. A script that needs more than namespaces (a tool, a package) sets cases_skip_reason first when it is missing; one that needs no
# namespace at all (its case_run boots QEMU without a network) sets
# cases_local=1. NC_TIMEOUT is
# one run's limit in seconds (default 60); NC_JOBS the number of runs at
# once (default 2 x CPUs); NC_LOGS_ROOT where failing cases keep their logs
# (default build/test-logs).

# shellcheck source=tests/qemu/lib-shard.sh
. "$root/tests/qemu/lib-shard.sh"
# shellcheck source=tests/qemu/lib-netcheck.sh
. "$root/tests/qemu/lib-netcheck.sh"
# shellcheck source=qemu/netns.sh
. "$root/qemu/netns.sh"
# shellcheck source=qemu/backend.sh
. "$root/qemu/backend.sh"

# The words the NIC, BOOT and CRASH filters know, for every case file.
CASES_ALL_NICS="e1000 rtl8139"
CASES_ALL_BOOTS="kernel iso"
# The crash sites are the kernel's own table (make kernel reads it out of the
# ELF), without "none".
if [ ! -s "$root/build/crash-sites.txt" ]; then
	echo "Bail out! $root/build/crash-sites.txt missing (run make kernel)"
	exit 1
fi
CASES_ALL_CRASHES=$(grep -vx none "$root/build/crash-sites.txt" | paste -sd " " -)

cases_timeout_s=${NC_TIMEOUT:-60}
# How much longer than its own deadline (cases_timeout_s, which a case file
# may change after sourcing this) run-crash.sh itself may run before
# timeout stops it: a hang in the harness, never the guest.
CASES_HANG_MARGIN_S=60
cases_jobs=${NC_JOBS:-$((2 * $(nproc)))}
cases_logs_root=${NC_LOGS_ROOT:-$root/build/test-logs}

# select_from ARRAY ALL REQUESTED WHAT: fills ARRAY with the requested words
# in the order given; a word not in ALL bails out.
select_from() {
	local -n selected=$1
	local word
	selected=()
	for word in $(nc_split_list "$3"); do
		case " $2 " in
		*" $word "*) selected+=("$word") ;;
		*)
			echo "Bail out! unknown $4 '$word' (known: $2)"
			exit 1
			;;
		esac
	done
}

# Fills the arrays nics, boots and crashes from the NIC, BOOT and CRASH
# filters (every known word when a filter is unset).
cases_select_filters() {
	select_from nics "$CASES_ALL_NICS" "${NIC:-$CASES_ALL_NICS}" NIC
	select_from boots "$CASES_ALL_BOOTS" "${BOOT:-$CASES_ALL_BOOTS}" BOOT
	select_from crashes "$CASES_ALL_CRASHES" "${CRASH:-$CASES_ALL_CRASHES}" CRASH
}

cases_us_to_seconds() {
	printf '%d.%01d\n' $(($1 / 1000000)) $(($1 % 1000000 / 100000))
}

# Runs and checks one case, leaving RESULTS/NAME.{result,diag,seconds};
# result is ok, fail or "skip REASON".
cases_run_one() {
	local c=$1 name dir start rc reason problems child suite_watch watch="" ended run_args=()
	name=$(case_name "$c")
	dir="$cases_logs_root/$name"
	start=${EPOCHREALTIME/./}
	rm -rf "$dir"
	if declare -F case_backend_skip >/dev/null && reason=$(case_backend_skip "$c") && [ -n "$reason" ]; then
		echo "skip $reason" >"$cases_results/$name.result"
		cases_us_to_seconds $((${EPOCHREALTIME/./} - start)) >"$cases_results/$name.seconds"
		return 0
	fi
	mkdir -p "$dir"
	if declare -F case_run >/dev/null; then
		case_run "$c" "$dir" >"$dir/run-crash.log" 2>&1 &
	else
		case_args "$c"
		# The run has its own deadline; timeout only guards against a hang
		# in the harness itself, and forwards TERM to run-crash.sh. Each
		# dies with its parent: timeout with this worker (KILL),
		# run-crash.sh with timeout (TERM, so it cleans up), whatever kills
		# them.
		setpriv --pdeathsig KILL timeout -k 10 "$((cases_timeout_s + CASES_HANG_MARGIN_S))" \
			setpriv --pdeathsig TERM bash "$root/qemu/run-crash.sh" "${run_args[@]}" \
			--logdir "$dir" --timeout "$cases_timeout_s" >"$dir/run-crash.log" 2>&1 &
	fi
	child=$!
	trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 143' TERM
	# A suite killed by SIGKILL cannot tell its workers: each watches it.
	tail --pid="$cases_suite_pid" -s 0.5 -f /dev/null &
	suite_watch=$!
	if declare -F case_watch >/dev/null; then
		case_watch "$c" "$dir" "$child" &
		watch=$!
	fi
	wait -n -p ended "$child" "$suite_watch"
	rc=$?
	if [ "$ended" != "$child" ]; then
		kill -TERM "$child" 2>/dev/null
		wait "$child" ${watch:+"$watch"}
		rm -rf "$dir"
		exit 1
	fi
	kill "$suite_watch" 2>/dev/null
	wait "$suite_watch" ${watch:+"$watch"}
	reason=$(tail -n 1 "$dir/run-crash.log" | sed 's/^run-crash: //')
	case $rc in
	124) reason="run-crash.sh still running $((cases_timeout_s + CASES_HANG_MARGIN_S))s after it started (its timeout + ${CASES_HANG_MARGIN_S} s); stopped by timeout" ;;
	137) reason="run-crash.sh killed by SIGKILL" ;;
	esac
	if [ "$rc" = "$NCNS_SKIP" ]; then
		echo "skip ${reason#skip: }" >"$cases_results/$name.result"
		rm -rf "$dir"
	else
		problems=$(
			if [ "$rc" != 0 ] && declare -F case_run >/dev/null; then
				cat "$dir/run-crash.log"
			elif [ "$rc" != 0 ] && ! { declare -F case_may_fail_run >/dev/null && case_may_fail_run "$c"; }; then
				echo "run did not complete (exit $rc): $reason"
				if [ -s "$dir/serial.log" ]; then
					echo "serial.log ends with:"
					tail -n 3 "$dir/serial.log" | sed 's/^/  /'
				fi
			fi
			check_case "$c" "$dir"
		)
		if declare -F case_note >/dev/null; then
			case_note "$c" "$dir" >"$cases_results/$name.note"
		fi
		if [ -z "$problems" ]; then
			echo ok >"$cases_results/$name.result"
			rm -rf "$dir"
		else
			{
				printf '%s\n' "$problems"
				echo "logs: $dir"
			} >"$cases_results/$name.diag"
			echo fail >"$cases_results/$name.result"
		fi
	fi
	cases_us_to_seconds $((${EPOCHREALTIME/./} - start)) >"$cases_results/$name.seconds"
}

# Reports a finished case as the next TAP line and notes its row.
cases_report() {
	local c=$1 name result seconds title
	name=$(case_name "$c")
	title=$name
	if declare -F case_title >/dev/null; then
		title=$(case_title "$c")
	fi
	[ -n "$NB_BACKEND" ] && title+=" [net=$NB_BACKEND]"
	result=$(cat "$cases_results/$name.result" 2>/dev/null)
	seconds=$(cat "$cases_results/$name.seconds" 2>/dev/null || echo '?')
	cases_reported=$((cases_reported + 1))
	case $result in
	ok) echo "ok $cases_reported - $title" ;;
	skip*) echo "ok $cases_reported - $title # $result" ;;
	*)
		echo "not ok $cases_reported - $title"
		[ -n "$result" ] || echo "#   the case ended without a result"
		sed 's/^/#   /' "$cases_results/$name.diag" 2>/dev/null
		cases_failed=$((cases_failed + 1))
		;;
	esac
	cases_summary+=("$(printf '%-44s | %-4s | %-7s %s' "$name" "${result%% *}" "$seconds" \
		"$(cat "$cases_results/$name.note" 2>/dev/null)")")
	if [ "$result" = ok ] && declare -F case_group >/dev/null; then
		cases_group_times["$(case_group "$c")"]+=" $seconds"
	fi
}

cases_stop() {
	local pid
	for pid in "${!cases_running[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${!cases_running[@]}"; do
		wait "$pid" 2>/dev/null
	done
	rm -rf "$cases_results"
}

cases_median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

cases_run() {
	local c n pid skip_reason=${cases_skip_reason:-} group kept=() k=0
	shard_parse
	for c in "${cases[@]}"; do
		shard_keep "$k" && kept+=("$c")
		k=$((k + 1))
	done
	cases=("${kept[@]}")
	if [ -n "${LIST:-}" ]; then
		for c in "${cases[@]}"; do
			case_name "$c"
		done
		exit 0
	fi
	echo "1..${#cases[@]}"
	if [ -z "${cases_local:-}" ]; then
		# One backend for every case of the suite, probed once: netns by
		# making a namespace (root in a container may lack CAP_SYS_ADMIN),
		# the others by nb_probe.
		if [ -z "$skip_reason" ]; then
			if ! nb_choose || { [ "$NB_BACKEND" = netns ] && ! ncns_create; }; then
				skip_reason=$NCNS_SKIP_REASON
			fi
			ncns_cleanup
		fi
		if [ -n "$NB_BACKEND" ]; then
			export NET=$NB_BACKEND NB_NOT_CHOSEN
			echo "# $(nb_describe)"
		fi
	fi
	if [ -n "$skip_reason" ]; then
		n=0
		for c in "${cases[@]}"; do
			n=$((n + 1))
			echo "ok $n - $(case_name "$c") # skip $skip_reason"
		done
		exit 0
	fi

	cases_results=$(mktemp -d "${TMPDIR:-/tmp}/nc-cases.XXXXXX") || exit 1
	cases_suite_pid=$$
	ncns_guard --remove "$cases_results"
	# Every case boots, and is checked against, the same kernel even if
	# build/ is rebuilt while the cases run.
	if [ -z "${NC_KERNEL:-}" ]; then
		cp "$root/build/kernel.elf" "$cases_results/kernel.elf" || exit 1
		export NC_KERNEL="$cases_results/kernel.elf"
	fi
	declare -gA cases_running=() cases_group_times=()
	trap cases_stop EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM

	cases_reported=0 cases_failed=0 cases_summary=()
	local next=0
	while [ "$next" -lt "${#cases[@]}" ] || [ "${#cases_running[@]}" -gt 0 ]; do
		while [ "$next" -lt "${#cases[@]}" ] && [ "${#cases_running[@]}" -lt "$cases_jobs" ]; do
			cases_run_one "${cases[$next]}" &
			cases_running[$!]=${cases[$next]}
			next=$((next + 1))
		done
		wait -n
		for pid in "${!cases_running[@]}"; do
			kill -0 "$pid" 2>/dev/null && continue
			wait "$pid" 2>/dev/null
			cases_report "${cases_running[$pid]}"
			unset "cases_running[$pid]"
		done
	done

	[ -n "$NB_BACKEND" ] && echo "# $(nb_describe)"
	echo "# $(printf '%-44s | %-4s | %s' case result seconds)"
	for c in "${cases_summary[@]}"; do
		echo "# $c"
	done
	for group in "${!cases_group_times[@]}"; do
		# shellcheck disable=SC2086 # the times are words on purpose
		echo "# median seconds, $group: $(cases_median ${cases_group_times[$group]})"
	done
	rmdir "$cases_logs_root" 2>/dev/null
	[ "$cases_failed" -eq 0 ]
}
