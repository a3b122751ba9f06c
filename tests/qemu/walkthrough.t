#!/usr/bin/env bash
# docs/walkthrough.md runs as written (TAP): every "make gdb ... GDB_BATCH="
# command line of the page runs through qemu/run-crash.sh with the page's
# crash site, NIC and commands, and must complete (the panic finishes, the
# network transcript equals the serial one), stop at every breakpoint the
# page's excerpt after it shows ("Breakpoint N, function ("), list every
# transmit descriptor the excerpt shows with the same state and length, in
# the same order (nc-tx), and draw no error from gdb. The page's tcpdump
# command, pointed at the case's capture, must print a guest UDP packet
# with valid checksums.
#
# Environment: NC_TIMEOUT one run's limit (default 90); NC_JOBS the runs at
# once (default the CPU count). Failing cases keep their logs in
# build/test-logs/walkthrough-<step>/.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib-cases.sh
. "$here/lib-cases.sh"

cases_timeout_s=${NC_TIMEOUT:-90}
cases_jobs=${NC_JOBS:-$(nproc)}
page=$root/docs/walkthrough.md
# What gdb says when a command cannot run.
GDB_ERRORS='^(No symbol |Undefined command|Cannot access memory|No frame|The program is not being run|Function ".*" not defined|Invalid |Argument required|Junk at end|A syntax error|No breakpoint|Cannot insert breakpoint)'

# The page's command lines, one case each, numbered from 1 in page order.
mapfile -t commands < <(grep -E '^    make gdb .*GDB_BATCH="' "$page")
cases=()
for ((i = 1; i <= ${#commands[@]}; i++)); do
	cases+=("$i")
done
[ "${#cases[@]}" -gt 0 ] || cases_skip_reason="no make gdb command in $page"
command -v gdb >/dev/null 2>&1 || cases_skip_reason="gdb not installed (run 'make deps')"

case_name() {
	echo "walkthrough-$1"
}

case_title() {
	echo "walkthrough-$1: ${commands[$(($1 - 1))]#    }"
}

# variable LINE NAME: the value of NAME=... in the command line (the
# Makefile's default when it is absent).
variable() {
	local value
	value=$(sed -n "s/.* $2=\([^ \"]*\).*/\1/p" <<<"$1")
	case $2 in
	NIC) echo "${value:-e1000}" ;;
	*) echo "$value" ;;
	esac
}

case_args() {
	local line=${commands[$(($1 - 1))]} batch
	batch=$(sed -n 's/.* GDB_BATCH="\(.*\)"$/\1/p' <<<"$line")
	run_args=(--nic "$(variable "$line" NIC)" --crash "$(variable "$line" CRASH)" --gdb-batch "$batch")
}

# expected_stops N: the "Breakpoint N, function (" heads of the excerpt
# that follows the page's Nth command line.
expected_stops() {
	awk -v n="$1" '
		/^    make gdb .*GDB_BATCH="/ { seen++; inblock = 0; next }
		seen == n && /^```/ { if (inblock) exit; inblock = 1; next }
		seen == n && inblock && /^Breakpoint [0-9]+, [a-z_0-9]+ \(/ {
			match($0, /^Breakpoint [0-9]+, [a-z_0-9]+ \(/); print substr($0, 1, RLENGTH) }' "$page"
}

# expected_descriptors N: the nc-tx descriptor lines of the excerpt after
# the page's Nth command, as "state length" (the index depends on how many
# records the boot printed).
expected_descriptors() {
	awk -v n="$1" '
		/^    make gdb .*GDB_BATCH="/ { seen++; inblock = 0; next }
		seen == n && /^```/ { if (inblock) exit; inblock = 1; next }
		seen == n && inblock && /^  \[ *[0-9]+\] [a-zA-Z]+ +len +[0-9]+ / {
			sub(/^  \[ */, ""); sub(/\]/, ""); print $2, $4 }' "$page"
}

# missing_descriptors N LOG: the page's descriptor lines the run's nc-tx
# output lacks, in the page's order (a descriptor's state moves on between
# two listings, so each must be found after the previous one).
missing_descriptors() {
	awk -v expected="$(expected_descriptors "$1")" '
		BEGIN { n = expected == "" ? 0 : split(expected, want, "\n") }
		i < n && /^  \[ *[0-9]+\] [a-zA-Z]+ +len +[0-9]+ / {
			line = $0; sub(/^  \[ */, "", line); sub(/\]/, "", line)
			split(line, f, / +/)
			if (f[2] " " f[4] == want[i + 1])
				i++
		}
		END { for (j = i + 1; j <= n; j++) print want[j] }' "$2"
}

check_case() {
	local dir=$2 stop out command
	[ -s "$dir/gdb.log" ] || {
		echo "no gdb.log"
		return
	}
	while IFS= read -r stop; do
		grep -qF -- "$stop" "$dir/gdb.log" || echo "the page shows '$stop', the run never stopped there"
	done < <(expected_stops "$1")
	[ -n "$(expected_stops "$1")" ] || echo "the page shows no breakpoint stop after command $1"
	while read -r state length; do
		echo "the page shows a descriptor $state (len $length), nc-tx in the run never did"
	done < <(missing_descriptors "$1" "$dir/gdb.log")
	grep -E "$GDB_ERRORS" "$dir/gdb.log" | head -n 3 | sed 's/^/gdb error: /'
	out=$(nc_check_same_transcript "$dir") || echo "$out"
	# The page's tcpdump line, on this case's capture.
	command=$(sed -n 's|^    \(tcpdump -r \)build/runs/e1000-init-null/capture.pcap\(.*\)$|\1"$1"\2|p' "$page")
	if [ -z "$command" ]; then
		echo "the page has no tcpdump command for build/runs/e1000-init-null/capture.pcap"
	else
		out=$(bash -c "$command" _ "$dir/capture.pcap" 2>&1)
		grep -q "proto UDP (17)" <<<"$out" && grep -q "\[udp sum ok\]" <<<"$out" ||
			echo "the page's tcpdump command printed no guest UDP packet with valid checksums: $(head -n 2 <<<"$out" | tr '\n' '|')"
	fi
}

cases_run
