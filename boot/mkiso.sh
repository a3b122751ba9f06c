#!/bin/sh
# Builds a GRUB rescue ISO that boots the kernel with a fixed command line.
# usage: mkiso.sh KERNEL_ELF "CMDLINE" OUTPUT_ISO
set -eu
kernel=$1 cmdline=$2 out=$3
here=$(dirname "$0")
work=$(mktemp -d "${TMPDIR:-/tmp}/nciso.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
# The log lives beside the staged tree, never inside what xorriso packs.
tree=$work/tree
mkdir -p "$tree/boot/grub"
cp "$kernel" "$tree/boot/kernel.elf"
# '|' is the sed delimiter below; no parameter of ours contains it.
case $cmdline in *'|'*) echo "mkiso: '|' is not allowed in CMDLINE" >&2; exit 2;; esac
sed "s|@CMDLINE@|$cmdline|" "$here/grub.cfg" > "$tree/boot/grub/grub.cfg"
grub-mkrescue -o "$out.tmp.$$" "$tree" >"$work/log" 2>&1 || { cat "$work/log" >&2; rm -f "$out.tmp.$$"; exit 1; }
mv "$out.tmp.$$" "$out"
