# shellcheck shell=bash
# TAP results for the host test scripts, sourced: ok TITLE, and not_ok
# TITLE [DETAIL...] with each detail line as a diagnostic. n counts them.
n=0
ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1))
	echo "not ok $n - $1"
	shift
	printf '%s\n' "$@" | sed 's/^/#   /'
}
