#!/bin/sh
# Builds a GRUB rescue ISO that boots the kernel with a fixed command line.
# usage: mkiso.sh KERNEL_ELF "CMDLINE" OUTPUT_ISO
set -eu
kernel=$1 cmdline=$2 out=$3
here=$(dirname "$0")
stage=$(mktemp -d "${TMPDIR:-/tmp}/nciso.XXXXXX")
trap 'rm -rf "$stage"' EXIT INT TERM
mkdir -p "$stage/boot/grub"
cp "$kernel" "$stage/boot/kernel.elf"
# '|' cannot occur in a command line we generate, so it is a safe delimiter.
case $cmdline in *'|'*) echo "mkiso: '|' is not allowed in CMDLINE" >&2; exit 2;; esac
sed "s|@CMDLINE@|$cmdline|" "$here/grub.cfg" > "$stage/boot/grub/grub.cfg"
grub-mkrescue -o "$out.tmp" "$stage" >"$stage/log" 2>&1 || { cat "$stage/log" >&2; exit 1; }
mv "$out.tmp" "$out"
