#!/usr/bin/env bash
# The GRUB ISO carries the command line it was given byte for byte, or
# boot/mkiso.sh refuses it and names what GRUB cannot carry (TAP). Each
# accepted line (crash=none, so the kernel only boots and idles, and a
# marker) is built into an ISO and booted under QEMU without a network; the
# kernel's "Kernel command line:" serial line must hold exactly the line
# given. QEMU is stopped (by PID) once that line is there, or after
# BOOT_WAIT_S. Failing cases keep their logs in build/test-logs/iso-cmdline/.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib-shard.sh
. "$root/tests/qemu/lib-shard.sh"
shard_whole_file iso-cmdline.t
kernel=${NC_KERNEL:-$root/build/kernel.elf}
logs=$root/build/test-logs/iso-cmdline
BOOT_WAIT_S=60

# Lines GRUB can carry: its script syntax (& ; $ # { } * < > ` |), the
# template's own placeholder, runs of spaces, leading and trailing spaces,
# a tab and UTF-8.
accepted=(
	"crash=none ncmark=1 amp=a&b semi=a;b var=\$root hash=#x br={x} glob=* io=<x> bq=\`x\`"
	"  crash=none ncmark=2  two  spaces, three   and a trailing one "
	"crash=none ncmark=3 tab=a	b utf8=é sub=@CMDLINE@ amp2=& pct=%s pipe=a|b"
)
# Lines GRUB cannot carry, with the words mkiso's refusal must name.
refused=(
	"crash=none ncmark=4 q='x'|a single quote"
	"crash=none ncmark=5 q=\"x\"|a double quote"
	"crash=none ncmark=6 b=a\\b|a backslash"
	"crash=none ncmark=7 nl=a
b|a newline"
)

echo "1..$((${#accepted[@]} + ${#refused[@]}))"
for tool in grub-mkrescue xorriso qemu-system-i386; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		n=0
		for _ in "${accepted[@]}" "${refused[@]}"; do
			n=$((n + 1))
			echo "ok $n # skip $tool not installed (run 'make deps')"
		done
		exit 0
	fi
done

rm -rf "$logs"
mkdir -p "$logs"
qemu_pid=""
trap '[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null; [ -n "$qemu_pid" ] && wait "$qemu_pid" 2>/dev/null' EXIT

# boot_line DIR CMDLINE: builds DIR/kernel.iso with CMDLINE, boots it and
# prints what follows "Kernel command line: " on the serial console (one
# line, the serial line discipline's carriage return removed); prints what
# went wrong and fails otherwise.
boot_line() {
	local dir=$1 i
	if ! sh "$root/boot/mkiso.sh" "$kernel" "$2" "$dir/kernel.iso" >"$dir/mkiso.log" 2>&1; then
		echo "mkiso.sh failed: $(tail -n 1 "$dir/mkiso.log")"
		return 1
	fi
	qemu-system-i386 -accel tcg -m 64 -display none -no-reboot -net none -monitor none \
		-serial "file:$dir/serial.log" -cdrom "$dir/kernel.iso" >"$dir/qemu.stderr" 2>&1 &
	qemu_pid=$!
	for ((i = 0; i < BOOT_WAIT_S * 10; i++)); do
		grep -aq "Kernel command line: .*ncmark=" "$dir/serial.log" 2>/dev/null && break
		kill -0 "$qemu_pid" 2>/dev/null || break
		sleep 0.1
	done
	# The whole line is written once its newline is; give it a moment.
	sleep 0.2
	kill "$qemu_pid" 2>/dev/null
	wait "$qemu_pid" 2>/dev/null
	qemu_pid=""
	if ! grep -aq "Kernel command line: " "$dir/serial.log"; then
		echo "no 'Kernel command line:' on serial within ${BOOT_WAIT_S}s of QEMU's start"
		return 1
	fi
	grep -a -m 1 "Kernel command line: " "$dir/serial.log" | sed 's/\r$//; s/^[^]]*] Kernel command line: //'
}

n=0 failed=0
for line in "${accepted[@]}"; do
	n=$((n + 1))
	dir=$logs/$n
	mkdir -p "$dir"
	printf '%s' "$line" >"$dir/given"
	if got=$(boot_line "$dir" "$line") && [ "$got" = "$line" ]; then
		echo "ok $n - the ISO carries line $n byte for byte"
		rm -rf "$dir"
		continue
	fi
	failed=$((failed + 1))
	echo "not ok $n - the ISO carries line $n byte for byte"
	printf '%s\n' "given:  $line" "kernel: $got" | cat -A | sed 's/\$$//; s/^/#   /'
	echo "#   logs: $dir"
done
for entry in "${refused[@]}"; do
	n=$((n + 1))
	line=${entry%|*} what=${entry##*|}
	out=$(sh "$root/boot/mkiso.sh" "$kernel" "$line" "$logs/refused.iso" 2>&1)
	rc=$?
	if [ "$rc" = 2 ] && [[ $out == *"holds $what"* ]] && [ ! -e "$logs/refused.iso" ]; then
		echo "ok $n - mkiso refuses $what: ${out#mkiso: }"
		continue
	fi
	failed=$((failed + 1))
	echo "not ok $n - mkiso refuses $what (status $rc, said '$out')"
	rm -f "$logs/refused.iso"
done
[ "$failed" -eq 0 ] && rm -rf "$logs" && rmdir "$root/build/test-logs" 2>/dev/null
[ "$failed" -eq 0 ]
