#!/bin/sh
# Prints each CPU's stack with the guard page below it, "LO-HI" in hex on
# one line, in CPU order: the boot stack (boot_stack_bottom..boot_stack_top),
# then the slots of ap_stacks as kernel/smp.c lays them out (SMP_MAX_CPUS
# slots, each a guard page and the stack above it), read from the ELF's
# symbol table. check-cpu-log.awk's stacks= takes it to tell the CPUs'
# entries in QEMU's interrupt log apart (tests/qemu/smp.t, qemu/smp-soak.sh).
# usage: cpu-stacks.sh KERNEL-ELF CPUS
#   $NM: the nm to use (default: make print-binutils's choice)
# Exit: 0, 1 when the ELF lacks a symbol, 2 usage.
[ $# -eq 2 ] || {
	echo "usage: cpu-stacks.sh KERNEL-ELF CPUS" >&2
	exit 2
}
case $2 in [1-8]) ;; *)
	echo "cpu-stacks.sh: CPUS must be 1..8, not '$2'" >&2
	exit 2
	;;
esac
if [ -z "${NM:-}" ]; then
	eval "$(make -s --no-print-directory -C "$(dirname "$0")/../.." print-binutils)" || exit 2
fi
"$NM" -S "$1" | awk -v cpus="$2" -v elf="$1" '
	function hex(s,   n, i) {
		n = 0
		for (i = 1; i <= length(s); i++)
			n = n * 16 + index("0123456789abcdef", substr(tolower(s), i, 1)) - 1
		return n
	}
	$NF == "boot_stack_bottom" { bottom = hex($1) }
	$NF == "boot_stack_top" { top = hex($1) }
	$NF == "ap_stacks" && NF == 4 { ap = hex($1); slot = hex($2) / 8 }
	END {
		if (!bottom || !top || !ap) {
			print "cpu-stacks.sh: no boot_stack_bottom, boot_stack_top or ap_stacks in " elf > "/dev/stderr"
			exit 1
		}
		out = sprintf("%x-%x", bottom - 4096, top - 1)
		for (c = 1; c < cpus; c++)
			out = out sprintf(" %x-%x", ap + c * slot, ap + (c + 1) * slot - 1)
		print out
	}'
