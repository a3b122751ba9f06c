# shellcheck shell=bash
# Which cases a QEMU test file runs, for CI (sourced by every file in
# tests/qemu/, through lib-cases.sh or directly):
#   LIST=1     print the case names, one per line, and run nothing;
#   SHARD=I/N  run only the I-th of N slices: case K (from 0, in the file's
#              own order, after the NIC/CRASH/BOOT filters) of a file on the
#              case runner belongs to slice K mod N + 1; a file that is one
#              unit (shard_whole_file) belongs to slice cksum(name) mod N + 1.
# The slices of one tree are stable and together hold every case once.

# shard_parse: sets shard_i and shard_n from SHARD (0 and 0 without it);
# a malformed SHARD bails out naming it.
shard_parse() {
	shard_i=0 shard_n=0
	[ -n "${SHARD:-}" ] || return 0
	case $SHARD in
	[1-9]*/[1-9]*)
		shard_i=${SHARD%/*} shard_n=${SHARD#*/}
		case $shard_i$shard_n in *[!0-9]*) shard_n=0 ;; esac
		;;
	esac
	if [ "$shard_n" = 0 ] || [ "$shard_i" -gt "$shard_n" ]; then
		echo "Bail out! SHARD='$SHARD': want I/N with 1 <= I <= N"
		exit 1
	fi
}

# shard_keep K: true when case K of a case-runner file is in this slice.
shard_keep() {
	[ "$shard_n" = 0 ] || [ $(($1 % shard_n + 1)) = "$shard_i" ]
}

# shard_whole_file NAME [CASE...]: for a file that runs as one unit. With
# LIST, prints the CASE names (NAME without any) and exits; outside this
# slice, prints an empty plan and exits; else returns.
shard_whole_file() {
	local name=$1 sum
	shift
	shard_parse
	if [ "$shard_n" != 0 ]; then
		sum=$(printf '%s' "$name" | cksum)
		if [ $((${sum%% *} % shard_n + 1)) != "$shard_i" ]; then
			[ -n "${LIST:-}" ] && exit 0
			echo "1..0 # skip $name is in another slice than SHARD=$SHARD"
			exit 0
		fi
	fi
	[ -n "${LIST:-}" ] || return 0
	if [ $# -eq 0 ]; then
		echo "$name"
	else
		printf '%s\n' "$@"
	fi
	exit 0
}
