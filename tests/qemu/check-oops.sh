#!/bin/sh
# Validates one oops transcript (serial log or network transcript) against the
# kernel ELF it came from; the checks are tests/qemu/check-oops.awk. Prints
# one line per problem; exits 1 if there is any, 2 on bad usage.
# usage: check-oops.sh LOG ELF SITE [CPU-LOG]
#   SITE: a site of the ELF's crash-site table (build/crash-sites.txt)
#   CPU-LOG: QEMU's interrupt log of the run (qemu -d int -D CPU-LOG), the
#   witness that the CPU took each reported fault
#   $NC_HARDWARE_NAME: the machine QEMU's -smbios options described
#   ("MANUFACTURER PRODUCT, BIOS VERSION DATE"), which the oops's
#   "Hardware name:" lines must show; unset: any printable text
#   $NM, $OBJDUMP: the binutils (make exports its own choice; by hand they
#   are asked from the Makefile). $SRCDIR: the tree the ELF was built from.
set -u
[ $# -eq 3 ] || [ $# -eq 4 ] || {
	echo "usage: $0 LOG ELF SITE [CPU-LOG]" >&2
	exit 2
}
here=$(dirname "$0")
SRCDIR=${SRCDIR:-$(cd "$here/../.." && pwd)}
if [ -z "${NM:-}" ] || [ -z "${OBJDUMP:-}" ]; then
	eval "$(make -s --no-print-directory -C "$SRCDIR" print-binutils)" || exit 2
fi
[ -r "$1" ] || {
	echo "cannot read log $1"
	exit 1
}
[ -r "$2" ] || {
	echo "cannot read ELF $2"
	exit 1
}
[ $# -eq 3 ] || [ -r "$4" ] || {
	echo "cannot read QEMU's interrupt log $4"
	exit 1
}
exec awk -v site="$3" -v elfpath="$2" -v srcdir="$SRCDIR" -v nm="$NM" -v objdump="$OBJDUMP" \
	-v cpulog="${4:-}" -v hardware="${NC_HARDWARE_NAME:-}" -f "$here/elf.awk" -f "$here/check-oops.awk" "$1"
