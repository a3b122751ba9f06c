#!/bin/sh
# Our own stand-in for Linux's scripts/decode_stacktrace.sh, run by
# serial-oops.t to show that the README's command has what it needs. It
# resolves as that script does: each "EIP: name+0xOFF/0xSIZE" and trace
# frame of an oops becomes the address of the first text symbol of that
# name in `nm` plus the offset, handed to addr2line, and the source root
# (its base path) is stripped from the file name. Prints one line per
# decoded line: "LINE => FILE:NN" (FILE:NN is "??:0" or "??:?" when the ELF
# has no line for it). A frame is a return address: like Linux's script,
# this names the line the call returns to.
# usage: decode-trace.sh ELF BASE < LOG     ($NM, $ADDR2LINE: the binutils)
set -u
[ $# -eq 2 ] || {
	echo "usage: $0 ELF BASE < LOG" >&2
	exit 2
}
elf=$1 base=${2%/}
NM=${NM:-nm}
ADDR2LINE=${ADDR2LINE:-addr2line}
syms=$(mktemp) || exit 2
lines=$(mktemp) || exit 2
trap 'rm -f "$syms" "$lines"' EXIT
"$NM" "$elf" >"$syms" || exit 2
# The lines to decode and the address of each, as "ADDRESS<TAB>LINE".
sed 's/\r$//; s/^\[ *[0-9]*\.[0-9]*\] //' | awk -v symfile="$syms" '
	BEGIN {
		while ((getline s < symfile) > 0) {
			n = split(s, f, " ")
			if (n == 3 && f[2] ~ /^[tT]$/ && !(f[3] in addr))
				addr[f[3]] = f[1]
		}
	}
	function hex(h,    v, i) {
		v = 0
		h = tolower(h)
		for (i = 1; i <= length(h); i++)
			v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
		return v
	}
	/^(EIP: | )[A-Za-z_.$][A-Za-z0-9_.$]*\+0x[0-9a-f]+\/0x[0-9a-f]+$/ {
		ref = $0
		sub(/^(EIP: | )/, "", ref)
		split(ref, p, /[+\/]/)
		if (!(p[1] in addr))
			next
		a = hex(addr[p[1]]) + hex(substr(p[2], 3))
		printf "%x\t%s\n", a, $0
	}' >"$lines"
[ -s "$lines" ] || exit 0
# shellcheck disable=SC2046 # one argument per address
cut -f1 "$lines" | xargs "$ADDR2LINE" -e "$elf" | paste "$lines" - |
	awk -F '\t' -v base="$base/" '{
		loc = $3
		sub(/ \(discriminator [0-9]+\)$/, "", loc)
		if (index(loc, base) == 1)
			loc = substr(loc, length(base) + 1)
		print $2 " => " loc
	}'
