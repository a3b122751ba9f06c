#!/usr/bin/env bash
# The other network backends (TAP): the rest of tests/qemu/ runs on the
# backend qemu/backend.sh chooses; this file runs a representative subset
# (both NICs with an init and an IRQ crash from network.t, the extended
# format with acknowledgements from reliable.t, a netdump from netdump.t)
# with the same case files and assertions on every other backend, as an
# ordinary user: run as root, it drops to nobody (setpriv) in a scratch
# directory it makes (a copy of the scripts and of the build's kernel and
# listener) and removes, so a CI job running as root still proves the
# unprivileged paths. netns, which needs root, runs as root (when the
# suite itself runs on another, given with NET=). A backend that cannot run
# for its user has each of its cases reported as skipped, with the reason.
#
# Environment: NC_JOBS the runs at once within a case file (default 2).
# Failing cases keep their logs in build/test-logs/backends-<backend>/.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib-shard.sh
. "$here/lib-shard.sh"
# shellcheck source=qemu/netns.sh
. "$root/qemu/netns.sh"
# shellcheck source=qemu/backend.sh
. "$root/qemu/backend.sh"

# The subset: a case file and its filters (comma-separated words).
SUBSET=(
	"network.t NIC=e1000,rtl8139 BOOT=kernel CRASH=init-null,irq-timer"
	"reliable.t NIC=e1000 RELIABLE=ack"
	"netdump.t NIC=e1000 NETDUMP=init-null"
)
logs_root=$root/build/test-logs

# The suite's own backend, as the caller would get it; the others are ours.
main_backend=""
nb_choose && main_backend=$NB_BACKEND
others=()
for backend in $NB_BACKENDS; do
	[ "$backend" = "$main_backend" ] || others+=("$backend")
done
if [ "$(id -u)" = 0 ]; then
	ordinary_user=nobody
	ordinary_run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
else
	ordinary_user=$(id -un)
	ordinary_run_as=()
fi

# run_as_for BACKEND: sets as_user and run_as for BACKEND's subset.
run_as_for() {
	if [ "$1" = netns ] && [ "$(id -u)" = 0 ]; then
		as_user=root run_as=()
	else
		as_user=$ordinary_user run_as=("${ordinary_run_as[@]}")
	fi
}
run_as_for user

# subset_filters ENTRY: fills the array filters with the entry's
# assignments.
subset_filters() {
	read -r -a filters <<<"${1#* }"
}

# The case names, "backend/case", from the case files' own LIST.
names=() counts=() filters=()
for backend in "${others[@]}"; do
	for entry in "${SUBSET[@]}"; do
		subset_filters "$entry"
		mapfile -t listed < <(env "${filters[@]}" LIST=1 SHARD= bash "$here/${entry%% *}")
		counts+=("${#listed[@]}")
		names+=("${listed[@]/#/$backend/}")
	done
done
shard_whole_file backends.t "${names[@]}"
echo "1..${#names[@]}"
[ "${#names[@]}" -gt 0 ] || exit 0
[ -n "$main_backend" ] || echo "# the suite itself has no backend: $NCNS_SKIP_REASON"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/nc-backends.XXXXXX") || exit 1
ncns_guard --remove "$scratch"
trap 'rm -rf "$scratch"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
tree=$scratch/tree
mkdir -p "$tree/build/host" "$scratch/tmp" "$scratch/logs" || exit 1
cp -r "$root/qemu" "$root/tests" "$root/boot" "$root/Makefile" "$tree/" &&
	cp "$root/build/kernel.elf" "$root/build/crash-sites.txt" "$tree/build/" &&
	cp "$root/build/host/netconsole-client" "$tree/build/host/" || exit 1
chmod 755 "$scratch"
[ "$(id -u)" = 0 ] && chown -R nobody:nogroup "$scratch"

# as_run_user ARGS...: runs ARGS as the subset's user, with a clean home and
# TMPDIR in the scratch directory.
as_run_user() {
	"${run_as[@]}" env -u NB_INSIDE -u NB_NOT_CHOSEN HOME="$scratch" TMPDIR="$scratch/tmp" "$@"
}

# The subset proves the unprivileged paths only if it really runs unprivileged.
if [ "$(id -u)" = 0 ] && [ "$(as_run_user id -u)" = 0 ]; then
	echo "Bail out! the subset would run as root: dropping to $as_user failed"
	exit 1
fi
reported=0 failed=0 index=0
# report_file BACKEND COUNT: renumbers a case file's TAP (stdin) into ours:
# its plan goes, its results and diagnostics stay; a result it never gave
# is a failure. Failing cases' log paths point where the logs are kept.
report_file() {
	local backend=$1 count=$2 line seen=0
	while IFS= read -r line; do
		case $line in
		"1.."*) ;;
		"ok "* | "not ok "*)
			seen=$((seen + 1)) reported=$((reported + 1))
			[ "${line#not }" = "$line" ] || failed=$((failed + 1))
			sed -E "s/^(not )?ok [0-9]+ - /\1ok $reported - $backend\//" <<<"$line"
			;;
		*) printf '%s\n' "${line//$scratch\/logs\/$backend/$logs_root/backends-$backend}" ;;
		esac
	done
	while [ "$seen" -lt "$count" ]; do
		seen=$((seen + 1)) reported=$((reported + 1)) failed=$((failed + 1))
		echo "not ok $reported - $backend/${names[$((index + seen - 1))]#*/}"
		echo "#   the case file ended before reporting this case"
	done
}

for backend in "${others[@]}"; do
	start_us=${EPOCHREALTIME/./}
	run_as_for "$backend"
	# shellcheck disable=SC2016 # the script expands $1 and the reason itself
	reason=$(as_run_user NET="$backend" bash -c '. "$1/qemu/netns.sh"; . "$1/qemu/backend.sh"; nb_choose || echo "$NCNS_SKIP_REASON"' _ "$tree")
	entry_index=0
	for entry in "${SUBSET[@]}"; do
		count=${counts[$entry_index]}
		if [ -n "$reason" ]; then
			for ((i = 0; i < count; i++)); do
				reported=$((reported + 1))
				echo "ok $reported - ${names[$((index + i))]} # skip as $as_user: $reason"
			done
		else
			subset_filters "$entry"
			report_file "$backend" "$count" < <(as_run_user NET="$backend" NB_NOT_CHOSEN="run by backends.t as $as_user" \
				NC_LOGS_ROOT="$scratch/logs/$backend" NC_JOBS="${NC_JOBS:-2}" "${filters[@]}" \
				bash "$tree/tests/qemu/${entry%% *}" 2>&1)
		fi
		index=$((index + count)) entry_index=$((entry_index + 1))
	done
	if [ -d "$scratch/logs/$backend" ] && [ -n "$(ls -A "$scratch/logs/$backend" 2>/dev/null)" ]; then
		mkdir -p "$logs_root/backends-$backend"
		cp -r "$scratch/logs/$backend/." "$logs_root/backends-$backend/"
	fi
	echo "# backend $backend as $as_user: $(((${EPOCHREALTIME/./} - start_us) / 1000000)) s${reason:+ (skipped: $reason)}"
done
[ "$failed" -eq 0 ]
