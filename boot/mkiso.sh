#!/bin/sh
# Builds a GRUB rescue ISO that boots the kernel with a fixed command line.
# usage: mkiso.sh KERNEL_ELF "CMDLINE" OUTPUT_ISO
# The kernel gets CMDLINE byte for byte, or mkiso refuses it (exit 2) and
# names what GRUB cannot carry. Everything temporary, grub-mkrescue's own
# directories included, lives in one directory that goes on every exit;
# after a SIGKILL, which allows no trap, qemu/guard.sh removes it and the
# unfinished ISO.
set -eu
kernel=$1 cmdline=$2 out=$3
here=$(dirname "$0")

# refuse WHAT WHY: exits naming what in CMDLINE GRUB cannot carry, and why.
refuse() {
	echo "mkiso: CMDLINE holds $1: $2; the kernel would not get the line as given" >&2
	exit 2
}
escaped="GRUB's multiboot command writes a backslash before every ', \" and \\ it passes on"
case $cmdline in
*"'"*) refuse "a single quote (')" "$escaped" ;;
*'"'*) refuse 'a double quote (")' "$escaped" ;;
*[\\]*) refuse 'a backslash (\)' "$escaped" ;;
*'
'*) refuse "a newline" "GRUB 2.06 does not boot a multiboot command whose argument holds one" ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/nciso.XXXXXX")
trap 'rm -rf "$work" "$out.tmp.$$"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
setsid -f bash "$here/../qemu/guard.sh" $$ --remove "$work" --remove "$out.tmp.$$" \
	</dev/null >/dev/null 2>&1
# The log lives beside the staged tree, never inside what xorriso packs.
tree=$work/tree
mkdir -p "$tree/boot/grub" "$work/tmp"
cp "$kernel" "$tree/boot/kernel.elf"
# The words go into grub.cfg through the environment, never through a
# pattern or a replacement that would interpret them.
args=$(CMDLINE=$cmdline awk -f "$here/grub-args.awk")
ARGS=$args awk '{
	at = index($0, "@CMDLINE@")
	if (at) $0 = substr($0, 1, at - 1) ENVIRON["ARGS"] substr($0, at + length("@CMDLINE@"))
	print
}' "$here/grub.cfg" >"$tree/boot/grub/grub.cfg"
# grub-mkrescue dies with this script; its helpers then find no directory to
# write to.
TMPDIR=$work/tmp setpriv --pdeathsig KILL grub-mkrescue -o "$work/kernel.iso" "$tree" \
	>"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
cp "$work/kernel.iso" "$out.tmp.$$"
mv "$out.tmp.$$" "$out"
