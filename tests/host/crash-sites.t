#!/usr/bin/env bash
# The README's crash-site table against the kernel's own: build/crash-sites.txt
# is read out of build/kernel.elf (make kernel), so a site added to the kernel
# and missing from the README, or a README row for a site the kernel does not
# have, fails here.
set -u
cd "$(dirname "$0")/../.." || exit 1

TABLE=build/crash-sites.txt
echo "1..3"
if [ ! -s "$TABLE" ]; then
	echo "Bail out! $TABLE is missing or empty (make kernel writes it)"
	exit 1
fi
echo "ok 1 - $TABLE lists the kernel's $(wc -l <"$TABLE") crash sites"

# The first column of the rows of the README's "## Crash sites" table.
readme_sites=$(awk '/^## Crash sites/ { on = 1; next } /^## / { on = 0 }
	on && /^\| `[^`]+`/ { split($0, f, "`"); print f[2] }' README.md)

missing=$(printf '%s\n' "$readme_sites" | grep -vxF -f - "$TABLE")
if [ -z "$missing" ]; then
	echo "ok 2 - the README's crash-site table has a row for every site of the kernel"
else
	echo "not ok 2 - the README's crash-site table has a row for every site of the kernel"
	printf '%s\n' "$missing" | sed 's/^/# no README row for: /'
fi

extra=$(printf '%s\n' "$readme_sites" | grep -vxF -f "$TABLE")
if [ -n "$readme_sites" ] && [ -z "$extra" ]; then
	echo "ok 3 - every README crash-site row names a site of the kernel"
else
	echo "not ok 3 - every README crash-site row names a site of the kernel"
	[ -n "$readme_sites" ] || echo "# no rows found under \"## Crash sites\" in README.md"
	[ -z "$extra" ] || printf '%s\n' "$extra" | sed 's/^/# README row for a site the kernel does not have: /'
fi
