#!/usr/bin/env bash
# The suite does not depend on TMPDIR's length (TAP): the fragment case of
# tests/qemu/reliable.t, which sends a command line of over 1000 bytes that
# must reach the listener whole, passes on e1000 with TMPDIR set to a
# directory whose path is TMPDIR_LENGTH characters long. The case files
# boot a copy of the kernel kept in TMPDIR.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/qemu/lib-shard.sh
. "$here/lib-shard.sh"
shard_whole_file long-tmpdir.t
TMPDIR_LENGTH=200

echo "1..1"
base=$(mktemp -d "${TMPDIR:-/tmp}/long-tmpdir.XXXXXX") || exit 1
trap 'rm -rf "$base"' EXIT
long=$base
while [ ${#long} -lt $((TMPDIR_LENGTH - 20)) ]; do
	long+=/a-rather-long-directory-name
done
long+=/$(printf 'x%.0s' $(seq $((TMPDIR_LENGTH - ${#long} - 1))))
mkdir -p "$long" || exit 1

if out=$(TMPDIR=$long NIC=e1000 RELIABLE=frag bash "$here/reliable.t" 2>&1); then
	echo "ok 1 - reliable.t's frag case passes with a TMPDIR of ${#long} characters"
else
	echo "not ok 1 - reliable.t's frag case passes with a TMPDIR of ${#long} characters"
	printf '%s\n' "$out" | grep -v '^ok ' | sed 's/^/#   /'
fi
