#!/bin/sh
# The include graph points only down: kernel core <- drivers <- netconsole
# <- harness and init; host tools include host headers and the wire-protocol
# headers only. One TAP test per source file; an upward include fails it.
#   tests/host/layering.t [TREE]   (default: the tree this file sits in)
root=${1:-$(dirname "$0")/../..}
cd "$root" || exit 1

files=$(find boot kernel drivers netconsole host -name '*.[chS]' | LC_ALL=C sort)
count=$(printf '%s\n' "$files" | grep -c .)
echo "1..$count"

# Headers a host tool may share with the kernel: the wire formats.
protocol_headers='netconsole/netdump_proto.h'

layer() {
	case $1 in
	kernel/harness/* | kernel/init/*) echo 3 ;;
	netconsole/*) echo 2 ;;
	drivers/*) echo 1 ;;
	boot/* | kernel/*) echo 0 ;;
	host/*) echo host ;;
	*) echo unknown ;;
	esac
}

name() {
	case $1 in
	0) echo "kernel core" ;; 1) echo drivers ;; 2) echo netconsole ;;
	3) echo "harness/init" ;; *) echo "$1" ;;
	esac
}

n=0
for f in $files; do
	n=$((n + 1))
	from=$(layer "$f")
	bad=
	for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
		to=$(layer "$inc")
		if [ "$from" = host ]; then
			[ "$to" = host ] && continue
			case " $protocol_headers " in *" $inc "*) continue ;; esac
			bad="$bad $inc (not a protocol header)"
		elif [ "$to" = host ] || [ "$to" = unknown ] || [ "$to" -gt "$from" ]; then
			bad="$bad $inc ($(name "$to"))"
		fi
	done
	if [ -z "$bad" ]; then
		echo "ok $n - $f ($(name "$from")) includes nothing above it"
	else
		echo "not ok $n - $f ($(name "$from")) includes from above:$bad"
	fi
done
