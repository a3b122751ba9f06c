#!/usr/bin/env bash
# make qemu-test: every file in tests/qemu/ under prove -v. With LIST=1 it
# prints the case names instead (nothing runs); SHARD=I/N reaches each file
# (tests/qemu/lib-shard.sh); JUNIT=FILE also writes the results as JUnit XML
# (tests/qemu/tap-junit.awk): one testcase per case, a failure with its
# diagnostics and the path of its kept logs, a skipped element with the
# reason. Exit: prove's status.
set -u
cd "$(dirname "$0")/../.." || exit 1

if [ -n "${LIST:-}" ]; then
	status=0
	for file in tests/qemu/*.t; do
		# A file whose filters select nothing says so in a plan line.
		bash "$file" | grep -v '^1\.\.' || [ "${PIPESTATUS[0]}" = 0 ] || status=1
	done
	exit "$status"
fi

if [ -z "${JUNIT:-}" ]; then
	exec prove -v tests/qemu/
fi
case $JUNIT in /*) ;; *) JUNIT=$PWD/$JUNIT ;; esac
tap=$(mktemp "${TMPDIR:-/tmp}/nc-suite.XXXXXX") || exit 1
trap 'rm -f "$tap"' EXIT
prove -v tests/qemu/ 2>&1 | tee "$tap"
status=${PIPESTATUS[0]}
if awk -f tests/qemu/tap-junit.awk "$tap" >"$JUNIT.tmp" && mv "$JUNIT.tmp" "$JUNIT"; then
	echo "qemu-test: JUnit XML in $JUNIT"
else
	echo "qemu-test: cannot write $JUNIT"
	status=1
fi
exit "$status"
