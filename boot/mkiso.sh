#!/bin/sh
# Builds a GRUB rescue ISO that boots the kernel with a fixed command line.
# usage: mkiso.sh KERNEL_ELF "CMDLINE" OUTPUT_ISO
# Everything temporary, grub-mkrescue's own directories included, lives in
# one directory that goes on every exit; after a SIGKILL, which allows no
# trap, qemu/guard.sh removes it and the unfinished ISO.
set -eu
kernel=$1 cmdline=$2 out=$3
here=$(dirname "$0")
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
# '|' is the sed delimiter below; no parameter of ours contains it.
case $cmdline in *'|'*) echo "mkiso: '|' is not allowed in CMDLINE" >&2; exit 2;; esac
sed "s|@CMDLINE@|$cmdline|" "$here/grub.cfg" > "$tree/boot/grub/grub.cfg"
# grub-mkrescue dies with this script; its helpers then find no directory to
# write to.
TMPDIR=$work/tmp setpriv --pdeathsig KILL grub-mkrescue -o "$work/kernel.iso" "$tree" \
	>"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
cp "$work/kernel.iso" "$out.tmp.$$"
mv "$out.tmp.$$" "$out"
